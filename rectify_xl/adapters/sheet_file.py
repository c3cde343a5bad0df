"""The file writer of sheet descriptions (core.sheet_spec): applies SheetWrites to an openpyxl
workbook — the annotated copy of the web workbench, ``validate --annotate``, the mailed copy.

Strings are written as strings (never formulas, CWE-1236); the live-book writer is
adapters.sheet_live, and both apply the same descriptions.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from rectify_xl.adapters.print_setup import landscape_for, print_described, print_openpyxl
from rectify_xl.core.sheet_spec import (
    MARK_FILLS,
    NOTE_MARK,
    STYLES,
    Mark,
    SheetSpec,
    SheetWrites,
    Style,
    compose,
)

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
    from openpyxl.styles import Alignment
    from openpyxl.worksheet.hyperlink import Hyperlink

    ws = _sheet(wb, spec)
    if spec.hidden:
        ws.sheet_state = "hidden"
    values = spec.values()
    for (r, c), value in values.items():
        cell = ws.cell(r, c)
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"
    names: dict[tuple[int, int], list[str]] = {}
    for styled in spec.styles:  # layered in order (core.sheet_spec.compose)
        for r in range(styled.top, styled.bottom + 1):
            for c in range(styled.left, styled.right + 1):
                names.setdefault((r, c), []).append(styled.style)
    for (r, c), found in names.items():
        if isinstance(values.get((r, c)), date) and not compose(tuple(found)).number_format:
            found.append("day")  # as the XlsxWriter writer: a date never shows as a serial
        _style(ws.cell(r, c), compose(tuple(found)))
    for top, left, bottom, right in spec.merges:
        ws.merge_cells(start_row=top, start_column=left, end_row=bottom, end_column=right)
    for link in spec.links:
        cell = ws.cell(link.row, link.col)
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{link.sheet}'!{link.cell}",
                                   tooltip=link.tip)
        cell.value = link.text
        cell.data_type = "s"
    column = STYLES[spec.column_style] if spec.column_style else None
    own = dict(spec.column_styles)
    for letter, width in spec.widths:
        ws.column_dimensions[letter].width = width
        look = STYLES[own[letter]] if letter in own else column
        if look is not None:
            _style(ws.column_dimensions[letter], look)
    if spec.choices:
        _choices(ws, spec)
    if not spec.gridlines:
        ws.sheet_view.showGridLines = False
    for r, height in spec.heights:
        ws.row_dimensions[r].height = height
    if spec.freeze:
        ws.freeze_panes = spec.freeze
    if spec.autofilter:
        ws.auto_filter.ref = spec.autofilter
    if spec.table is not None:
        _table(ws, spec)
    if spec.text_width is not None:
        _text_column(ws, spec.text_width, Alignment)
    if spec.chart is not None:
        _chart(ws, spec)
    if spec.page is not None:
        landscape = spec.page.landscape
        print_openpyxl(ws, landscape=landscape_for([w for _, w in spec.widths])
                       if landscape is None else landscape,
                       header_rows=1 if spec.page.repeat else 0, first_row=spec.page.repeat or 1)
    else:
        print_described(ws, spec)  # A4, one page wide, header repeated, ruled tables
    return ws


def _style(target: Any, style: Style) -> None:
    """Set what the composed style sets on a cell (or a column)."""
    from openpyxl.styles import Alignment, Border, Font, Side

    if style.bold or style.italic or style.font or style.size or style.color:
        target.font = Font(name=style.font, sz=style.size, b=style.bold, i=style.italic,
                           color=_argb(style.color) if style.color else None)
    if style.fill:
        _set_fill(target, style.fill)
    if style.number_format:
        target.number_format = style.number_format
    if style.align or style.valign or style.wrap:
        target.alignment = Alignment(horizontal=style.align, vertical=style.valign,
                                     wrap_text=style.wrap or None)
    if style.border or style.top:
        ruled = _argb(style.border_color) if style.border_color else None
        thin = Side(style="thin", color=ruled) if style.border == 1 else None
        top = Side(style="medium") if style.top == 2 else thin
        target.border = Border(left=thin, right=thin, top=top, bottom=thin)


def _choices(ws: Worksheet, spec: SheetSpec) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    for choice in spec.choices:
        rule = DataValidation(type="list", formula1='"' + ",".join(choice.values) + '"',
                              errorStyle="stop", error=choice.message, showErrorMessage=True,
                              allow_blank=True)
        ws.add_data_validation(rule)
        rule.add(choice.cells)


def _table(ws: Worksheet, spec: SheetSpec) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import Table, TableStyleInfo

    t = spec.table
    assert t is not None
    bottom = max(ws.max_row, t.top + 1)
    ref = f"{get_column_letter(t.left)}{t.top}:{get_column_letter(t.right)}{bottom}"
    table = Table(displayName=t.name, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name=t.style.replace(" ", ""), showRowStripes=True)
    ws.add_table(table)


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
    """The described chart: stacked columns of a table, or horizontal bars of its series."""
    from openpyxl.chart import BarChart, Reference

    assert spec.chart is not None
    chart = BarChart()
    chart.title = spec.chart.title
    if spec.chart.kind == "bar":
        _bars(ws, chart, spec.chart)
    elif spec.chart.kind == "stacked":
        from openpyxl.utils.cell import range_boundaries

        left, top, right, bottom = range_boundaries(spec.chart.source)
        chart.type = "col"
        chart.grouping = "stacked"
        chart.overlap = 100
        chart.add_data(Reference(ws, min_col=left + 1, max_col=right, min_row=top, max_row=bottom),
                       titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=left, max_col=left, min_row=top + 1,
                                       max_row=bottom))
        chart.width, chart.height = 17, 10  # cm: about the 480×288 pt of the live chart
    else:
        raise ValueError(f"unknown chart kind {spec.chart.kind!r}")
    ws.add_chart(chart, spec.chart.anchor)


def _bars(ws: Worksheet, chart: Any, described: Any) -> None:
    from openpyxl.chart import Reference, Series
    from openpyxl.chart.label import DataLabelList
    from openpyxl.chart.marker import DataPoint
    from openpyxl.utils.cell import range_boundaries

    def ref(cells: str) -> Reference:
        left, top, right, bottom = range_boundaries(cells)
        return Reference(ws, min_col=left, max_col=right, min_row=top, max_row=bottom)

    chart.type = "bar"
    for s in described.series:
        series = Series(ref(s.values), title=s.name)
        for i, point in enumerate(s.points):
            dp = DataPoint(idx=i)
            dp.graphicalProperties.solidFill = (STYLES[point].fill or "").lstrip("#").upper()
            series.dPt.append(dp)
        if described.value_format:
            series.dLbls = DataLabelList(showVal=True, numFmt=described.value_format)
        chart.series.append(series)
        chart.set_categories(ref(s.categories))
    if described.value_range:
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = described.value_range
    if described.value_format:
        chart.y_axis.number_format = described.value_format
    chart.x_axis.scaling.orientation = "maxMin"  # the first category on top
    chart.legend = None
    if described.size:  # pixels → cm at 96 dpi
        chart.width, chart.height = (round(v * 2.54 / 96, 1) for v in described.size)


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
