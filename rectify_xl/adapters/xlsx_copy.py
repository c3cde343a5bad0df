"""Copies of a ledger workbook written with openpyxl: macro-free for mail, annotated for download.

The user's file is only read. A copy keeps every value (formulas are frozen to the values Excel
last calculated, when it did), drops the VBA project, the buttons and the xlwings.conf sheet,
and keeps the 设置 sheet without any credential. The sheets added to a copy are described in
core.output_sheets and written by adapters.sheet_file (the same descriptions the buttons write).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rectify_xl.adapters.files import write_bytes_atomic
from rectify_xl.adapters.sheet_file import apply_writes
from rectify_xl.core.schema import SHEETS
from rectify_xl.errors import InputError, OutputError

if TYPE_CHECKING:
    from openpyxl import Workbook

    from rectify_xl.core.model import Grid
    from rectify_xl.core.sheet_spec import SheetWrites

__all__ = [
    "annotated_copy",
    "drop_macro_parts",
    "freeze_formulas",
    "load_copy",
    "macro_free_copy",
    "save_atomic",
    "save_bytes",
    "scrub_settings",
    "workbook_bytes",
]


def load_copy(path: str | Path, grids: dict[str, Grid] | None = None) -> Workbook:
    """The workbook in memory, macro-free, formulas replaced by their cached values."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    from rectify_xl.adapters.xlsx_extent import check_copy_size
    from rectify_xl.adapters.xlsx_reader import check_package, read_grids

    path = Path(path)
    check_package(path)
    if grids is None:  # first: the bounded reader refuses what openpyxl would choke on
        grids = read_grids(path)
    try:
        check_copy_size(path)  # then what only openpyxl would build: formatting-only cells
    except InputError:
        raise
    except Exception as exc:  # a damaged member (zlib.error …) the reader did not need
        raise InputError(f"“{path.name}”无法打开：其中有部件已损坏，"
                         "请在 Excel 或 WPS 中打开后另存一份再试") from exc
    try:
        # keep_vba=False drops vbaProject.bin and the form buttons; keep_links=False the
        # external-link parts (paths on the sender's disk mean nothing to a superior).
        wb = load_workbook(path, keep_vba=False, keep_links=False, rich_text=False)
    except (InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise InputError(f"“{path.name}”无法打开：文件已损坏或不是有效的 Excel 工作簿") from exc
    except Exception as exc:  # lxml/etree syntax errors, zlib.error, odd parts: openpyxl's own
        raise InputError(f"“{path.name}”无法打开：其中有部件已损坏，"
                         "请在 Excel 或 WPS 中打开后另存一份再试") from exc
    freeze_formulas(wb, grids)
    return wb


def _set(cell: Any, value: object) -> None:
    """Assign a value; text that looks like a formula stays text (CWE-1236)."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def freeze_formulas(wb: Workbook, grids: dict[str, Grid]) -> None:
    """Formula cells take the value Excel/WPS cached; a formula never calculated stays a formula."""
    for ws in wb.worksheets:
        grid = grids.get(ws.title)
        if grid is None:
            continue
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                r, c = cell.row - 1, cell.column - 1
                cached = grid.rows[r][c] if r < len(grid.rows) and c < len(grid.rows[r]) else None
                if cached is not None:
                    _set(cell, cached)


def drop_macro_parts(wb: Workbook) -> None:
    """Remove the xlwings.conf sheet (interpreter paths, licence keys) and names pointing there."""
    name = SHEETS.XLWINGS_CONF
    if name in wb.sheetnames:
        wb.remove(wb[name])
    for defined in list(wb.defined_names):
        if name in str(wb.defined_names[defined].attr_text):
            del wb.defined_names[defined]


def scrub_settings(wb: Workbook) -> int:
    """Blank every 设置 row whose label names a credential (密码, 授权码, token...); count them."""
    from rectify_xl.adapters.settings import is_sensitive_label

    if SHEETS.SETTINGS not in wb.sheetnames:
        return 0
    ws = wb[SHEETS.SETTINGS]
    cleared = 0
    for row in ws.iter_rows():
        if row and is_sensitive_label(row[0].value):
            for cell in row[1:]:
                if cell.value is not None and type(cell).__name__ != "MergedCell":
                    cell.value = None
                    cleared += 1
    return cleared


def workbook_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def save_atomic(wb: Workbook, path: str | Path) -> Path:
    """Save to a temp file in the same folder, then rename over the target; never half a file."""
    return save_bytes(workbook_bytes(wb), path)


def macro_free_copy(path: str | Path, writes: SheetWrites | None = None,
                    grids: dict[str, Grid] | None = None) -> Workbook:
    """What is mailed upward: values intact, the described sheets fresh, no macros, no credentials."""
    wb = load_copy(path, grids)
    drop_macro_parts(wb)
    scrub_settings(wb)
    if writes is not None:
        apply_writes(wb, writes)
    return wb


def annotated_copy(path: str | Path, grids: dict[str, Grid], writes: SheetWrites) -> bytes:
    """The user's workbook, macro-free and without credentials, with ``writes`` applied
    (the web workbench's download and ``validate --annotate``)."""
    return workbook_bytes(macro_free_copy(path, writes, grids))


def save_bytes(data: bytes, path: str | Path) -> Path:
    """An .xlsx written atomically; never over a workbook open in Excel/WPS."""
    from rectify_xl.adapters.files import ensure_not_locked

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise OutputError(f"副本应保存为 .xlsx 文件，而不是“{path.name}”")
    ensure_not_locked(path)
    return write_bytes_atomic(path, data)
