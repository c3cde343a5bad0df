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


def _edited_sample_copies(tmp_path: Path) -> tuple[Path, Path]:
    """Two months of the shipped sample as a unit edits it in Excel: in September measure 7 is
    still open; in October two rows are inserted above the data and 序号 renumbered, measure 7
    is closed, measure 3 reopened, measure 5 postponed, measure 11 advanced and measure 9 handed
    to another department."""
    from openpyxl import load_workbook

    from tests.conftest import SAMPLE_XLSX

    wb = load_workbook(SAMPLE_XLSX)
    ws = wb["整改清单"]
    ws["I10"], ws["J10"] = "正在推进", None
    old = tmp_path / "台账-九月.xlsx"
    wb.save(old)
    ws["I10"], ws["J10"] = "已完成", date(2021, 10, 25)  # closed (销号)
    ws["I6"] = "正在推进"  # reopened
    ws["H8"] = date(2021, 12, 31)  # postponed from 2021-09-30
    ws["H14"] = date(2021, 7, 31)  # advanced from 2021-10-15
    ws["G12"] = "政治部"  # responsibility changed
    ws.insert_rows(5, 2)
    for r, text in ((5, "新增措施：建立学习台账并每月通报"), (6, "新增措施：开展专项督查")):
        for col, value in zip("BCDEFGHI", [ws["B4"].value, ws["C4"].value, "新增具体问题", text,
                                            "常务副书记", "办公室", date(2021, 12, 31), "正在推进"],
                              strict=True):
            ws[f"{col}{r}"] = value
    for seq, r in enumerate(range(4, ws.max_row + 1), start=1):
        ws[f"A{r}"] = str(seq)  # renumbered after the insert
    new = tmp_path / "台账-十月.xlsx"
    wb.save(new)
    return old, new


def test_diff_of_edited_copies_of_the_shipped_sample(tmp_path: Path) -> None:
    """Inserted rows and renumbering move every measure, yet only the real edits are reported."""
    old, new = _edited_sample_copies(tmp_path)
    hashes = (sha256(old), sha256(new))
    result = CliRunner().invoke(cli, ["diff", str(old), str(new), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [(c["kinds"], c["old_row"], c["new_row"]) for c in data["changes"]] == [
        (["新增"], None, 5), (["新增"], None, 6), (["重新打开"], 6, 8), (["延期"], 8, 10),
        (["销号"], 10, 12), (["责任变更"], 12, 14), (["提前"], 14, 16)]
    assert data["changes"][5]["fields"] == [{"column": "责任部门", "old": "执法监督室", "new": "政治部"}]
    assert data["unchanged"] == 23 - 5
    text = CliRunner().invoke(cli, ["diff", str(old), str(new)]).output
    assert text.splitlines()[0] == ("【县委政法委】台账-九月.xlsx → 台账-十月.xlsx：新增2项、销号1项、"
                                    "重新打开1项、延期1项、提前1项、责任变更1项")
    assert (sha256(old), sha256(new)) == hashes


def test_diff_refuses_a_consolidated_workbook(tmp_path: Path) -> None:
    """A 汇总 workbook is not one unit's ledger: exit 2 with a hint, not 23 removed measures."""
    old, _ = _versions(tmp_path)
    out = tmp_path / "汇总.xlsx"
    assert CliRunner().invoke(cli, ["merge", str(old), "-o", str(out)]).exit_code == 0
    before = (sha256(old), sha256(out))
    result = CliRunner().invoke(cli, ["diff", str(old), str(out)])
    assert result.exit_code == 2
    assert "“汇总.xlsx”是汇总表，不是单位台账" in result.output and "Traceback" not in result.output
    assert (sha256(old), sha256(out)) == before
