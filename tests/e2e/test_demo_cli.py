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


def test_demo_output_folder_that_is_a_file_is_exit_2(tmp_path: Path) -> None:
    """-o naming an existing file: one Chinese line, the file untouched."""
    target = tmp_path / "演示.txt"
    target.write_text("原有内容", encoding="utf-8")
    for out in (target, target / "子目录"):
        result = CliRunner().invoke(cli, ["demo", "-o", str(out)])
        assert result.exit_code == 2, result.output
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("错误：") and "演示.txt" in lines[0]
    assert target.read_text(encoding="utf-8") == "原有内容"


def test_demo_never_overwrites_a_file_open_in_excel(tmp_path: Path) -> None:
    """A ~$ lock beside an earlier demo output stops the run; that output is unchanged."""
    out = tmp_path / "demo-output"
    out.mkdir()
    blank = out / "整改台账-空白.xlsx"
    blank.write_bytes(b"earlier")
    (out / "~$整改台账-空白.xlsx").write_bytes(b"lock")
    result = CliRunner().invoke(cli, ["demo", "-o", str(out)])
    assert result.exit_code == 2
    assert "整改台账-空白.xlsx" in result.stderr and "Traceback" not in result.output
    assert blank.read_bytes() == b"earlier"
