"""Ledgers with fewer levels than the template: no 方面, no 反馈问题, no 完成日期 column.

Many real ledgers list 存在问题 / 整改措施 only. They are complete ledgers of another shape, not
broken ones: every count is final, the notice numbers the problems directly under 二、 and the
tool's own notice passes its own check. What cannot be known (the on-time rate without any
completion date) is shown as unknown, never as 0%.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from rectify_xl.core.consolidate import consolidate
from rectify_xl.entrypoints.cli import cli
from tests.conftest import sha256
from tests.unit.test_consolidate import unit_file

HEADERS = ["序号", "存在问题", "整改措施", "责任领导", "责任部门", "整改时限", "整改进展"]
ROWS = [
    (1, "理论学习不深入", "制定学习计划", "张明", "办公室", date(2024, 3, 31), "已完成"),
    (2, "理论学习不深入", "开展专题研讨", "张明", "办公室", date(2024, 6, 30), "正在推进"),
    (3, "财务报销不规范", "修订报销制度", "李华", "财务科", date(2024, 5, 31), "已完成"),
    (4, "议事规则执行不严格", "完善议事规则", "王强", "党政办", date(2024, 12, 31), "长期坚持"),
]


def _ledger(path: Path, *, feedback_count: int | None = None, done_dates: bool = False) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "问题清单"
    ws.append(["市住建局巡察反馈问题整改台账"])
    ws.append([*HEADERS, *(["完成日期"] if done_dates else [])])
    for row in ROWS:
        done = [date(2024, 3, 1) if row[-1] != "正在推进" else None] if done_dates else []
        ws.append([*row, *done])
    info = wb.create_sheet("基本信息")
    for label, value in (("被巡察单位", "市住建局"), ("巡察组", "市委第一巡察组"),
                         ("巡察开始日期", date(2023, 9, 1)), ("巡察结束日期", date(2023, 11, 10)),
                         ("反馈日期", date(2023, 12, 20)), ("统计截止日期", date(2024, 6, 1))):
        info.append([label, value])
    if feedback_count is not None:
        info.append(["反馈问题数", feedback_count])
    wb.save(path)
    return path


def run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output


def test_a_two_level_ledger_validates_without_errors(tmp_path: Path) -> None:
    path = _ledger(tmp_path / "台账.xlsx")
    before = sha256(path)
    code, out = run("validate", path, "--as-of", "2024-06-01")
    assert code == 0, out
    assert "RX102" not in out
    assert "RX111" in out and "RX113" in out  # said as information, at the header
    assert sha256(path) == before


def test_each_problem_is_one_feedback_problem_and_the_counts_are_final(tmp_path: Path) -> None:
    code, out = run("summary", _ledger(tmp_path / "台账.xlsx"), "--json", "--as-of", "2024-06-01")
    assert code == 0, out
    data = json.loads(out[:out.rindex("}") + 1])
    assert (data["feedback_count"], data["problem_count"], data["measure_count"]) == (3, 3, 4)
    assert data["final"] is True
    assert data["by_aspect"] == []  # no （未填写） group for a ledger that has no 方面


def test_without_completion_dates_the_on_time_rate_is_unknown_not_zero(tmp_path: Path) -> None:
    undated = _ledger(tmp_path / "无日期.xlsx")
    dated = _ledger(tmp_path / "有日期.xlsx", done_dates=True)
    rates = {}
    for path in (undated, dated):
        code, out = run("summary", path, "--json", "--as-of", "2024-06-01")
        assert code == 0, out
        rates[path.name] = json.loads(out[:out.rindex("}") + 1])["on_time_rate"]
    assert rates["无日期.xlsx"] is None
    assert rates["有日期.xlsx"] == 1.0  # all three closings dated before their deadlines
    code, out = run("summary", undated, "--as-of", "2024-06-01")
    assert "按期完成率" in out and "—" in out.split("按期完成率")[1].splitlines()[0]


def test_a_unit_of_unknown_on_time_rate_adds_nothing_to_the_total() -> None:
    known = unit_file("甲", done=6, overdue=0)
    undated = unit_file("乙", done=0, overdue=2)
    undated = dataclasses.replace(undated, summary=dataclasses.replace(undated.summary,
                                                                      on_time_rate=None))
    total = consolidate([known, undated]).total
    assert total.on_time_rate == 1.0  # 甲's 6 of 6; 乙's closings cannot be dated


def test_the_notice_numbers_the_problems_without_aspects(tmp_path: Path) -> None:
    path = _ledger(tmp_path / "台账.xlsx")
    out_txt = tmp_path / "公告.txt"
    code, out = run("notice", path, "-o", out_txt)
    assert code == 0, out
    text = out_txt.read_text("utf-8")
    assert "其他方面" not in text
    assert "针对巡察反馈的3个问题逐项制定整改措施" in text  # not 3个问题细化分解了3个问题
    lines = text.splitlines()
    at = lines.index("二、巡察反馈意见整改落实情况")
    assert lines[at + 2] == "（一）关于“理论学习不深入”问题的整改情况。"
    assert "（三）关于“议事规则执行不严格”问题的整改情况。" in lines
    code, out = run("check-notice", out_txt, "--ledger", path)
    assert code == 0, out  # the tool's own notice agrees with the ledger it came from


def test_a_stated_feedback_count_is_used_and_split_is_said(tmp_path: Path) -> None:
    path = _ledger(tmp_path / "台账.xlsx", feedback_count=2)
    code, out = run("notice", path)
    assert code == 0, out
    assert "根据巡察反馈的2个问题细化分解了3个问题" in out


def test_the_document_has_the_problems_as_second_level_headings(tmp_path: Path) -> None:
    import docx

    from rectify_xl.core.document import STYLE_NAMES

    out_docx = tmp_path / "公告.docx"
    code, out = run("notice", _ledger(tmp_path / "台账.xlsx"), "-o", out_docx)
    assert code == 0, out
    styles = {p.text: p.style.name for p in docx.Document(str(out_docx)).paragraphs}
    for problem in ("理论学习不深入", "财务报销不规范", "议事规则执行不严格"):
        heading = next(t for t in styles if problem in t)
        assert styles[heading] == STYLE_NAMES["heading2"], heading


def _own_words_ledger(path: Path, *, yes_no: bool = False) -> Path:
    """Headers no alias table lists, and no status column: the state opens 整改进展情况 (or a
    是否完成 column answers 是/否)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    state = ["是否完成"] if yes_no else []
    ws.append(["序号", "问题类型", "问题表现", "具体整改措施", "责任领导", "责任部门", "整改完成时限",
               "整改进展情况", *state])
    rows = [
        ("党的建设", "理论学习不深入", "制定学习计划", "已完成。制定了年度学习计划并印发。", "是"),
        ("党的建设", "理论学习不深入", "开展专题研讨", "正在推进，已开展研讨2次。", "否"),
        ("财务管理", "财务报销不规范", "修订报销制度", "已整改到位，修订了报销制度", "是"),
        ("财务管理", "议事规则执行不严格", "完善议事规则", "已完成整改并长期坚持", "是"),
    ]
    for n, (aspect, problem, measure, progress, done) in enumerate(rows, start=1):
        ws.append([n, aspect, problem, measure, "张明", "办公室", date(2024, 12, 31), progress,
                   *([done] if yes_no else [])])
    wb.save(path)
    return path


def test_headers_and_states_in_a_units_own_words_are_counted(tmp_path: Path) -> None:
    path = _own_words_ledger(tmp_path / "台账.xlsx")
    code, out = run("validate", path, "--as-of", "2024-06-01")
    assert code == 0, out
    assert "RX114" in out  # the state is read from 整改进展情况, said at its header
    assert out.count("RX409") == 2  # 已整改到位, 已完成整改并长期坚持: read by their words, to check
    code, out = run("summary", path, "--json", "--as-of", "2024-06-01")
    assert code == 0, out
    data = json.loads(out[:out.rindex("}") + 1])
    assert (data["measures_done"], data["measures_ongoing"], data["measures_in_progress"]) == (2, 1, 1)
    assert [r["name"] for r in data["by_aspect"]] == ["党的建设", "财务管理"]


def test_a_narrative_that_states_no_state_blocks_the_counts(tmp_path: Path) -> None:
    path = _own_words_ledger(tmp_path / "台账.xlsx")
    wb = openpyxl.load_workbook(path)
    wb.active["H3"] = "制定了研讨方案，每月开展一次"
    wb.save(path)
    code, out = run("summary", path, "--as-of", "2024-06-01")
    assert code == 1, out
    assert "H3" in out and "RX115" in out and "【未定稿】" in out


def test_yes_and_no_under_a_whether_done_header(tmp_path: Path) -> None:
    code, out = run("summary", _own_words_ledger(tmp_path / "台账.xlsx", yes_no=True), "--json",
                    "--as-of", "2024-06-01")
    assert code == 0, out
    data = json.loads(out[:out.rindex("}") + 1])
    assert (data["measures_done"], data["measures_in_progress"]) == (3, 1)


def test_numbers_typed_into_the_cells_are_not_doubled_in_the_notice(tmp_path: Path) -> None:
    """Units number their 方面 and problems in the cells (一、政治建设方面, 1.理论学习不深入); the
    notice numbers them itself, so the cell's own number goes."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "整改台账"
    ws.append(["序号", "方面", "反馈问题", "具体问题", "整改措施", "责任领导", "责任部门", "完成时限",
               "整改状态", "完成日期"])
    for n, (aspect, feedback, problem, state) in enumerate([
            ("一、政治建设方面", "（一）学习贯彻不到位", "1.理论学习不深入", "已完成"),
            ("一、政治建设方面", "（一）学习贯彻不到位", "2.研讨流于形式", "正在推进"),
            ("二、财务管理方面", "（二）报销不规范", "1、财务报销不规范。", "已完成")], start=1):
        ws.append([n, aspect, feedback, problem, f"措施{n}", "张明", "办公室", date(2024, 12, 31),
                   state, date(2024, 3, 1) if state == "已完成" else None])
    path = tmp_path / "台账.xlsx"
    wb.save(path)
    out_txt = tmp_path / "公告.txt"
    code, out = run("notice", path, "-o", out_txt)
    assert code == 0, out
    lines = out_txt.read_text("utf-8").splitlines()
    assert "（一）政治建设方面。" in lines and "（二）财务管理方面。" in lines
    assert "1.关于“理论学习不深入”问题的整改情况。" in lines
    assert "1.关于“财务报销不规范”问题的整改情况。" in lines
    code, out = run("check-notice", out_txt, "--ledger", path)
    assert code == 0 and "未发现问题" in out, out


def test_deadlines_in_words_are_counted_and_said(tmp_path: Path) -> None:
    path = _ledger(tmp_path / "台账.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws["F3"], ws["F4"], ws["F5"], ws["F6"] = "3月底前", "2024年上半年", "立行立改", "持续推进"
    wb.save(path)
    code, out = run("validate", path, "--as-of", "2024-07-01")
    assert code == 0, out
    assert "RX301" not in out and out.count("RX311") == 4
    assert "“立行立改”按2023年12月20日计算" in out  # at once: the feedback date
    assert "“3月底前”按2024年3月31日计算" in out  # no year: the first 3月底 after the feedback
    code, out = run("summary", path, "--json", "--as-of", "2024-07-01")
    assert code == 0, out
    overdue = json.loads(out[:out.rindex("}") + 1])["overdue"]
    # 开展专题研讨 (上半年 → 6月30日) is open on 7月1日; 立行立改 is 已完成, 持续推进 长期坚持
    assert [r["row"] for r in overdue] == [4]


@pytest.mark.parametrize("merged", [True, False])
def test_band_rows_give_the_aspect_and_totals_and_notes_are_left_out(tmp_path: Path,
                                                                   merged: bool) -> None:
    """一、政治建设方面 as a row across the table (merged, or typed in the first cell only), a
    合计 row and a 注： line under the table: none is a measure."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "整改台账"
    ws.append(["序号", "存在问题", "整改措施", "责任领导", "责任部门", "完成时限", "整改状态", "完成日期"])

    def band(text: str) -> None:
        ws.append([text])
        if merged:
            ws.merge_cells(f"A{ws.max_row}:H{ws.max_row}")

    band("一、政治建设方面")
    ws.append([1, "理论学习不深入", "制定学习计划", "张明", "办公室", date(2024, 3, 31), "已完成",
               date(2024, 3, 1)])
    ws.append([2, "研讨流于形式", "开展专题研讨", "张明", "办公室", date(2024, 6, 30), "正在推进", None])
    band("二、财务管理方面")
    ws.append([3, "财务报销不规范", "修订报销制度", "李华", "财务科", date(2024, 5, 31), "已完成",
               date(2024, 5, 1)])
    ws.append(["合计", None, "3项"])
    ws.append(["注：完成时限以整改方案为准。"])
    path = tmp_path / "台账.xlsx"
    wb.save(path)
    code, out = run("validate", path, "--as-of", "2024-06-01")
    assert code == 0, out
    assert out.count("RX116") == 4 and "RX201" not in out and "RX111" not in out
    assert "第8行“注：完成时限以整改方案为准。”是说明行" in out
    code, out = run("summary", path, "--json", "--as-of", "2024-06-01")
    assert code == 0, out
    data = json.loads(out[:out.rindex("}") + 1])
    assert (data["problem_count"], data["measure_count"]) == (3, 3)
    assert [(r["name"], r["measures"]) for r in data["by_aspect"]] == [
        ("一、政治建设方面", 2), ("二、财务管理方面", 1)]
    code, out = run("notice", path)
    assert "（一）政治建设方面。" in out and "（二）财务管理方面。" in out


def test_ticks_under_state_columns_give_the_state(tmp_path: Path) -> None:
    """完成情况 merged over 已完成 | 未完成, each row ticked (√) in one of them."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "整改台账"
    ws.append(["序号", "存在问题", "整改措施", "责任领导", "责任部门", "完成时限", "完成情况", None])
    ws.append([None, None, None, None, None, None, "已完成", "未完成"])
    for c in "ABCDEF":
        ws.merge_cells(f"{c}1:{c}2")
    ws.merge_cells("G1:H1")
    ticks = [("√", None), (None, "√"), ("√", None)]
    for n, (done, open_) in enumerate(ticks, start=1):
        ws.append([n, f"问题{n}", f"措施{n}", "张明", "办公室", date(2024, 12, 31), done, open_])
    path = tmp_path / "台账.xlsx"
    wb.save(path)
    code, out = run("summary", path, "--json", "--as-of", "2024-06-01")
    assert code == 0, out
    data = json.loads(out[:out.rindex("}") + 1])
    assert (data["measures_done"], data["measures_in_progress"], data["measures_unset"]) == (2, 1, 0)
    code, out = run("validate", path, "--as-of", "2024-06-01")
    assert "RX118" in out and "RX102" not in out
    ws["G4"] = "√"  # row 4 now ticked twice, and a row with no tick
    ws.append([4, "问题4", "措施4", "张明", "办公室", date(2024, 12, 31), None, None])
    wb.save(path)
    code, out = run("summary", path, "--as-of", "2024-06-01")
    assert code == 1 and "G4" in out and "G6" in out and "RX119" in out, out


def test_summary_and_notice_say_which_sheets_they_did_not_count(tmp_path: Path) -> None:
    """Another sheet with measures (a ledger split over sheets, or last year's beside it) is said
    beside the figures, not only by validate (RX117)."""
    from tests.ledger_corpus import CORPUS, build

    shape = next(s for s in CORPUS if s.name == "several_sheets")
    path = build(shape, tmp_path)
    for command in ("summary", "notice"):
        code, out = run(command, path, *(["--as-of", "2021-10-31"] if command == "summary" else []))
        assert code == 0, out  # a warning: the figures of the chosen sheet are final
        assert "注意：“2020年台账”工作表也像整改台账" in out and "本次只统计" in out, (command, out)


def test_measures_numbered_past_x_9_as_numbers_keep_their_numbers(tmp_path: Path) -> None:
    """序号 1.1 … 1.11 typed as numbers (measures numbered under their problem): Excel stores 1.10
    as 1.1. Read after 1.9 it is 1.10, not a second 1.1 (no RX405); a real repeat is still one."""
    from rectify_xl.adapters.xlsx_reader import read_ledger

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "附件1"
    ws.append(["序号", "存在问题", "整改措施", "责任领导", "责任部门", "完成时限", "整改状态", "完成日期"])
    numbers = [float(f"1.{j}") for j in range(1, 12)] + [2.1, 2.1]
    for n, number in enumerate(numbers, start=1):
        ws.append([number, "问题甲" if number < 2 else "问题乙", f"措施{n}", "张明", "办公室",
                   date(2024, 3, 31), "已完成", date(2024, 3, 1)])
    path = tmp_path / "台账.xlsx"
    wb.save(path)
    seqs = [m.seq for m in read_ledger(path).measures]
    assert seqs[8:11] == ["1.9", "1.10", "1.11"] and seqs[-2:] == ["2.1", "2.1"]
    code, out = run("validate", path, "--as-of", "2024-06-01")
    assert code == 1 and out.count("RX405") == 1 and "序号“2.1”与第13行重复" in out, out


@pytest.mark.parametrize("copy", [False, True])
def test_a_ledger_continued_on_another_sheet_is_no_final_count(tmp_path: Path, copy: bool) -> None:
    """One sheet per 方面 (附件1, 附件2) with the same header: counting 附件1 alone would publish a
    wrong figure, so RX140 (error) makes summary and notice 未定稿. Last month's copy of the same
    measures beside the ledger is only RX117 (warning)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    header = ["序号", "存在问题", "整改措施", "责任领导", "责任部门", "完成时限", "整改状态", "完成日期"]
    for sheet, first in (("附件1", 1), ("附件2", 1 if copy else 4)):
        ws = wb.create_sheet(sheet)
        ws.append(header)
        for n in range(first, first + 3):
            ws.append([n, f"问题{n}", f"措施{n}", "张明", "办公室", date(2024, 3, 31), "已完成",
                       date(2024, 3, 1)])
    path = tmp_path / "台账.xlsx"
    wb.save(path)
    code, out = run("validate", path, "--as-of", "2024-06-01")
    assert ("RX140" in out, "RX117" in out) == (not copy, copy), out
    code, out = run("summary", path, "--json", "--as-of", "2024-06-01")
    assert code == (0 if copy else 1), out
    assert json.loads(out[:out.rindex("}") + 1])["final"] is copy
    if not copy:
        assert "“附件2”工作表与“附件1”表头相同，另有3行整改措施" in out
