"""The sample ledger reproduces the published 2021 notice line for line, except its two errors.

The published copy had its full-width punctuation turned half-width; we write full width, so
lines are compared after NFKC normalisation. The published text is kept in the repo
(tests/data/notices/seed-2021.txt) so the check runs from a clean clone.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from rectify_xl.adapters.sample_data import sample_ledger
from rectify_xl.entrypoints.cli import cli
from rectify_xl.services.ledger import make_notice, notice_text
from tests.conftest import SAMPLE_XLSX, SEED_NOTICE, sample_records_copy, sha256, write_xlsx_openpyxl

PUBLISHED = SEED_NOTICE
# sha256 of the notice as published (../shared/seed/000_719e4fcc749bedb7.txt)
PUBLISHED_SHA256 = "7a3ff3585388a6eaf99c611ea7ccfce75f2a00c6542b62ab83fdbdba4603b34e"

# The only lines that differ, after NFKC: (published, generated).
EXPECTED_DIFFERENCES = {
    # (a) the fourth aspect was numbered (二) again and lost its full stop
    ("(二)聚焦基层党组织领导干部和干部队伍建设方面",
     "(四)聚焦基层党组织领导干部和干部队伍建设方面。"),
    # (b) the summary sentence counted 9 concrete problems; the ledger (and the notice) has 10
    ("截至目前,整改工作取得积极进展。县委政法委根据巡察反馈的6个问题细化分解了9个问题,"
     "已完成9个并将长期坚持。持续性开展的整改措施均取得了阶段性成效。",
     "截至目前,整改工作取得积极进展。县委政法委根据巡察反馈的6个问题细化分解了10个问题,"
     "已完成10个并将长期坚持。持续性开展的整改措施均取得了阶段性成效。"),
}


def _lines(text: str) -> list[str]:
    return [unicodedata.normalize("NFKC", line) for line in text.rstrip("\n").split("\n")]


def assert_reproduces_published(text: str) -> None:
    published, generated = _lines(PUBLISHED.read_text(encoding="utf-8")), _lines(text)
    assert len(generated) == len(published) == 40
    differing = {(p, g) for p, g in zip(published, generated, strict=True) if p != g}
    assert differing == EXPECTED_DIFFERENCES
    same = sum(p == g for p, g in zip(published, generated, strict=True))
    assert same == 38


def test_repo_copy_is_the_published_text() -> None:
    """The committed copy is byte for byte the published original (no skip on a clean clone)."""
    assert sha256(PUBLISHED) == PUBLISHED_SHA256


def test_sample_data_reproduces_the_published_notice() -> None:
    """From the packaged sample data through the shipped template."""
    assert_reproduces_published(notice_text(sample_ledger()))


def test_generated_text_uses_full_width_punctuation() -> None:
    """Official documents use ，：；（）; the published copy lost them, we do not."""
    text = notice_text(sample_ledger())
    assert "（四）聚焦基层党组织" in text and "联系方式：电话" in text
    assert not {",", ":", ";", "(", ")"} & set(text.replace("dl3253456@163.com", ""))


def test_built_sample_workbook_reproduces_the_published_notice() -> None:
    """workbook/samples/seed-notice-2021.xlsx (built with XlsxWriter) gives the same text."""
    # committed (issue 2 deliverable 7): a missing file is a failure, not a skip
    assert SAMPLE_XLSX.is_file(), "run scripts/build_workbooks.py and commit the sample"
    before = sha256(SAMPLE_XLSX)
    assert_reproduces_published(make_notice(SAMPLE_XLSX))
    assert sha256(SAMPLE_XLSX) == before


@pytest.mark.parametrize("merge_problems", [False, True], ids=["repeated", "merged"])
def test_cli_on_an_openpyxl_workbook_reproduces_the_published_notice(
        tmp_path: Path, merge_problems: bool) -> None:
    """`rectify-xl notice` on a file written by plain openpyxl, problem cells repeated or merged."""
    path = write_xlsx_openpyxl(tmp_path / "台账.xlsx", sample_records_copy(),
                               merge_problems=merge_problems)
    before = sha256(path)
    result = CliRunner().invoke(cli, ["notice", str(path)])
    assert result.exit_code == 0, result.output
    assert_reproduces_published(result.stdout)
    assert sha256(path) == before
