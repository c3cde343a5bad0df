"""notice → check-notice --ledger: the tool's own notice matches the ledger it was written from.

Ledgers are written as real .xlsx files; the notice comes from the real `rectify-xl notice`,
and is checked with the real `rectify-xl check-notice --ledger`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from rectify_xl.core.notice.render import NO_NARRATIVE, PROGRESS_LABEL
from rectify_xl.core.records import LedgerRecords
from rectify_xl.core.schema import Status
from rectify_xl.entrypoints.cli import cli
from tests.conftest import (
    BASE_INFO,
    SAMPLE_XLSX,
    measure_row,
    open_row,
    sample_records_copy,
    write_xlsx_openpyxl,
)


def _run(*args: object) -> Result:
    return CliRunner().invoke(cli, [*map(str, args)])


def _ledger(tmp_path: Path, rows: list[dict[str, Any]], name: str = "台账.xlsx") -> Path:
    records = LedgerRecords(info=dict(BASE_INFO), measures=rows, texts=[])
    return write_xlsx_openpyxl(tmp_path / name, records)


def _notice(tmp_path: Path, ledger: Path) -> Path:
    out = tmp_path / f"{ledger.stem}-公告.txt"
    result = _run("notice", ledger, "-o", out)
    assert result.exit_code == 0, result.output
    return out


def _check(notice: Path, ledger: Path) -> tuple[int, list[dict[str, Any]]]:
    result = _run("check-notice", notice, "--ledger", ledger, "--json")
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.output)["findings"]


def _errors(findings: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(f["code"], f["message"]) for f in findings if f["severity"] == "error"]


def _problem(n: int, aspect: str = "作风建设方面") -> dict[str, str]:
    return {"aspect": aspect, "feedback": f"反馈问题{n}", "problem": f"具体问题{n}表现在某方面"}


def _all_in_progress_rows() -> list[dict[str, Any]]:
    """Problem 1 closed with two narratives, problem 2 all 正在推进 with none, problem 3 closed."""
    return [
        measure_row(seq="1", measure="制定学习计划"),
        measure_row(seq="2", measure="开展专题学习", progress="组织专题学习4次。"),
        open_row(seq="3", measure="建立调研制度", **_problem(2)),
        open_row(seq="4", measure="开展走访调研", **_problem(2)),
        measure_row(seq="5", measure="整改台账管理", progress="建立台账动态管理机制。", **_problem(3)),
    ]


def test_problem_all_in_progress_is_no_measure_count_error(tmp_path: Path) -> None:
    """The stock line 整改落实情况：正在推进整改。 is not an item: no RX803, no error at all."""
    ledger = _ledger(tmp_path, _all_in_progress_rows())
    notice = _notice(tmp_path, ledger)
    assert PROGRESS_LABEL + NO_NARRATIVE[Status.IN_PROGRESS] in notice.read_text("utf-8")
    code, findings = _check(notice, ledger)
    assert _errors(findings) == [] and code == 0, findings


def test_a_missing_item_is_still_a_measure_count_error(tmp_path: Path) -> None:
    """One item taken out of the notice: RX803 for that problem, the stock line not counted."""
    ledger = _ledger(tmp_path, _all_in_progress_rows())
    notice = _notice(tmp_path, ledger)
    text = notice.read_text("utf-8")
    two = "整改落实情况：一是制定了年度学习计划并组织实施。二是组织专题学习4次。"
    assert two in text
    notice.write_text(text.replace(two, "整改落实情况：制定了年度学习计划并组织实施。"), "utf-8")
    code, findings = _check(notice, ledger)
    measure_errors = [f for f in findings if f["code"] == "RX803"]
    assert code == 1 and len(measure_errors) == 1, findings
    assert measure_errors[0]["extra"]["notice"] == 1 and measure_errors[0]["extra"]["ledger"] == 2


def test_a_real_item_where_the_ledger_has_none_is_a_count_error(tmp_path: Path) -> None:
    """The stock line replaced by a made-up narrative: the ledger has no item for it."""
    ledger = _ledger(tmp_path, _all_in_progress_rows())
    notice = _notice(tmp_path, ledger)
    stock = PROGRESS_LABEL + NO_NARRATIVE[Status.IN_PROGRESS]
    notice.write_text(notice.read_text("utf-8").replace(stock, PROGRESS_LABEL + "已建立调研制度。"),
                      "utf-8")
    code, findings = _check(notice, ledger)
    assert code == 1 and [f["code"] for f in findings if f["severity"] == "error"] == ["RX803"]


def test_a_stock_line_with_the_wrong_status_is_flagged(tmp_path: Path) -> None:
    """正在推进 in the ledger but the notice's stock line says 已完成整改: RX804, not RX803."""
    ledger = _ledger(tmp_path, _all_in_progress_rows())
    notice = _notice(tmp_path, ledger)
    notice.write_text(notice.read_text("utf-8").replace(
        PROGRESS_LABEL + NO_NARRATIVE[Status.IN_PROGRESS], PROGRESS_LABEL + NO_NARRATIVE[Status.DONE]),
        "utf-8")
    _code, findings = _check(notice, ledger)
    codes = [f["code"] for f in findings]
    assert "RX804" in codes and "RX803" not in codes, findings


def _mixed_rows() -> list[list[dict[str, Any]]]:
    basic = {"status": "基本完成", "done_date": None}
    return [
        # every status, each problem without any narrative: all four stock lines
        [
            measure_row(seq="1", progress=""),
            open_row(seq="2", **_problem(2)),
            measure_row(seq="3", progress="", **basic, **_problem(3)),
            measure_row(seq="4", status="长期坚持", progress="", **_problem(4, "组织建设方面")),
        ],
        # narratives and stock lines mixed, partly narrated problems, 基本完成 with a narrative
        [
            measure_row(seq="1"),
            open_row(seq="2", measure="第二项措施"),
            open_row(seq="3", progress="已完成初稿。", **_problem(2)),
            open_row(seq="4", measure="另一项", **_problem(2)),
            measure_row(seq="5", progress="已形成阶段性成果。", **basic, **_problem(3)),
            measure_row(seq="6", measure="另一项", **_problem(3)),
            measure_row(seq="7", status="长期坚持", progress="坚持每月研究一次。",
                        **_problem(4, "组织建设方面")),
            open_row(seq="8", **_problem(5, "组织建设方面")),
        ],
        # nothing closed yet
        [open_row(seq="1"), open_row(seq="2", measure="第二项"), open_row(seq="3", **_problem(2))],
    ]


@pytest.mark.parametrize("case", range(len(_mixed_rows())))
def test_round_trip_of_built_ledgers_has_no_error(tmp_path: Path, case: int) -> None:
    ledger = _ledger(tmp_path, _mixed_rows()[case])
    code, findings = _check(_notice(tmp_path, ledger), ledger)
    assert _errors(findings) == [] and code == 0, findings


def test_round_trip_of_the_sample_ledgers_has_no_error(tmp_path: Path) -> None:
    """The bundled sample (as records written by openpyxl, and as the committed workbook)."""
    built = write_xlsx_openpyxl(tmp_path / "样例.xlsx", sample_records_copy())
    for ledger in (built, SAMPLE_XLSX):
        _code, findings = _check(_notice(tmp_path, ledger), ledger)
        assert _errors(findings) == [], (ledger.name, findings)


def test_a_wrong_basic_split_is_still_a_count_error(tmp_path: Path) -> None:
    """已完成A个，基本完成…B个，正在推进C个: each part is compared with the ledger's own split."""
    ledger = _ledger(tmp_path, _mixed_rows()[1])
    notice = _notice(tmp_path, ledger)
    text = notice.read_text("utf-8")
    right = "基本完成、取得阶段性成果并持续整改1个，正在推进3个"
    assert right in text
    notice.write_text(text.replace(right, "基本完成、取得阶段性成果并持续整改2个，正在推进2个"), "utf-8")
    code, findings = _check(notice, ledger)
    stated = {f["extra"]["stated"] for f in findings if f["code"] == "RX805"}
    assert code == 1 and stated == {"基本完成、取得阶段性成果并持续整改2个", "正在推进2个"}, findings


def test_the_basic_part_is_not_also_read_as_in_progress() -> None:
    """The 持续整改1个 inside the 基本完成 part is that part, not a 正在推进 count of its own."""
    from rectify_xl.core.notice.facts import stated_counts
    from rectify_xl.core.structure import Para

    text = "已完成2个，基本完成、取得阶段性成果并持续整改1个，正在推进1个。"
    counts = [(c.kind, c.value) for c in stated_counts([Para(1, text)])]
    assert ("partly", 1) in counts and counts.count(("in_progress", 1)) == 1
    assert [k for k, _ in counts].count("in_progress") == 1
