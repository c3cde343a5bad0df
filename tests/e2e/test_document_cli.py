"""`rectify-xl notice LEDGER -o X.docx|X.pdf [--profile] [--reference]` with the real document service."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from docx import Document
from docx.shared import Mm

from rectify_xl.adapters.profiles import load_profile
from rectify_xl.adapters.reference_docx import build_reference
from rectify_xl.entrypoints.cli import cli
from tests.conftest import sample_records_copy, sha256, write_xlsx_openpyxl
from tests.document_helpers import squeeze

MM_EMU = 36000


def run(*args: object) -> Result:
    return CliRunner().invoke(cli, ["notice", *map(str, args)])


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Path]:
    """The input ledger; every test ends by checking it is byte for byte unchanged."""
    path = write_xlsx_openpyxl(tmp_path / "台账.xlsx", sample_records_copy())
    before = sha256(path)
    yield path
    assert sha256(path) == before


def test_docx_with_house_profile_and_reference_leaves_every_input_unchanged(
        ledger: Path, tmp_path: Path) -> None:
    """The reference's page set-up wins over the profile's; text equals the .txt notice."""
    profile = tmp_path / "本单位版式.toml"
    profile.write_text("[page]\ntop_mm = 30\n", encoding="utf-8")
    ref_doc = build_reference(load_profile(), samples=True)
    ref_doc.sections[-1].left_margin = Mm(31)
    reference = tmp_path / "参考.docx"
    ref_doc.save(str(reference))
    inputs = {p: sha256(p) for p in (ledger, profile, reference)}

    out = tmp_path / "公告.docx"
    result = run(ledger, "-o", out, "--profile", profile, "--reference", reference)
    assert result.exit_code == 0, result.output
    assert run(ledger, "-o", tmp_path / "公告.txt").exit_code == 0

    doc = Document(str(out))
    assert round(doc.sections[-1].left_margin / MM_EMU) == 31
    paragraphs = [p.text for p in doc.paragraphs if p.text]
    txt = (tmp_path / "公告.txt").read_text(encoding="utf-8")
    assert squeeze("".join(paragraphs[1:-2])) == squeeze(txt)
    assert {p: sha256(p) for p in inputs} == inputs


def test_pdf_without_libreoffice_is_exit_2_and_keeps_the_docx(
        ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECTIFY_XL_SOFFICE", str(tmp_path / "no-soffice"))
    before = sha256(ledger)
    result = run(ledger, "-o", tmp_path / "公告.pdf")
    assert result.exit_code == 2
    assert "未找到 LibreOffice" in result.output
    assert (tmp_path / "公告.docx").is_file() and not (tmp_path / "公告.pdf").exists()
    assert sha256(ledger) == before


def test_broken_profile_is_exit_2_with_the_key(ledger: Path, tmp_path: Path) -> None:
    profile = tmp_path / "p.toml"
    profile.write_text("[fonts.body]\nsize = 16\n", encoding="utf-8")
    result = run(ledger, "-o", tmp_path / "公告.docx", "--profile", profile)
    assert result.exit_code == 2
    assert "版式文件“p.toml”有误" in result.output and "fonts.body.size" in result.output
    assert not (tmp_path / "公告.docx").exists()


def test_pdf_with_no_soffice_on_path_is_exit_2_in_chinese_and_keeps_the_docx(
        ledger: Path, tmp_path: Path) -> None:
    """As staff run it, in a subprocess whose PATH has no LibreOffice: the .docx is named."""
    folder = tmp_path / "输出 文件夹"
    folder.mkdir()
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "RECTIFY_XL_SOFFICE"}
    env["PATH"] = str(empty)
    before = sha256(ledger)
    proc = subprocess.run([sys.executable, "-m", "rectify_xl", "notice", str(ledger), "-o",
                           str(folder / "公告.pdf")], capture_output=True, text=True, env=env,
                          timeout=60, check=False)
    assert proc.returncode == 2, proc.stderr
    docx = folder / "公告.docx"
    assert proc.stderr.strip().splitlines() == [
        f"错误：未找到 LibreOffice，无法生成 PDF；Word 文档已生成：{docx}（可在 Word/WPS 中“另存为 PDF”）"]
    assert "Traceback" not in proc.stdout + proc.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["公告.docx"]
    assert sha256(ledger) == before


@pytest.mark.parametrize("out_name", ["参考.docx", "参考.pdf"])
def test_output_that_would_overwrite_the_reference_is_refused(
        ledger: Path, tmp_path: Path, out_name: str) -> None:
    """-o 参考.docx (or -o 参考.pdf, whose .docx lands beside it) never replaces the reference."""
    reference = tmp_path / "参考.docx"
    build_reference(load_profile()).save(str(reference))
    before = sha256(reference)
    result = run(ledger, "-o", tmp_path / out_name, "--reference", reference)
    assert result.exit_code == 2
    assert "就是输入文件“参考.docx”" in result.output
    assert sha256(reference) == before
    assert not (tmp_path / "参考.pdf").exists()


def test_pdf_request_with_the_pdf_open_writes_nothing(ledger: Path, tmp_path: Path) -> None:
    """A ~$ lock beside the PDF stops the run before the .docx is written (not half a result)."""
    (tmp_path / "~$公告.pdf").write_bytes(b"lock")
    result = run(ledger, "-o", tmp_path / "公告.pdf")
    assert result.exit_code == 2
    assert "公告.pdf" in result.output and "锁定文件" in result.output
    assert not (tmp_path / "公告.docx").exists()
