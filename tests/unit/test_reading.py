"""Reading a unit's own ledger (issue 14): the alias and status tables, headers, sheets, the gate."""

from __future__ import annotations

import re
from datetime import date

import pytest

from rectify_xl.core import aliases
from rectify_xl.core.aliases import HEADER_ALIASES, INFO_ALIASES, STATUS_WORDS, header_form
from rectify_xl.core.findings import Finding, Severity
from rectify_xl.core.gate import count_blockers, gate, notice_blockers
from rectify_xl.core.model import Grid
from rectify_xl.core.parse import parse_ledger
from rectify_xl.core.rules import check_ledger
from rectify_xl.core.rules.registry import all_codes
from rectify_xl.core.schema import COLUMN_BY_KEY, INFO_BY_KEY, Status
from rectify_xl.errors import InputError

SOURCES = set(re.findall(r"``([A-Z]\d?)``", aliases.__doc__ or ""))
HEAD = ["序号", "方面", "反馈问题", "具体问题", "整改措施", "责任领导", "责任部门", "完成时限", "整改状态"]


def row(status: str = "已完成", **kw: object) -> list[object]:
    values = {"seq": "1", "aspect": "党的领导", "feedback": "学习不深入", "problem": "学习流于形式",
              "measure": "制定学习计划", "leader": "李书记", "department": "办公室",
              "deadline": date(2021, 9, 30), "status": status, **kw}
    return list(values.values())


class TestTables:
    def test_every_alias_names_a_field_and_a_documented_source(self) -> None:
        assert {"S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8"} <= SOURCES
        for alias, (key, source) in HEADER_ALIASES.items():
            assert key in COLUMN_BY_KEY, alias
            assert source in SOURCES, alias
            assert header_form(alias) == alias, alias  # stored in the form it is compared in
        for label, (key, source) in INFO_ALIASES.items():
            assert key in INFO_BY_KEY and source in SOURCES, label

    def test_every_status_word_names_a_state_and_a_source(self) -> None:
        for word, (value, source) in STATUS_WORDS.items():
            assert Status(value) and source in SOURCES, word
        assert Status.parse("基本完成") is Status.BASIC  # a state of its own, not 已完成
        assert Status.parse(" 超期\n未完 ") is Status.IN_PROGRESS
        assert Status.parse("差不多了") is None

    @pytest.mark.parametrize(("header", "form"), [
        ("完成\n时限（日期）*", "完成时限"), ("序　号", "序号"), ("本周进度（%）", "本周进度%"),
        ("ＡＢ", "AB"), (" 责任部门(单位) ", "责任部门"),
    ])
    def test_header_form(self, header: str, form: str) -> None:
        assert header_form(header) == form


class TestHeaders:
    def test_person_is_not_a_department_and_two_leader_columns_are_both_kept(self) -> None:
        head = [*HEAD, "分管领导", "责任人", "配合单位"]
        ledger = parse_ledger({"表": Grid("表", [head, [*row(), "王副局长", "张三", "财务科"]])})
        m = ledger.measures[0]
        assert (m.leader, m.leader2, m.department, m.department2, m.person) == (
            "李书记", "王副局长", "办公室", "财务科", "张三")

    def test_department_and_person_in_one_column_are_split(self) -> None:
        head = [h if h != "责任部门" else "整体牵头部门/负责人" for h in HEAD]
        ledger = parse_ledger({"表": Grid("表", [head, row(department="组织科/李四")])})
        assert (ledger.measures[0].department, ledger.measures[0].person) == ("组织科", "李四")

    def test_two_columns_for_one_field_name_both_header_cells(self) -> None:
        ledger = parse_ledger({"表": Grid("表", [[*HEAD, "整改时限"], [*row(), date(2020, 1, 1)]])})
        found = [f for f in check_ledger(ledger, as_of=date(2021, 10, 31)) if f.code == "RX106"]
        assert [(f.cell, f.severity) for f in found] == [("J1", Severity.ERROR)]
        assert "H1" in found[0].message and "J1" in found[0].message
        assert ledger.measures[0].deadline == date(2021, 9, 30)  # the first one, said so

    def test_percent_column_under_a_status_header_and_status_from_percent(self) -> None:
        head = [h for h in HEAD if h != "整改状态"] + ["整改进度"]
        rows = [head, [*row(status=None)[:-1], "100%"], [*row(status=None, measure="二")[:-1], 0.4]]
        ledger = parse_ledger({"表": Grid("表", rows)})
        assert [m.status for m in ledger.measures] == [Status.DONE, Status.IN_PROGRESS]
        assert ledger.layout.derived == {"status": "percent"}

    def test_two_row_header_under_a_title_block(self) -> None:
        upper = ["某局整改台账", None, None, None, None, None, None, None, None]
        group = ["序号", "问题", None, None, "整改措施", "责任", None, "完成时限", "进展"]
        lower = [None, "方面", "反馈问题", "具体问题", None, "责任领导", "责任部门", None, "整改状态"]
        grid = Grid("Sheet1", [upper, ["填报单位：某局"], group, lower, row()],
                    merges=((1, 1, 1, 9), (3, 1, 4, 1), (3, 2, 3, 4), (3, 5, 4, 5), (3, 6, 3, 7),
                            (3, 8, 4, 8)))
        ledger = parse_ledger({"Sheet1": grid})
        assert ledger.layout.header_row == 4 and ledger.layout.header_rows == 2
        assert len(ledger.layout.columns) == 9 and ledger.info.unit == "某局"
        assert [n.code for n in ledger.notes] == ["RX109"]


class TestSheets:
    def test_optional_sheets_with_stray_spaces_and_odd_layouts_never_block(self) -> None:
        grids = {
            "整改台账": Grid("整改台账", [HEAD, row()]),
            " 基本信息 ": Grid(" 基本信息 ", [["被巡察党组织", "截止日期"],
                                          ["某局党组", date(2021, 10, 31)]]),
            "文稿": Grid("文稿", [["随便写的"]]),
        }
        ledger = parse_ledger(grids)
        assert (ledger.info.unit, ledger.info.as_of) == ("某局党组", date(2021, 10, 31))
        assert {n.code for n in ledger.notes} == {"RX107", "RX109"}

    def test_no_ledger_names_every_sheet_and_what_was_looked_for(self) -> None:
        with pytest.raises(InputError, match=r"“说明”.*“汇总”.*具体问题.*整改措施"):
            parse_ledger({"说明": Grid("说明", [["x"]]), "汇总": Grid("汇总", [["单位", "措施数"]])})


class TestGate:
    def test_unknown_status_blocks_counts_and_notice_a_blank_leader_neither(self) -> None:
        rows = [HEAD, row("差不多了"), row(leader="", measure="建立台账")]
        ledger = parse_ledger({"整改清单": Grid("整改清单", rows)})
        g = gate(ledger, as_of=date(2021, 10, 31))
        assert [f.code for f in g.counts] == [f.code for f in g.notice] == ["RX401"]
        assert g.summary_banner().startswith("【未定稿】") and "整改清单!I2" in g.summary_banner()

    def test_dates_block_the_summary_but_not_the_notice(self) -> None:
        bad = Finding("RX301", Severity.ERROR, "整改清单", "H2", "不是日期", 2)
        blank = Finding("RX201", Severity.ERROR, "整改清单", "F2", "未填写", 2,
                        extra={"header": COLUMN_BY_KEY["leader"].header})
        assert count_blockers([bad, blank]) == [bad] and notice_blockers([bad, blank]) == []

    def test_gate_codes_are_registered(self) -> None:
        from rectify_xl.core.gate import COUNT_CODES, NOTICE_CODES

        assert {c.code for c in all_codes()} >= COUNT_CODES | NOTICE_CODES


def test_the_notice_reports_basically_done_problems_as_published_notices_do() -> None:
    from rectify_xl.core.notice.render import summary_sentence

    rows = [HEAD, row("已完成"), row("基本完成", problem="档案缺失", measure="补齐档案"),
            row("正在推进", problem="接待不规范", measure="修订办法")]
    text = summary_sentence(parse_ledger({"整改清单": Grid("整改清单", rows)}))
    assert "已完成1个，基本完成、取得阶段性成果并持续整改1个，正在推进1个。" in text
