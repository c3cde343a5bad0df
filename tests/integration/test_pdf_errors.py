"""PDF conversion failures are one clear OutputError, never a hang or a traceback."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from rectify_xl.adapters.pdf import convert_to_pdf, find_soffice, pdf_available
from rectify_xl.adapters.sample_data import sample_ledger
from rectify_xl.errors import OutputError
from rectify_xl.services.document import write_notice_document


def _fake_soffice(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "soffice"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    return script


@pytest.fixture
def docx(tmp_path: Path) -> Path:
    out = tmp_path / "公告.docx"
    write_notice_document(sample_ledger(), "正文", out)
    return out


def test_missing_libreoffice_is_reported_and_the_docx_is_still_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A .pdf request without LibreOffice leaves the .docx and says how to get a PDF."""
    monkeypatch.setenv("RECTIFY_XL_SOFFICE", str(tmp_path / "no-such-soffice"))
    assert not pdf_available()
    with pytest.raises(OutputError, match="未找到 LibreOffice"):
        write_notice_document(sample_ledger(), "正文", tmp_path / "公告.pdf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["公告.docx"]


def test_conversion_that_hangs_is_stopped_at_the_time_out(
        docx: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECTIFY_XL_SOFFICE", str(_fake_soffice(tmp_path, "sleep 30")))
    started = time.monotonic()
    with pytest.raises(OutputError, match=re.escape("“公告.docx”转换为 PDF 超时（1 秒）")):
        convert_to_pdf(docx, tmp_path / "公告.pdf", timeout=1)
    assert time.monotonic() - started < 10
    assert not (tmp_path / "公告.pdf").exists()


def test_failed_conversion_names_the_exit_code(
        docx: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECTIFY_XL_SOFFICE", str(_fake_soffice(tmp_path, "echo broken >&2; exit 3")))
    message = "未能把“公告.docx”转换为 PDF（退出码 3，LibreOffice 提示：broken）"
    with pytest.raises(OutputError, match=re.escape(message)):
        convert_to_pdf(docx, tmp_path / "公告.pdf")


def test_conversion_that_writes_nothing_is_an_error(
        docx: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECTIFY_XL_SOFFICE", str(_fake_soffice(tmp_path, "exit 0")))
    with pytest.raises(OutputError, match="未能"):
        convert_to_pdf(docx, tmp_path / "公告.pdf")


def test_soffice_gets_a_private_profile_and_a_copy_of_the_input(
        docx: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """-env:UserInstallation is a fresh folder; the user's file is never handed to LibreOffice."""
    log = tmp_path / "args.txt"
    fake = _fake_soffice(tmp_path, f'printf "%s\\n" "$@" > "{log}"; exit 0')
    monkeypatch.setenv("RECTIFY_XL_SOFFICE", str(fake))
    assert find_soffice() == str(fake)
    with pytest.raises(OutputError):
        convert_to_pdf(docx, tmp_path / "公告.pdf")
    args = log.read_text(encoding="utf-8").splitlines()
    profile = next(a for a in args if a.startswith("-env:UserInstallation=file://"))
    assert "rectify-pdf-" in profile
    assert str(docx) not in args and "--headless" in args


def test_pdf_that_is_open_is_refused_before_libreoffice_starts(
        docx: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A ~$ lock beside the PDF: LockedError at once, the old PDF untouched, soffice never run."""
    from rectify_xl.errors import LockedError

    started = tmp_path / "started"
    monkeypatch.setenv("RECTIFY_XL_SOFFICE", str(_fake_soffice(tmp_path, f'touch "{started}"')))
    pdf = tmp_path / "公告.pdf"
    pdf.write_bytes(b"%PDF old")
    (tmp_path / "~$公告.pdf").write_bytes(b"lock")
    with pytest.raises(LockedError, match=re.escape("公告.pdf")):
        convert_to_pdf(docx, pdf)
    assert pdf.read_bytes() == b"%PDF old" and not started.exists()
