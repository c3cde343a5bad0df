"""Read a workbook file into sheet grids, refusing what is not a safe .xlsx/.xlsm.

Values come from python-calamine (the Rust reader: fast, no entity expansion, merged ranges
included); the core does the rest. The file is opened read-only and never written. Before
calamine builds anything, the package is checked (zip bombs, encryption) and each sheet's real
extent is measured from its XML (adapters.xlsx_extent): calamine allocates the whole rectangle
up to the farthest cell, and one value in XFD1048576 would abort the process.
"""

from __future__ import annotations

import zipfile
from datetime import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rectify_xl.adapters.files import os_reason, path_kind, zip_member_names
from rectify_xl.errors import InputError

if TYPE_CHECKING:  # not imported on the way to calamine: begin_reading starts before them
    from rectify_xl.core.model import Grid, Ledger

__all__ = [
    "PendingGrids",
    "begin_reading",
    "check_package",
    "read_grids",
    "read_ledger",
    "workbook_kind",
    "xls_not_writable",
]

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def workbook_kind(path: Path) -> str:
    """"xlsx" (a zip package: .xlsx/.xlsm) or "xls" (an OLE2 compound file: the old binary
    format, or an encrypted .xlsx) — by the file's content, never its name: a renamed file is
    read as what it is. Anything else is refused with a clear message."""
    name = path.name
    kind = path_kind(path)
    if kind == "missing":
        raise InputError(f"找不到文件：{path}")
    if kind == "dir":
        raise InputError(f"“{name}”是文件夹，不是 Excel 工作簿")
    if kind == "other":  # a pipe or a device: reading it could wait for ever or never end
        raise InputError(f"“{name}”不是普通文件（是管道或设备），不是 Excel 工作簿")
    try:
        with path.open("rb") as f:
            head = f.read(8)
    except OSError as exc:
        raise InputError(f"无法读取“{name}”：{os_reason(exc)}") from exc
    if head == _OLE_MAGIC:
        return "xls"  # the container decides what it holds (adapters.xls_extent)
    if not zipfile.is_zipfile(path):
        raise InputError(f"“{name}”不是 Excel 工作簿（.xlsx/.xlsm/.xls），可能是改了扩展名的其他文件")
    if "xl/workbook.xml" not in zip_member_names(path, f"“{name}”"):
        raise InputError(f"“{name}”不是 Excel 工作簿（压缩包中没有 xl/workbook.xml）")
    return "xlsx"


def check_package(path: Path) -> None:
    """Refuse, with a clear message, anything that is not an unencrypted OOXML workbook: what
    the openpyxl copies (annotated, mailed) need. An .xls is read, never copied or written."""
    if workbook_kind(path) == "xls":
        raise InputError(xls_not_writable(path.name))


def xls_not_writable(name: str, action: str = "这项操作") -> str:
    """The one sentence for an action that would write or copy an .xls (it is only ever read)."""
    return (f"“{name}”是旧版 .xls 格式（或已加密），只能读取，不能用于{action}："
            "请先在 Excel 或 WPS 中另存为 .xlsx（如有密码请先取消）后再试")


def _time_text(v: time) -> str | None:
    # calamine gives a time for a time-only cell, and for 0:00 date-times in some files
    return None if v == time(0) else v.isoformat()


def _rows(sheet: Any) -> list[list[object]]:
    """The sheet's values anchored at A1, converted row by row so that calamine's own list of the
    whole sheet never exists beside ours; repeated texts (statuses, leaders, departments, the
    problem repeated on every measure row) share one string. Together they cut the peak memory
    of a 100,000-measure ledger by a third (benchmarks/big_ledger.py)."""
    if sheet.start is None:  # an empty sheet
        return []
    start_col, end_row = sheet.start[1], sheet.end[0]
    seen: dict[str, str] = {}
    share = seen.setdefault
    # one list comprehension a row (a generator unpacked into a list costs twice as much):
    # texts shared, "" → None, times made text; everything else is kept as calamine gives it
    rows = [[(share(v, v) if v else None) if v.__class__ is str
             else _time_text(v) if v.__class__ is time else v for v in row]
            for row in sheet.iter_rows()]
    if start_col:
        pad: list[object] = [None] * start_col
        rows = [pad + row for row in rows]
    # iter_rows starts at column start_col; whether it starts at row 0 or at start_row differs
    # between calamine versions, so the top is padded to make the last row end_row
    return [[] for _ in range(end_row + 1 - len(rows))] + rows



def _calamine_failed(exc: BaseException) -> bool:
    """An error of calamine's, or a panic inside it: pyo3's PanicException derives from
    BaseException (seen on damaged .xls formulas), and must be one Chinese line too."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


def _open(path: Path, kind: str) -> Any:
    from python_calamine import CalamineWorkbook

    if kind == "xls":  # calamine parses the whole .xls here (a panic's print muted)
        from rectify_xl.adapters.xls_extent import native_stderr_muted

        with native_stderr_muted():
            return _from_file(CalamineWorkbook, path, kind)
    return _from_file(CalamineWorkbook, path, kind)


def _from_file(reader: Any, path: Path, kind: str) -> Any:
    if {".xls": "xls", ".xlsx": "xlsx", ".xlsm": "xlsx"}.get(path.suffix.lower()) == kind:
        return reader.from_path(str(path))
    with path.open("rb") as f:  # renamed: calamine picks its reader by name, so give it content
        return reader.from_filelike(f)


def _xls_rows(sheet: Any) -> list[list[object]]:
    """As _rows; whole numbers come as int from an .xls (RK records), as float from an .xlsx:
    made float so both formats give the same cells (bool, a subclass of int, is kept)."""
    return [[float(v) if v.__class__ is int else v for v in row] for row in _rows(sheet)]


def read_grids(path: str | Path, sheets: set[str] | None = None) -> dict[str, Grid]:
    """All sheets (or the named ones) as grids anchored at A1, with merged ranges."""
    return begin_reading(path, sheets, background=False).grids()


def begin_reading(path: str | Path, sheets: set[str] | None = None, *,
                  background: bool = True) -> PendingGrids:
    """Check the file now, and start calamine's parse of an .xlsx's sheets in a thread: it
    releases the GIL, so a caller that imports its rules meanwhile waits ≈ 35 ms less for a
    10,000-measure ledger (benchmarks/big_ledger.py). ``grids()`` of the result gives what
    read_grids gives, and raises what it raises. An .xls is parsed here, at once."""
    from rectify_xl.adapters.xlsx_extent import check_extents  # lazy: only readers need them

    path = Path(path)
    kind = workbook_kind(path)
    try:
        if kind == "xls":  # measured by the .xls twin of check_extents (lazy: xlsx never needs it)
            from rectify_xl.adapters.xls_extent import check_xls

            check_xls(path)
        else:
            # every sheet, even when only some are read: names must not decide
            check_extents(path, overlap=background)
    except InputError:
        raise
    except Exception as exc:  # zlib.error and the like from a damaged member
        raise InputError(f"“{path.name}”无法读取：文件已损坏或不是有效的 Excel 工作簿") from exc
    try:
        wb = _open(path, kind)
    except BaseException as exc:  # calamine raises its own error types for broken parts
        if not _calamine_failed(exc):
            raise
        raise InputError(f"“{path.name}”无法读取：文件已损坏或不是有效的 Excel 工作簿") from exc
    pending = PendingGrids(path, kind, wb, [n for n in wb.sheet_names if sheets is None or n in sheets])
    if kind == "xls" or not background:
        pending.parse()
    else:
        import threading

        pending.thread = threading.Thread(target=pending.parse, name="rectify-xl-read", daemon=True)
        pending.thread.start()
    return pending


class PendingGrids:
    """A workbook whose sheets calamine is parsing (begin_reading); ``grids()`` waits for it."""

    thread: Any = None

    def __init__(self, path: Path, kind: str, wb: Any, names: list[str]) -> None:
        self.path, self.kind, self.wb, self.names = path, kind, wb, names
        self.sheets: list[Any] = []
        self.failed: tuple[str, BaseException] | None = None

    def parse(self) -> None:
        """calamine's part (no Python object is built); a failure is kept for grids()."""
        name = ""
        try:
            for name in self.names:
                self.sheets.append(self.wb.get_sheet_by_name(name))
        except BaseException as exc:
            self.failed = (name, exc)

    def grids(self) -> dict[str, Grid]:
        from rectify_xl.core.model import Grid

        if self.thread is not None:
            self.thread.join()
        grids: dict[str, Grid] = {}
        name = ""
        try:
            if self.failed is not None:
                name, exc = self.failed
                raise exc
            for name, sheet in zip(self.names, self.sheets, strict=True):
                rows = _rows(sheet) if self.kind == "xlsx" else _xls_rows(sheet)
                merges = tuple(
                    (r1 + 1, c1 + 1, r2 + 1, c2 + 1)
                    for (r1, c1), (r2, c2) in (sheet.merged_cell_ranges or [])
                )
                grids[name] = Grid(name, rows, merges)
        except InputError:
            raise
        except BaseException as exc:  # a broken sheet part: calamine's message is English and terse
            if not _calamine_failed(exc):
                raise
            part = f"工作表“{name}”" if name else "文件"
            raise InputError(f"“{self.path.name}”无法读取：{part}已损坏，"
                             "请在 Excel 或 WPS 中打开后另存一份再试") from exc
        finally:
            self.sheets = []
            self.wb.close()
        return grids


def read_ledger(path: str | Path) -> Ledger:
    """Read and parse one ledger workbook; InputError if it cannot be used."""
    from rectify_xl.core.parse import parse_ledger

    return parse_ledger(read_grids(path))
