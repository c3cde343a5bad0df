"""Ledgers in the shapes real units keep (tests/ledger_corpus.py): found, mapped, counted (issue 14).

Every shape goes through the real commands on a real .xlsx: validate, summary --json, notice and
merge of a folder mixing them. Counts must equal what the rows say; an error that changes a count
must make summary/notice exit 1 and mark the output 未定稿; an optional sheet never makes exit 2.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rectify_xl.adapters.xlsx_reader import read_grids, read_ledger
from rectify_xl.core.schema import MERGE_SUMMARY_COLUMNS, SHEETS
from rectify_xl.entrypoints.cli import cli
from tests.conftest import sha256
from tests.ledger_corpus import CORPUS, Shape, build

IDS = [s.name for s in CORPUS]


def run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output


def test_the_corpus_is_large_and_varied() -> None:
    assert len(CORPUS) >= 12
    assert len({s.expected.sheet for s in CORPUS}) >= 8  # the ledger sheet under many names


@pytest.mark.parametrize("shape", CORPUS, ids=IDS)
def test_sheet_found_and_counts_equal_what_the_rows_say(shape: Shape, tmp_path: Path) -> None:
    path = build(shape, tmp_path)
    before = sha256(path)
    e = shape.expected
    ledger = read_ledger(path)
    assert ledger.ledger_sheet == e.sheet
    assert ledger.other_sheets == e.other_sheets
    code, out = run("summary", path, "--json", "--as-of", "2021-10-31")
    assert code == (0 if e.counts_final else 1), out
    data = json.loads(out[:out.rindex("}") + 1])
    got = (data["feedback_count"], data["problem_count"], data["measure_count"],
           data["measures_done"], data["measures_ongoing"], data["measures_basic"],
           data["measures_in_progress"], data["measures_unset"], data["problems_done"]
           + data["problems_ongoing"])
    assert got == (e.feedback, e.problems, e.measures, e.done, e.ongoing, e.basic,
                   e.in_progress, e.unset, e.problems_closed)
    assert data["final"] is e.counts_final
    assert bool(data["not_final"]) is not e.counts_final
    assert sha256(path) == before


@pytest.mark.parametrize("shape", CORPUS, ids=IDS)
def test_validate_reports_what_the_shape_has_and_never_refuses(shape: Shape, tmp_path: Path) -> None:
    path = build(shape, tmp_path)
    code, out = run("validate", path, "--json", "--as-of", "2021-10-31")
    assert code == shape.expected.validate_exit, out
    codes = {f["code"] for f in json.loads(out)["findings"]}
    assert set(shape.expected.codes) <= codes


@pytest.mark.parametrize("shape", CORPUS, ids=IDS)
def test_notice_is_final_only_when_nothing_changes_its_text(shape: Shape, tmp_path: Path) -> None:
    path = build(shape, tmp_path)
    out_file = tmp_path / "公告.txt"
    code, out = run("notice", path, "-o", out_file)
    final = shape.expected.notice_is_final
    assert code == (0 if final else 1), out
    text = out_file.read_text("utf-8")
    assert text.startswith("【未定稿】") is not final
    if not final:
        assert "未定稿" in out  # and the cells are named on stderr
    if "【待补：" in text:
        assert "警告：基本信息中缺少" in out


def test_merge_of_a_folder_mixing_every_shape_counts_each_unit(tmp_path: Path) -> None:
    folder = tmp_path / "各单位"
    folder.mkdir()
    for shape in CORPUS:
        build(shape, folder)
    out = tmp_path / "汇总.xlsx"
    code, output = run("merge", folder, "-o", out, "--as-of", "2021-10-31")
    assert code in (0, 1), output  # 1: some units' ledgers have errors (listed in 校验问题)
    keys = [k for k, _ in MERGE_SUMMARY_COLUMNS]
    rows = read_grids(out)[SHEETS.MERGE_SUMMARY].rows
    by_source = {Path(str(r[keys.index("source")])).stem: r for r in rows
                 if len(r) > keys.index("source") and r[keys.index("source")]}
    for shape in CORPUS:
        row = by_source[shape.name]
        e = shape.expected
        assert [row[keys.index(k)] for k in ("measures", "done", "ongoing", "basic",
                                             "in_progress")] == [
            e.measures, e.done, e.ongoing, e.basic, e.in_progress], shape.name
    assert not any("无法读取" in str(r) for r in read_grids(out)[SHEETS.MERGE_ROSTER].rows)


def test_no_ledger_at_all_is_exit_2_naming_sheets_and_what_was_looked_for(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active["A1"] = "本表按要求填报"
    wb.create_sheet("汇总表").append(["单位", "措施数"])
    wb.save(tmp_path / "x.xlsx")
    code, out = run("summary", tmp_path / "x.xlsx")
    assert code == 2
    assert "“说明”" in out and "“汇总表”" in out and "具体问题" in out and "整改措施" in out
