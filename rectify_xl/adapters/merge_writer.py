"""Write the consolidated workbook of ``merge`` with XlsxWriter: what only this writer does.

Its sheets are described in core.merge_sheets and written by adapters.sheet_xlsxwriter; here
are the 明细 rows (every measure of the round) streamed straight into XlsxWriter's cell store as
each unit file is read, then put in the final unit order, and the package written atomically:
to a temporary name in the target folder, then renamed. Every text is a string cell (never a
live formula, whatever a unit typed), and the workbook options switch off XlsxWriter's string →
formula/URL/number guessing as a second guard.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from rectify_xl.adapters.files import AtomicTarget, ensure_not_locked, os_reason
from rectify_xl.adapters.sheet_xlsxwriter import (
    EXCEL_EPOCH,
    EXCEL_LEAP_BUG,
    ROW_LIMIT,
    SHORT_TEXT,
    Formats,
    add_table,
    cell_store,
    table_header,
    write_sheet,
)
from rectify_xl.core import merge_sheets as sheets
from rectify_xl.core.consolidate import Consolidation, UnitFile, unit_details
from rectify_xl.core.merge_sheets import HeaderDiff, UnitChanges
from rectify_xl.core.schema import COLUMNS, SHEETS
from rectify_xl.errors import OutputError

__all__ = ["ConsolidationWriter", "HeaderDiff", "UnitChanges", "write_consolidation"]


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
        if r + len(details) >= ROW_LIMIT:  # past Excel's last row: XlsxWriter drops the cells
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
                if type(value) is str and len(value) <= SHORT_TEXT:
                    cells[col] = text_cell(string_index(value), None)
                elif type(value) is date and value >= EXCEL_LEAP_BUG:
                    cells[col] = number_cell(value.toordinal() - EXCEL_EPOCH, date_fmt)
                else:  # long text (XlsxWriter truncates it), old dates, other values
                    _write_detail_value(ws, r, col, value, date_fmt)
    _grow(ws, r)
    return r


def _grow(ws: Any, last: int) -> None:
    """The sheet's used range, as write_string would have extended it."""
    ws.dim_rowmax = max(ws.dim_rowmax or 0, last)
    ws.dim_colmax = max(ws.dim_colmax or 0, len(COLUMNS))


def _cell_store(ws: Any) -> tuple[Any, Any, Any, Any] | None:
    """XlsxWriter's cell store (adapters.sheet_xlsxwriter.cell_store) once the header row has
    set the sheet's first column: rows written into it need not extend the used range's left."""
    return cell_store(ws) if ws.dim_colmin == 0 else None


def _write_detail_value(ws: Any, r: int, col: int, value: object, date_fmt: Any) -> None:
    if type(value) is str:
        ws.write_string(r, col, value)
    elif isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        # outcome figures (issue 18)
        ws.write_number(r, col, value)
    elif type(value) is date:
        if value >= EXCEL_LEAP_BUG:
            ws.write_number(r, col, value.toordinal() - EXCEL_EPOCH, date_fmt)
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
        self._fmts = Formats(self._wb)
        self._date = self._fmts(sheets.DETAIL_DATE)
        self._summary = self._wb.add_worksheet(SHEETS.MERGE_SUMMARY)  # first; filled by finish()
        self._detail_spec = spec = sheets.detail_sheet()
        self._detail = write_sheet(self._wb, spec, self._fmts, table=False)
        assert spec.table is not None
        self._first = self._next = spec.table.top  # 0-based: the row below the header
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
        self._next = _write_detail_rows(self._detail, start, (u,), self._date) + 1
        self._blocks[id(u)] = (start, self._next - start, u)

    def _place_detail(self, units: Sequence[UnitFile]) -> int:
        """Rows of the units added early, in the final order; the others are written after."""
        ws, first = self._detail, self._first
        if not self._blocks:  # nothing written early: only public methods from here on
            return _write_detail_rows(ws, first, units, self._date)
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
        return _write_detail_rows(ws, r, late, self._date) if late else r - 1

    def finish(self, c: Consolidation, *, header_diffs: Sequence[HeaderDiff] = (),
               changes: Sequence[UnitChanges] | None = None,
               chase_log: Sequence[Sequence[object]] = ()) -> Path:
        """``chase_log``: the 催报记录 rows of the workbook this one replaces, kept (issue 18)."""
        try:
            self._write_rest(c, header_diffs, changes, chase_log)
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
                    changes: Sequence[UnitChanges] | None,
                    chase_log: Sequence[Sequence[object]]) -> None:
        wb, fmts = self._wb, self._fmts
        write_sheet(wb, sheets.summary_sheet(c), fmts, self._summary)
        last = self._place_detail(c.units)
        write_sheet(wb, sheets.streams_sheet(c), fmts)
        write_sheet(wb, sheets.ranking_sheet(c), fmts)
        assert self._detail_spec.table is not None
        add_table(self._detail, self._detail_spec.table, last + 1, fmts,
                  table_header(self._detail_spec))
        for spec in (sheets.overdue_sheet(c), sheets.roster_sheet(c), sheets.findings_sheet(c),
                     sheets.headers_sheet(header_diffs)):
            write_sheet(wb, spec, fmts)
        if changes is not None:
            write_sheet(wb, sheets.changes_sheet(changes), fmts)
        if chase_log:  # the 催报记录 of the workbook this one replaces, kept (issue 18)
            from rectify_xl.core.chase import chase_log_sheet

            write_sheet(wb, chase_log_sheet(chase_log, ()), fmts)

    def _close(self) -> None:
        wb = self._wb
        wb.close()
        # XlsxWriter's workbook and sheets refer to each other, so their cells (hundreds of
        # thousands) would wait for a garbage-collector pass, e.g. at exit: free them now.
        for ws in wb.worksheets():
            if isinstance(getattr(ws, "table", None), dict):
                ws.table.clear()
