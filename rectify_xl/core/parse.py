"""Sheet grids → Ledger. Pure: the adapters hand in cell values, this finds the meaning.

Columns are found by header text (and the documented aliases), never by position, so a user
who inserts a column or a title row above the header does not break reading.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from functools import lru_cache

from rectify_xl.core.dates import parse_date
from rectify_xl.core.model import Grid, Info, Layout, Ledger, Measure, TextPara, col_letter
from rectify_xl.core.schedule import parse_percent
from rectify_xl.core.schema import (
    ALIASES,
    COLUMN_BY_KEY,
    COLUMNS,
    DEADLINE_ONGOING,
    INFO_FIELDS,
    LIFE_KEYS,
    OUTCOMES,
    PROBLEM_LEVEL_KEYS,
    ROUND_KEYS,
    SETTINGS_FIELDS,
    SHEETS,
    TEXT_COLUMNS,
    Status,
)
from rectify_xl.errors import InputError

__all__ = ["cell_text", "find_header", "normalize_header", "parse_ledger", "parse_measures"]

_HEADER_SCAN_ROWS = 15
_SPACE_RE = re.compile(r"\s+")
_HINT_RE = re.compile(r"[（(][^）)]*[）)]$")
_BY_HEADER: dict[str, str] = {_HINT_RE.sub("", c.header): c.key for c in COLUMNS}


def normalize_header(text: object) -> str:
    """'完成\\n时限（日期）*' → '完成时限': spaces, line breaks, hints and required marks go."""
    s = _SPACE_RE.sub("", cell_text(text)).strip("*＊")
    return _HINT_RE.sub("", s)


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


def _text(value: object) -> str:
    """cell_text() with the two commonest cells (empty, plain text) first: 13 calls a row."""
    if value is None:
        return ""
    if type(value) is str and "\r" not in value and "\u3000" not in value:
        return value.strip()
    return cell_text(value)


def _header_key(text: object) -> tuple[str | None, bool]:
    """The column key a header names, and whether it came through an alias."""
    if type(text) is str:  # the top rows of every file hold the same few header texts
        return _header_key_text(text)
    return _header_key_of(normalize_header(text))


@lru_cache(maxsize=2048)
def _header_key_text(text: str) -> tuple[str | None, bool]:
    return _header_key_of(normalize_header(text))


def _header_key_of(h: str) -> tuple[str | None, bool]:
    if not h:
        return None, False
    if h in _BY_HEADER:
        return _BY_HEADER[h], False
    if h in ALIASES:
        return ALIASES[h], True
    return None, False


def find_header(grid: Grid) -> Layout:
    """The header row is the first of the top rows that names the most of our columns."""
    best_row, best_hits = 0, 0
    for r, row in enumerate(grid.rows[:_HEADER_SCAN_ROWS], start=1):
        hits = len({k for k, _ in map(_header_key, row) if k})
        if hits > best_hits:
            best_row, best_hits = r, hits
    if best_hits < 2:
        raise InputError(
            f"“{grid.name}”工作表前{_HEADER_SCAN_ROWS}行中找不到表头行"
            f"（应包含“具体问题”“整改措施”等列名）"
        )
    columns: dict[str, int] = {}
    aliased: dict[str, str] = {}
    extra: list[str] = []
    for c, value in enumerate(grid.rows[best_row - 1], start=1):
        key, via_alias = _header_key(value)
        if key and key not in columns:
            columns[key] = c
            if via_alias:
                aliased[key] = cell_text(value)
        elif cell_text(value):
            extra.append(cell_text(value))
    missing = tuple(col.key for col in COLUMNS if col.key not in columns
                    and col.key not in ROUND_KEYS and col.key not in LIFE_KEYS)
    for needed in ("problem", "measure"):
        if needed not in columns:
            header = next(c.header for c in COLUMNS if c.key == needed)
            raise InputError(f"“{grid.name}”工作表第{best_row}行的表头缺少“{header}”列")
    return Layout(best_row, columns, aliased, tuple(extra), missing)


def _filled_rows(grid: Grid) -> list[list[object]]:
    """Rows with merged ranges filled from their top-left cell (Excel keeps the value there only).

    The grid is not changed: a row is copied before a merged value is written into it.
    """
    rows = list(grid.rows)
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


_CONTENT_KEYS = ("aspect", "feedback", "problem", "measure", "leader", "department",
                 "deadline", "status", "progress")


def parse_measures(grid: Grid, layout: Layout) -> tuple[Measure, ...]:
    rows = _filled_rows(grid)
    columns = [(key, c - 1) for key, c in layout.columns.items()]
    content = [k for k in _CONTENT_KEYS if k in layout.columns]
    measures: list[Measure] = []
    previous: dict[str, str] = {}
    seq_followers = _merge_followers(grid, layout.columns.get("seq"))
    # An outcome figure merged over a problem's rows was achieved once: count it at its top row.
    outcome_followers = {o.key: _merge_followers(grid, layout.columns[o.key])
                         for o in OUTCOMES if o.key in layout.columns}
    for r in range(layout.header_row + 1, len(rows) + 1):
        row = rows[r - 1]
        width = len(row)
        values = {key: row[i] if i < width else None for key, i in columns}
        if r in seq_followers:
            values["seq"] = None
        texts = {key: _text(v) for key, v in values.items()}
        if not any(texts[k] for k in content):
            continue
        if grid.merges is None:  # merge layout unknown: a blank problem cell means "same as above"
            for key in PROBLEM_LEVEL_KEYS:
                if not texts.get(key) and previous.get(key):
                    texts[key] = previous[key]
            previous = {k: texts.get(k, "") for k in PROBLEM_LEVEL_KEYS}
        outcomes = tuple((key, values[key]) for key, followers in outcome_followers.items()
                         if r not in followers and texts.get(key))
        measures.append(_measure(r, values, texts, outcomes))
    return tuple(measures)


def _measure(r: int, values: Mapping[str, object], texts: Mapping[str, str],
             outcomes: tuple[tuple[str, object], ...] = ()) -> Measure:
    deadline_text = texts.get("deadline", "")
    # "长期 坚持" typed with a space (or a full-width one) is still the token
    ongoing = "".join(deadline_text.split()) == DEADLINE_ONGOING
    deadline = parse_date(None if ongoing else values.get("deadline"))
    done = parse_date(values.get("done_date"))
    start = parse_date(values.get("start_date"))
    accepted = parse_date(values.get("accept_date"))
    percent, percent_raw = parse_percent(values.get("percent"))
    status_raw = texts.get("status", "")
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
        status=Status.parse(status_raw) if status_raw else None,
        status_raw=status_raw,
        done_date=done.value,
        done_date_raw=done.raw,
        progress=texts.get("progress", ""),
        evidence=texts.get("evidence", ""),
        remark=texts.get("remark", ""),
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
    )


def parse_info(grid: Grid | None) -> Info:
    """基本信息: labels in one column, values in the next. Unknown labels are ignored."""
    if grid is None:
        return Info()
    by_label = {f.label: f for f in INFO_FIELDS}
    values: dict[str, object] = {}
    raw: dict[str, str] = {}
    cells: dict[str, str] = {}
    for r, row in enumerate(_filled_rows(grid), start=1):
        for c, label in enumerate(row[:-1], start=1):
            spec = by_label.get(normalize_header(label))
            if spec is None or spec.key in cells:
                continue
            value = row[c]
            cells[spec.key] = f"{col_letter(c + 1)}{r}"
            if spec.kind == "date":
                parsed = parse_date(value)
                values[spec.key] = parsed.value
                if parsed.raw:
                    raw[spec.key] = parsed.raw
            else:
                values[spec.key] = cell_text(value)
            break
    return Info(**values, raw=raw, cells=cells)  # type: ignore[arg-type]


def parse_texts(grid: Grid | None) -> tuple[TextPara, ...]:
    if grid is None or not grid.rows:
        return ()
    header = [normalize_header(v) for v in grid.rows[0]]
    index = {key: header.index(label) for key, label in TEXT_COLUMNS if label in header}
    if "section" not in index or "body" not in index:
        raise InputError(f"“{SHEETS.TEXT}”工作表第1行应为表头：部分、标题句、正文")
    paras = []
    for r, row in enumerate(grid.rows[1:], start=2):
        def get(key: str, row: Sequence[object] = row) -> str:
            i = index.get(key)
            return cell_text(row[i]) if i is not None and i < len(row) else ""

        section, lead, body = get("section"), get("lead"), get("body")
        if lead or body:
            paras.append(TextPara(section, lead, body, r))
    return tuple(paras)


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


def find_ledger_grid(grids: Mapping[str, Grid]) -> Grid:
    """The 整改清单 sheet, or the only sheet that has a ledger header row."""
    if SHEETS.LEDGER in grids:
        return grids[SHEETS.LEDGER]
    for grid in grids.values():
        try:
            find_header(grid)
        except InputError:
            continue
        return grid
    names = "、".join(grids) or "（无）"
    raise InputError(f"找不到“{SHEETS.LEDGER}”工作表（工作簿中的工作表：{names}）")


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


def parse_ledger(grids: Mapping[str, Grid]) -> Ledger:
    """Build the Ledger from the sheets of one workbook; raise InputError if it is unusable."""
    grid = find_ledger_grid(grids)
    layout = find_header(grid)
    settings, settings_cells = parse_settings(grids.get(SHEETS.SETTINGS))
    return Ledger(
        info=parse_info(grids.get(SHEETS.INFO)),
        measures=parse_measures(grid, layout),
        texts=parse_texts(grids.get(SHEETS.TEXT)),
        layout=layout,
        ledger_sheet=grid.name,
        aspect_options=parse_options(grids.get(SHEETS.OPTIONS)),
        settings=settings,
        settings_cells=settings_cells,
    )
