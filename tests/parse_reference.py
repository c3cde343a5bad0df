"""The straightforward reading of measure rows, as core/parse.py did it before it was tuned
for big ledgers (issue 12, item 8): one dict per row, every mapped cell converted where it is.

tests/unit/test_parse_reference.py reads ledgers both ways and asks for the same Measures, so a
later speed change in core/parse.py cannot silently change what a ledger says. Keep this file
simple and slow; change it only when the meaning of a row is meant to change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date

from rectify_xl.core.aliases import COMBINED_SEPARATORS
from rectify_xl.core.dates import (
    IMMEDIATE_WORDS,
    DateParse,
    parse_date,
    read_deadline_words,
    read_yearless_deadline,
)
from rectify_xl.core.model import Grid, Layout, Measure
from rectify_xl.core.parse import cell_text, typed_seq
from rectify_xl.core.schedule import parse_percent
from rectify_xl.core.schema import DEADLINE_ONGOING, OUTCOMES, PROBLEM_LEVEL_KEYS, Status

__all__ = ["filled_rows", "reference_measures"]

def _text(value: object) -> str:
    """cell_text() with the two commonest cells (empty, plain text) first: 13 calls a row."""
    if value is None:
        return ""
    if type(value) is str and "\r" not in value and "\u3000" not in value:
        return value.strip()
    return cell_text(value)


def filled_rows(grid: Grid, limit: int | None = None) -> list[list[object]]:
    """Rows with merged ranges filled from their top-left cell (Excel keeps the value there only).

    The grid is not changed: a row is copied before a merged value is written into it. ``limit``
    reads only the top rows (choosing the ledger sheet looks at headers only).
    """
    rows = list(grid.rows if limit is None else grid.rows[:limit])
    copied: set[int] = set()
    for r1, c1, r2, c2 in grid.merges or ():
        if r1 - 1 >= len(rows) or c1 - 1 >= len(rows[r1 - 1]):
            continue
        value = rows[r1 - 1][c1 - 1]
        for r in range(r1, min(r2, len(rows)) + 1):
            if r not in copied:
                rows[r - 1] = list(rows[r - 1])
                copied.add(r)
            row = rows[r - 1]
            if len(row) < c2:
                row.extend([None] * (c2 - len(row)))
            for c in range(c1, c2 + 1):
                row[c - 1] = value
    return rows


def _merge_followers(grid: Grid, column: int | None) -> frozenset[int]:
    """Rows below the top of a merged range in this column.

    A 序号 merged over a problem's measure rows numbers the problem: it belongs to the first
    row only, so the other rows are not read as repeating it (RX405 would call them duplicates).
    """
    if column is None:
        return frozenset()
    return frozenset(r for r1, c1, r2, c2 in grid.merges or () if c1 <= column <= c2
                     for r in range(r1 + 1, r2 + 1))


_CONTENT_KEYS = ("aspect", "feedback", "problem", "measure", "leader", "department", "person",
                 "deadline", "status", "progress")


def reference_measures(grid: Grid, layout: Layout, rows: Sequence[Sequence[object]] | None = None,
                   statuses: Mapping[str, Status] | None = None,
                   feedback: date | None = None) -> tuple[Measure, ...]:
    """The measure rows below the header; ``statuses`` adds the unit's own status words;
    ``feedback`` dates 立行立改 and a deadline without a year."""
    rows = rows if rows is not None else filled_rows(grid)
    columns = [(key, c - 1) for key, c in layout.columns.items()]
    extra = [c - 1 for c in layout.extra_columns]
    content = [k for k in _CONTENT_KEYS if k in layout.columns]
    measures: list[Measure] = []
    previous: dict[str, str] = {}
    seq_followers = _merge_followers(grid, layout.columns.get("seq"))
    split = frozenset(layout.split)
    from_percent = layout.derived.get("status") == "percent"
    # An outcome figure merged over a problem's rows was achieved once: count it at its top row.
    outcome_followers = {o.key: _merge_followers(grid, layout.columns[o.key])
                         for o in OUTCOMES if o.key in layout.columns}
    order: list[str] = []  # the mapped keys left to right, the first key of each column
    seen: set[int] = set()
    for key, c in sorted(layout.columns.items(), key=lambda kc: kc[1]):
        if key in ("done_date", "start_date", "accept_date", "percent"):
            continue  # read as values only: not looked at for bands
        if c not in seen:
            seen.add(c)
            order.append(key)
    aspect = ""
    last_seq = ""
    for r in range(layout.header_row + 1, len(rows) + 1):
        row = rows[r - 1]
        width = len(row)
        values = {key: row[i] if i < width else None for key, i in columns}
        if r in seq_followers:
            values["seq"] = None
        texts = {key: _text(v) for key, v in values.items()}
        if texts.get("seq"):  # 1.10 typed as a number reads 1.1: as typed after 1.9
            texts["seq"] = last_seq = typed_seq(values["seq"], texts["seq"], last_seq)
        lead = texts[order[0]]
        if not any(texts[k] for k in content) and not (lead and not lead.isdigit()):
            continue  # a blank row (a text alone in 序号 may be a band: below)
        band = _band(texts, order)
        if band is not None:  # a 方面 band across the table ("" for a total or a note row)
            aspect = band or aspect
            continue
        if aspect and not texts.get("aspect"):
            texts["aspect"] = aspect
        if split:
            _split_combined(texts, split)
        if grid.merges is None:  # merge layout unknown: a blank problem cell means "same as above"
            for key in PROBLEM_LEVEL_KEYS:
                if not texts.get(key) and previous.get(key):
                    texts[key] = previous[key]
            previous = {k: texts.get(k, "") for k in PROBLEM_LEVEL_KEYS}
        others = tuple(_text(row[i]) if i < width else "" for i in extra)
        outcomes = tuple((key, values[key]) for key, followers in outcome_followers.items()
                         if r not in followers and texts.get(key))
        measure = _measure(r, values, texts, statuses, from_percent, others, outcomes, feedback)
        if layout.marks:  # tick columns: the one ticked state, else none (its names joined)
            ticked = [state for c, state in layout.marks
                      if _text(row[c - 1] if c - 1 < width else None) not in _NO_MARK]
            measure = replace(measure, status_raw="、".join(ticked),
                              status=Status(ticked[0]) if len(ticked) == 1 else None)
        measures.append(measure)
    return tuple(measures)


_NO_MARK = {"", "否", "×", "✗", "✘", "0", "无", "-", "—", "/"}


def _band(texts: Mapping[str, str], order: Sequence[str]) -> str | None:
    """This row's band text, "" for a total or note row, None for a measure row (the rule of
    core/parse._bands, one row at a time)."""
    import re

    cells_all = [texts[k] for k in order]
    first, measure = cells_all[0], texts["measure"]
    cells = [t for t in cells_all if t]
    if not cells:
        return None
    head = "".join(cells[0].split())
    if re.match(r"^(合计|小计|总计|共计|累计)([:：]|\d|$)", head) or re.match(
            r"^(注|说明|备注|填表说明|填报说明)\s*\d*[:：]|^(填报人|填表人|审核人|制表人|联系人|单位负责人"
            r"|分管领导|主要负责人|联系电话|(填报|制表|报送|统计)(日期|时间))[:：]", cells[0]) or (
            not measure and head in ("注", "备注", "说明", "填表说明", "填报说明")):
        return ""
    if measure and measure != first:
        return None
    if len(set(cells)) != 1:
        return None
    heading = re.search(r"^[一二三四五六七八九十]+[、.．]|^[（(][一二三四五六七八九十]+[）)]|方面$", first)
    alone = (len(cells) == 1 and first and not first.isdigit()
             and (order[0] in ("seq", "aspect") or heading))
    return cells[0] if len(cells) >= 3 or alone else None


def _split_combined(texts: dict[str, str], keys: frozenset[str]) -> None:
    """'办公室/张三' in a 部门/负责人 column → department 办公室, person 张三."""
    first, second = (k for k in ("leader", "department", "person") if k in keys)
    value = texts.get(first, "")
    parts = [p.strip() for p in COMBINED_SEPARATORS.split(value, maxsplit=1)]
    if len(parts) == 2 and all(parts):
        texts[first], texts[second] = parts
    else:
        texts[second] = ""


def _measure(r: int, values: Mapping[str, object], texts: Mapping[str, str],
             statuses: Mapping[str, Status] | None, from_percent: bool,
             extra: tuple[str, ...], outcomes: tuple[tuple[str, object], ...] = (),
             feedback: date | None = None) -> Measure:
    deadline_text = texts.get("deadline", "")
    # "长期 坚持" typed with a space (or a full-width one) is still the token
    ongoing = "".join(deadline_text.split()) == DEADLINE_ONGOING
    deadline = parse_date(None if ongoing else values.get("deadline"))
    words = ""
    if deadline.raw and (said := read_deadline_words(deadline.raw)):
        words, ongoing = deadline.raw, said[1]
        deadline = DateParse(said[0])
    elif deadline.raw and feedback:  # 立行立改: the feedback date; 6月底前: the next 6月底
        immediate = "".join(deadline.raw.split()) in IMMEDIATE_WORDS
        day = feedback if immediate else read_yearless_deadline(deadline.raw, feedback)
        if day:
            words, deadline = deadline.raw, DateParse(day)
    done = parse_date(values.get("done_date"))
    start = parse_date(values.get("start_date"))
    accepted = parse_date(values.get("accept_date"))
    percent, percent_raw = parse_percent(values.get("percent"))
    status_raw = texts.get("status", "")
    if from_percent:  # no status column: 100% is 已完成, anything less 正在推进
        status = None if percent is None else Status.DONE if percent >= 1 else Status.IN_PROGRESS
    else:
        status = Status.parse(status_raw, statuses) if status_raw else None
    return Measure(
        row=r,
        seq=texts.get("seq", ""),
        aspect=texts.get("aspect", ""),
        feedback=texts.get("feedback", ""),
        problem=texts.get("problem", ""),
        text=texts.get("measure", ""),
        leader=texts.get("leader", ""),
        department=texts.get("department", ""),
        deadline=deadline.value,
        deadline_ongoing=ongoing,
        deadline_raw=deadline.raw,
        status=status,
        status_raw=status_raw,
        done_date=done.value,
        done_date_raw=done.raw,
        progress=texts.get("progress", ""),
        evidence=texts.get("evidence", ""),
        remark=texts.get("remark", ""),
        person=texts.get("person", ""),
        leader2=texts.get("leader2", ""),
        department2=texts.get("department2", ""),
        extra=extra,
        start_date=start.value,
        start_date_raw=start.raw,
        percent=percent,
        percent_raw=percent_raw,
        accept_by=texts.get("accept_by", ""),
        accept_date=accepted.value,
        accept_date_raw=accepted.raw,
        accept_note=texts.get("accept_note", ""),
        stream=texts.get("stream", ""),
        outcomes=outcomes,
        deadline_words=words,
    )
