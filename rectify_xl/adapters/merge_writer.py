"""Write the consolidated workbook with XlsxWriter, formatted to be printed and forwarded.

Every text is written with write_string (never a live formula, whatever a unit typed), and the
workbook options switch off XlsxWriter's string → formula/URL/number guessing as a second guard.
The file is written to a temporary name in the target folder, then renamed (atomic).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from rectify_xl.adapters.files import AtomicTarget, ensure_not_locked, os_reason
from rectify_xl.core.consolidate import (
    Consolidation,
    Rag,
    UnitFile,
    UnitRow,
    ranking,
    stream_total,
    summary_columns,
    unit_details,
)
from rectify_xl.core.diff import LedgerDiff
from rectify_xl.core.schema import (
    COLUMNS,
    MERGE_CHANGES_COLUMNS,
    MERGE_FINDINGS_COLUMNS,
    MERGE_HEADERS_COLUMNS,
    MERGE_OVERDUE_COLUMNS,
    MERGE_RANKING_COLUMNS,
    MERGE_ROSTER_COLUMNS,
    MERGE_STREAM_COLUMNS,
    MERGE_SUMMARY_COLUMNS,
    MERGE_TOTAL,
    MERGE_UNIT,
    OUTCOME_BY_KEY,
    SHEETS,
    Stream,
)
from rectify_xl.errors import OutputError

__all__ = ["ConsolidationWriter", "HeaderDiff", "UnitChanges", "write_consolidation"]

HeaderDiff = tuple[str, str, Sequence[str], Sequence[str], Sequence[str]]  # source, unit, lacks…
# A unit of the 变化 sheet: its diff since the previous round, or a note (e.g. not in that round).
UnitChanges = tuple[str, LedgerDiff | str]
_FONT = "宋体"
_FILLS = {Rag.RED: "#FFC7CE", Rag.AMBER: "#FFEB9C", Rag.GREEN: "#C6EFCE"}
_BARS = {Rag.RED: "#C0504D", Rag.AMBER: "#F2B134", Rag.GREEN: "#6AA84F"}
_RATE_KEYS = {"completion_rate", "on_time_rate"}
_WIDTHS = {"unit": 22, "as_of": 12, "source": 30, "sha256": 36, "completion_rate": 9,
           "on_time_rate": 10}
_CHART_MAX_UNITS = 60  # a longer bar chart cannot be read on one page


class _Formats:
    def __init__(self, wb: Any) -> None:
        base = {"font_name": _FONT, "font_size": 10, "valign": "vcenter", "border": 1}
        self.title = wb.add_format({"font_name": _FONT, "font_size": 16, "bold": True,
                                    "align": "center", "valign": "vcenter"})
        self.note = wb.add_format({"font_name": _FONT, "font_size": 10, "italic": True})
        self.header = wb.add_format({**base, "bold": True, "bg_color": "#D9E1F2",
                                     "align": "center", "text_wrap": True})
        self.text = wb.add_format({**base, "text_wrap": True})
        self.int = wb.add_format({**base, "num_format": "0"})
        self.num = wb.add_format(base)  # amounts (万元): General shows 1369.5 and 12 as typed
        self.rate = wb.add_format({**base, "num_format": "0.0%"})
        self.rate2 = wb.add_format({**base, "num_format": "0.00%"})
        self.total_rate2 = wb.add_format({**base, "bold": True, "top": 2, "num_format": "0.00%"})
        self.date = wb.add_format({**base, "num_format": "yyyy-mm-dd", "align": "center"})
        self.plain_date = wb.add_format({"font_name": _FONT, "font_size": 10, "border": 1,
                                         "num_format": "yyyy-mm-dd"})
        self.cell = wb.add_format({"font_name": _FONT, "font_size": 10, "border": 1})  # 明细 columns
        self.fill = {rag: {
            "text": wb.add_format({**base, "bg_color": color, "text_wrap": True}),
            "int": wb.add_format({**base, "bg_color": color, "num_format": "0"}),
            "num": wb.add_format({**base, "bg_color": color}),
            "rate": wb.add_format({**base, "bg_color": color, "num_format": "0.0%"}),
            "date": wb.add_format({**base, "bg_color": color, "num_format": "yyyy-mm-dd",
                                   "align": "center"}),
            # a 64-digit hash: small and unwrapped, so rows keep one line when printed
            "hash": wb.add_format({**base, "bg_color": color, "font_size": 6}),
        } for rag, color in _FILLS.items()}
        self.total = {kind: wb.add_format({**base, "bold": True, "top": 2, **extra}) for kind, extra in {
            "text": {}, "int": {"num_format": "0"}, "num": {}, "rate": {"num_format": "0.0%"},
            "date": {"num_format": "yyyy-mm-dd"}, "hash": {}}.items()}


def _write(ws: Any, row: int, col: int, value: object, fmt: Any, fmts: _Formats) -> None:
    """One cell, typed: text is always a string cell (untrusted content is never a formula)."""
    if type(value) is str and value:
        ws.write_string(row, col, value, fmt)
    elif value is None or value == "":
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_string(row, col, "是" if value else "否", fmt)
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, fmt)
    elif isinstance(value, datetime | date):
        value = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
        ws.write_datetime(row, col, value, fmts.date if fmt is fmts.text else fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def _setup(ws: Any, headers: Sequence[str], widths: Sequence[float], fmts: _Formats,
           title: str | None = None) -> int:
    """Title, header row, print setup; returns the first data row (0-based)."""
    top = 0
    if title:
        ws.merge_range(0, 0, 0, len(headers) - 1, title, fmts.title)
        ws.set_row(0, 28)
        top = 1
    for c, (header, width) in enumerate(zip(headers, widths, strict=True)):
        ws.write_string(top, c, header, fmts.header)
        ws.set_column(c, c, width)
    ws.freeze_panes(top + 1, 1)
    ws.repeat_rows(top)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&C第 &P 页，共 &N 页")
    return top + 1


def _kind(key: str) -> str:
    if key in _RATE_KEYS:
        return "rate"
    if key == "as_of":
        return "date"
    if key == "sha256":
        return "hash"
    if key in OUTCOME_BY_KEY and not OUTCOME_BY_KEY[key].integer:
        return "num"
    return "text" if key in ("unit", "source") else "int"


def _summary_sheet(wb: Any, ws: Any, fmts: _Formats, c: Consolidation) -> None:
    columns = summary_columns(c)  # the outcome figures some unit gave, after 按期完成率
    headers = [h for _, h in columns]
    widths = [_WIDTHS.get(k, 8) for k, _ in columns]
    as_of = f"（截至{c.as_of.year}年{c.as_of.month}月{c.as_of.day}日）" if c.as_of else ""
    first = _setup(ws, headers, widths, fmts, f"巡察整改进展汇总表{as_of}")
    for r, row in enumerate(c.rows, start=first):
        fill = fmts.fill[row.rag]
        for col, (key, _) in enumerate(columns):
            _write(ws, r, col, row.value(key), fill[_kind(key)], fmts)
    total_row = first + len(c.rows)
    for col, (key, _) in enumerate(columns):
        _write(ws, total_row, col, c.total.value(key), fmts.total[_kind(key)], fmts)
    ws.write_string(total_row + 1, 0, "说明：红色为有逾期措施的单位，黄色为有临期措施的单位，"
                    "绿色为无逾期、临期措施的单位；按逾期项数、完成率由差到好排序。", fmts.note)
    if c.rows:  # below the table: the sheet prints one page wide
        rate_col = [k for k, _ in columns].index("completion_rate")
        _chart(wb, ws, SHEETS.MERGE_SUMMARY, c.rows, first, rate_col, total_row + 3)


def _chart(wb: Any, ws: Any, sheet: str, rows: Sequence[UnitRow], first: int, rate_col: int,
           at_row: int, *, name: str = dict(MERGE_SUMMARY_COLUMNS)["completion_rate"],
           unit_col: int = 0) -> None:
    """A bar per unit of the completion rates in ``rate_col``, coloured by the unit's RAG."""
    n = min(len(rows), _CHART_MAX_UNITS)
    chart = wb.add_chart({"type": "bar"})
    chart.add_series({
        "name": name,
        "categories": [sheet, first, unit_col, first + n - 1, unit_col],
        "values": [sheet, first, rate_col, first + n - 1, rate_col],
        "points": [{"fill": {"color": _BARS[r.rag]}} for r in rows[:n]],
        "data_labels": {"value": True, "num_format": "0%"},
    })
    more = f"（前{n}个单位）" if len(rows) > n else ""
    chart.set_title({"name": f"各单位{name}{more}", "name_font": {"name": _FONT, "size": 12}})
    chart.set_x_axis({"min": 0, "max": 1, "num_format": "0%", "major_gridlines": {"visible": True}})
    chart.set_y_axis({"reverse": True, "num_font": {"name": _FONT, "size": 9}})
    chart.set_legend({"none": True})
    chart.set_size({"width": 720, "height": max(260, 22 * n + 90)})
    ws.insert_chart(at_row, 0, chart)


def _ranking_sheet(wb: Any, fmts: _Formats, c: Consolidation) -> None:
    """排名: units best first (core.consolidate.ranking), with the summary sheet's bar chart."""
    ws = wb.add_worksheet(SHEETS.MERGE_RANKING)
    keys = [k for k, _ in MERGE_RANKING_COLUMNS]
    as_of = f"（截至{c.as_of.year}年{c.as_of.month}月{c.as_of.day}日）" if c.as_of else ""
    first = _setup(ws, [h for _, h in MERGE_RANKING_COLUMNS], [6, 22, 12, 10, 8, 8, 12, 10, 10],
                   fmts, f"各单位整改情况排名{as_of}")
    rows = ranking(c.rows)
    for r, values in enumerate(rows, start=first):
        fill = fmts.fill[values["_row"].rag]  # type: ignore[attr-defined]
        for col, key in enumerate(keys):
            kind = "text" if key == "unit" else "rate" if key.endswith("rate") else "int"
            _write(ws, r, col, values[key], fill[kind], fmts)
    note = first + len(rows)
    ws.write_string(note, 0, "说明：按问题整改完成率（已整改÷反馈问题数）由高到低排列，相同时逾期少、"
                    "序时进度滞后少、措施完成率高的在前；颜色同“汇总”表。", fmts.note)
    if rows:
        _chart(wb, ws, SHEETS.MERGE_RANKING, [v["_row"] for v in rows],  # type: ignore[misc]
               first, keys.index("problem_rate"), note + 2,
               name=dict(MERGE_RANKING_COLUMNS)["problem_rate"], unit_col=keys.index("unit"))


def _streams_sheet(wb: Any, fmts: _Formats, c: Consolidation) -> None:
    """分类统计: each unit's problems per 类别 (反馈问题 always), then a 合计 row per stream."""
    ws = wb.add_worksheet(SHEETS.MERGE_STREAMS)
    keys = [k for k, _ in MERGE_STREAM_COLUMNS]
    first = _setup(ws, [h for _, h in MERGE_STREAM_COLUMNS], [22, 10, 8, 8, 8, 8, 9, 10, 10],
                   fmts, "各单位分类整改情况（问题数按具体问题统计，完成率＝已整改÷问题数）")
    r = first

    def put(unit: str, row: Any, fmt: dict[str, Any]) -> None:
        values = {"unit": unit, **row.to_dict()}
        for col, key in enumerate(keys):
            kind = "text" if key in ("unit", "stream") else "rate" if key == "completion_rate" \
                else "int"
            _write(ws, r, col, values[key], fmt[kind], fmts)

    # two decimals, as the round 通报 states the rates ("98.71%")
    plain = {"text": fmts.text, "int": fmts.int, "rate": fmts.rate2}
    total_fmts = {**fmts.total, "rate": fmts.total_rate2}
    for unit_row in c.rows:
        for stream in Stream:
            row = unit_row.stream(stream)
            if row.problems or stream is Stream.FEEDBACK:
                put(unit_row.unit, row, plain)
                r += 1
    for stream in Stream:
        total = stream_total(c.rows, stream)
        if total.problems or stream is Stream.FEEDBACK:
            put(MERGE_TOTAL, total, total_fmts)
            r += 1


def _plain_sheet(wb: Any, fmts: _Formats, name: str, headers: Sequence[str],
                 widths: Sequence[float], rows: Iterable[Sequence[object]],
                 empty: str = "（无）") -> Any:
    ws = wb.add_worksheet(name)
    first = _setup(ws, headers, widths, fmts)
    count = 0
    store = _cell_store(ws)
    if store is None:
        for count, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                _write(ws, first + count - 1, col, value, fmts.text, fmts)
    else:  # the same cells as _write() gives, straight into the store (see _write_detail_rows)
        table, string_index, text_cell, number_cell = store
        text, day = fmts.text, fmts.date
        last, widest = first - 1, 0
        for count, row in enumerate(rows, start=1):
            r = first + count - 1
            if r >= _ROW_LIMIT:  # past Excel's last row: XlsxWriter drops the cells
                for col, value in enumerate(row):
                    _write(ws, r, col, value, text, fmts)
                continue
            cells, last, widest = table[r], r, max(widest, len(row))
            for col, value in enumerate(row):
                if type(value) is str and value and len(value) <= _SHORT_TEXT:
                    cells[col] = text_cell(string_index(value), text)
                elif type(value) is int:
                    cells[col] = number_cell(value, text)
                elif type(value) is date and value >= _EXCEL_LEAP_BUG:
                    cells[col] = number_cell(value.toordinal() - _EXCEL_EPOCH, day)
                else:
                    _write(ws, r, col, value, text, fmts)
        ws.dim_rowmax = max(ws.dim_rowmax or 0, last)
        ws.dim_colmax = max(ws.dim_colmax or 0, widest - 1)
    if not count:
        ws.write_string(first, 0, empty, fmts.text)
    ws.autofilter(first - 1, 0, first + max(count, 1) - 1, len(headers) - 1)
    return ws


_EXCEL_EPOCH = date(1899, 12, 30).toordinal()
_EXCEL_LEAP_BUG = date(1900, 3, 1)  # before it, Excel's serials count a 29 Feb 1900


def _write_detail_rows(ws: Any, first: int, units: Iterable[UnitFile], date_fmt: Any) -> int:
    """The bulk of the workbook (every measure): no cell formats, empty cells skipped (speed).

    A date is written as its Excel serial number with a date format: the same cell as
    write_datetime gives, without its per-cell conversion. Cells go straight into XlsxWriter's
    cell store (what write_string/write_number do, minus their per-cell argument checks, which
    cost as much as the rest of the merge's writing); a test keeps the result equal to the
    public methods', which are used when this XlsxWriter's store is not the one expected.
    """
    store = _cell_store(ws)
    if store is None:
        return _write_detail_rows_checked(ws, first, units, date_fmt)
    table, string_index, text_cell, number_cell = store
    r = first - 1
    pending = iter(units)
    for u in pending:
        details = tuple(unit_details(u))
        if r + len(details) >= _ROW_LIMIT:  # past Excel's last row: XlsxWriter drops the cells
            _grow(ws, r)
            return _write_detail_rows_checked(ws, r + 1, itertools.chain((u,), pending), date_fmt)
        unit = u.unit
        for values in details:
            r += 1
            cells = table[r]
            cells[0] = text_cell(string_index(unit), None)
            for col, value in enumerate(values, start=1):
                if value is None or value == "":
                    continue
                if type(value) is str and len(value) <= _SHORT_TEXT:
                    cells[col] = text_cell(string_index(value), None)
                elif type(value) is date and value >= _EXCEL_LEAP_BUG:
                    cells[col] = number_cell(value.toordinal() - _EXCEL_EPOCH, date_fmt)
                else:  # long text (XlsxWriter truncates it), old dates, other values
                    _write_detail_value(ws, r, col, value, date_fmt)
    _grow(ws, r)
    return r


def _grow(ws: Any, last: int) -> None:
    """The sheet's used range, as write_string would have extended it."""
    ws.dim_rowmax = max(ws.dim_rowmax or 0, last)
    ws.dim_colmax = max(ws.dim_colmax or 0, len(COLUMNS))


_ROW_LIMIT = 1_048_576  # Excel's rows
_SHORT_TEXT = 16_383  # shorter texts never reach Excel's 32,767 UTF-16 units


def _cell_store(ws: Any) -> tuple[Any, Any, Any, Any] | None:
    try:
        from xlsxwriter.worksheet import CellNumberTuple, CellStringTuple

        table, string_index = ws.table, ws.str_table._get_shared_string_index
    except (ImportError, AttributeError):
        return None
    if ws.constant_memory or not isinstance(table, dict) or ws.dim_colmin != 0:
        return None
    # The cells write_string / write_number store, told apart by class name when written:
    # another layout means another XlsxWriter.
    if (CellStringTuple.__name__, CellStringTuple._fields) != ("String", ("string", "format")) or (
            CellNumberTuple.__name__, CellNumberTuple._fields) != ("Number", ("number", "format")):
        return None
    return table, string_index, CellStringTuple, CellNumberTuple


def _write_detail_value(ws: Any, r: int, col: int, value: object, date_fmt: Any) -> None:
    if type(value) is str:
        ws.write_string(r, col, value)
    elif isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        # outcome figures (issue 18)
        ws.write_number(r, col, value)
    elif type(value) is date:
        if value >= _EXCEL_LEAP_BUG:
            ws.write_number(r, col, value.toordinal() - _EXCEL_EPOCH, date_fmt)
        else:
            ws.write_datetime(r, col, datetime.combine(value, time()), date_fmt)
    else:
        ws.write_string(r, col, str(value))


def _write_detail_rows_checked(ws: Any, first: int, units: Iterable[UnitFile], date_fmt: Any
                               ) -> int:
    """The same cells through XlsxWriter's public methods."""
    write_string = ws.write_string
    r = first - 1
    for u in units:
        unit = u.unit
        for values in unit_details(u):
            r += 1
            write_string(r, 0, unit)
            for col, value in enumerate(values, start=1):
                if value is None or value == "":
                    continue
                _write_detail_value(ws, r, col, value, date_fmt)
    return r


def _overdue_rows(c: Consolidation) -> Iterable[list[object]]:
    for unit, source, i in c.overdue():
        yield [unit, i.seq, i.aspect, i.problem, i.measure, i.leader, i.department,
               i.deadline, i.days, i.status, source]


def _change_rows(diffs: Sequence[UnitChanges]) -> Iterable[list[object]]:
    for unit, d in diffs:
        if isinstance(d, str):
            yield [unit, d, None, "", "", ""]
            continue
        if d.is_empty:
            yield [unit, "无变化", None, "", "", ""]
            continue
        for ch in d.changes:
            m = ch.measure
            yield [unit, "、".join(k.value for k in ch.kinds), m.row, m.problem, m.text,
                   ch.details()]


def _values_sheet(wb: Any, name: str, rows: Sequence[Sequence[object]]) -> None:
    """A sheet carried over as values (the 催报记录 log the chase keeps): strings stay strings."""
    from rectify_xl.core.chase import CHASE_LOG_WIDTHS

    ws = wb.add_worksheet(name)
    for c, width in enumerate(CHASE_LOG_WIDTHS):
        ws.set_column(c, c, width)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str):
                ws.write_string(r, c, value)
            elif isinstance(value, int | float) and not isinstance(value, bool) \
                    and math.isfinite(value):
                ws.write_number(r, c, value)
            elif value is not None:
                ws.write_string(r, c, str(value))
    ws.freeze_panes(1, 0)


def _write_error(path: Path, exc: OSError) -> OutputError:
    if isinstance(exc, PermissionError):
        return OutputError(f"无法写入“{path.name}”：没有写入权限，或文件正被其他程序打开")
    return OutputError(f"无法写入“{path.name}”：{os_reason(exc)}")


def write_consolidation(path: Path, c: Consolidation, *, header_diffs: Sequence[HeaderDiff] = (),
                        changes: Sequence[UnitChanges] | None = None) -> Path:
    """Write all sheets to ``path`` atomically; refuse when the file is open in Excel/WPS."""
    with ConsolidationWriter(path) as book:
        return book.finish(c, header_diffs=header_diffs, changes=changes)


class ConsolidationWriter:
    """The consolidated workbook, written in two steps so the merge can overlap it with reading.

    ``add_detail(u)`` writes a unit file's 明细 rows as soon as the file has been read (the bulk
    of the cells), below the rows written so far; ``finish(c)`` moves each unit's block of rows
    to its place in the final unit order (worst first; superseded files' rows dropped), writes
    every other sheet and renames the temporary file onto ``path``. The workbook's cells are
    the same as when all rows are written in order at the end. Use as a context manager: the
    temporary file is removed when ``finish`` is not reached.
    """

    def __init__(self, path: Path) -> None:
        import xlsxwriter  # lazy: only merge writes with XlsxWriter

        self.path = path = Path(path)
        ensure_not_locked(path)  # before the folder checks: an open file is the likelier cause
        if path.is_dir():
            raise OutputError(f"“{path}”是文件夹，请给出汇总表的文件名（如 汇总.xlsx）")
        if path.suffix.lower() != ".xlsx":  # Excel refuses an .xlsx package under another name
            raise OutputError(f"汇总表“{path.name}”须以 .xlsx 为扩展名，例如“汇总.xlsx”")
        self._target = AtomicTarget(path)  # the lock, folder and permission checks live there
        self._wb = xlsxwriter.Workbook(str(self._target.tmp), {
            "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
        })
        self._fmts = _Formats(self._wb)
        self._summary = self._wb.add_worksheet(SHEETS.MERGE_SUMMARY)  # filled by finish()
        self._detail = self._wb.add_worksheet(SHEETS.MERGE_DETAIL)
        headers = [MERGE_UNIT, *(col.header for col in COLUMNS)]
        widths = [_WIDTHS["unit"], *(col.width for col in COLUMNS)]
        self._first = self._next = _setup(self._detail, headers, widths, self._fmts)
        for c, width in enumerate(widths):  # rules for the unformatted 明细 cells (they print in
            self._detail.set_column(c, c, width, self._fmts.cell)  # LibreOffice, unlike table styles)
        self._blocks: dict[int, tuple[int, int, UnitFile]] = {}  # id → first row, rows, file

    def __enter__(self) -> ConsolidationWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self._target.__exit__(*exc)

    def add_detail(self, u: UnitFile) -> None:
        """Write the 明细 rows of one unit file now (in arrival order; placed by finish()).

        Placing rows later re-keys XlsxWriter's cell store: without the store this code knows
        (``_cell_store``), nothing is written early and finish() writes every row in order.
        """
        if _cell_store(self._detail) is None:
            return
        start = self._next
        self._next = _write_detail_rows(self._detail, start, (u,), self._fmts.plain_date) + 1
        self._blocks[id(u)] = (start, self._next - start, u)

    def _place_detail(self, units: Sequence[UnitFile]) -> int:
        """Rows of the units added early, in the final order; the others are written after."""
        ws, first = self._detail, self._first
        if not self._blocks:  # nothing written early: only public methods from here on
            return _write_detail_rows(ws, first, units, self._fmts.plain_date)
        table = ws.table  # XlsxWriter's cell store: row → {col: cell}, rows in any order
        moved: dict[int, dict[int, Any]] = {}
        r = first
        for u in units:
            block = self._blocks.get(id(u))
            if block is None:
                continue
            start, count, _ = block
            for i in range(start, start + count):
                moved[r] = table.pop(i, {})
                r += 1
        for i in [i for i in table if i >= first]:  # files that were superseded or not chosen
            del table[i]
        table.update(moved)
        ws.dim_rowmax = r - 1 if r > first else first - 1
        late = [u for u in units if id(u) not in self._blocks]
        return _write_detail_rows(ws, r, late, self._fmts.plain_date) if late else r - 1

    def finish(self, c: Consolidation, *, header_diffs: Sequence[HeaderDiff] = (),
               changes: Sequence[UnitChanges] | None = None,
               chase_log: Sequence[Sequence[object]] = ()) -> Path:
        """``chase_log``: the 催报记录 rows of the workbook this one replaces, kept (issue 18)."""
        try:
            self._write_rest(c, header_diffs, changes)
            if chase_log:
                _values_sheet(self._wb, SHEETS.CHASE_LOG, chase_log)
            self._close()
        except OSError as exc:
            raise _write_error(self.path, exc) from exc
        except Exception as exc:  # XlsxWriter's close() wraps the OSError in FileCreateError
            cause = exc.args[0] if exc.args else None
            if not isinstance(cause, OSError):
                raise
            raise _write_error(self.path, cause) from exc
        return self._target.commit()

    def _write_rest(self, c: Consolidation, header_diffs: Sequence[HeaderDiff],
                    changes: Sequence[UnitChanges] | None) -> None:
        wb, fmts, first = self._wb, self._fmts, self._first
        _summary_sheet(wb, self._summary, fmts, c)
        last = self._place_detail(c.units)
        _streams_sheet(wb, fmts, c)
        _ranking_sheet(wb, fmts, c)
        # An Excel table gives staff filters and banding; header cells were written above.
        self._detail.add_table(first - 1, 0, max(last, first), len(COLUMNS), {
            "name": "明细表", "style": "Table Style Light 9", "autofilter": True,
            "columns": [{"header": h} for h in (MERGE_UNIT, *(col.header for col in COLUMNS))],
        })
        _plain_sheet(wb, fmts, SHEETS.MERGE_OVERDUE, MERGE_OVERDUE_COLUMNS,
                     [18, 6, 16, 30, 30, 10, 12, 11, 8, 10, 24], _overdue_rows(c), "（无逾期措施）")
        roster = ([e.unit, e.state.value, e.as_of, e.source, e.note] for e in c.roster)
        _plain_sheet(wb, fmts, SHEETS.MERGE_ROSTER, MERGE_ROSTER_COLUMNS, [22, 16, 12, 30, 40],
                     roster, "（全部单位均已按时报送）")
        findings = ([unit, source, f.severity.label, f.code, f.location, f.message]
                    for unit, source, f in c.findings())
        _plain_sheet(wb, fmts, SHEETS.MERGE_FINDINGS, MERGE_FINDINGS_COLUMNS,
                     [20, 28, 6, 8, 14, 60], findings, "（未发现问题）")
        heads = ([src, unit, "、".join(lacks), "、".join(extra), "、".join(aliased)]
                 for src, unit, lacks, extra, aliased in header_diffs)
        _plain_sheet(wb, fmts, SHEETS.MERGE_HEADERS, MERGE_HEADERS_COLUMNS, [30, 20, 30, 30, 40],
                     heads, "（各文件表头均与模板一致）")
        if changes is not None:
            _plain_sheet(wb, fmts, SHEETS.MERGE_CHANGES, MERGE_CHANGES_COLUMNS,
                         [20, 16, 6, 30, 30, 50], _change_rows(changes), "（无变化）")

    def _close(self) -> None:
        wb = self._wb
        wb.close()
        # XlsxWriter's workbook and sheets refer to each other, so their cells (hundreds of
        # thousands) would wait for a garbage-collector pass, e.g. at exit: free them now.
        for ws in wb.worksheets():
            if isinstance(getattr(ws, "table", None), dict):
                ws.table.clear()
