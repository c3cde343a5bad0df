"""Every sheet the tool writes prints: A4, one page wide, header rows repeated, ruled cells.

Two writers make the workbooks: XlsxWriter (blank and sample ledgers, the consolidated workbook)
and openpyxl (the annotated and mailed copies, through adapters.sheet_file). Both get the same
page set-up here. Borders go on the cells themselves: an Excel table style draws them only in
Excel; LibreOffice and WPS print table-styled cells without rules. Rows a user fills in later
get their rules from the bordered column format (an empty cell prints nothing).
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rectify_xl.core.sheet_spec import SheetSpec

__all__ = ["BORDER_COLOUR", "FOOTER", "box_openpyxl", "box_xlsxwriter", "landscape_for",
           "print_described", "print_openpyxl", "print_xlsxwriter"]

A4 = 9  # the paper size code of Excel, XlsxWriter and openpyxl
FOOTER = "&C第 &P 页，共 &N 页"
BORDER_COLOUR = "#808080"  # grey: prints as a rule, not as a heavy grid
# A4 portrait holds about 100 characters of 11-pt text across at 100 %: a sheet up to 140 prints
# upright at 70 % or more (still readable); a wider one turns to landscape.
PORTRAIT_MAX_WIDTH = 140.0
_DEFAULT_WIDTH = 8.43  # Excel's default column width, in characters
_MARGINS = {"left": 0.4, "right": 0.4, "top": 0.6, "bottom": 0.7}  # inches


# LibreOffice does not shrink a single column wider than the page (it already fits "one page
# wide", cut at the edge), and it measures a character of a 宋体 workbook at about 7 pt (measured:
# 95 characters = 666 pt): A4 portrait (537 pt inside the margins) holds a column of 75.
PORTRAIT_MAX_COLUMN = 75.0


def landscape_for(widths: list[float] | tuple[float, ...]) -> bool:
    """Landscape when the printed columns are wider than A4 portrait holds at a readable scale."""
    return sum(widths) > PORTRAIT_MAX_WIDTH or max(widths, default=0) > PORTRAIT_MAX_COLUMN


def print_xlsxwriter(ws: Any, *, landscape: bool, header_rows: int = 1, first_row: int = 0,
                     last_col: int | None = None) -> None:
    """A4, fit to one page wide (any number of pages down), rows first_row.. repeated, footer.

    last_col limits the print area to the table (columns to its right, e.g. a guide, stay out).
    """
    ws.set_paper(A4)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    if header_rows:
        ws.repeat_rows(first_row, first_row + header_rows - 1)
    ws.set_margins(**_MARGINS)
    ws.center_horizontally()
    ws.set_footer(FOOTER)
    if last_col is not None:
        ws.print_area(0, 0, 1_048_575, last_col)


def box_xlsxwriter(wb: Any, ws: Any, top: int, left: int, bottom: int, right: int, *,
                   columns: bool = False) -> None:
    """Thin grey borders on every cell of the rectangle (0-based, inclusive), keeping its format.

    Works on XlsxWriter's cell store before the workbook is closed: each written cell's format is
    swapped for a bordered copy of it; an empty cell gets its column's format, bordered. With
    columns=True the columns' own formats are bordered too, so rows a user fills in later are
    ruled (an empty cell prints nothing in Excel or LibreOffice, so no empty page of rules), and
    the cells above the table keep an unruled format.
    """
    from xlsxwriter.worksheet import CellBlankTuple

    clones: dict[int, Any] = {}

    def boxed(fmt: Any) -> Any:
        key = id(fmt)
        if key not in clones:
            clone = wb.add_format() if fmt is None else _copy_format(wb, fmt)
            clone.set_border(1)
            clone.set_border_color(BORDER_COLOUR)
            clones[key] = clone
        return clones[key]

    for r in range(top, bottom + 1):
        row = ws.table.get(r)
        for c in range(left, right + 1):
            cell = row.get(c) if row else None
            if cell is None:
                info = ws.col_info.get(c)
                ws.table[r][c] = CellBlankTuple(boxed(info.column_format if info else None))
                ws._check_dimensions(r, c)  # keeps the sheet's used range right
            else:
                ws.table[r][c] = cell._replace(format=boxed(cell.format))
    if not columns:
        return
    plain = wb.add_format()
    for c in range(left, right + 1):
        info = ws.col_info.get(c)
        if info is None:
            ws.set_column(c, c, None)
            info = ws.col_info[c]
        above = info.column_format or plain
        for r in range(top):
            if c not in ws.table.get(r, {}):
                ws.table[r][c] = CellBlankTuple(above)
        info.column_format = boxed(info.column_format)


def _copy_format(wb: Any, fmt: Any) -> Any:
    clone = copy.copy(fmt)
    clone.xf_index = None  # a new style record, assigned when the workbook closes
    clone.dxf_index = None
    wb.formats.append(clone)
    return clone


def print_openpyxl(ws: Any, *, landscape: bool, header_rows: int = 1, first_row: int = 1) -> None:
    """The same set-up for an openpyxl sheet (rows 1-based)."""
    from openpyxl.worksheet.page import PageMargins

    ws.page_setup.paperSize = A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if header_rows:
        ws.print_title_rows = f"{first_row}:{first_row + header_rows - 1}"
    ws.page_margins = PageMargins(**_MARGINS)
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = FOOTER.removeprefix("&C")


def box_openpyxl(ws: Any, top: int, left: int, bottom: int, right: int) -> None:
    """Thin grey borders on every cell of the rectangle (1-based, inclusive)."""
    from openpyxl.styles import Border, Side

    side = Side(style="thin", color="FF" + BORDER_COLOUR.lstrip("#").upper())
    border = Border(left=side, right=side, top=side, bottom=side)
    for row in ws.iter_rows(min_row=top, max_row=bottom, min_col=left, max_col=right):
        for cell in row:
            if type(cell).__name__ != "MergedCell":
                cell.border = border


def print_described(ws: Any, spec: SheetSpec) -> None:
    """Page set-up and rules for a sheet written from a description (adapters.sheet_file).

    Each "header"-styled row starts a table: its cells and the rows under it, until the first row
    that is empty across the table's columns, are ruled. A sheet with one header row repeats it on
    every page; a sheet of several small tables (进度汇总) repeats nothing.
    """
    if spec.text_width is not None:  # wrapped paragraphs in one column (sheet_file._text_column)
        print_openpyxl(ws, landscape=landscape_for([spec.text_width]), header_rows=0)
        return
    headers = [s for s in spec.styles if s.style == "header"]
    for head in headers:
        bottom = head.top
        while bottom < ws.max_row and any(
                ws.cell(bottom + 1, c).value not in (None, "") for c in range(head.left, head.right + 1)):
            bottom += 1
        box_openpyxl(ws, head.top, head.left, bottom, head.right)
    rows = sorted({s.top for s in headers})
    widths = dict(spec.widths)
    right = max([ws.max_column, *(s.right for s in headers)])
    from openpyxl.utils import get_column_letter

    total = [widths.get(get_column_letter(c), _DEFAULT_WIDTH) for c in range(1, right + 1)]
    if spec.clear or not ws.page_setup.paperSize:
        print_openpyxl(ws, landscape=landscape_for(total), header_rows=1 if len(rows) == 1 else 0,
                       first_row=rows[0] if rows else 1)


def print_built_sheet(wb: Any, ws: Any, header_format: Any, *, fill_in: bool = False) -> None:
    """Page set-up and rules for a sheet XlsxWriter has written (before the workbook closes).

    Tables are found from the cells: a run of cells in header_format starts one, and its body runs
    down to the first row empty across its columns. Those cells get borders; with fill_in (a sheet
    users add rows to), the first table's columns are ruled as a whole, so new rows print ruled.
    The rows down to the first table's header repeat on every page; the orientation follows the
    width of the printed columns.
    """
    tables = _built_tables(ws, header_format)
    for i, (top, left, bottom, right) in enumerate(tables):
        box_xlsxwriter(wb, ws, top, left, bottom, right, columns=fill_in and i == 0)
    last_col = max([ws.dim_colmax or 0, *(t[3] for t in tables)])
    widths = [_built_width(ws, c) for c in range(last_col + 1)]
    print_xlsxwriter(ws, landscape=landscape_for(widths),
                     header_rows=tables[0][0] + 1 if tables else 0)


def _built_width(ws: Any, col: int) -> float:
    """A column's width in characters: XlsxWriter keeps pixels (7 a character, 5 of padding)."""
    return max(0.0, (ws._size_col(col) - 5) / 7)


def _built_tables(ws: Any, header_format: Any) -> list[tuple[int, int, int, int]]:
    from xlsxwriter.worksheet import CellBlankTuple

    def filled(r: int, c: int) -> bool:
        cell = ws.table.get(r, {}).get(c)
        return cell is not None and not isinstance(cell, CellBlankTuple)

    tables: list[tuple[int, int, int, int]] = []
    for r in sorted(ws.table):
        cols = sorted(c for c, cell in ws.table[r].items() if cell.format is header_format)
        runs: list[list[int]] = []
        for c in cols:
            if runs and c == runs[-1][-1] + 1:
                runs[-1].append(c)
            else:
                runs.append([c])
        for run in runs:
            left, right = run[0], run[-1]
            if any(left <= t[1] <= right and t[0] < r <= t[2] for t in tables):
                continue  # a header-styled cell inside a table already found
            bottom = r
            while any(filled(bottom + 1, c) for c in range(left, right + 1)):
                bottom += 1
            tables.append((r, left, bottom, right))
    return tables
