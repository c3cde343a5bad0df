"""The XlsxWriter writer of sheet descriptions (core.sheet_spec): the file writer for workbooks
written new in one go (the consolidated workbook of ``merge``); adapters.sheet_file applies the
same descriptions with openpyxl, adapters.sheet_live to a live book.

Each cell gets one XlsxWriter format, made once per combination of named styles (``Formats``).
Text is always a string cell (never a formula, CWE-1236). Cells go straight into XlsxWriter's cell
store where it has the layout this code knows (``cell_store``): the same cells as write_string /
write_number give, without their per-cell argument checks, which would cost as much as the rest
of a big merge's writing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from rectify_xl.adapters.print_setup import box_xlsxwriter, landscape_for, print_xlsxwriter
from rectify_xl.core.sheet_spec import (
    STYLES,
    Chart,
    ExcelTable,
    SheetSpec,
    Style,
    Styled,
    compose,
)

__all__ = ["EXCEL_EPOCH", "EXCEL_LEAP_BUG", "ROW_LIMIT", "SHORT_TEXT", "Formats", "add_table",
           "cell_store", "table_header", "write_sheet", "write_value"]

EXCEL_EPOCH = date(1899, 12, 30).toordinal()
EXCEL_LEAP_BUG = date(1900, 3, 1)  # before it, Excel's serials count a 29 Feb 1900
ROW_LIMIT = 1_048_576  # Excel's rows
SHORT_TEXT = 16_383  # shorter texts never reach Excel's 32,767 UTF-16 units
_VALIGN = {"center": "vcenter", "top": "top", "bottom": "bottom"}


def _properties(style: Style) -> dict[str, object]:
    """XlsxWriter's format properties of a style (border before top: top overrides it)."""
    props: dict[str, object] = {}
    if style.font:
        props["font_name"] = style.font
    if style.size:
        props["font_size"] = style.size
    if style.bold:
        props["bold"] = True
    if style.italic:
        props["italic"] = True
    if style.valign:
        props["valign"] = _VALIGN[style.valign]
    if style.border:
        props["border"] = style.border
    if style.top:
        props["top"] = style.top
    if style.fill:
        props["bg_color"] = style.fill.upper()
    if style.align:
        props["align"] = style.align
    if style.wrap:
        props["text_wrap"] = True
    if style.number_format:
        props["num_format"] = style.number_format
    if style.color:
        props["font_color"] = style.color.upper()
    if style.border_color:
        props["border_color"] = style.border_color.upper()
    return props


class Formats:
    """One XlsxWriter format per combination of named styles, made when first asked for."""

    def __init__(self, wb: Any) -> None:
        self._wb = wb
        self._cache: dict[tuple[str, ...], Any] = {}
        self._dated: dict[tuple[str, ...], Any] = {}

    def __call__(self, names: tuple[str, ...]) -> Any:
        if not names:
            return None
        fmt = self._cache.get(names)
        if fmt is None:
            fmt = self._cache[names] = self._wb.add_format(_properties(compose(names)))
        return fmt

    def dated(self, names: tuple[str, ...]) -> Any:
        """The format of a date in a cell of these styles: a date never shows as a serial."""
        fmt = self._dated.get(names)
        if fmt is None:
            dated = names if names and compose(names).number_format else (*names, "day")
            fmt = self._dated[names] = self(dated)
        return fmt


def cell_store(ws: Any) -> tuple[Any, Any, Any, Any] | None:
    """XlsxWriter's cell store (row → {col: cell}), its shared-string index and its string and
    number cells, when they have the layout write_string / write_number fill; None otherwise
    (another XlsxWriter, or constant-memory mode): then the public methods are used."""
    try:
        from xlsxwriter.worksheet import CellNumberTuple, CellStringTuple

        table, string_index = ws.table, ws.str_table._get_shared_string_index
    except (ImportError, AttributeError):
        return None
    if ws.constant_memory or not isinstance(table, dict):
        return None
    if (CellStringTuple.__name__, CellStringTuple._fields) != ("String", ("string", "format")) or (
            CellNumberTuple.__name__, CellNumberTuple._fields) != ("Number", ("number", "format")):
        return None
    return table, string_index, CellStringTuple, CellNumberTuple


def write_value(ws: Any, row: int, col: int, value: object, fmt: Any, date_fmt: Any) -> None:
    """One cell (0-based) through the public methods, typed: text is always a string cell."""
    if type(value) is str and value:
        ws.write_string(row, col, value, fmt)
    elif value is None or value == "":
        if fmt is not None:
            ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):  # a boolean stays one (xlwings.conf), as openpyxl writes it
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float):
        if math.isfinite(value):
            ws.write_number(row, col, value, fmt)
        else:
            ws.write_string(row, col, str(value), fmt)
    elif isinstance(value, datetime | date):
        if not isinstance(value, datetime):
            value = datetime(value.year, value.month, value.day)
        ws.write_datetime(row, col, value, date_fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def _rowcol(ref: str) -> tuple[int, int]:
    from xlsxwriter.utility import xl_cell_to_rowcol

    return xl_cell_to_rowcol(ref)


class _Rows:
    """The blocks and styled rectangles of a sheet, swept row by row: per row, each column's
    value and named styles (in the order listed)."""

    def __init__(self, spec: SheetSpec, formats: Formats) -> None:
        self.spec, self.formats = spec, formats
        tops = [b.row for b in spec.blocks if b.rows] + [s.top for s in spec.styles]
        bottoms = [b.row + len(b.rows) - 1 for b in spec.blocks if b.rows] + [
            s.bottom for s in spec.styles]
        self.first, self.last = (min(tops), max(bottoms)) if tops else (1, 0)
        self.width = max([s.right for s in spec.styles] + [
            b.col + max(len(r) for r in b.rows) - 1 for b in spec.blocks if b.rows], default=0)
        self._looks: dict[tuple[int, ...], list[tuple[tuple[str, ...], Any]]] = {}

    def looks(self, active: Sequence[tuple[int, Styled]]) -> list[tuple[tuple[str, ...], Any]]:
        """Each column's style names and format (index 0: column 1) under the active rectangles."""
        key = tuple(i for i, _ in active)
        out = self._looks.get(key)
        if out is None:
            names = [tuple(s.style for _, s in active if s.left <= c <= s.right)
                     for c in range(1, self.width + 1)]
            out = [(n, self.formats(n)) for n in names]
            if len(self._looks) < 4096:  # unit rows each have their own fill: keep a few
                self._looks[key] = out
        return out

    def __iter__(self) -> Any:
        spec = self.spec
        styles = sorted(enumerate(spec.styles), key=lambda p: p[1].top)
        blocks = sorted((b for b in spec.blocks if b.rows), key=lambda b: b.row)
        active: list[tuple[int, Styled]] = []
        live: list[Any] = []
        si = bi = 0
        for r in range(self.first, self.last + 1):
            added = False
            while si < len(styles) and styles[si][1].top <= r:
                active.append(styles[si])
                si, added = si + 1, True
            if added:
                active.sort(key=lambda p: p[0])
            active = [p for p in active if p[1].bottom >= r]
            while bi < len(blocks) and blocks[bi].row <= r:
                live.append(blocks[bi])
                bi += 1
            live = [b for b in live if b.row + len(b.rows) > r]
            if not active and not live:
                continue
            values: list[object] = [None] * self.width
            for b in live:
                for c, value in enumerate(b.rows[r - b.row], start=b.col - 1):
                    if value is not None:
                        values[c] = value
            yield r, values, self.looks(active)


def write_sheet(wb: Any, spec: SheetSpec, formats: Formats, ws: Any = None, *,
                table: bool = True) -> Any:
    """Write the described sheet into a new worksheet (or ``ws``, added earlier to keep the
    sheet order); ``table=False`` leaves the Excel table to ``add_table`` once rows streamed in
    after this call are written."""
    if ws is None:
        ws = wb.add_worksheet(spec.name)
    if spec.hidden:
        ws.hide()
    if not spec.gridlines:
        ws.hide_gridlines(2)
    merged = {(t, left) for t, left, _, _ in spec.merges}
    rows = _Rows(spec, formats)
    _write_cells(ws, rows, formats, merged)
    for top, left, bottom, right in spec.merges:
        value = spec.values().get((top, left), "")
        names = tuple(s.style for s in spec.styles
                      if s.top <= top <= s.bottom and s.left <= left <= s.right)
        ws.merge_range(top - 1, left - 1, bottom - 1, right - 1, "", formats(names))
        write_value(ws, top - 1, left - 1, value, formats(names), formats.dated(names))
    for link in spec.links:
        ws.write_url(link.row - 1, link.col - 1, f"internal:'{link.sheet}'!{link.cell}",
                     string=link.text, tip=link.tip)
    column_fmt = formats((spec.column_style,)) if spec.column_style else None
    own = dict(spec.column_styles)
    for letter, width in spec.widths:
        c = _rowcol(f"{letter}1")[1]
        ws.set_column(c, c, width, formats((own[letter],)) if letter in own else column_fmt)
    for choice in spec.choices:
        ws.data_validation(choice.cells, {"validate": "list", "source": list(choice.values),
                                          "error_type": "stop", "error_message": choice.message})
    for r, height in spec.heights:
        ws.set_row(r - 1, height)
    if spec.freeze:
        ws.freeze_panes(*_rowcol(spec.freeze))
    if spec.autofilter:
        ws.autofilter(spec.autofilter)
    if spec.text_width is not None:
        ws.set_column(0, 0, spec.text_width, formats(("wrap",)))
    _page(wb, ws, spec, rows)
    if spec.chart is not None:
        _chart(wb, ws, spec.name, spec.chart)
    if table and spec.table is not None:
        add_table(ws, spec.table, rows.last, formats, table_header(spec))
    return ws


def _write_cells(ws: Any, rows: _Rows, formats: Formats, merged: set[tuple[int, int]]) -> None:
    store = cell_store(ws)
    table: Any
    string_index: Any
    text_cell: Any
    number_cell: Any
    table, string_index, text_cell, number_cell = store or (None, None, None, None)
    low_r = low_c = ROW_LIMIT
    high_r = high_c = -1
    for r, values, looks in rows:
        r0 = r - 1
        cells = table[r0] if table is not None and r0 < ROW_LIMIT else None
        first = last = -1
        for c0, value in enumerate(values):
            style, fmt = looks[c0]
            if ((value is None or value == "") and not style) or (r, c0 + 1) in merged:
                continue
            if cells is None:
                write_value(ws, r0, c0, value, fmt, formats.dated(style))
                continue
            if type(value) is str and value and len(value) <= SHORT_TEXT:
                cells[c0] = text_cell(string_index(value), fmt)
            elif type(value) is int:
                cells[c0] = number_cell(value, fmt)
            elif type(value) is date and value >= EXCEL_LEAP_BUG:
                cells[c0] = number_cell(value.toordinal() - EXCEL_EPOCH, formats.dated(style))
            else:
                write_value(ws, r0, c0, value, fmt, formats.dated(style))
                continue
            if first < 0:
                first = c0
            last = c0
        if first >= 0:
            low_r, low_c = min(low_r, r0), min(low_c, first)
            high_r, high_c = r0, max(high_c, last)
    if high_r >= 0:  # the sheet's used range, as write_string would have extended it
        ws._check_dimensions(low_r, low_c)
        ws._check_dimensions(high_r, high_c)


def add_table(ws: Any, table: ExcelTable, last: int, formats: Formats,
              header: tuple[str, ...] = ()) -> None:
    """The Excel table from its header row down to row ``last`` (at least one row below); its
    header cells (which the table rewrites) keep the styles ``header`` named."""
    fmt = formats(header)
    ws.add_table(table.top - 1, table.left - 1, max(last, table.top + 1) - 1, table.right - 1, {
        "name": table.name, "style": table.style, "autofilter": True,
        "columns": [{"header": h, "header_format": fmt} for h in table.headers],
    })


def table_header(spec: SheetSpec) -> tuple[str, ...]:
    """The style names on the first cell of the sheet's table header."""
    t = spec.table
    if t is None:
        return ()
    return tuple(s.style for s in spec.styles
                 if s.top <= t.top <= s.bottom and s.left <= t.left <= s.right)


def _page(wb: Any, ws: Any, spec: SheetSpec, rows: _Rows) -> None:
    """Print set-up: the described page; else, as adapters.print_setup.print_described does,
    each "header"-styled row starts a ruled table and a sheet of one table repeats its header."""
    widths = [w for _, w in spec.widths]
    if spec.text_width is not None:
        print_xlsxwriter(ws, landscape=landscape_for([spec.text_width]), header_rows=0)
        return
    if spec.page is not None:
        landscape = spec.page.landscape
        print_xlsxwriter(ws, landscape=landscape_for(widths) if landscape is None else landscape,
                         header_rows=1 if spec.page.repeat else 0,
                         first_row=(spec.page.repeat or 1) - 1)
        return
    values = spec.values()
    heads = [s for s in spec.styles if s.style == "header"]
    for head in heads:
        bottom = head.top
        while bottom < rows.last and any((bottom + 1, c) in values
                                         for c in range(head.left, head.right + 1)):
            bottom += 1
        box_xlsxwriter(wb, ws, head.top - 1, head.left - 1, bottom - 1, head.right - 1)
    tops = sorted({s.top for s in heads})
    print_xlsxwriter(ws, landscape=landscape_for(widths), header_rows=1 if len(tops) == 1 else 0,
                     first_row=tops[0] - 1 if tops else 0)


def _font(style: str | None) -> dict[str, object] | None:
    if style is None:
        return None
    s = STYLES[style]
    return {k: v for k, v in (("name", s.font), ("size", s.size), ("bold", s.bold or None)) if v}


def _range(sheet: str, ref: str) -> list[object]:
    first, _, last = ref.partition(":")
    (r0, c0), (r1, c1) = _rowcol(first), _rowcol(last or first)
    return [sheet, r0, c0, r1, c1]


def _chart(wb: Any, ws: Any, sheet: str, chart: Chart) -> None:
    if chart.kind == "bar":
        out = wb.add_chart({"type": "bar"})
        for s in chart.series:
            series: dict[str, object] = {
                "name": s.name, "categories": _range(sheet, s.categories),
                "values": _range(sheet, s.values),
                "points": [{"fill": {"color": STYLES[p].fill.upper()}}  # type: ignore[union-attr]
                           for p in s.points],
            }
            if chart.value_format:
                series["data_labels"] = {"value": True, "num_format": chart.value_format}
            out.add_series(series)
        axis: dict[str, object] = {"major_gridlines": {"visible": True}}
        if chart.value_range:
            axis["min"], axis["max"] = chart.value_range
        if chart.value_format:
            axis["num_format"] = chart.value_format
        title: dict[str, object] = {"name": chart.title}
        if (font := _font(chart.title_style)) is not None:
            title["name_font"] = font
        out.set_title(title)
        out.set_x_axis(axis)
        categories: dict[str, object] = {"reverse": True}  # the first category on top
        if (font := _font(chart.axis_style)) is not None:
            categories["num_font"] = font
        out.set_y_axis(categories)
        out.set_legend({"none": True})
    elif chart.kind == "stacked":
        out = wb.add_chart({"type": "column", "subtype": "stacked"})
        first, _, last = chart.source.partition(":")
        (top, left), (bottom, right) = _rowcol(first), _rowcol(last)
        for c in range(left + 1, right + 1):
            out.add_series({"name": [sheet, top, c], "categories": [sheet, top + 1, left, bottom, left],
                            "values": [sheet, top + 1, c, bottom, c], "overlap": 100})
        out.set_title({"name": chart.title})
    else:
        raise ValueError(f"unknown chart kind {chart.kind!r}")
    if chart.size:
        out.set_size({"width": chart.size[0], "height": chart.size[1]})
    ws.insert_chart(chart.anchor, out)
