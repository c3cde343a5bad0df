"""The XlsxWriter writer applies a sheet description cell by cell (issue 12, item 2).

Every sheet of the consolidated workbook (core.merge_sheets) is written from its description and
read back with openpyxl: each cell holds the described value, in the look of the named styles
layered on it (font, size, bold, italic, fill, number format, alignment, wrap, rules); merged
ranges, frozen panes, filters, widths, heights and the chart ranges are the described ones.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

import rectify_xl.adapters.sheet_xlsxwriter as xw_writer
from rectify_xl.adapters.sheet_xlsxwriter import Formats, write_sheet
from rectify_xl.core import merge_sheets
from rectify_xl.core.chase import chase_log_sheet
from rectify_xl.core.consolidate import consolidate
from rectify_xl.core.model import col_letter
from rectify_xl.core.sheet_spec import SheetSpec, Style, compose
from tests.integration.test_merge_workbook_snapshot import _unit


@pytest.fixture(scope="module")
def specs() -> list[SheetSpec]:
    units = [_unit("县委办", overdue=2, due_soon=1), _unit("县司法局", problems=4, done=8, overdue=0),
             _unit("县医保局", overdue=1, as_of=None)]
    c = consolidate(units, expected=["县委办", "县司法局", "县医保局", "县统计局"])
    return [merge_sheets.summary_sheet(c), merge_sheets.ranking_sheet(c),
            merge_sheets.streams_sheet(c), merge_sheets.overdue_sheet(c),
            merge_sheets.roster_sheet(c), merge_sheets.findings_sheet(c),
            merge_sheets.headers_sheet([]),
            merge_sheets.changes_sheet([("县委办", "上一轮无此单位")]), merge_sheets.detail_sheet(),
            chase_log_sheet([], [["2021-10-25 09:00", "县统计局", "未报送", 1, "邮件", "", "", ""]])]


def _write(path: Path, specs: list[SheetSpec]) -> Path:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})
    formats = Formats(wb)
    for spec in specs:
        write_sheet(wb, spec, formats)
    wb.close()
    return path


def _names(spec: SheetSpec, r: int, c: int) -> tuple[str, ...]:
    return tuple(s.style for s in spec.styles if s.top <= r <= s.bottom and s.left <= c <= s.right)


def _look(style: Style) -> dict[str, Any]:
    """What openpyxl reads back from a cell XlsxWriter wrote in this style."""
    return {
        "font": (style.font or "Calibri", float(style.size or 11), style.bold, style.italic),
        "fill": "FF" + style.fill[1:].upper() if style.fill else None,
        "number_format": style.number_format or "General",
        "align": (style.align, style.valign, style.wrap),
        "border": ("thin" if style.border == 1 else None, "medium" if style.top == 2 else
                   "thin" if style.border == 1 else None),
    }


def _read_look(cell: Any) -> dict[str, Any]:
    f, a, b = cell.font, cell.alignment, cell.border
    return {
        # openpyxl's writer leaves the book's default font (Calibri 11) unnamed
        "font": (f.name or "Calibri", float(f.sz or 11), bool(f.b), bool(f.i)),
        "fill": cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else None,
        "number_format": cell.number_format,
        "align": (a.horizontal, a.vertical, bool(a.wrap_text)),
        "border": (b.left.style if b.left else None, b.top.style if b.top else None),
    }


def test_every_described_cell_is_written_as_described(specs: list[SheetSpec], tmp_path: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(_write(tmp_path / "book.xlsx", specs))
    assert wb.sheetnames == [s.name for s in specs]
    checked = 0
    for spec in specs:
        ws = wb[spec.name]
        values = spec.values()
        merged_away = {(r, c) for t, left, b, right in spec.merges for r in range(t, b + 1)
                       for c in range(left, right + 1)} - {(t, left) for t, left, _, _ in spec.merges}
        styled = {(r, c) for s in spec.styles for r in range(s.top, s.bottom + 1)
                  for c in range(s.left, s.right + 1)}
        for r, c in sorted((set(values) | styled) - merged_away):
            cell = ws.cell(r, c)
            want = values.get((r, c))
            got = cell.value.date() if isinstance(cell.value, datetime) else cell.value
            assert got == want, (spec.name, cell.coordinate)
            names = _names(spec, r, c)
            style = compose(names) if names else Style()
            if isinstance(want, date) and not style.number_format:
                style = compose((*names, "day"))
            if spec.page is None:  # its tables ruled for printing (print_setup), in grey
                assert cell.border.left.style == "thin" and cell.border.left.color.rgb == "FF808080"
                style = Style(bold=style.bold, fill=style.fill, number_format=style.number_format)
                assert _read_look(cell) | {"border": None} == _look(style) | {"border": None}
            else:
                assert _read_look(cell) == _look(style), (spec.name, cell.coordinate, names)
            checked += 1
        for row in ws.iter_rows():  # nothing written that is not described
            for cell in row:
                if cell.value is not None:
                    assert (cell.row, cell.column) in values, (spec.name, cell.coordinate)
        assert sorted(str(m) for m in ws.merged_cells.ranges) == sorted(
            f"{col_letter(left)}{t}:{col_letter(right)}{b}" for t, left, b, right in spec.merges)
        assert ws.freeze_panes == spec.freeze
        assert ws.auto_filter.ref == spec.autofilter
        for letter, width in spec.widths:  # XlsxWriter groups equal neighbours in one <col>
            index = ws[f"{letter}1"].column
            (dim,) = [d for d in ws.column_dimensions.values() if d.min <= index <= d.max]
            assert dim.width == pytest.approx(width, abs=0.72)
        for r, height in spec.heights:
            assert ws.row_dimensions[r].height == pytest.approx(height, abs=0.75)  # whole pixels
        if spec.table is not None:
            (table,) = ws.tables.values()
            assert (table.name, [c.name for c in table.tableColumns]) == (
                spec.table.name, list(spec.table.headers))
        if spec.page is not None:
            assert ws.page_setup.orientation == ("landscape" if spec.page.landscape else "portrait")
            assert ws.print_title_rows == f"${spec.page.repeat}:${spec.page.repeat}"
    assert checked > 300


def test_charts_are_drawn_from_the_described_ranges(specs: list[SheetSpec], tmp_path: Path) -> None:
    path = _write(tmp_path / "book.xlsx", specs)
    with zipfile.ZipFile(path) as z:
        charts = [z.read(n).decode() for n in sorted(z.namelist()) if n.startswith("xl/charts/")]
    described = [s for s in specs if s.chart is not None]
    assert len(charts) == len(described) == 2
    for xml, spec in zip(charts, described, strict=True):
        chart = spec.chart
        assert chart is not None and chart.kind == "bar"
        assert '<c:barDir val="bar"/>' in xml and f"<a:t>{chart.title}</a:t>" in xml
        (series,) = chart.series
        refs = re.findall(r"<c:f>(.*?)</c:f>", xml)
        assert refs == [f"{spec.name}!{_absolute(series.categories)}",
                        f"{spec.name}!{_absolute(series.values)}"]
        colours = re.findall(r'<c:dPt>.*?<a:srgbClr val="(\w+)"/>', xml)
        assert len(colours) == len(series.points)


def _absolute(ref: str) -> str:
    return ":".join(re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", part) for part in ref.split(":"))


def test_cell_store_gives_the_cells_of_the_public_methods(
        specs: list[SheetSpec], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.integration.test_merge_writer import _parts

    fast = _write(tmp_path / "fast.xlsx", specs)
    monkeypatch.setattr(xw_writer, "cell_store", lambda ws: None)
    public = _write(tmp_path / "public.xlsx", specs)
    assert _parts(fast) == _parts(public)


def test_the_openpyxl_writer_applies_the_same_descriptions(specs: list[SheetSpec],
                                                           tmp_path: Path) -> None:
    """adapters.sheet_file (openpyxl) gives each described cell the same value and look."""
    from openpyxl import Workbook, load_workbook

    from rectify_xl.adapters.sheet_file import write_sheet as write_openpyxl

    book = Workbook()
    book.remove(book.active)
    for spec in specs:
        write_openpyxl(book, spec)
    book.save(tmp_path / "openpyxl.xlsx")
    by_openpyxl = load_workbook(tmp_path / "openpyxl.xlsx")
    by_xlsxwriter = load_workbook(_write(tmp_path / "xlsxwriter.xlsx", specs))
    assert by_openpyxl.sheetnames == by_xlsxwriter.sheetnames
    for spec in specs:
        a, b = by_openpyxl[spec.name], by_xlsxwriter[spec.name]
        styled = {(r, c) for s in spec.styles for r in range(s.top, s.bottom + 1)
                  for c in range(s.left, s.right + 1)}
        for r, c in sorted(set(spec.values()) | styled):
            x, y = a.cell(r, c), b.cell(r, c)
            if type(y).__name__ == "MergedCell":
                continue
            assert x.value == y.value, (spec.name, x.coordinate)
            assert _read_look(x) == _read_look(y), (spec.name, x.coordinate)
        assert sorted(map(str, a.merged_cells.ranges)) == sorted(map(str, b.merged_cells.ranges))
        assert (a.freeze_panes, a.auto_filter.ref, a.print_title_rows) == (
            b.freeze_panes, b.auto_filter.ref, b.print_title_rows)
        assert len(a._charts) == (spec.chart is not None)
