"""The file writer of sheet descriptions (core.sheet_spec): applies SheetWrites to an openpyxl
workbook — the annotated copy of the web workbench, ``validate --annotate``, the mailed copy.

Strings are written as strings (never formulas, CWE-1236); the live-book writer is
adapters.sheet_live, and both apply the same descriptions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rectify_xl.adapters.print_setup import print_described
from rectify_xl.core.sheet_spec import MARK_FILLS, NOTE_MARK, STYLES, Mark, SheetSpec, SheetWrites

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["apply_writes", "write_sheet"]


def _argb(rgb: str) -> str:
    return "FF" + rgb.lstrip("#").upper()


def _fill_of(cell: Any) -> str | None:
    fill = cell.fill
    if fill is None or fill.fill_type != "solid":
        return None
    rgb = fill.fgColor.rgb
    return f"#{rgb[-6:].lower()}" if isinstance(rgb, str) else None


def _set_fill(cell: Any, rgb: str | None) -> None:
    from openpyxl.styles import PatternFill

    cell.fill = PatternFill(fill_type=None) if rgb is None else PatternFill("solid", fgColor=_argb(rgb))


def _cell(wb: Workbook, sheet: str, ref: str) -> Any:
    try:
        cell = wb[sheet][ref]
    except (ValueError, KeyError, IndexError):
        return None  # a reference outside the sheet grammar: 校验结果 still lists the finding
    return None if isinstance(cell, tuple) else cell


def _unmark(wb: Workbook, mark: Mark) -> None:
    cell = _cell(wb, mark.sheet, mark.cell)
    if cell is None:
        return
    current = _fill_of(cell)
    if current is not None and current not in MARK_FILLS:
        return  # recoloured by the user since: theirs now
    _set_fill(cell, mark.before)
    if cell.comment is not None and cell.comment.text.startswith(NOTE_MARK):
        cell.comment = None


def _mark(wb: Workbook, mark: Mark) -> None:
    from openpyxl.comments import Comment

    cell = _cell(wb, mark.sheet, mark.cell)
    if cell is None or type(cell).__name__ == "MergedCell":
        return
    _set_fill(cell, STYLES[mark.style].fill)
    if mark.note and cell.comment is None:  # never replaces a note of the user's
        cell.comment = Comment(mark.note, "rectify-xl", width=320, height=120)


def _sheet(wb: Workbook, spec: SheetSpec) -> Worksheet:
    if not spec.clear and spec.name in wb.sheetnames:
        return wb[spec.name]
    index = None
    if spec.name in wb.sheetnames:
        index = wb.sheetnames.index(spec.name)
        wb.remove(wb[spec.name])
    elif spec.after and spec.after in wb.sheetnames:
        index = wb.sheetnames.index(spec.after) + 1
    return wb.create_sheet(spec.name, index)


def _cells(ws: Worksheet, top: int, left: int, bottom: int, right: int) -> list[Any]:
    return [ws.cell(r, c) for r in range(top, bottom + 1) for c in range(left, right + 1)]


def write_sheet(wb: Workbook, spec: SheetSpec) -> Worksheet:
    """Create or rewrite (or, clear=False, add to) the described sheet."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    ws = _sheet(wb, spec)
    if spec.hidden:
        ws.sheet_state = "hidden"
    for (r, c), value in spec.values().items():
        cell = ws.cell(r, c)
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"
    for styled in spec.styles:
        style = STYLES[styled.style]
        for cell in _cells(ws, styled.top, styled.left, styled.bottom, styled.right):
            if style.bold:
                cell.font = Font(bold=True)
            if style.fill:
                _set_fill(cell, style.fill)
            if style.number_format:
                cell.number_format = style.number_format
    for link in spec.links:
        cell = ws.cell(link.row, link.col)
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{link.sheet}'!{link.cell}",
                                   tooltip=link.tip)
        cell.value = link.text
        cell.data_type = "s"
    for letter, width in spec.widths:
        ws.column_dimensions[letter].width = width
    if spec.text_width is not None:
        _text_column(ws, spec.text_width, Alignment)
    if spec.chart is not None:
        _chart(ws, spec)
    print_described(ws, spec)  # A4, one page wide, header repeated, ruled tables
    return ws


def _text_column(ws: Worksheet, width: float, alignment: Any) -> None:
    ws.column_dimensions["A"].width = width
    last = max(ws.max_row, 1)
    for (cell,) in ws.iter_rows(min_row=1, max_row=last, max_col=1):
        cell.alignment = alignment(wrap_text=True, vertical="top")
    ws.print_area = f"A1:A{last}"
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _chart(ws: Worksheet, spec: SheetSpec) -> None:
    """A stacked column chart: first column categories, first row series names."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.utils.cell import range_boundaries

    assert spec.chart is not None
    left, top, right, bottom = range_boundaries(spec.chart.source)
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = spec.chart.title
    chart.add_data(Reference(ws, min_col=left + 1, max_col=right, min_row=top, max_row=bottom),
                   titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=left, max_col=left, min_row=top + 1, max_row=bottom))
    chart.width, chart.height = 17, 10  # cm: about the 480×288 pt of the live chart
    ws.add_chart(chart, spec.chart.anchor)


def apply_writes(wb: Workbook, writes: SheetWrites) -> None:
    """Undo the previous marks, mark the cells, write the sheets, show the one to activate."""
    for mark in writes.unmark:
        if mark.sheet in wb.sheetnames:
            _unmark(wb, mark)
    for mark in writes.marks:
        if mark.sheet in wb.sheetnames:
            _mark(wb, mark)
    for spec in writes.sheets:
        write_sheet(wb, spec)
    if writes.activate and writes.activate in wb.sheetnames:
        wb.active = wb.sheetnames.index(writes.activate)
