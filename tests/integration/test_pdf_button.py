"""The 生成公告 button (COM branch, fake book over openpyxl): .docx beside the workbook, and the PDF
where LibreOffice is installed, with a message when it is not (issue 6, deliverable 1)."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from rectify_xl.entrypoints import buttons
from rectify_xl.services.workbench import notice_file_names
from tests.buttons_helpers import FakeComBook
from tests.conftest import sample_records_copy, sha256, write_xlsx_openpyxl
from tests.document_helpers import squeeze


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    folder = tmp_path / "整改 台账"
    folder.mkdir()
    return write_xlsx_openpyxl(folder / "台账.xlsx", sample_records_copy())


def _click(path: Path) -> str:
    book = FakeComBook(openpyxl.load_workbook(path), str(path))
    buttons.notice(book)
    return str(book.alerts[-1]["prompt"])


def _names(path: Path) -> tuple[Path, Path, Path]:
    txt, docx = (path.parent / name for name in notice_file_names(path.stem))
    return txt, docx, docx.with_suffix(".pdf")


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_button_writes_docx_and_pdf_beside_the_workbook(
        ledger: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With LibreOffice: .txt, .docx and .pdf beside the book, each named in the message."""
    import pdfplumber

    before = sha256(ledger)
    prompt = _click(ledger)
    txt, docx, pdf = _names(ledger)
    assert all(p.is_file() and str(p) in prompt for p in (txt, docx, pdf)), prompt
    with pdfplumber.open(pdf) as doc:
        first = doc.pages[0]
        assert (round(float(first.width)), round(float(first.height))) == (595, 842)
        pdf_text = "".join(page.extract_text() or "" for page in doc.pages)
    assert squeeze(txt.read_text("utf-8")[:200]) in squeeze(pdf_text)
    assert "LibreOffice" not in prompt
    assert sha256(ledger) == before


def test_button_without_libreoffice_writes_the_docx_and_says_so(
        ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECTIFY_XL_SOFFICE", str(tmp_path / "no-soffice"))
    before = sha256(ledger)
    prompt = _click(ledger)
    _, docx, pdf = _names(ledger)
    assert docx.is_file() and not pdf.exists()
    assert "未找到 LibreOffice，未生成 PDF" in prompt and "Word 文档已生成" in prompt
    assert str(docx) in prompt
    assert sha256(ledger) == before


def test_button_leaves_a_pdf_that_is_open_alone_and_keeps_the_docx(
        ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A ~$ lock beside the PDF: the PDF is not overwritten, the message names it."""
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nexit 99\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("RECTIFY_XL_SOFFICE", str(fake))  # must not even be started
    _, docx, pdf = _names(ledger)
    pdf.write_bytes(b"%PDF old")
    (pdf.parent / f"~${pdf.name}").write_bytes(b"lock")
    prompt = _click(ledger)
    assert docx.is_file() and pdf.read_bytes() == b"%PDF old"
    assert "PDF 未生成" in prompt and pdf.name in prompt
