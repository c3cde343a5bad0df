"""`rectify-xl diff OLD NEW`: text and JSON over edited copies of the sample."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from rectify_xl.entrypoints.cli import cli
from tests.conftest import sha256
from tests.merge_helpers import sample_copy, write_ledger


def _versions(tmp_path: Path) -> tuple[Path, Path]:
    old = write_ledger(tmp_path / "九月.xlsx", sample_copy())
    records = sample_copy()
    records.measures.insert(0, dict(records.measures[0], measure="新增措施：建立问题整改台账"))
    for i, row in enumerate(records.measures, start=1):
        row["seq"] = str(i)  # renumbered after the insert
    records.measures[5]["deadline"] = date(2022, 6, 30)
    records.measures[8]["status"] = "正在推进"
    new = write_ledger(tmp_path / "十月.xlsx", records, merge_problems=True)
    return old, new


def test_diff_text_lists_each_change(tmp_path: Path) -> None:
    old, new = _versions(tmp_path)
    hashes = (sha256(old), sha256(new))
    result = CliRunner().invoke(cli, ["diff", str(old), str(new)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].endswith("新增1项、重新打开1项、延期1项")
    assert [line.strip()[:6] for line in lines[1:]] == ["【新增】第2", "【延期】第7", "【重新打开】"]
    assert (sha256(old), sha256(new)) == hashes


def test_diff_json(tmp_path: Path) -> None:
    old, new = _versions(tmp_path)
    hashes = (sha256(old), sha256(new))
    result = CliRunner().invoke(cli, ["diff", str(old), str(new), "--json"])
    data = json.loads(result.output)
    assert data["counts"] == {"新增": 1, "延期": 1, "重新打开": 1}
    assert data["unchanged"] == 21
    assert (sha256(old), sha256(new)) == hashes


def test_diff_of_a_missing_file_exits_2(tmp_path: Path) -> None:
    old, _ = _versions(tmp_path)
    before = sha256(old)
    result = CliRunner().invoke(cli, ["diff", str(old), str(tmp_path / "无.xlsx")])
    assert result.exit_code == 2
    assert "找不到文件" in result.output
    assert sha256(old) == before
