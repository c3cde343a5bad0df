"""Build the ledger workbook (.xlsx, or .xlsm with the VBA project and buttons) with XlsxWriter.

The one way to write a ledger workbook from data: ``rectify-xl new``, scripts/build_workbooks.py,
the notice importer and adopt (extra_sheets: described sheets, core.book_sheets, written by
adapters.sheet_xlsxwriter) and the demo all call ``build_workbook``. The file is
written to a temporary file beside the target and renamed into place.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rectify_xl.adapters.files import ensure_not_locked, os_reason, write_atomic
from rectify_xl.core.records import LedgerRecords
from rectify_xl.core.schema import BUTTONS, COLUMNS, INFO_FIELDS, SETTINGS_FIELDS, SHEETS
from rectify_xl.errors import OutputError

if TYPE_CHECKING:
    from rectify_xl.core.sheet_spec import SheetSpec

__all__ = ["BUILD_DATE", "build_workbook", "button_places", "check_target", "sheet_order"]

# A fixed creation date keeps builds reproducible (no "now" in docProps/core.xml).
BUILD_DATE = datetime(2021, 1, 1)
# Every button is 72 px wide and lies inside one column: a button spanning two columns gets the
# width (rest of column 1 + offset in column 2), which depends on how wide each application
# draws a column (Excel with 宋体, LibreOffice with a substitute font), so the buttons came out
# uneven. Inside one column the width is the anchor's two pixel offsets, the same everywhere.
_BUTTON_W, _BUTTON_H, _BUTTON_GAP, _BUTTON_MARGIN = 72, 30, 8, 1


def sheet_order(*, macro_enabled: bool, extra: Sequence[str] = ()) -> list[str]:
    """Sheet names in workbook order (the ledger first; xlwings.conf last in the .xlsm)."""
    names = [SHEETS.LEDGER, SHEETS.INFO, SHEETS.TEXT, SHEETS.OPTIONS, SHEETS.SETTINGS, SHEETS.HELP]
    names += [n for n in extra if n not in names]
    if macro_enabled:
        names.append(SHEETS.XLWINGS_CONF)
    return names


def check_target(path: Path, *, overwrite: bool) -> None:
    """Refuse a target that is open in Excel/WPS/LibreOffice, or exists without overwrite."""
    ensure_not_locked(path)
    if path.is_dir():
        raise OutputError(f"“{path}”是文件夹，请给出工作簿文件名")
    if path.exists() and not overwrite:
        raise OutputError(f"“{path.name}”已存在；如需覆盖请加 --force")
    if not path.parent.is_dir():
        raise OutputError(f"目录不存在：{path.parent}")


def build_workbook(
    path: Path,
    records: LedgerRecords | None = None,
    *,
    overwrite: bool = False,
    server_url: str | None = None,
    extra_sheets: Sequence[SheetSpec] = (),
) -> Path:
    """Write a ledger workbook: .xlsm → macros + buttons, anything else → plain .xlsx.

    records: the data to fill in (None → a blank template). extra_sheets: more sheets, described
    (core.book_sheets.report_sheet: the 导入报告), placed after 使用说明 in their order.
    server_url: HOOK for the server variant (see vba_server.vba_modules). Returns the path written.
    """
    path = Path(path)
    macro_enabled = path.suffix.lower() == ".xlsm"
    if not macro_enabled and path.suffix.lower() != ".xlsx":
        raise OutputError(f"工作簿文件名应以 .xlsx 或 .xlsm 结尾：{path.name}")
    check_target(path, overwrite=overwrite)
    records = records or LedgerRecords()
    extra = {spec.name: spec for spec in extra_sheets}
    _check_sheet_names(extra)
    vba_bin = None
    if macro_enabled:
        from rectify_xl.adapters.vba_project import build_vba_bin
        from rectify_xl.adapters.vba_server import vba_modules

        names = sheet_order(macro_enabled=True, extra=list(extra))
        vba_bin = build_vba_bin(len(names), vba_modules(server_url))

    def write(tmp: Path) -> None:
        _write(tmp, records, extra, vba_bin, server_url)
        if vba_bin is not None:
            _pin_buttons(tmp)

    write_atomic(path, write)
    return path


_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _check_sheet_names(extra: Iterable[str]) -> None:
    """Extra sheets may not replace a ledger sheet and must be names Excel accepts."""
    taken = set(sheet_order(macro_enabled=True))
    for name in extra:
        if name in taken:
            raise OutputError(f"附加工作表不能与台账自带的工作表同名：“{name}”")
        if not name.strip() or len(name) > 31 or _BAD_SHEET_CHARS.search(name) or name.startswith("'"):
            raise OutputError(f"工作表名称“{name}”无效：最多31个字符，且不能含有 [ ] : * ? / \\")


def _write(tmp: Path, records: LedgerRecords, extra: Mapping[str, SheetSpec],
           vba_bin: bytes | None, server_url: str | None = None) -> None:
    import xlsxwriter

    from rectify_xl.adapters import workbook_sheets as sheets
    from rectify_xl.adapters.sheet_xlsxwriter import Formats, write_sheet
    from rectify_xl.core import book_sheets as book

    macro_enabled = vba_bin is not None
    wb = xlsxwriter.Workbook(str(tmp), {
        "default_format_properties": {"font_name": sheets.BODY_FONT, "font_size": 11},
        "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
    })
    try:
        _properties(wb, records)
        f = sheets.make_formats(wb)
        ws = {name: wb.add_worksheet(name)
              for name in sheet_order(macro_enabled=macro_enabled, extra=list(extra))}
        sheets.write_ledger_sheet(wb, ws[SHEETS.LEDGER], records, f)
        as_of_row = sheets.write_info_sheet(ws[SHEETS.INFO], records, f)
        wb.define_name(sheets.NAME_AS_OF, f"='{SHEETS.INFO}'!$B${as_of_row}")
        for name, formula in sheets.schedule_names(
                feedback_row=2 + [i.key for i in INFO_FIELDS].index("feedback_date"),
                margin_row=2 + [i.key for i in SETTINGS_FIELDS].index("schedule_margin")).items():
            wb.define_name(name, formula)
        sheets.write_text_sheet(ws[SHEETS.TEXT], records, f)
        sheets.write_options_sheet(wb, ws[SHEETS.OPTIONS], records, f)
        # the sheets described in the core, each with its own page set-up
        described = [book.settings_sheet(),
                     book.help_sheet(macro_enabled=macro_enabled, server_url=server_url,
                                     illustrative=sheets.illustrative_headers(records)),
                     *extra.values()]
        if vba_bin is not None:
            described.append(book.xlwings_conf_sheet())
        formats = Formats(wb)
        for spec in described:
            write_sheet(wb, spec, formats, ws[spec.name])
        if vba_bin is not None:
            wb.add_vba_project(io.BytesIO(vba_bin), is_stream=True)
            _insert_buttons(ws[SHEETS.LEDGER], sheets.button_anchor())
        done = {spec.name for spec in described}
        _print_setup(wb, {n: s for n, s in ws.items() if n not in done}, f.header)
        ws[SHEETS.LEDGER].activate()
    finally:
        try:
            wb.close()
        except Exception as exc:  # XlsxWriter wraps file errors in its own exception types
            raise OutputError(f"工作簿写入失败：{_close_reason(exc)}") from exc


def _print_setup(wb: Any, sheets: Mapping[str, Any], header: Any) -> None:
    """Every sheet prints (A4, one page wide, ruled tables); rows a user adds to the ledger and to
    文稿 print ruled too."""
    from rectify_xl.adapters.print_setup import print_built_sheet

    for name, sheet in sheets.items():
        print_built_sheet(wb, sheet, header, fill_in=name in (SHEETS.LEDGER, SHEETS.TEXT))


def _close_reason(exc: Exception) -> str:
    """XlsxWriter's messages are English: FileCreateError carries the OSError, FileSizeError
    means the package would need ZIP64."""
    from xlsxwriter.exceptions import FileSizeError

    cause = exc.args[0] if exc.args else None
    if isinstance(cause, OSError):
        return os_reason(cause)
    if isinstance(exc, FileSizeError):
        return "文件过大（超过 4 GB）"
    return type(exc).__name__


def _properties(wb: Any, records: LedgerRecords) -> None:
    unit = str(records.info.get("unit") or "").strip()
    wb.set_properties({
        "title": f"{unit}巡察整改台账" if unit else "巡察整改台账",
        "subject": "巡察整改台账",
        "author": "rectify-xl",
        "company": "",
        "comments": "由 rectify-xl 生成",
        "created": BUILD_DATE,
    })


def _column_px(col: int) -> int:
    """A ledger column's width in pixels as XlsxWriter computes anchors (7 px per character)."""
    width = COLUMNS[col].width if col < len(COLUMNS) else 8.43
    return int(width * 7 + 0.5) + 5


def button_places(first_col: int) -> list[tuple[int, int]]:
    """(column, x offset in px) of each toolbar button, each button inside a single column."""
    places: list[tuple[int, int]] = []
    col, x = first_col, _BUTTON_GAP
    for _ in BUTTONS:
        while x + _BUTTON_W > _column_px(col) - _BUTTON_MARGIN:
            col, x = col + 1, _BUTTON_MARGIN
        places.append((col, x))
        x += _BUTTON_W + _BUTTON_GAP
    return places


def _insert_buttons(ws: Any, first_col: int) -> None:
    for button, (col, x) in zip(BUTTONS, button_places(first_col), strict=True):
        ws.insert_button(0, col, {
            "macro": button.macro, "caption": button.caption,
            "width": _BUTTON_W, "height": _BUTTON_H, "x_offset": x, "y_offset": 6,
        })


_CLIENT_BUTTON = re.compile(rb'(<x:ClientData ObjectType="Button">)')
# XlsxWriter captions buttons in Calibri 11 pt, which has no Chinese: applications fall back to
# a CJK font of their own and 汇总进度 wrapped in LibreOffice. 宋体 (the workbook's font) at 9 pt
# fits four characters in a 72 px button (VML size is in 1/20 pt).
_BUTTON_FONT = (b'<font face="Calibri" size="220"', '<font face="宋体" size="180"'.encode())


def _pin_buttons(path: Path) -> None:
    """Make the buttons "don't move or size with cells" so inserted rows never shift them.

    XlsxWriter writes no MoveWithCells/SizeWithCells for buttons; Excel reads these two elements
    with their meaning reversed ([MS-OI29500] 2.1.1881: present = does NOT move/size), so adding
    them pins the buttons in the toolbar band. The caption font is set here too (_BUTTON_FONT).
    """
    tmp = path.with_name(path.name + ".pin")
    try:
        with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = src.read(info.filename)
                if info.filename.startswith("xl/drawings/vmlDrawing") and b'"Button"' in data:
                    data = _CLIENT_BUTTON.sub(rb"\1<x:MoveWithCells/><x:SizeWithCells/>", data)
                    data = data.replace(*_BUTTON_FONT)
                dst.writestr(info, data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
