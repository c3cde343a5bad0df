"""The consolidated workbook opens in LibreOffice headless (a second, independent reader)."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from rectify_xl.services.merge import merge_ledgers
from tests.merge_helpers import unit_records, write_ledger

pytestmark = pytest.mark.libreoffice


@pytest.mark.skipif(not shutil.which("soffice") or not shutil.which("pdftotext"),
                    reason="LibreOffice or poppler-utils not installed")
def test_consolidated_workbook_converts_to_pdf_with_its_chinese_text(tmp_path: Path) -> None:
    write_ledger(tmp_path / "a.xlsx", unit_records("县委办", overdue=2))
    write_ledger(tmp_path / "b.xlsx", unit_records("县司法局", overdue=0))
    out = tmp_path / "out" / "汇总.xlsx"
    out.parent.mkdir()
    merge_ledgers([tmp_path / "a.xlsx", tmp_path / "b.xlsx"], out)
    profile = tmp_path / f"lo-profile-{uuid.uuid4().hex}"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(out)],
        check=True, capture_output=True, timeout=120,
    )
    pdf = tmp_path / "pdf" / "汇总.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True, timeout=60).stdout
    assert "巡察整改进展汇总表" in text
    assert "县司法局" in text and "合计" in text
    assert text.index("县委办") < text.index("县司法局")  # worst first
