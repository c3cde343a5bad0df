"""Hostile workbooks, written by code: a real ledger with one part rewritten, or a package built
from nothing. Nothing here is a committed binary; every file is a few KB to a few MB.

Each factory takes a folder and returns the path. ``HOSTILE`` lists the ones every command and
the server must refuse (exit 2 / HTTP 400) with one Chinese message, fast and without growing.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from rectify_xl.core.schema import SHEETS

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def sample_ledger(folder: Path, name: str = "台账.xlsx") -> Path:
    from rectify_xl.adapters.sample_data import sample_records
    from rectify_xl.adapters.workbook_builder import build_workbook

    return build_workbook(folder / name, sample_records())


def ledger_sheet_part(path: Path) -> str:
    """The zip member of the 整改清单 sheet (found through workbook.xml and its relationships)."""
    with zipfile.ZipFile(path) as z:
        wb = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{SHEETS.LEDGER}"[^>]*r:id="([^"]+)"', wb)
    assert rid, "the sample has a 整改清单 sheet"
    target = re.search(rf'<Relationship [^>]*Id="{rid[1]}"[^>]*Target="([^"]+)"', rels) or \
        re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid[1]}"', rels)
    assert target
    return "xl/" + target[1].lstrip("/").removeprefix("xl/")


def rewrite_member(path: Path, member: str, change: Callable[[bytes], bytes],
                   out: Path | None = None, *, extra: dict[str, bytes] | None = None) -> Path:
    """A copy of the package with one member changed (and optional members added)."""
    out = out or path
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i)) for i in z.infolist()]
    tmp = out.with_name(out.name + ".part")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            z.writestr(info.filename, change(data) if info.filename == member else data,
                       compress_type=zipfile.ZIP_DEFLATED)
        for name, data in (extra or {}).items():
            z.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    tmp.replace(out)
    return out


def with_cells(folder: Path, cells_xml: str, name: str = "远处单元格.xlsx") -> Path:
    """The sample ledger with extra XML placed at the end of 整改清单's sheetData."""
    path = sample_ledger(folder, name)
    part = ledger_sheet_part(path)
    return rewrite_member(path, part, lambda d: d.replace(b"</sheetData>",
                                                          cells_xml.encode() + b"</sheetData>"))


def far_cell(folder: Path, ref: str = "XFD1048576") -> Path:
    row = re.sub(r"^[A-Z]+", "", ref)
    return with_cells(folder, f'<row r="{row}"><c r="{ref}"><v>1</v></c></row>', f"远处{ref}.xlsx")


def far_cell_without_ref(folder: Path) -> Path:
    """A row far down whose cell has no r: calamine places it by the row."""
    return with_cells(folder, '<row r="1048576"><c t="inlineStr"><is><t>x</t></is></c></row>',
                      "无坐标.xlsx")


def far_cell_prefixed(folder: Path) -> Path:
    return with_cells(folder, f'<row r="900000"><x:c xmlns:x="{MAIN_NS}" r="AB900000">'
                              "<x:v>1</x:v></x:c></row>", "前缀.xlsx")


def far_cell_lowercase(folder: Path) -> Path:
    return with_cells(folder, '<row r="700000"><c r="zz700000"><v>1</v></c></row>', "小写.xlsx")


def far_cell_quoted_gt(folder: Path) -> Path:
    """An attribute holding '>' before r: a naive [^>]* tag scan would miss the reference."""
    return with_cells(folder, '<row r="500000"><c foo=">" r="Z500000"><v>1</v></c></row>',
                      "属性.xlsx")


def far_cell_tab(folder: Path) -> Path:
    return with_cells(folder, '<row r="800000"><c\tr="Q800000"><v>1</v></c></row>', "制表符.xlsx")


def far_rows_without_refs(folder: Path) -> Path:
    """Rows with no r, thousands of them, each with one cell with no r, then a wide row."""
    rows = '<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 2000
    wide = "<row>" + "<c><v>1</v></c>" * 16000 + "</row>"
    return with_cells(folder, rows + wide, "无行号.xlsx")


def beyond_excel(folder: Path) -> Path:
    return with_cells(folder, '<row r="5000000"><c r="A5000000"><v>1</v></c></row>', "超范围.xlsx")


def huge_dimension_only(folder: Path) -> Path:
    """A declared dimension of the whole sheet with ordinary content: readable."""
    path = sample_ledger(folder, "大尺寸声明.xlsx")
    part = ledger_sheet_part(path)

    def change(d: bytes) -> bytes:
        return re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', d)

    return rewrite_member(path, part, change)


def styled_far_cell(folder: Path) -> Path:
    """Formatting only in XFD1048576 (no value): calamine ignores it, so it is readable."""
    return with_cells(folder, '<row r="1048576"><c r="XFD1048576" s="0"/></row>', "格式.xlsx")


FAR_CELLS: dict[str, Callable[[Path], Path]] = {
    "XFD1048576": far_cell,
    "Z200000": lambda f: far_cell(f, "Z200000"),
    "no-ref": far_cell_without_ref,
    "prefixed": far_cell_prefixed,
    "lowercase": far_cell_lowercase,
    "quoted-gt": far_cell_quoted_gt,
    "tab": far_cell_tab,
    "beyond-excel": beyond_excel,
}
READABLE_ODD: dict[str, Callable[[Path], Path]] = {
    "huge-dimension": huge_dimension_only,
    "styled-far-cell": styled_far_cell,
}
