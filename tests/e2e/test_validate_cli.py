"""`rectify-xl validate`: text and JSON output, exit codes 0/1/2, bad inputs, input unchanged."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from rectify_xl.entrypoints.cli import cli
from tests.conftest import measure_row, sample_records_copy, sha256

OPEN = {"status": "正在推进", "done_date": None, "progress": ""}


def run(*args: object) -> Result:
    return CliRunner().invoke(cli, ["validate", *map(str, args)])


def run_unchanged(path: Path, *args: object) -> Result:
    """Run validate on path and assert the file's bytes are the same afterwards."""
    before = sha256(path) if path.is_file() else None
    result = run(path, *args)
    if before is not None:
        assert sha256(path) == before
    return result


class TestExitCodes:
    def test_sample_passes_with_its_slips_as_warnings(
            self, make_ledger_xlsx: Callable[..., Path]) -> None:
        path = make_ledger_xlsx(sample_records_copy(), name="样例台账.xlsx")
        result = run_unchanged(path)
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        # 五中全(会)精神, 学习贯彻的(得)不够到位, 制定勒(了), 健(建)立 in measure and progress:
        # found by general rules
        assert [line.split()[:3] for line in lines[:-1]] == [
            ["警告", "RX603", "整改清单!K4"], ["警告", "RX603", "整改清单!D5"],
            ["警告", "RX603", "整改清单!K8"], ["警告", "RX603", "整改清单!E10"],
            ["警告", "RX603", "整改清单!K10"]]
        assert lines[-1] == "样例台账.xlsx：通过，共5项（错误0项，警告5项，提示0项）"

    def test_merged_problem_cells_and_title_rows_shift_the_cells(
            self, make_ledger_xlsx: Callable[..., Path]) -> None:
        """Header on row 3, problems merged: the same slips, two rows lower, no more."""
        path = make_ledger_xlsx(sample_records_copy(), merge_problems=True, title_rows=2)
        data = json.loads(run_unchanged(path, "--json").stdout)
        assert [(f["code"], f["cell"]) for f in data["findings"]] == [
            ("RX603", "K6"), ("RX603", "D7"), ("RX603", "K10"), ("RX603", "E12"), ("RX603", "K12")]

    def test_published_count_sentence_in_text_sheet_fails_the_sample(
            self, make_ledger_xlsx: Callable[..., Path]) -> None:
        records = sample_records_copy()
        records.texts.append({"section": "一", "lead": "",
                              "body": "县委政法委根据巡察反馈的6个问题细化分解了9个问题，"
                                      "已完成9个并将长期坚持。"})
        result = run_unchanged(make_ledger_xlsx(records))
        assert result.exit_code == 1
        errors = [line for line in result.stdout.splitlines() if line.startswith("错误")]
        row = len(records.texts) + 1
        assert [line.split()[1:3] for line in errors] == [
            ["RX503", f"文稿!C{row}"], ["RX504", f"文稿!C{row}"]]
        assert "台账中的具体问题共10个" in errors[0]

    def test_errors_give_exit_1_and_errors_come_first(
            self, make_ledger_xlsx: Callable[..., Path]) -> None:
        path = make_ledger_xlsx(rows=[measure_row(seq="1", **OPEN, deadline=date(2021, 9, 1)),
                                      measure_row(seq="2", measure="二", deadline="下月")])
        result = run_unchanged(path)
        assert result.exit_code == 1, result.output
        first, second = result.stdout.splitlines()[:2]
        assert first.startswith("错误 RX301 整改清单!H3 ")
        assert second.startswith("警告 RX309 整改清单!H2 ")
        assert "未通过" in result.stdout.splitlines()[-1]

    def test_strict_fails_on_warnings_only(self, make_ledger_xlsx: Callable[..., Path]) -> None:
        path = make_ledger_xlsx(rows=[measure_row(**OPEN, deadline=date(2021, 9, 1))])
        assert run_unchanged(path).exit_code == 0
        assert run_unchanged(path, "--strict").exit_code == 1

    def test_as_of_option_moves_the_overdue_line(
            self, make_ledger_xlsx: Callable[..., Path]) -> None:
        path = make_ledger_xlsx(rows=[measure_row(**OPEN, deadline=date(2021, 9, 1))])
        assert "RX309" in run_unchanged(path).stdout
        early = run_unchanged(path, "--as-of", "2021-08-25", "--json")
        codes = [f["code"] for f in json.loads(early.stdout)["findings"]]
        assert codes == ["RX310", "RX326"]  # due soon, and behind schedule (序时进度)

    def test_header_only_ledger_is_an_error_finding(
            self, make_ledger_xlsx: Callable[..., Path]) -> None:
        result = run_unchanged(make_ledger_xlsx(rows=[]))
        assert result.exit_code == 1
        assert "RX104" in result.stdout


class TestJson:
    def test_json_shape(self, make_ledger_xlsx: Callable[..., Path]) -> None:
        path = make_ledger_xlsx(rows=[measure_row(status="搞定", deadline=date(2021, 12, 31),
                                                  percent=0.9)],
                                name="台账.xlsx")
        result = run_unchanged(path, "--json")
        assert result.exit_code == 1
        data = json.loads(result.stdout)
        assert (data["source"], data["valid"]) == ("台账.xlsx", False)
        assert data["stats"] == {"error": 1, "warning": 0, "info": 0}
        finding = data["findings"][0]
        assert {k: finding[k] for k in ("code", "severity", "sheet", "cell", "location")} == {
            "code": "RX401", "severity": "error", "sheet": "整改清单", "cell": "I2",
            "location": "整改清单!I2"}
        assert "搞定" in finding["message"]
        assert "\\u" not in result.stdout  # ensure_ascii=False: Chinese stays readable


class TestTypoOption:
    def test_user_pack_is_merged_over_the_default(
            self, make_ledger_xlsx: Callable[..., Path], tmp_path: Path) -> None:
        pack = tmp_path / "我的错别字.toml"
        pack.write_text('[typos]\n"学习计化" = "学习计划"\n', encoding="utf-8")
        path = make_ledger_xlsx(rows=[measure_row(progress="制定学习计化，制定勒方案。")])
        data = json.loads(run_unchanged(path, "--json", "--typos", pack).stdout)
        assert sorted(f["extra"]["found"] for f in data["findings"]) == ["勒", "学习计化"]

    @pytest.mark.parametrize("content", ["not toml ===", '[typos]\n"甲" = "甲"\n'])
    def test_broken_user_pack_is_unusable_input(
            self, make_ledger_xlsx: Callable[..., Path], tmp_path: Path, content: str) -> None:
        pack = tmp_path / "bad.toml"
        pack.write_text(content, encoding="utf-8")
        result = run_unchanged(make_ledger_xlsx(), "--typos", pack)
        assert result.exit_code == 2
        assert result.stderr.startswith("错误：错别字表“bad.toml”")

    def test_missing_user_pack_is_unusable_input(
            self, make_ledger_xlsx: Callable[..., Path], tmp_path: Path) -> None:
        result = run_unchanged(make_ledger_xlsx(), "--typos", tmp_path / "无.toml")
        assert result.exit_code == 2
        assert result.stderr.strip() == f"错误：找不到错别字表：{tmp_path / '无.toml'}"


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


BAD_INPUTS: dict[str, Callable[[Path], Path]] = {
    "missing": lambda d: d / "没有这个文件.xlsx",
    "directory": lambda d: (d / "目录.xlsx").mkdir() or d / "目录.xlsx",
    "not a zip": lambda d: (d / "文本.xlsx").write_bytes(b"hello") and d / "文本.xlsx",
    "xls": lambda d: (d / "旧.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    and d / "旧.xls",
    "csv renamed": lambda d: (d / "表.xlsx").write_text("序号,具体问题,整改措施\n1,a,b\n",
                                                       encoding="utf-8") and d / "表.xlsx",
    "no ledger sheet": lambda d: _workbook(d / "无清单.xlsx", {"Sheet1": [["随便", "写写"]]}),
    "no header row": lambda d: _workbook(d / "无表头.xlsx", {"整改清单": [["甲", "乙"], [1, 2]]}),
    "empty ledger sheet": lambda d: _workbook(d / "空台账.xlsx", {"整改清单": [], "基本信息": []}),
}


class TestUnusableInput:
    @pytest.mark.parametrize("kind", list(BAD_INPUTS))
    def test_unusable_input_is_exit_2_with_one_clear_line(self, kind: str, tmp_path: Path
                                                          ) -> None:
        path = BAD_INPUTS[kind](tmp_path)
        result = run_unchanged(path)
        assert result.exit_code == 2, result.output
        assert result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("错误：")
        assert "Traceback" not in result.output

    @pytest.mark.parametrize("command", ["summary", "notice"])
    @pytest.mark.parametrize("kind", list(BAD_INPUTS))
    def test_summary_and_notice_refuse_the_same_inputs_the_same_way(
            self, command: str, kind: str, tmp_path: Path) -> None:
        """Every bad input gives summary and notice the same exit 2 and one Chinese line."""
        path = BAD_INPUTS[kind](tmp_path)
        before = sha256(path) if path.is_file() else None
        result = CliRunner().invoke(cli, [command, str(path)])
        assert result.exit_code == 2, result.output
        assert result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("错误："), lines
        assert before is None or sha256(path) == before

    def test_real_process_prints_no_traceback(self, tmp_path: Path) -> None:
        bad = tmp_path / "坏.xlsx"
        bad.write_text("a,b\n", encoding="utf-8")
        before = sha256(bad)
        proc = subprocess.run([sys.executable, "-m", "rectify_xl", "validate", str(bad)],
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2
        assert proc.stdout == "" and "Traceback" not in proc.stderr
        assert proc.stderr.strip().startswith("错误：“坏.xlsx”不是 Excel 工作簿")
        assert sha256(bad) == before


USAGE_ERRORS: dict[str, tuple[list[str], str]] = {
    "missing argument": (["validate"], "错误：缺少参数 LEDGER（用法见：rectify-xl validate --help）"),
    "unknown command": (["valdate", "x.xlsx"], "错误：没有“valdate”这个命令（用法见：rectify-xl --help）"),
    "unknown option": (["summary", "x.xlsx", "--jsn"],
                       "错误：没有 --jsn 这个选项（用法见：rectify-xl summary --help）"),
    "bad date": (["validate", "x.xlsx", "--as-of", "明天"],
                 "错误：--as-of 的值无效：“明天”不是日期（例：2021-10-31 或 2021年10月31日）"
                 "（用法见：rectify-xl validate --help）"),
    "extra argument": (["notice", "a.xlsx", "b.xlsx"],
                       "错误：多余的参数：b.xlsx（用法见：rectify-xl notice --help）"),
}


class TestUsageErrors:
    @pytest.mark.parametrize("kind", list(USAGE_ERRORS))
    def test_usage_error_is_one_chinese_line_and_exit_2(self, kind: str) -> None:
        """click's English usage messages reach the user as one Chinese line."""
        args, expected = USAGE_ERRORS[kind]
        result = CliRunner().invoke(cli, args, prog_name="rectify-xl")
        assert result.exit_code == 2
        assert result.stdout == ""
        assert result.stderr.strip() == expected

    def test_output_path_that_is_a_folder_is_named_in_chinese(self, tmp_path: Path) -> None:
        """notice -o FOLDER: the folder is named, no English."""
        result = CliRunner().invoke(cli, ["notice", "x.xlsx", "-o", str(tmp_path)])
        assert result.exit_code == 2
        assert result.stderr.startswith(f"错误：-o/--output 的值无效：“{tmp_path}”是文件夹")

    def test_bare_command_still_shows_the_command_list(self) -> None:
        """`rectify-xl` alone prints the help, not an error line."""
        result = CliRunner().invoke(cli, [], prog_name="rectify-xl")
        assert "错误：" not in result.output
        assert "validate" in result.output and "notice" in result.output

    def test_unknown_message_is_passed_through(self) -> None:
        """A click message the table does not know is shown unchanged rather than lost."""
        from rectify_xl.entrypoints.cli import chinese_usage

        assert chinese_usage("Something new.") == "Something new."
