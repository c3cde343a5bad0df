"""Headers and status phrases no table lists, read by their words (core/header_guess,
core/status_words). The examples are real: column names and option values of public
rectification systems' code (an internal-control 问题台账 export, a hazard 整改 form, a
supervision export: 问题概述, 整改落实人, 问题整改完成时限, 问题控制状态, 待整改/整改中/整改完成) and the
phrases of published 整改 notices and ledgers (已完成整改并长期坚持, 基本整改到位, 尚未完成)."""

from __future__ import annotations

import pytest

from rectify_xl.core.aliases import header_form
from rectify_xl.core.header_guess import guess_header_key
from rectify_xl.core.model import Grid
from rectify_xl.core.parse import find_header, parse_ledger
from rectify_xl.core.schema import Status
from rectify_xl.core.status_words import infer_status, leading_clause
from rectify_xl.errors import InputError


@pytest.mark.parametrize(("header", "key"), [
    ("问题表现", "problem"), ("主要问题", "problem"), ("问题概述", "problem"), ("问题简述", "problem"),
    ("具体整改措施", "measure"), ("整改举措", "measure"), ("措施", "measure"),
    ("巡察反馈的问题", "feedback"), ("巡察指出的问题", "feedback"),
    ("问题整改完成时限", "deadline"), ("整改时间", "deadline"), ("要求完成时间", "deadline"),
    ("实际办结时间", "done_date"), ("整改落实人", "person"), ("主责部门", "department"),
    ("问题控制状态", "status"), ("是否完成", "status"), ("目前进展", "status"),
    ("落实情况", "progress"), ("佐证资料", "evidence"), ("问题分类", "aspect"),
])
def test_a_header_is_read_by_its_words(header: str, key: str) -> None:
    assert guess_header_key(header_form(header)) == key


@pytest.mark.parametrize("header", [
    "整改目标", "问题原因", "问题来源", "缺陷等级", "定性依据", "内控评价年度",
    "这一列填写每条措施目前的进展和下一步打算",  # a note, not a header
])
def test_headers_of_other_things_are_not_guessed(header: str) -> None:
    assert guess_header_key(header_form(header)) is None


# Headers of public rectification systems (benchmarks/ledger_words/headers.toml names each source):
# RuoYi/JeecgBoot @Excel entities of inspection rectification, hazard-ledger exports, an audit-
# problem tracker (措施内容, 跟踪反馈), a 验货问题 sheet (整改人).
@pytest.mark.parametrize(("header", "key"), [
    ("整改结果现场照片", "evidence"), ("图片举证", "evidence"), ("整改效果", "progress"),
    ("跟踪反馈", "progress"), ("整改人", "person"), ("责任单位/部门", "department"),
    ("隐患具体情况", "problem"), ("隐患名称", "problem"), ("措施内容", "measure"),
    ("整改主体", "department"), ("复查人", "accept_by"), ("复查结论", "accept_note"),
    ("责任部室", "department"), ("责任部室、二级单位", "department"),
])
def test_headers_of_real_systems_are_read_by_their_words(header: str, key: str) -> None:
    assert guess_header_key(header_form(header)) == key


@pytest.mark.parametrize("header", [
    # identifiers and counts, whatever field their words name
    "负责人ID", "检查问题单号", "问题个数", "整改问题金额", "被检查人账号",
    # the unit or person of another actor than the one rectifying
    "被检查单位", "督办单位", "填报单位", "检查部门", "问题上报部门", "发现人",
    # attributes of a problem, not the problem
    "隐患部位", "问题严重程度", "问题词条一级", "风险类别", "主要负责人责任类型",
    # two things in one header, a workflow's state, a bare photo, the time left
    "责任人/期限", "任务分解/时序进度", "督办部门/人员", "审核状态", "照片", "整改剩余时限",
])
def test_columns_that_are_no_ledger_field_are_left_alone(header: str) -> None:
    assert guess_header_key(header_form(header)) is None


def test_a_hazard_list_without_a_problem_column_is_no_ledger() -> None:
    # a hazard module's columns (隐患编号 … 整改状态): 隐患部位 is where, not what
    with pytest.raises(InputError):
        find_header(Grid("表", [["隐患编号", "隐患部位", "隐患等级", "整改措施", "责任人员",
                                  "发现日期", "整改期限", "整改状态"]]))


def test_a_guess_never_displaces_or_duplicates_a_named_column() -> None:
    # 整改措施 and 具体整改措施: the one named exactly is the measure, the other kept as is
    layout = find_header(Grid("表", [["具体问题", "具体整改措施", "整改措施", "完成状态", "审批状态"]]))
    assert layout.columns["measure"] == 3 and layout.columns["status"] == 4
    assert "具体整改措施" in layout.extra and "审批状态" in layout.extra
    assert not layout.duplicates  # no RX106 error for a column that was only guessed


def test_the_only_date_column_is_the_deadline() -> None:
    only = find_header(Grid("表", [["问题", "措施", "完成时间"]]))
    both = find_header(Grid("表", [["问题", "措施", "完成时限", "完成时间"]]))
    assert "deadline" in only.columns and "done_date" not in only.columns
    assert (both.columns["deadline"], both.columns["done_date"]) == (3, 4)


def test_a_combined_header_is_still_split() -> None:
    layout = find_header(Grid("表", [["具体问题", "整改措施", "牵头部门/负责人"]]))
    assert layout.split == ("department", "person")


@pytest.mark.parametrize(("text", "state"), [
    ("已完成整改并长期坚持", Status.ONGOING), ("已整改，长期坚持", Status.ONGOING),
    ("已整改到位", Status.DONE), ("已全部完成", Status.DONE), ("按期完成", Status.DONE),
    ("完成整改", Status.DONE), ("立行立改，已完成", Status.DONE),
    ("已完成。制定了年度学习计划并印发。", Status.DONE),
    ("正在整改中", Status.IN_PROGRESS), ("已制定方案，正在推进", Status.IN_PROGRESS),
    ("尚未完成", Status.IN_PROGRESS), ("逾期未完成", Status.IN_PROGRESS),
    ("已启动", Status.IN_PROGRESS), ("部分完成", Status.IN_PROGRESS),
    ("基本整改到位", Status.BASIC), ("阶段性完成", Status.BASIC),
])
def test_a_status_phrase_is_read_by_its_words(text: str, state: Status) -> None:
    assert Status.parse(text) is state


# Status options of public rectification systems and the wording of published notices
# (benchmarks/ledger_words/statuses.toml names each source).
@pytest.mark.parametrize(("text", "state"), [
    ("整改通过", Status.DONE), ("整改合格", Status.DONE), ("已闭环", Status.DONE),
    ("全部整改", Status.DONE), ("超额完成", Status.DONE),
    ("整改不合格", Status.IN_PROGRESS), ("整改不够到位", Status.IN_PROGRESS),
    ("整改不彻底", Status.IN_PROGRESS), ("未整改到位", Status.IN_PROGRESS),
    ("拒不整改", Status.IN_PROGRESS), ("未开始", Status.IN_PROGRESS), ("已逾期", Status.IN_PROGRESS),
    ("即将超期", Status.IN_PROGRESS), ("已延期", Status.IN_PROGRESS),
    ("申请延期整改", Status.IN_PROGRESS), ("驳回整改", Status.IN_PROGRESS),
    ("复查不通过", Status.IN_PROGRESS),
    ("基本完成取得阶段性成果并持续整改", Status.BASIC), ("需要长期整改", Status.ONGOING),
])
def test_status_words_of_real_systems_and_notices(text: str, state: Status) -> None:
    assert Status.parse(text) is state


@pytest.mark.parametrize("text", [
    "持续整改中",  # a hazard system's RECTIFYING label: kept up, or not yet closed?
    "进行持续整改，已清理用地款1.05亿元",
    "确保所有问题按期整改到位",  # an intention, not a state
    "一般隐患已完成整改，需持续跟踪的事项已纳入月度调度。",  # a part only
    "审核通过", "整改信息待完善", "已归档", "正常", "审批驳回",  # a workflow's steps
])
def test_phrases_that_state_no_state_of_the_measure_are_refused(text: str) -> None:
    assert Status.parse(text) is None


@pytest.mark.parametrize("text", [
    "正在持续推进",  # 正在 and 持续: not closed, or kept up? unsure
    "制定了监督检查办法，每月开展一次检查",  # a narrative that states no state
    "√", "达到整改目标", "按要求整改",
])
def test_an_unsure_phrase_stays_unrecognised(text: str) -> None:
    assert infer_status(text) is None
    assert Status.parse(text) is None


# Issue 13: option lists and enums of 督办/执行 systems and audit-rectification VOs
# (benchmarks/ledger_words/statuses.toml names each source).
@pytest.mark.parametrize(("text", "state"), [
    # a completion with its manner or time, late ones included: done
    ("按时完成", Status.DONE), ("正常完成", Status.DONE), ("逾期完成", Status.DONE),
    ("延时完成", Status.DONE), ("按时办结", Status.DONE), ("已改正", Status.DONE),
    # a negated start or completion, also with an adverb between: not closed
    ("未执行", Status.IN_PROGRESS), ("未能完成", Status.IN_PROGRESS), ("未全部完成", Status.IN_PROGRESS),
    # paused: not closed
    ("暂停", Status.IN_PROGRESS), ("暂停中", Status.IN_PROGRESS),
    # disposal (处置/处理) of hazard and verification systems, like 整改
    ("待处理", Status.IN_PROGRESS), ("处置中", Status.IN_PROGRESS), ("已处置", Status.DONE),
])
def test_status_options_of_supervision_systems(text: str, state: Status) -> None:
    assert Status.parse(text) is state


@pytest.mark.parametrize("text", ["未按期完成", "未如期办结", "没有按时完成"])
def test_a_completion_said_not_to_be_in_time_is_refused(text: str) -> None:
    # one system writes 未按期完成 for a measure finished late: open or done, the words do not say
    assert Status.parse(text) is None


@pytest.mark.parametrize(("header", "key"), [
    ("最晚整改时间", "deadline"), ("最迟完成日期", "deadline"), ("改正时间", "done_date"),
    ("目前进度", "status"), ("当前进展", "status"), ("整改任务内容", "measure"),
])
def test_headers_of_supervision_systems_are_read_by_their_words(header: str, key: str) -> None:
    assert guess_header_key(header_form(header)) == key


@pytest.mark.parametrize("header", [
    "所属检查任务主键",  # an identifier
    "方案名称", "计划编号", "任务类型", "计划周期",  # attributes of a plan, not the measure
    "整改类型",  # a kind of rectification (立行立改, 限期整改), not the 方面 of a problem
    "审计开始时间", "检查开始时间",  # the start of the audit, not of the measure
])
def test_attributes_and_other_actors_dates_are_not_guessed(header: str) -> None:
    assert guess_header_key(header_form(header)) is None


def test_two_departments_read_by_their_words_are_the_department_and_the_second() -> None:
    # a 工作督办 grid: 责任处室 and 配合处室, neither in the alias table
    layout = find_header(Grid("表", [["事项名称", "具体问题", "整改目标", "牵头领导", "责任处室",
                                      "整改措施", "配合处室", "完成时限", "完成率"]]))
    assert (layout.columns["department"], layout.columns["department2"]) == (5, 7)
    assert not layout.duplicates
    # a named 责任单位 stays the first; a guessed one takes only the free second slot
    named = find_header(Grid("表", [["具体问题", "整改措施", "主责部门", "责任单位", "配合处室"]]))
    assert (named.columns["department"], named.columns["department2"]) == (4, 3)
    assert "配合处室" in named.extra and not named.duplicates


def test_the_leading_clause_is_what_states_the_state() -> None:
    assert leading_clause("已完成。建立了学习制度") == "已完成"
    assert leading_clause("  正在推进，已开展研讨2次") == "正在推进"


@pytest.mark.parametrize(("text", "days"), [
    ("2023年9月1日至11月10日", ((2023, 9, 1), (2023, 11, 10))),
    ("2023.9.1-2023.11.10", ((2023, 9, 1), (2023, 11, 10))),
    ("2023-09-01至2023-11-10", ((2023, 9, 1), (2023, 11, 10))),
    ("2023年12月1日至1月15日", ((2023, 12, 1), (2024, 1, 15))),  # over the new year
])
def test_a_period_gives_both_days(text: str, days: tuple[tuple[int, ...], ...]) -> None:
    from datetime import date

    from rectify_xl.core.dates import parse_period

    assert parse_period(text) == tuple(date(*d) for d in days)


@pytest.mark.parametrize("text", ["2023年9月至11月", "9月1日至11月10日", "2023年2月30日至3月1日", "近期"])
def test_a_period_without_whole_days_gives_none(text: str) -> None:
    from rectify_xl.core.dates import parse_period

    assert parse_period(text) is None


def test_info_labels_in_a_units_own_words() -> None:
    from datetime import date

    from rectify_xl.core.parse import parse_info

    info = parse_info(Grid("基本信息", [
        ["被巡察党组织名称", "中共某县财政局党组"], ["巡察组名称", "县委第二巡察组"],
        ["巡察时间", "2023年9月1日至11月10日"], ["反馈会时间", "2023年12月20日"],
        ["数据截至", "2024年6月30日"], ["联系电话", "0913-1234567"]]))
    assert (info.unit, info.group, info.phone) == ("中共某县财政局党组", "县委第二巡察组", "0913-1234567")
    assert (info.start, info.end) == (date(2023, 9, 1), date(2023, 11, 10))
    assert (info.feedback_date, info.as_of) == (date(2023, 12, 20), date(2024, 6, 30))
    assert info.cells["start"] == info.cells["end"] == "B3"


def test_a_label_with_its_value_in_one_cell_is_still_read() -> None:
    from rectify_xl.core.parse import parse_info

    assert parse_info(None, [["填报单位：某局", None]]).unit == "某局"


@pytest.mark.parametrize(("text", "day", "lasting"), [
    ("2024年6月底前", (2024, 6, 30), False), ("2024年6月底前完成", (2024, 6, 30), False),
    ("2024年12月31日前", (2024, 12, 31), False), ("2024.6.30前", (2024, 6, 30), False),
    ("2024年6月30日之前", (2024, 6, 30), False), ("2024年6月", (2024, 6, 30), False),
    ("2024年2月底", (2024, 2, 29), False), ("2024年6月中旬", (2024, 6, 20), False),
    ("2024年底前", (2024, 12, 31), False), ("2024年上半年", (2024, 6, 30), False),
    ("2024年下半年", (2024, 12, 31), False), ("2024年第三季度", (2024, 9, 30), False),
    ("２０２４年６月底", (2024, 6, 30), False),
    ("持续推进", None, True), ("长期", None, True), ("常态化", None, True),
])
def test_a_deadline_in_words_gives_its_last_day(text: str, day: tuple[int, int, int] | None,
                                                lasting: bool) -> None:
    from datetime import date

    from rectify_xl.core.dates import read_deadline_words

    assert read_deadline_words(text) == (date(*day) if day else None, lasting)


@pytest.mark.parametrize("text", ["6月底前", "近期", "2024年13月", "2024", "尽快", "立行立改"])
def test_a_deadline_that_names_no_day_is_not_read(text: str) -> None:
    from rectify_xl.core.dates import read_deadline_words

    assert read_deadline_words(text) is None


@pytest.mark.parametrize(("text", "day"), [
    ("6月底前", (2024, 6, 30)), ("6月30日前", (2024, 6, 30)), ("12月底", (2023, 12, 31)),
    ("1月15日", (2024, 1, 15)), ("6月中旬", (2024, 6, 20)), ("3月", (2024, 3, 31)),
])
def test_a_deadline_without_a_year_is_the_first_such_day_after_the_feedback(
        text: str, day: tuple[int, int, int]) -> None:
    from datetime import date

    from rectify_xl.core.dates import read_yearless_deadline

    assert read_yearless_deadline(text, date(2023, 12, 20)) == date(*day)


@pytest.mark.parametrize("text", ["6.30", "13月", "6月30", "近期"])
def test_a_yearless_deadline_must_say_its_month(text: str) -> None:
    from datetime import date

    from rectify_xl.core.dates import read_yearless_deadline

    assert read_yearless_deadline(text, date(2023, 12, 20)) is None


@pytest.mark.parametrize(("text", "day"), [
    ("2024年9月—12月", (2024, 12, 31)), ("2024.9-2024.12", (2024, 12, 31)),
    ("2024年9月至2025年3月", (2025, 3, 31)), ("2024年11月—2月", (2025, 2, 28)),
    ("2024年9月1日-12月31日", (2024, 12, 31)),
])
def test_a_range_of_dates_is_due_at_its_end(text: str, day: tuple[int, int, int]) -> None:
    from datetime import date

    from rectify_xl.core.dates import read_deadline_words

    assert read_deadline_words(text) == (date(*day), False)


@pytest.mark.parametrize("text", ["2024年12月-2024年9月", "2024年9月—", "2024年9月—近期"])
def test_a_range_that_runs_backwards_or_ends_nowhere_is_not_read(text: str) -> None:
    from rectify_xl.core.dates import read_deadline_words

    assert read_deadline_words(text) is None


@pytest.mark.parametrize("text", ["每季度", "每季度开展一次", "每年", "每月", "定期"])
def test_a_recurring_task_is_kept_up(text: str) -> None:
    from rectify_xl.core.dates import read_deadline_words

    assert read_deadline_words(text) == (None, True)


@pytest.mark.parametrize(("text", "day"), [
    ("2个月内", (2024, 2, 20)), ("两个月内完成", (2024, 2, 20)), ("反馈后3个月内", (2024, 3, 20)),
    ("30天内", (2024, 1, 19)), ("一周内", (2023, 12, 27)), ("年底前", (2023, 12, 31)),
    ("十五天内", (2024, 1, 4)), ("半个月内", (2024, 1, 4)), ("二十个工作日内", (2024, 1, 17)),
])
def test_a_deadline_counted_from_the_feedback(text: str, day: tuple[int, int, int]) -> None:
    from datetime import date

    from rectify_xl.core.dates import read_relative_deadline

    assert read_relative_deadline(text, date(2023, 12, 20)) == date(*day)


@pytest.mark.parametrize("text", ["3月内", "近期", "尽快", "个月内", "半天内", "零天内"])
def test_a_relative_deadline_must_say_how_long(text: str) -> None:
    from datetime import date

    from rectify_xl.core.dates import read_relative_deadline

    assert read_relative_deadline(text, date(2023, 12, 20)) is None


_TABLE = [["序号", "具体问题", "整改措施", "责任领导", "责任部门", "完成时限", "整改状态"],
          [1, "问题甲", "措施一", "李", "办公室", "2021-09-30", "已完成"],
          [2, "问题甲", "措施二", "李", "办公室", "2021-09-30", "正在推进"],
          [3, "问题乙", "措施三", "李", "办公室", "2021-09-30", "已完成"]]


@pytest.mark.parametrize("row", [
    [None, "合计", "3条", None, None, None, "2项已完成"],  # 合计 under the problems, figures beside
    ["合计：3项", None, "3", None, None, None, None],  # 合计 with its figure, a count under 措施
    [None, None, "总计", None, None, None, None],
    ["备注", "本表由办公室汇总", None, None, None, None, None],  # a note label beside its text
    [None, None, "说明：1.本表每月25日前报送", None, None, None, None],
    ["填表人：张三", None, None, "审核人：李四", None, "填报日期：2021年10月31日", None],
])
def test_a_total_or_note_row_is_no_measure_whatever_its_column(row: list[object]) -> None:
    # written under real ledgers' tables (整改台账 attachments end with 合计, 注, 填表人 lines)
    ledger = parse_ledger({"整改清单": Grid("整改清单", [*_TABLE, row])})
    assert [m.text for m in ledger.measures] == ["措施一", "措施二", "措施三"]
    (note,) = [n for n in ledger.notes if n.code == "RX116"]
    assert note.row == 5 and note.params["text"] == next(c for c in row if c)
    assert note.params["kind"] in ("合计行", "说明行")


def test_a_measure_that_only_mentions_a_total_is_still_a_measure() -> None:
    row = [4, "问题丙", "合计清退违规资金3万元", "李", "办公室", "2021-09-30", "已完成"]
    ledger = parse_ledger({"整改清单": Grid("整改清单", [*_TABLE, row])})
    assert len(ledger.measures) == 4 and not [n for n in ledger.notes if n.code == "RX116"]


def test_of_two_columns_for_one_field_the_template_name_is_read() -> None:
    # an internal-control ledger export (整改计划 … 整改措施): RX106 names both, and the column read
    # is the one the template names (整改措施), not the alias further left
    layout = find_header(Grid("表", [["问题概述", "整改计划", "整改措施", "完成状态"]]))
    assert layout.columns["measure"] == 3
    ((key, kept, ignored, _k, _i),) = layout.duplicates
    assert (key, kept, ignored) == ("measure", "C1", "B1")


@pytest.mark.parametrize(("raw", "text", "previous", "read"), [
    (1.1, "1.1", "1.9", "1.10"), (1.2, "1.2", "1.19", "1.20"), (3.1, "3.1", "3.9", "3.10"),
    (1.2, "1.2", "1.1", "1.2"), (1.1, "1.1", "1.1", "1.1"),  # the next one; a real repeat
    ("1.1", "1.1", "1.9", "1.1"),  # typed as text: as typed
    (2.1, "2.1", "1.9", "2.1"), (1.1, "1.1", "", "1.1"),  # another problem; the first one
])
def test_a_seq_typed_as_a_number_reads_as_typed(raw: object, text: str, previous: str,
                                                read: str) -> None:
    from rectify_xl.core.parse import typed_seq

    assert typed_seq(raw, text, previous) == read


def test_a_sub_header_is_read_with_its_merged_group_title() -> None:
    # 责任 merged over 领导 | 部门 | 人 and 完成时间 over 计划 | 实际: each sub-header alone names no
    # field (or only by a guess: 计划 would be a measure), with its group title it names one
    grid = Grid("表", [["序号", "存在问题", "整改措施", "责任", None, None, "完成时间", None, "整改状态"],
                       [None, None, None, "领导", "部门", "人", "计划", "实际", None]],
                ((1, 1, 2, 1), (1, 2, 2, 2), (1, 3, 2, 3), (1, 4, 1, 6), (1, 7, 1, 8), (1, 9, 2, 9)))
    layout = find_header(grid)
    assert layout.header_row == 2 and not layout.duplicates and not layout.extra
    assert [layout.columns[k] for k in ("measure", "leader", "department", "person", "deadline",
                                        "done_date", "status")] == [3, 4, 5, 6, 7, 8, 9]


def test_a_sub_header_named_by_itself_keeps_its_name() -> None:
    # 整改进展 over 整改状态 | 整改落实情况, 完成情况 over the tick columns 已完成 | 未完成
    grid = Grid("表", [["具体问题", "整改措施", "整改进展", None, "完成情况", None],
                       [None, None, "整改状态", "整改落实情况", "已完成", "未完成"]],
                ((1, 1, 2, 1), (1, 2, 2, 2), (1, 3, 1, 4), (1, 5, 1, 6)))
    layout = find_header(grid)
    assert (layout.columns["status"], layout.columns["progress"]) == (3, 4)
    assert "已完成" in layout.extra and "未完成" in layout.extra
