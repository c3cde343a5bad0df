"""Sheet grids → Ledger. Pure: the adapters hand in cell values, this finds the meaning.

Columns are found by header text (and the documented aliases), never by position, so a user
who inserts a column or a title row above the header does not break reading.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields as dataclass_fields
from datetime import date, datetime
from functools import lru_cache
from itertools import repeat
from operator import itemgetter
from typing import Any

from rectify_xl.core.aliases import (
    COMBINED_SEPARATORS,
    INFO_ALIASES,
    SECOND_KEYS,
    header_form,
    status_form,
)
from rectify_xl.core.dates import (
    IMMEDIATE_WORDS,
    parse_date,
    parse_period,
    read_deadline_words,
    read_relative_deadline,
    read_yearless_deadline,
)
from rectify_xl.core.header_guess import guess_header_key, guess_info_key
from rectify_xl.core.model import (
    Grid,
    Info,
    Layout,
    Ledger,
    Measure,
    ReadNote,
    TextPara,
    col_letter,
)
from rectify_xl.core.schedule import parse_percent
from rectify_xl.core.schema import (
    COLUMN_BY_KEY,
    COLUMNS,
    CONTACT_COLUMNS,
    DEADLINE_ONGOING,
    HEADER_KEYS,
    INFO_FIELDS,
    LIFE_KEYS,
    OPTIONS_STATUS_AS,
    OPTIONS_STATUS_WORD,
    OUTCOMES,
    PROBLEM_LEVEL_KEYS,
    ROUND_KEYS,
    SETTINGS_FIELDS,
    SHEETS,
    TEXT_COLUMNS,
    TEXT_HEADERS,
    Status,
)
from rectify_xl.errors import InputError

__all__ = ["cell_text", "find_header", "normalize_header", "parse_ledger", "parse_measures",
           "sheet_named"]

_HEADER_SCAN_ROWS = 30  # title blocks, notes and a two-row header all fit above this
_BY_HEADER: dict[str, str] = {header_form(c.header): c.key for c in COLUMNS}
_KEYS = ("problem", "measure")  # a ledger's header names both (具体问题 may be 反馈问题 alone)
_TEMPLATE_KEYS = tuple(c.key for c in COLUMNS)
# Alias priority inside one family (the template header first, then the alias table's order):
# of 责任领导 and 分管领导 the first read is leader, the other leader2.
_PRIORITY: dict[str, int] = {
    **{alias: i + 1 for i, alias in enumerate(HEADER_KEYS)},
    **{header_form(c.header): 0 for c in COLUMNS},
}


def normalize_header(text: object) -> str:
    """'完成\\n时限（日期）*' → '完成时限': folded, spaces, line breaks, hints and marks go."""
    return header_form(cell_text(text))


def cell_text(value: object) -> str:
    """A cell value as clean text: None → '', 3.0 → '3', dates as ISO, whitespace trimmed."""
    if value is None:
        return ""
    if isinstance(value, str):
        if "\r" in value or "\u3000" in value:  # rare: skip three copies of every text
            value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ")
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _header_key(text: object) -> tuple[str | None, bool]:
    """The column key a header names, and whether it came through an alias."""
    if type(text) is str:  # the top rows of every file hold the same few header texts
        return _header_key_text(text)
    return _header_key_of(normalize_header(text))


@lru_cache(maxsize=4096)
def _header_key_text(text: str) -> tuple[str | None, bool]:
    return _header_key_of(normalize_header(text))


def _header_key_of(h: str) -> tuple[str | None, bool]:
    if not h:
        return None, False
    if h in _BY_HEADER:
        return _BY_HEADER[h], False
    if h in HEADER_KEYS:
        return HEADER_KEYS[h], True
    guessed = guess_header_key(h)  # by its words (问题表现, 具体整改措施…): reported as RX103
    if guessed and _combined(h):
        return None, False  # 牵头部门/负责人: two fields, split by _layout
    return guessed, guessed is not None


def _guessed(text: str) -> bool:
    """Whether a header was read by its words (core/header_guess), not by name or alias."""
    h = normalize_header(text)
    return h not in _BY_HEADER and h not in HEADER_KEYS


@lru_cache(maxsize=1024)
def _combined(text: str) -> tuple[str, str] | None:
    """'整体牵头部门/负责人' → ('department', 'person'): one column holding both."""
    parts = [p for p in COMBINED_SEPARATORS.split(normalize_header(text)) if p]
    if len(parts) != 2:
        return None
    first, second = (_header_key_of(p)[0] for p in parts)
    if first in ("department", "leader") and second == "person":
        return first, second
    return None


def _row_keys(row: Sequence[object]) -> set[str]:
    keys: set[str] = set()
    unmapped: list[tuple[int, str]] = []
    for c, value in enumerate(row, start=1):
        if value is None:
            continue
        key = _header_key(value)[0]
        if key:
            keys.add(key)
        elif type(value) is str and (pair := _combined(value)):
            keys.update(pair)
        elif type(value) is str:
            unmapped.append((c, value))
    if "status" not in keys and _mark_columns(unmapped):
        # 已完成 | 未完成 under a merged 完成情况: this row tells the states apart, and more
        # finely than the group title above it
        keys.update(("status", "status marks"))
    return keys


def _header_rows(rows: Sequence[Sequence[object]], r: int) -> list[object]:
    """Row r (1-based) as a header: a blank cell takes the text above it (the upper row of a
    two-row header whose group titles are merged, read without merge information), and a
    sub-header that names no field by itself is read with its group title when together they
    name one exactly (责任 over 领导 | 部门 | 人, 完成时间 over 计划 | 实际)."""
    row = list(rows[r - 1])
    if r >= 2:
        upper = rows[r - 2]
        for c, value in enumerate(upper):
            if c >= len(row):
                row.append(value)
            elif row[c] is None or row[c] == "":
                row[c] = value
            elif type(value) is str and type(row[c]) is str and value != row[c]:
                row[c] = _with_group(value, row[c])
    return row


@lru_cache(maxsize=1024)
def _with_group(group: str, sub: str) -> str:
    """A sub-header in words of its group title (group+sub, or sub+group) when only that names
    a field exactly; else the sub-header as it is."""
    key, via_alias = _header_key_text(sub)
    if key and (not via_alias or not _guessed(sub)):
        return sub  # named by itself (a template header or an alias)
    for text in (group + sub, sub + group):
        h = normalize_header(text)
        if h in _BY_HEADER or h in HEADER_KEYS:
            return text
    return sub


def _scan(grid: Grid, rows: Sequence[Sequence[object]]) -> tuple[int, set[str]]:
    """The header row among the top rows: the one naming most of our columns (first on a tie)."""
    best_row, best_keys = 0, set[str]()
    for r in range(1, min(len(rows), _HEADER_SCAN_ROWS) + 1):
        keys = _row_keys(_header_rows(rows, r))
        if len(keys) > len(best_keys):
            best_row, best_keys = r, keys
    return best_row, best_keys


def _qualifies(keys: set[str]) -> bool:
    return "measure" in keys and bool(keys & {"problem", "feedback"})


def _looked_for() -> str:
    names = "、".join(f"“{COLUMN_BY_KEY[k].header}”" for k in ("problem", "measure"))
    return f"前{_HEADER_SCAN_ROWS}行中同时含有{names}（或其常见写法）等列名的表头行"


def find_header(grid: Grid, rows: Sequence[Sequence[object]] | None = None) -> Layout:
    """The header row (anywhere in the top rows, one or two rows high) and what each column is."""
    rows = rows if rows is not None else _filled_rows(grid, _HEADER_SCAN_ROWS + 1)
    best_row, keys = _scan(grid, rows)
    if not _qualifies(keys):
        found = "、".join(COLUMN_BY_KEY[k].header for k in COLUMN_BY_KEY if k in keys) or "无"
        raise InputError(f"“{grid.name}”工作表中找不到整改台账的表头：需要{_looked_for()}"
                         f"（识别出的列：{found}）")
    header = _header_rows(rows, best_row)
    # the row above belongs to the header when it fills its blanks or is merged into it
    # (a group title over sub-columns, a cell merged down over both rows)
    # (a title or note band above has one text; a row of group titles has several)
    upper = grid.rows[best_row - 2] if best_row >= 2 else []
    two_rows = sum(1 for u in upper if u not in (None, "")) >= 2 and (any(
        (v is None or v == "") and u not in (None, "")
        for v, u in zip(grid.rows[best_row - 1], upper, strict=False)
    ) or any(r1 == best_row - 1 and (r2 == best_row or c2 > c1)
             for r1, c1, r2, c2 in grid.merges or ()))
    return _layout(grid, rows, header, best_row, 2 if two_rows else 1)


def _layout(grid: Grid, rows: Sequence[Sequence[object]], header: Sequence[object],
            header_row: int, header_rows: int) -> Layout:
    found: dict[str, list[tuple[int, str, bool]]] = {}  # key → [(column, text, via alias)]
    split: list[str] = []
    extra: list[tuple[int, str]] = []
    for c, value in enumerate(header, start=1):
        text = cell_text(value)
        if not text:
            continue
        key, via_alias = _header_key(value)
        if key == "status" and _is_percent_column(rows, header_row, c):
            key = "percent"  # 整改进度 holding "80%" (S1 keeps both shapes under one header)
        if key:
            found.setdefault(key, []).append((c, text, via_alias))
        elif pair := _combined(text):
            for k in pair:
                found.setdefault(k, []).append((c, text, True))
            split.extend(pair)
        else:
            extra.append((c, text))
    columns: dict[str, int] = {}
    aliased: dict[str, str] = {}
    duplicates: list[tuple[str, str, str, str, str]] = []

    def cell(c: int) -> str:
        return f"{col_letter(c)}{header_row}"

    for key, hits in found.items():
        if len(hits) > 1 and any(_guessed(t) for _, t, _ in hits):
            # a header read by its words never displaces or duplicates one named exactly
            # (责任处室 and 配合处室, both read by their words, are the department and the second
            # department: a guess may take a second slot no named column takes)
            named = [h for h in hits if not _guessed(h[1])]
            room = 2 if SECOND_KEYS.get(key) else 1
            kept = (named + [h for h in hits if _guessed(h[1])])[:max(room, len(named))]
            extra.extend((c, t) for c, t, _ in hits if (c, t, _) not in kept)
            hits = kept
        second = SECOND_KEYS.get(key)
        # the template header (or the alias listed first) is the primary one; of two columns for
        # one field (整改计划 beside 整改措施, RX106) the one named as the template names it is read
        hits = sorted(hits, key=lambda h: (_PRIORITY.get(normalize_header(h[1]), 999), h[0]))
        slots = [key, second] if second else [key]
        for (c, text, via_alias), slot in zip(hits, slots, strict=False):
            columns[slot] = c
            if via_alias and (slot == key or normalize_header(text) != header_form(
                    COLUMN_BY_KEY[slot].header)):
                aliased[slot] = text
        for hit in hits[len(slots):]:
            duplicates.append((key, cell(hits[0][0]), cell(hit[0]), hits[0][1], hit[1]))
            extra.append((hit[0], hit[1]))  # not read as that field, but kept (adopt, merge)
    if "deadline" not in columns and "done_date" in columns and _guessed(
            text := aliased.get("done_date", "")) and "实际" not in text:
        # a ledger's only date column, 完成时间, is the date the measure is due by
        columns["deadline"] = columns.pop("done_date")
        aliased["deadline"] = aliased.pop("done_date")
    extra.sort()
    derived: dict[str, str] = {}
    marks = _mark_columns(extra) if "status" not in columns else ()
    if marks:  # 整改情况: 已完成 | 未完成 sub-columns holding √ (RX118)
        derived["status"] = "marks"
    _percent_columns(columns, derived)
    if "problem" not in columns and "feedback" in columns:
        columns["problem"] = columns["feedback"]  # one level of problems only
        derived["problem"] = "feedback"
    elif "feedback" not in columns and "problem" in columns:
        # the same, named the other way (存在问题, 问题表现 …): each problem is one fed back
        columns["feedback"] = columns["problem"]
        derived["feedback"] = "problem"
    missing = tuple(k for k in _TEMPLATE_KEYS if k not in columns and k not in ROUND_KEYS
                    and k not in LIFE_KEYS and not (k == "status" and marks))
    for needed in _KEYS:
        if needed not in columns:
            raise InputError(f"“{grid.name}”工作表第{header_row}行的表头缺少"
                             f"“{COLUMN_BY_KEY[needed].header}”列")
    return Layout(header_row, columns, aliased, tuple(t for _, t in extra), missing,
                  duplicates=tuple(duplicates), header_rows=header_rows,
                  extra_columns=tuple(c for c, _ in extra), split=tuple(split),
                  derived=derived, marks=marks)


_NO_MARK = frozenset({"", "否", "×", "✗", "✘", "0", "无", "-", "—", "/"})


def _marked_states(marks: Sequence[tuple[int, str]], by_index: Mapping[int, Sequence[object]],
                   keep: Sequence[int]) -> tuple[list[str], list[Status | None]]:
    """(status_raw, status) per kept row: the states of the ticked columns, joined with 、;
    a status only when exactly one column is ticked."""
    ticked = [[cell_text(by_index[c - 1][i]) not in _NO_MARK for i in keep] for c, _s in marks]
    raws: list[str] = []
    states: list[Status | None] = []
    for j in range(len(keep)):
        names = [state for (_c, state), col in zip(marks, ticked, strict=True) if col[j]]
        raws.append("、".join(names))
        states.append(Status(names[0]) if len(names) == 1 else None)
    return raws, states


def _mark_columns(extra: Sequence[tuple[int, str]]) -> tuple[tuple[int, str], ...]:
    """Two or more columns headed by a state (已完成, 未完成, 正在推进 …: the tick columns of a
    form), as (column, state); () unless at least two states are told apart this way."""
    found = [(c, state.value) for c, text in extra if len(normalize_header(text)) <= 6
             and (state := Status.parse(normalize_header(text))) is not None]
    return tuple(found) if len({s for _, s in found}) >= 2 else ()


def _is_percent_column(rows: Sequence[Sequence[object]], header_row: int, c: int) -> bool:
    """Most filled cells below the header are numbers or "80%"."""
    values = [row[c - 1] for row in rows[header_row:header_row + 200]
              if c - 1 < len(row) and row[c - 1] not in (None, "")]
    numeric = sum(1 for v in values if parse_percent(v)[0] is not None)
    return bool(values) and numeric * 10 >= len(values) * 8


def _percent_columns(columns: dict[str, int], derived: dict[str, str]) -> None:
    """With no status column at all, the status is read from the percentage (100% = 已完成)."""
    if "status" in columns or derived.get("status") == "marks":
        return
    if "percent" in columns:
        columns["status"] = columns["percent"]
        derived["status"] = "percent"
    elif "progress" in columns:
        # 整改进展情况 "已完成。建立了……": the state is the cell's leading words (RX114)
        columns["status"] = columns["progress"]
        derived["status"] = "progress"


def _filled_rows(grid: Grid, limit: int | None = None) -> list[list[object]]:
    """Rows with merged ranges filled from their top-left cell (Excel keeps the value there only).

    The grid is not changed: a row is copied before a merged value is written into it. ``limit``
    reads only the top rows (choosing the ledger sheet looks at headers only).
    """
    source = grid.rows if limit is None else grid.rows[:limit]
    rows = list(source)
    count = len(rows)
    for r1, c1, r2, c2 in grid.merges or ():
        if r1 > count or c1 > len(rows[r1 - 1]):
            continue
        value = rows[r1 - 1][c1 - 1]
        for i in range(r1 - 1, min(r2, count)):
            row = rows[i]
            if row is source[i]:  # still the grid's own row: copy it before writing
                row = rows[i] = list(row)
            if len(row) < c2:
                row.extend([None] * (c2 - len(row)))
            if c1 == c2:  # merged down one column: the usual problem cell
                row[c1 - 1] = value
            else:
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
    return _followers_of(grid, [column])[column]


def _followers_of(grid: Grid, columns: Sequence[int]) -> dict[int, frozenset[int]]:
    """_merge_followers of several columns in one pass over the merged ranges."""
    found: dict[int, set[int]] = {c: set() for c in columns}
    if columns:
        low, high = min(columns), max(columns)
        for r1, c1, r2, c2 in grid.merges or ():
            if c2 < low or c1 > high or r2 <= r1:
                continue
            for c in found:
                if c1 <= c <= c2:
                    found[c].update(range(r1 + 1, r2 + 1))
    return {c: frozenset(rows) for c, rows in found.items()}


_CONTENT_KEYS = ("aspect", "feedback", "problem", "measure", "leader", "department", "person",
                 "deadline", "status", "progress")
# Measure fields read as the trimmed text of their column (Measure field → column key)
_TEXT_FIELDS = {"seq": "seq", "aspect": "aspect", "feedback": "feedback", "problem": "problem",
                "text": "measure", "leader": "leader", "department": "department",
                "progress": "progress", "evidence": "evidence", "remark": "remark",
                "person": "person", "leader2": "leader2", "department2": "department2",
                "accept_by": "accept_by", "accept_note": "accept_note", "stream": "stream"}
_MEASURE_FIELDS = tuple(f.name for f in dataclass_fields(Measure))
# the slots' own setters: Measure is frozen, so its __init__ sets each of its 35 fields through
# object.__setattr__ — more than half of building 10,000 Measures (benchmarks/big_ledger.py)
_MEASURE_SETTERS = tuple(getattr(Measure, name).__set__ for name in _MEASURE_FIELDS)
# the columns read as text (the rest, dates and percentages, only as values)…
_TEXT_KEYS = frozenset({*_TEXT_FIELDS.values(), *_CONTENT_KEYS, "status", *(o.key for o in OUTCOMES)})
# …and the columns read as values
_VALUE_KEYS = frozenset({"deadline", "done_date", "start_date", "accept_date", "percent",
                         *(o.key for o in OUTCOMES)})


def _columns(body: Sequence[Sequence[object]], indices: set[int]) -> dict[int, Sequence[object]]:
    """The cells of these columns (0-based), None past the end of a short row. Rows as wide as
    the sheet (calamine's) are cut into columns by C-level itemgetter and zip."""
    wanted = sorted(indices)
    if not wanted:
        return {}
    if min(map(len, body)) > wanted[-1]:
        if len(wanted) == 1:
            return {wanted[0]: list(map(itemgetter(wanted[0]), body))}
        return dict(zip(wanted, zip(*map(itemgetter(*wanted), body), strict=True), strict=True))
    return {i: [row[i] if i < len(row) else None for row in body] for i in wanted}


def _texts(values: Sequence[object]) -> list[str]:
    """cell_text() of a column, the commonest cells (empty, plain text, dates) inline."""
    if values.count(None) == len(values):  # a column nobody fills in (备注, 验收人 …)
        return [""] * len(values)
    return ["" if v is None else (v.strip() if "\r" not in v and "\u3000" not in v
                                  else cell_text(v)) if v.__class__ is str
            else v.isoformat() if v.__class__ is date else cell_text(v) for v in values]


def _date_reader() -> Callable[[object], tuple[date | None, str]]:
    """parse_date(v) as (value, raw), text cells cached: a column repeats its few date texts."""
    cache: dict[str, tuple[date | None, str]] = {}

    def read(v: object) -> tuple[date | None, str]:
        cls = v.__class__
        if v is None:
            return None, ""
        if cls is datetime:
            return v.date(), ""  # type: ignore[attr-defined]
        if cls is date:
            return v, ""  # type: ignore[return-value]
        if cls is str:
            got = cache.get(v)  # type: ignore[call-overload]
            if got is None:
                parsed = parse_date(v)
                got = cache[v] = (parsed.value, parsed.raw)  # type: ignore[index]
            return got
        parsed = parse_date(v)
        return parsed.value, parsed.raw

    return read


def parse_measures(grid: Grid, layout: Layout, rows: Sequence[Sequence[object]] | None = None,
                   statuses: Mapping[str, Status] | None = None,
                   skipped: list[tuple[int, str]] | None = None,
                   feedback: date | None = None) -> tuple[Measure, ...]:
    """The measure rows below the header; ``statuses`` adds the unit's own status words;
    ``feedback`` (基本信息's feedback date) dates 立行立改 and 6月底前 without a year;
    ``skipped`` receives (row, text) of the rows inside the table that are not measures
    (a 方面 band, a total, a note).

    Read column by column (a big ledger has 10,000 rows of some 20 columns): each mapped column
    is taken out of the rows and converted to text once, blank rows are dropped by their
    content columns, and the values that need parsing (dates, statuses, percentages) go
    through small per-text caches, since a column repeats a few words. tests/parse_reference.py
    keeps the plain row-by-row reading, and a test holds the two equal.
    """
    rows = rows if rows is not None else _filled_rows(grid)
    first = layout.header_row  # rows[first] is the first row below the header
    body = rows[first:]
    if not body:
        return ()
    by_index = _columns(body, {c - 1 for c in (*layout.columns.values(), *layout.extra_columns)})
    values = {key: by_index[c - 1] for key, c in layout.columns.items()}
    seq_followers = _merge_followers(grid, layout.columns.get("seq"))
    if seq_followers:  # a 序号 merged over a problem's rows belongs to its first row only
        seq = values["seq"] = list(values["seq"])
        for r in seq_followers:
            if first < r <= len(rows):
                seq[r - first - 1] = None
    text_of: dict[int, list[str]] = {}  # by id of the values: a shared column converted once
    texts: dict[str, list[str]] = {}
    for key, col in values.items():
        if key in _TEXT_KEYS:
            got = text_of.get(id(col))
            if got is None:
                got = text_of[id(col)] = _texts(col)
            texts[key] = got
    if "seq" in texts and any(v.__class__ is float and not v.is_integer()  # type: ignore[attr-defined]
                              for v in values["seq"]):  # 1.1, 1.2 …: a 1.10 may read 1.1
        texts["seq"] = typed_seqs(values["seq"], texts["seq"])
    content = [texts[k] for k in _CONTENT_KEYS if k in texts]
    order = [k for k in _leftmost_first(layout) if k in texts]  # the columns read as text
    lead_key = order[0]
    if lead_key not in _CONTENT_KEYS:  # 一、政治建设方面 typed in the 序号 column alone: a band
        content.append([t if t and not t.isdigit() else "" for t in texts[lead_key]])
    keep = [i for i, cells in enumerate(zip(*content, strict=True)) if any(cells)] if content else []
    if not keep:
        return ()
    values = {k: v for k, v in values.items() if k in _VALUE_KEYS}
    if len(keep) < len(body):
        values = {k: [v[i] for i in keep] for k, v in values.items()}
        texts = {k: [t[i] for i in keep] for k, t in texts.items()}
    else:
        texts = {k: list(t) for k, t in texts.items()}  # own lists: the edits below stay apart
    bands = _bands(texts, order)
    if bands:  # 一、政治建设方面 across the table, 合计, 注：… — not measures
        if skipped is not None:
            skipped.extend((first + 1 + keep[i], shown) for i, (_band, shown) in bands.items())
        keep, values, texts = _without_bands(bands, keep, values, texts)
        if not keep:
            return ()
    count = len(keep)
    row_numbers = [first + 1 + i for i in keep]
    if layout.split:
        _split_columns(texts, frozenset(layout.split), count)
    if grid.merges is None:  # merge layout unknown: a blank problem cell means "same as above"
        for key in PROBLEM_LEVEL_KEYS:
            column_texts = texts.get(key)
            if column_texts is None:
                continue
            previous = ""
            for j, t in enumerate(column_texts):
                if t:
                    previous = t
                elif previous:
                    column_texts[j] = previous
    blank = [""] * count
    out: dict[str, list[Any]] = {"row": row_numbers}
    for name, key in _TEXT_FIELDS.items():
        out[name] = texts.get(key, blank)
    none = [None] * count
    read_date = _date_reader()
    for name in ("done_date", "start_date", "accept_date"):
        cells = values.get(name, none)
        if cells.count(None) == count:  # no such column, or nothing in it
            out[name], out[f"{name}_raw"] = none, blank
            continue
        read = [(v.date(), "") if v.__class__ is datetime else read_date(v)  # type: ignore[attr-defined]
                for v in cells]
        out[name] = [d for d, _raw in read]
        out[f"{name}_raw"] = [raw for _d, raw in read]
    # "长期 坚持" typed with a space (or a full-width one) is still the token
    deadline_texts = texts.get("deadline", blank)
    ongoing = [t == DEADLINE_ONGOING or (bool(t) and "".join(t.split()) == DEADLINE_ONGOING)
               for t in deadline_texts]
    read = [(None, "") if o or v is None
            else (v.date(), "") if v.__class__ is datetime  # type: ignore[attr-defined]
            else read_date(v) for o, v in zip(ongoing, values.get("deadline", none), strict=True)]
    words = [""] * count  # 2024年6月底前, 持续推进: read by their words (RX311 says how)
    for j, (_d, raw) in enumerate(read):
        if raw and (said := read_deadline_words(raw) or _dated_by_feedback(raw, feedback)):
            read[j], ongoing[j], words[j] = (said[0], ""), said[1], raw
    out["deadline"] = [d for d, _raw in read]
    out["deadline_ongoing"] = ongoing
    out["deadline_raw"] = [raw for _d, raw in read]
    out["deadline_words"] = words
    percent_cache: dict[str, tuple[float | None, str]] = {}

    def percent_of(v: object) -> tuple[float | None, str]:
        if v is None:
            return None, ""
        if v.__class__ is not str:
            return parse_percent(v)
        got = percent_cache.get(v)  # type: ignore[call-overload]
        if got is None:
            got = percent_cache[v] = parse_percent(v)  # type: ignore[index]
        return got

    cells = values.get("percent", none)
    percents: list[float | None]
    if cells.count(None) == count:
        percents = list(none)
        out["percent"], out["percent_raw"] = percents, blank
    else:
        read_percent = list(map(percent_of, cells))
        out["percent"] = percents = [p for p, _raw in read_percent]
        out["percent_raw"] = [raw for _p, raw in read_percent]
    status_texts = out["status_raw"] = texts.get("status", blank)
    if layout.marks:  # the state whose column holds the row's tick; none or two: unknown
        out["status_raw"], out["status"] = _marked_states(layout.marks, by_index, keep)
    elif layout.derived.get("status") == "percent":  # no status column: 100% is 已完成
        out["status"] = [None if p is None else Status.DONE if p >= 1 else Status.IN_PROGRESS
                         for p in percents]
    else:
        status_cache: dict[str, Status | None] = {"": None}

        def status_of(t: str) -> Status | None:
            try:
                return status_cache[t]
            except KeyError:
                got = status_cache[t] = Status.parse(t, statuses)
                return got

        out["status"] = list(map(status_of, status_texts))
    if layout.extra_columns:
        extra = [_texts(by_index[c - 1]) for c in layout.extra_columns]
        out["extra"] = list(zip(*([t[i] for i in keep] for t in extra), strict=True))
    else:
        out["extra"] = [()] * count
    out["outcomes"] = _outcomes(grid, layout, values, texts, row_numbers)
    return _measures(out)


def typed_seq(raw: object, text: str, previous: str) -> str:
    """序号 as it was typed: Excel stores 1.10 typed as a number as 1.1, so after 1.9 a number
    reading 1.1 is 1.10 (after 1.19, 1.2 is 1.20); anything else as read."""
    if raw.__class__ is not float or not previous:
        return text
    k, dot, n = text.partition(".")
    pk, pdot, m = previous.partition(".")
    if not (dot and pdot and k == pk and m.isdigit() and n.isdigit()):
        return text
    following = str(int(m) + 1)
    return f"{k}.{following}" if following != n and following.rstrip("0") == n else text


def typed_seqs(raws: Sequence[object], texts: Sequence[str]) -> list[str]:
    """typed_seq down a 序号 column, each cell after the last one filled."""
    out: list[str] = []
    previous = ""
    for raw, text in zip(raws, texts, strict=True):
        if text:
            text = previous = typed_seq(raw, text, previous)
        out.append(text)
    return out


def _measures(out: Mapping[str, Sequence[Any]]) -> tuple[Measure, ...]:
    """Measure(**row) for every row of these columns (one per field, all given), built field by
    field: each column is set on all the new objects by a C-level map over its slot's setter,
    where Measure() runs a Python __init__ a row. The result is the same (Measure has no
    __post_init__; the test of tests/parse_reference.py compares Measures built by Measure())."""
    columns = [out[name] for name in _MEASURE_FIELDS]
    count = min(map(len, columns))  # as map(Measure, *columns) would (they are all equal)
    made = list(map(object.__new__, repeat(Measure, count)))
    for setter, column in zip(_MEASURE_SETTERS, columns, strict=True):
        deque(map(setter, made, column), maxlen=0)
    return tuple(made)


# Rows inside the table that are not measures: a band naming the 方面 of the rows below it
# (one text across the row, merged or in the first column only), a total, a note.
# A total is 合计 alone or with its figure (合计：5项, 合计5); a note is a label with a colon
# (注：, 说明：, 填报日期：) or a note label alone beside its text (备注 | 本表由办公室汇总). Either
# may stand in any column: the first text of the row, left to right, decides.
_TOTAL_RE = re.compile(r"^(合计|小计|总计|共计|累计)([:：]|\d|$)")
_NOTE_RE = re.compile(r"^(注|说明|备注|填表说明|填报说明)\s*\d*[:：]|^(填报人|填表人|审核人|制表人|"
                      r"联系人|单位负责人|分管领导|主要负责人|联系电话|(填报|制表|报送|统计)(日期|时间))[:：]")
_NOTE_LABELS = frozenset({"注", "备注", "说明", "填表说明", "填报说明"})
_TOTAL_OR_NOTE_STARTS = frozenset("合小总共累注说备填审制联单分主统报")


_HEADING_LIKE_RE = re.compile(r"^[一二三四五六七八九十]+[、.．]|^[（(][一二三四五六七八九十]+[）)]|方面$")


def _row_kind(text: str) -> str:
    squashed = "".join(text.split())
    if _TOTAL_RE.match(squashed):
        return "合计行"
    return "说明行" if _NOTE_RE.match(text) or squashed in _NOTE_LABELS else "分组行（其下各行的方面）"


def _leftmost_first(layout: Layout) -> list[str]:
    """The mapped keys left to right, one per column (a derived key shares its column)."""
    by_column: dict[int, str] = {}
    for k, c in sorted(layout.columns.items(), key=lambda kc: kc[1]):
        by_column.setdefault(c, k)
    return list(by_column.values())


def _is_total_or_note(cells: Sequence[str], measure: str) -> bool:
    """A total or note row, by its first text (cells: the row's texts, left to right)."""
    head = cells[0]
    squashed = "".join(head.split())
    return bool(_TOTAL_RE.match(squashed) or _NOTE_RE.match(head)
                or (not measure and squashed in _NOTE_LABELS))


def _bands(texts: Mapping[str, list[str]], order: Sequence[str]) -> dict[int, tuple[str, str]]:
    """Row index → (the band's text, "" for a total or note row to leave out; the row's text as
    shown). A band candidate is a row whose 整改措施 is empty or repeats its first cell (a band
    merged across the row); a total or a note may have text in any column (合计 | 3条)."""
    measure = texts["measure"]
    columns = [texts[k] for k in order]
    lead = columns[0]
    # alone in the first column: a band if that column is 序号/方面, or it reads like a heading
    lead_is_label = order[0] in ("seq", "aspect")
    out: dict[int, tuple[str, str]] = {}
    for i, (m, first) in enumerate(zip(measure, lead, strict=True)):
        if m and m != first and first and first[0] not in _TOTAL_OR_NOTE_STARTS:
            continue  # the common case, quickly: a measure row with a first cell of its own
        cells = [c[i] for c in columns if c[i]]
        if not cells:
            continue
        if _is_total_or_note(cells, m):
            out[i] = ("", cells[0])
        elif m and m != first:
            continue
        elif len(set(cells)) == 1 and (len(cells) >= 3 or (
                len(cells) == 1 and lead[i] and not lead[i].isdigit()
                and (lead_is_label or _HEADING_LIKE_RE.search(lead[i])))):
            out[i] = (cells[0], cells[0])
    return out


def _without_bands(bands: Mapping[int, tuple[str, str]], keep: list[int],
                   values: dict[str, Sequence[object]], texts: dict[str, list[str]]
                   ) -> tuple[list[int], dict[str, Sequence[object]], dict[str, list[str]]]:
    """The rows that are measures; a band's text becomes the 方面 of the rows below it where
    the row has none of its own."""
    rows: list[int] = []
    aspects: list[str] = []
    current = ""
    for i in range(len(keep)):
        if i in bands:
            current = bands[i][0] or current
            continue
        rows.append(i)
        aspects.append(current)
    values = {k: [v[i] for i in rows] for k, v in values.items()}
    texts = {k: [t[i] for i in rows] for k, t in texts.items()}
    if any(aspects):
        own = texts.get("aspect") or [""] * len(rows)
        texts["aspect"] = [t or a for t, a in zip(own, aspects, strict=True)]
    return [keep[i] for i in rows], values, texts


def _outcomes(grid: Grid, layout: Layout, values: Mapping[str, Sequence[object]],
              texts: Mapping[str, list[str]], row_numbers: list[int]) -> list[tuple[Any, ...]]:
    """An outcome figure merged over a problem's rows was achieved once: count it at its top row."""
    keys = [o.key for o in OUTCOMES if o.key in layout.columns]
    followers = _followers_of(grid, [layout.columns[k] for k in keys])
    present = [(key, followers[layout.columns[key]]) for key in keys]
    if not present:
        return [()] * len(row_numbers)
    return [tuple((key, values[key][j]) for key, followers in present
                  if r not in followers and texts[key][j])
            for j, r in enumerate(row_numbers)]


def _split_columns(texts: dict[str, list[str]], keys: frozenset[str], count: int) -> None:
    """_split_combined on every row of the columns it touches."""
    names: list[str] = [k for k in ("leader", "department", "person") if k in texts or k in keys]
    for j in range(count):
        row: dict[str, str] = {k: texts[k][j] for k in names if k in texts}
        _split_combined(row, keys)
        for k, t in row.items():
            texts.setdefault(k, [""] * count)[j] = t


def _split_combined(texts: dict[str, str], keys: frozenset[str]) -> None:
    """'办公室/张三' in a 部门/负责人 column → department 办公室, person 张三."""
    first, second = (k for k in ("leader", "department", "person") if k in keys)
    value = texts.get(first, "")
    parts = [p.strip() for p in COMBINED_SEPARATORS.split(value, maxsplit=1)]
    if len(parts) == 2 and all(parts):
        texts[first], texts[second] = parts
    else:
        texts[second] = ""


# --- 基本信息 -------------------------------------------------------------------------------------
_INFO_KEYS: dict[str, str] = {
    **{alias: key for alias, (key, _source) in INFO_ALIASES.items()},
    **{header_form(f.label): f.key for f in INFO_FIELDS},
}
_INFO_BY_KEY = {f.key: f for f in INFO_FIELDS}
_LABEL_VALUE_RE = re.compile(r"^([^:：]{2,12})[:：]\s*(.+)$")


def _info_key(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    form = normalize_header(value)
    return _INFO_KEYS.get(form) or guess_info_key(form)  # "period": 巡察时间 (both days)


def _found_info(rows: Sequence[Sequence[object]], found: dict[str, tuple[object, str]]) -> None:
    """Labels wherever they are: value to the right (rows of items), below (a header row of
    items), or in the label's own cell ("统计截止日期：2021年10月31日"). First one found wins."""
    for r, row in enumerate(rows, start=1):
        for c, label in enumerate(row, start=1):
            if not isinstance(label, str) or not label.strip():
                continue
            key = _info_key(label)
            if key is None:
                m = _LABEL_VALUE_RE.match(label.strip())
                key = _info_key(m.group(1)) if m else None
                if key and m and key not in found:
                    found[key] = (m.group(2).strip(), f"{col_letter(c)}{r}")
                continue
            if key in found:
                continue
            right = row[c] if c < len(row) else None
            below = rows[r][c - 1] if r < len(rows) and c - 1 < len(rows[r]) else None
            if right not in (None, "") and _info_key(right) is None:
                found[key] = (right, f"{col_letter(c + 1)}{r}")
            elif below not in (None, "") and _info_key(below) is None:
                found[key] = (below, f"{col_letter(c)}{r + 1}")
            else:
                found[key] = (None, f"{col_letter(c + 1)}{r}")


def parse_info(grid: Grid | None, title_rows: Sequence[Sequence[object]] = ()) -> Info:
    """基本信息 by its labels (the template's and the documented ones), then anything the title
    block above the ledger's header states. Unknown labels are ignored."""
    found: dict[str, tuple[object, str]] = {}
    if grid is not None:
        _found_info(_filled_rows(grid, 200), found)
    if title_rows:
        before = set(found)
        _found_info(title_rows, found)
        title_found = {k: v for k, v in found.items() if k not in before}
        found = {k: v for k, v in found.items() if k in before} | {
            k: v for k, v in title_found.items() if v[0] not in (None, "")}
    values: dict[str, object] = {}
    raw: dict[str, str] = {}
    cells: dict[str, str] = {}
    if (period := found.pop("period", None)) and (days := parse_period(period[0])):
        for key, day in zip(("start", "end"), days, strict=True):
            found.setdefault(key, (day, period[1]))  # an item of its own wins
    for key, (value, ref) in found.items():
        spec = _INFO_BY_KEY[key]
        cells[key] = ref
        if spec.kind == "date":
            parsed = parse_date(value)
            values[key] = parsed.value
            if parsed.raw:
                raw[key] = parsed.raw
        else:
            values[key] = cell_text(value)
    return Info(**values, raw=raw, cells=cells)  # type: ignore[arg-type]


# --- optional sheets: never block reading the ledger ------------------------------------------
def parse_texts(grid: Grid | None) -> tuple[tuple[TextPara, ...], tuple[ReadNote, ...]]:
    """文稿 rows; a header the reader does not recognise is a note (a warning), not a refusal."""
    if grid is None or not grid.rows:
        return (), ()
    r, index = _text_header(grid.rows)
    if index is None:
        expected = "、".join(label for _, label in TEXT_COLUMNS)
        return (), (ReadNote("RX107", grid.name, "A1", 1, {"expected": expected}),)
    paras = []
    for n, row in enumerate(grid.rows[r:], start=r + 1):
        def get(key: str, row: Sequence[object] = row) -> str:
            i = index.get(key)
            return cell_text(row[i]) if i is not None and i < len(row) else ""

        section, lead, body = get("section"), get("lead"), get("body")
        if lead or body:
            paras.append(TextPara(section, lead, body, n))
    return tuple(paras), ()


def _text_header(rows: Sequence[Sequence[object]]) -> tuple[int, dict[str, int] | None]:
    """The 文稿 header row (in the top rows): 部分 plus 正文 (or 内容) and 标题句 (or 标题)."""
    for r, row in enumerate(rows[:10], start=1):
        header = [normalize_header(v) for v in row]
        index: dict[str, int] = {}
        for key, labels in TEXT_HEADERS.items():
            for i, h in enumerate(header):
                if h in labels and key not in index:
                    index[key] = i
        if "section" in index and "body" in index:
            return r, index
    return 0, None


def parse_options(grid: Grid | None) -> tuple[str, ...]:
    """The 方面 list of the 选项 sheet (header 方面 in row 1)."""
    if grid is None or not grid.rows:
        return ()
    header = [normalize_header(v) for v in grid.rows[0]]
    aspect = COLUMN_BY_KEY["aspect"].header
    if aspect not in header:
        return ()
    i = header.index(aspect)
    return tuple(t for row in grid.rows[1:] if i < len(row) and (t := cell_text(row[i])))


def parse_status_words(grid: Grid | None) -> tuple[dict[str, Status], tuple[ReadNote, ...]]:
    """The unit's own status words from 选项 (columns 状态用语 | 视为状态); a row naming no known
    state is a warning at its cell and is not used."""
    if grid is None or not grid.rows:
        return {}, ()
    header = [normalize_header(v) for v in grid.rows[0]]
    if OPTIONS_STATUS_WORD not in header or OPTIONS_STATUS_AS not in header:
        return {}, ()
    w, a = header.index(OPTIONS_STATUS_WORD), header.index(OPTIONS_STATUS_AS)
    words: dict[str, Status] = {}
    notes: list[ReadNote] = []
    allowed = "、".join(s.value for s in Status)
    for r, row in enumerate(grid.rows[1:], start=2):
        word = cell_text(row[w]) if w < len(row) else ""
        target = cell_text(row[a]) if a < len(row) else ""
        if not word:
            continue
        status = Status.parse(target) if target else None
        if status is None:
            notes.append(ReadNote("RX108", grid.name, f"{col_letter(a + 1)}{r}", r,
                                  {"word": word, "value": target or "（空）", "allowed": allowed}))
            continue
        words[status_form(word)] = status
    return words, tuple(notes)


# --- the workbook ------------------------------------------------------------------------------
def sheet_named(grids: Mapping[str, Grid], name: str) -> Grid | None:
    """A sheet by name, accepting stray spaces and full-width forms (" 基本信息 ")."""
    if name in grids:
        return grids[name]
    wanted = normalize_header(name)
    return next((g for n, g in grids.items() if normalize_header(n) == wanted), None)


_OPTIONAL = (SHEETS.INFO, SHEETS.TEXT, SHEETS.OPTIONS, SHEETS.SETTINGS)


def _candidates(grids: Mapping[str, Grid]) -> list[tuple[int, str]]:
    """Sheets whose top rows hold a ledger header, best first: (number of columns found, name)."""
    optional = {normalize_header(n) for n in _OPTIONAL}
    out: list[tuple[int, int, str]] = []
    for order, (name, grid) in enumerate(grids.items()):
        if normalize_header(name) in optional:
            continue
        _row, keys = _scan(grid, _filled_rows(grid, _HEADER_SCAN_ROWS + 1))
        if _qualifies(keys):
            named = normalize_header(name) == SHEETS.LEDGER
            out.append((len(keys) + (100 if named else 0), -order, name))
    return [(score, name) for score, _o, name in sorted(out, reverse=True)]


def _measure_rows(grid: Grid) -> int:
    """How many rows under this sheet's ledger header have a 整改措施 (0 if it has none)."""
    rows = _filled_rows(grid)
    try:
        layout = find_header(grid, rows)
    except InputError:
        return 0
    c = layout.columns["measure"] - 1
    return sum(1 for row in rows[layout.header_row:] if c < len(row) and cell_text(row[c]))


def _continues(other: Grid, layout: Layout, measures: Sequence[Measure]) -> bool:
    """Whether another sheet holds more of this ledger: the same columns, and measures mostly
    not in the sheet read (a ledger kept one sheet per 方面, 附件1/附件2 …). A copy (last month's
    sheet kept beside, most measures the same) or last year's ledger (other columns) is not."""
    try:
        theirs = find_header(other)
    except InputError:
        return False
    if set(theirs.columns) != set(layout.columns):
        return False
    texts = {m.text for m in parse_measures(other, theirs) if m.text}
    return bool(texts) and len(texts & {m.text for m in measures}) * 2 < len(texts)


def find_ledger_grid(grids: Mapping[str, Grid]) -> Grid:
    """The sheet whose header best matches the schema, whatever its name (整改台账, Sheet1 …)."""
    return grids[_choose(grids)[0]]


def _choose(grids: Mapping[str, Grid]) -> tuple[str, tuple[str, ...]]:
    found = _candidates(grids)
    if not found:
        names = "、".join(f"“{n}”" for n in grids) or "（无）"
        raise InputError(f"找不到整改台账（模板中的“{SHEETS.LEDGER}”工作表或内容相同的表）："
                         f"工作簿中的工作表{names}都没有{_looked_for()}")
    return found[0][1], tuple(name for _score, name in found[1:])


def parse_settings(grid: Grid | None) -> tuple[dict[str, str], dict[str, str]]:
    """设置: values by SETTINGS_FIELDS key (labels in column A, values in B) and their cells."""
    if grid is None:
        return {}, {}
    by_label = {f.label: f.key for f in SETTINGS_FIELDS}
    values: dict[str, str] = {}
    cells: dict[str, str] = {}
    for r, row in enumerate(grid.rows, start=1):
        if len(row) < 2:
            continue
        key = by_label.get(cell_text(row[0]).rstrip("：:*＊"))
        if key and key not in values:
            values[key] = cell_text(row[1])
            cells[key] = f"B{r}"
    return values, cells


def parse_contacts(grid: Grid | None) -> list[tuple[str, str, str]]:
    """设置's 联系人 table: (部门, 邮箱, cell of the address) for each row under the header row
    that holds both CONTACT_COLUMNS, down to the first empty row; [] without such a header."""
    if grid is None:
        return []
    dept_name, mail_name = CONTACT_COLUMNS
    rows = list(grid.rows)
    for r, row in enumerate(rows):
        heads = [normalize_header(v) for v in row]
        if dept_name not in heads or mail_name not in heads:
            continue
        d, m = heads.index(dept_name), heads.index(mail_name)
        out: list[tuple[str, str, str]] = []
        for n, below in enumerate(rows[r + 1:], start=r + 2):
            dept = cell_text(below[d]) if d < len(below) else ""
            addr = cell_text(below[m]) if m < len(below) else ""
            if not dept and not addr:
                break
            out.append((dept, addr, f"{col_letter(m + 1)}{n}"))
        return out
    return []


def yes_no_words(grid: Grid, layout: Layout) -> dict[str, Status]:
    """是/否 (√/×) under a 是否完成 header: the header asks whether the measure is done."""
    c = layout.columns.get("status")
    if c is None or layout.derived.get("status"):
        return {}
    row = grid.rows[layout.header_row - 1] if layout.header_row <= len(grid.rows) else ()
    if c > len(row) or not normalize_header(row[c - 1]).startswith("是否"):
        return {}
    return {"是": Status.DONE, "√": Status.DONE, "否": Status.IN_PROGRESS, "×": Status.IN_PROGRESS}


def _dated_by_feedback(raw: str, feedback: date | None) -> tuple[date, bool] | None:
    """完成时限 words that need the feedback date (without it they stay unreadable, RX301):
    立行立改 means "at once", due on that date; 6月底前 without a year is the first such day
    after it."""
    if feedback is None:
        return None
    if "".join(raw.split()) in IMMEDIATE_WORDS:
        return feedback, False
    day = read_yearless_deadline(raw, feedback) or read_relative_deadline(raw, feedback)
    return (day, False) if day else None


def parse_ledger(grids: Mapping[str, Grid]) -> Ledger:
    """Build the Ledger from the sheets of one workbook; raise InputError if it is unusable.

    Only the ledger sheet can make a workbook unusable: 基本信息, 文稿, 选项 and 设置 with an
    unexpected layout become notes (warnings at their cells) and reading goes on.
    """
    name, others = _choose(grids)
    grid = grids[name]
    rows = _filled_rows(grid)
    layout = find_header(grid, rows)
    options = sheet_named(grids, SHEETS.OPTIONS)
    words, option_notes = parse_status_words(options)
    words = {**yes_no_words(grid, layout), **words}
    texts, text_notes = parse_texts(sheet_named(grids, SHEETS.TEXT))
    title_rows = rows[:layout.header_row - layout.header_rows]
    notes = [*option_notes, *text_notes]
    if normalize_header(name) != SHEETS.LEDGER or others:
        notes.append(ReadNote("RX109", name, None, layout.header_row, {
            "others": "、".join(f"“{n}”" for n in others) or "无"}))
    info_grid = sheet_named(grids, SHEETS.INFO)
    info = parse_info(info_grid, title_rows)
    skipped: list[tuple[int, str]] = []  # rows in the table that are not measures
    measures = parse_measures(grid, layout, rows, words, skipped, info.feedback_date)
    for other in others:  # a ledger split over sheets (or last year's, or a copy, kept beside it)
        if count := _measure_rows(grids[other]):
            code = "RX140" if _continues(grids[other], layout, measures) else "RX117"
            notes.append(ReadNote(code, other, None, None, {"count": count, "used": name}))
    notes += [ReadNote("RX116", name, f"{col_letter(min(layout.columns.values()))}{r}", r,
                       {"text": text[:30], "kind": _row_kind(text)}) for r, text in skipped]
    reminder_log: tuple[tuple[object, ...], ...] = ()
    if (remind_grid := sheet_named(grids, SHEETS.REMIND_LOG)) is not None:
        from rectify_xl.core.reminders import read_log  # here: most ledgers have no 催办记录

        reminder_log = tuple(read_log(remind_grid))
    return Ledger(
        info=info,
        info_sheet=info_grid.name if info_grid else name if info.cells else "",
        measures=measures,
        texts=texts,
        layout=layout,
        ledger_sheet=name,
        aspect_options=parse_options(options),
        notes=tuple(notes),
        other_sheets=others,
        reminder_log=reminder_log,
    )
