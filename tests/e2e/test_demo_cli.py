"""`rectify-xl demo` writes every main output for the bundled sample."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from rectify_xl.adapters.xlsx_reader import read_ledger
from rectify_xl.entrypoints.cli import cli


def test_demo_writes_blank_ledgers_sample_report_summary_and_notice(tmp_path: Path) -> None:
    """The demo output is complete, the sample validates without errors, files are real."""
    out = tmp_path / "demo-output"
    result = CliRunner().invoke(cli, ["demo", "-o", str(out)])
    assert result.exit_code == 0, result.output
    names = {p.name for p in out.iterdir()}
    assert {"整改台账-空白.xlsx", "整改台账-空白.xlsm", "示例台账.xlsx", "示例台账-校验结果.txt",
            "示例台账-校验结果.json", "示例台账-进度汇总.json", "示例台账-整改进展情况公告.txt",
            "示例台账-整改进展情况公告.docx"} <= names
    report = json.loads((out / "示例台账-校验结果.json").read_text(encoding="utf-8"))
    assert report["valid"] is True and report["stats"]["error"] == 0
    summary = json.loads((out / "示例台账-进度汇总.json").read_text(encoding="utf-8"))
    assert (summary["problem_count"], summary["measure_count"]) == (10, 23)
    notice = (out / "示例台账-整改进展情况公告.txt").read_text(encoding="utf-8")
    assert "细化分解了10个问题" in notice
    assert len(read_ledger(out / "示例台账.xlsx").measures) == 23
    for name in names:
        assert name in result.output  # every file written is listed
