"""Every sheet of every workbook the tool writes, printed by LibreOffice to PDF and measured.

The blank and sample ledgers, the annotated copy (validate --annotate), the mailed copy and the
consolidated workbook: each sheet's page style is A4, one page wide; every page of the PDF is A4
with nothing past its edge; a sheet of several pages repeats its header; tables print with rules
(borders on the cells, which LibreOffice draws; an Excel table style alone prints none).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from rectify_xl.adapters.workbook_builder import build_workbook
from rectify_xl.core.schema import SHEETS
from rectify_xl.entrypoints.cli import cli
from tests.conftest import sample_records_copy
from tests.lo_helpers import UNO_DIR, run_uno, soffice_available

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(not soffice_available(), reason="LibreOffice/python3-uno not installed"),
]

A4 = {(595, 842), (842, 595)}


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """kind → sheet → {"page": page style, "pages": [(width, height, chars, lines)], "text": [...]}."""
    import pdfplumber

    from rectify_xl.services.mail import prepare_mail

    out = tmp_path_factory.mktemp("print")
    blank = build_workbook(out / "空白.xlsx")
    sample = build_workbook(out / "示例.xlsx", sample_records_copy())
    second = build_workbook(out / "示例二.xlsx", sample_records_copy())
    runner = CliRunner()
    annotated = out / "标注.xlsx"
    runner.invoke(cli, ["validate", str(sample), "--annotate", str(annotated)])
    merged = out / "汇总.xlsx"
    runner.invoke(cli, ["merge", str(sample), str(second), "-o", str(merged)])
    mail = prepare_mail(sample, encrypt=False, to=("a@example.com",), sender="b@example.com")
    mailed = out / "报送.xlsx"
    mailed.write_bytes(next(a.data for a in mail.attachments if a.filename.endswith(".xlsx")))
    books = {"blank": blank, "sample": sample, "annotated": annotated, "merged": merged, "mailed": mailed}
    assert all(p.is_file() for p in books.values()), books
    pdfs = out / "pdf"
    pdfs.mkdir()
    result = run_uno(UNO_DIR / "print_sheets.py", str(pdfs), *map(str, books.values()), timeout=300)
    seen: dict[str, dict[str, Any]] = {}
    for kind, path in books.items():
        seen[kind] = {}
        for sheet, info in result[str(path)].items():
            with pdfplumber.open(info["pdf"]) as pdf:
                pages = [(float(p.width), float(p.height), p.chars, p.lines + p.rects) for p in pdf.pages]
                text = [p.extract_text() or "" for p in pdf.pages]
            seen[kind][sheet] = {"page": info["page"], "pages": pages, "text": text}
    shutil.rmtree(pdfs)
    return seen


def _sheets(printed: dict[str, dict[str, Any]]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(kind, sheet, info) for kind, sheets in printed.items() for sheet, info in sheets.items()]


def test_every_workbook_kind_was_printed(printed: dict[str, dict[str, Any]]) -> None:
    assert set(printed) == {"blank", "sample", "annotated", "merged", "mailed"}
    assert {SHEETS.RESULTS, SHEETS.SUMMARY} <= set(printed["annotated"])
    assert SHEETS.SUMMARY in printed["mailed"]
    assert {SHEETS.MERGE_SUMMARY, SHEETS.MERGE_DETAIL} <= set(printed["merged"])


def test_every_sheet_is_set_up_for_a4_one_page_wide(printed: dict[str, dict[str, Any]]) -> None:
    for kind, sheet, info in _sheets(printed):
        page = info["page"]
        size = sorted((round(page["width"] / 100), round(page["height"] / 100)))
        assert size == [210, 297], (kind, sheet, page)
        assert (page["pages_x"], page["pages_y"]) == (1, 0), (kind, sheet, page)


def test_every_printed_page_is_a4_with_nothing_past_its_edge(printed: dict[str, dict[str, Any]]) -> None:
    for kind, sheet, info in _sheets(printed):
        assert info["pages"], (kind, sheet)
        for width, height, chars, _ in info["pages"]:
            assert (round(width), round(height)) in A4, (kind, sheet)
            assert all(c["x1"] <= width + 0.5 and c["bottom"] <= height + 0.5 for c in chars), (kind, sheet)


def test_a_blank_ledger_prints_one_page_a_sheet(printed: dict[str, dict[str, Any]]) -> None:
    """Before: 12 pages, sheets split across pages."""
    assert {sheet: len(info["pages"]) for sheet, info in printed["blank"].items()} == {
        sheet: 1 for sheet in printed["blank"]}


def test_wide_sheets_print_landscape_narrow_ones_portrait(printed: dict[str, dict[str, Any]]) -> None:
    blank = printed["blank"]
    assert blank[SHEETS.LEDGER]["page"]["landscape"]
    assert not blank[SHEETS.INFO]["page"]["landscape"]
    assert not blank[SHEETS.HELP]["page"]["landscape"]


def test_the_header_is_repeated_on_every_page(printed: dict[str, dict[str, Any]]) -> None:
    """Sheets of more than one page with one header row: the header prints at the top of each."""
    long = [(kind, sheet, info) for kind, sheet, info in _sheets(printed)
            if len(info["pages"]) > 1 and info["page"]["title_rows"]]
    assert any(sheet == SHEETS.LEDGER for _, sheet, _ in long)
    for kind, sheet, info in long:
        first_lines = [text.splitlines() for text in info["text"]]
        header = next(line for line in first_lines[0] if "序号" in line or "单位" in line or "项目" in line)
        for lines in first_lines[1:]:
            assert header in lines[:8], (kind, sheet, header, lines[:8])


def test_tables_print_with_rules(printed: dict[str, dict[str, Any]]) -> None:
    """The ledger's rows, 基本信息 and the tool's own sheets draw cell borders in LibreOffice."""
    ruled = {("blank", SHEETS.INFO), ("blank", SHEETS.LEDGER), ("sample", SHEETS.LEDGER),
             ("sample", SHEETS.TEXT), ("annotated", SHEETS.RESULTS), ("annotated", SHEETS.SUMMARY),
             ("mailed", SHEETS.SUMMARY), ("merged", SHEETS.MERGE_DETAIL), ("merged", SHEETS.MERGE_SUMMARY)}
    for kind, sheet in ruled:
        pages = printed[kind][sheet]["pages"]
        assert len(pages[0][3]) >= 8, (kind, sheet)  # rules: at least a few rows' worth
    sample = printed["sample"][SHEETS.LEDGER]["pages"]
    rows = sum(1 for _ in sample)
    assert all(len(lines) > 20 for _, _, _, lines in sample), rows  # each data row is ruled


def test_a_row_typed_into_the_blank_ledger_prints_ruled(tmp_path: Path) -> None:
    """New rows carry the bordered column formats: ruled in LibreOffice without any table style."""
    import pdfplumber
    from openpyxl import load_workbook

    from rectify_xl.core.schema import COLUMNS

    blank = build_workbook(tmp_path / "空白.xlsx")
    wb = load_workbook(blank)
    ws = wb[SHEETS.LEDGER]
    for c in range(1, len(COLUMNS) + 1):
        ws.cell(4, c).value = "填写的内容"
    typed = tmp_path / "填写.xlsx"
    wb.save(typed)
    pdfs = tmp_path / "pdf"
    pdfs.mkdir()
    result = run_uno(UNO_DIR / "print_sheets.py", str(pdfs), str(blank), str(typed), timeout=120)
    with pdfplumber.open(result[str(typed)][SHEETS.LEDGER]["pdf"]) as pdf:
        page = pdf.pages[0]
        words = [w for w in page.extract_words() if "填写的内容" in w["text"]]
        assert words
        top, bottom = min(w["top"] for w in words), max(w["bottom"] for w in words)
        edges = page.lines + page.rects
    # rules at the sides of every typed cell: vertical strokes spanning the typed row
    verticals = {round(e["x0"]) for e in edges
                 if e["x1"] - e["x0"] < 1.5 and e["top"] <= top + 1 and e["bottom"] >= bottom - 1}
    assert len(verticals) >= len(COLUMNS) + 1
    below = [e for e in edges if e["bottom"] - e["top"] < 1.5 and bottom - 1 <= e["top"] <= bottom + 30
             and e["x1"] - e["x0"] > 200]
    assert below  # and a rule under it
