"""check-notice rules: one failing and one passing case per code (RX70x, RX71x, RX8xx, RX60x)."""

from __future__ import annotations

import copy

import pytest

from rectify_xl.core.model import Ledger
from rectify_xl.core.notice.importer import import_paragraphs
from rectify_xl.core.notice.ledger import short_diff
from rectify_xl.core.notice.rules import check_notice_text
from rectify_xl.core.records import LedgerRecords, ledger_from_records
from rectify_xl.core.textcheck import TypoPack
from tests.notice_helpers import SUMMARY, notice, section_one, section_two, standard_notice

PACK = TypoPack.from_mapping({
    "typo": [{"wrong": "制定勒", "right": "制定了"}, {"wrong": "的的", "right": "的", "allow": ["的的确"]}],
    "typos": {"截止目前": "截至目前"},
})


def codes(text: str, ledger: Ledger | None = None, typos: TypoPack | None = None
          ) -> list[tuple[str, int | None]]:
    return [(f.code, f.row) for f in check_notice_text(text, "n.txt", ledger=ledger, typos=typos)]


def only_two(summary: str = SUMMARY, body: str = "") -> str:
    """A notice whose only section is the problems section (numbered 一、)."""
    return notice(section_two(summary, body, number="一"))


def with_body(body: str, summary: str = SUMMARY) -> str:
    return only_two(summary, body)


def test_clean_notice_has_no_finding() -> None:
    """The passing case of every rule at once: numbering, counts, writing, ledger."""
    assert codes(standard_notice(), typos=PACK) == []


class TestNumbering:
    def test_repeated_aspect_number_is_an_error_with_the_expected_number(self) -> None:
        text = notice("一、甲\n正文。\n（一）子。\n（二）子。\n（二）子。")
        findings = check_notice_text(text, "n.txt")
        assert [(f.code, f.row) for f in findings] == [("RX701", 6)]
        assert "应为“（三）”" in findings[0].message

    def test_skipped_number(self) -> None:
        text = notice("一、甲\n（一）子。正文。\n（三）子。正文。")
        assert codes(text) == [("RX702", 4)]

    def test_out_of_order_number(self) -> None:
        text = notice("一、甲\n（一）子。\n（三）子。\n（二）子。")
        assert codes(text) == [("RX702", 4), ("RX703", 5)]

    def test_numbering_restarts_under_each_parent(self) -> None:
        assert codes(notice("一、甲\n（一）子。\n1.孙\n2.孙\n（二）子。\n1.孙")) == []

    def test_level_one_straight_to_three_is_flagged_when_level_two_is_used(self) -> None:
        text = notice("一、甲\n（一）子。\n二、乙\n1.孙")
        assert codes(text) == [("RX704", 5)]

    def test_level_one_straight_to_three_is_allowed_when_level_two_is_never_used(self) -> None:
        assert codes(notice("一、甲\n1.孙\n2.孙\n二、乙\n1.孙")) == []

    def test_mixed_styles_at_one_level(self) -> None:
        text = notice("一、甲\n1.孙\n2.孙\n3、孙")
        assert codes(text) == [("RX705", 5)]

    def test_one_consistent_style_passes_whichever_it_is(self) -> None:
        assert codes(notice("一、甲\n1、孙\n2、孙\n3、孙")) == []

    def test_heading_without_the_full_stop_its_siblings_have(self) -> None:
        """The seed's fourth aspect line: （一）…方面。（二）…方面。（三）…方面 without 。"""
        text = notice("一、甲\n（一）乙方面。\n（二）丙方面。\n（三）丁方面")
        assert codes(text) == [("RX709", 5)]
        assert "如第3段" in check_notice_text(text, "n.txt")[0].message

    def test_items_of_a_list_end_with_semicolons_and_the_last_with_a_full_stop(self) -> None:
        """A 巡察公告's contact list under （一）: 1.…；2.…；3.…；4.…。 is the list convention."""
        text = notice("一、受理信访方式\n（一）县委第二巡察组巡察县人大机关。\n"
                      "1.巡察信箱：设在县信访局等办公场所；\n2.举报电子邮箱：xc2@example.com；\n"
                      "3.举报电话：0553-2595762；\n4.来信请寄：县行政四号楼县委第二巡察组。")
        assert "RX709" not in [c for c, _ in codes(text)]

    def test_headings_stopped_alike_or_with_run_in_text_pass(self) -> None:
        assert codes(notice("一、甲\n（一）乙方面\n（二）丙方面\n（三）丁方面")) == []
        assert codes(notice("一、甲\n（一）乙。正文。\n（二）丙。正文。\n（三）丁方面")) == []
        assert codes(notice("一、甲\n（一）乙方面。\n（二）丙方面")) == []  # no majority

    def test_unreadable_numbering_is_reported(self) -> None:
        assert ("RX708", 3) in codes(notice("一、甲\n（一加强学习。"))


class TestEnumerations:
    def test_gap_in_yi_shi_er_shi(self) -> None:
        text = with_body("1.关于“甲”问题的整改情况。\n整改落实情况：一是做了。三是又做了。")
        assert ("RX706", 5) in codes(text)

    def test_repeat_in_yi_shi_er_shi(self) -> None:
        text = with_body("1.关于“甲”问题的整改情况。\n整改落实情况：一是做了。二是又做了。二是还做了。")
        assert ("RX707", 5) in codes(text)

    def test_sequence_may_continue_over_paragraphs(self) -> None:
        text = with_body("1.关于“甲”问题的整改。\n一是做了。\n二是又做了。",
                         summary="我委细化分解了1个问题，已完成1个。")
        assert codes(text) == []

    def test_quoted_feedback_sentence_is_checked_on_its_own(self) -> None:
        text = with_body("1.关于“甲。一是少。三是缺”问题的整改情况。\n整改落实情况：一是做了。",
                         summary="我委细化分解了1个问题。")
        assert codes(text) == [("RX706", 4)]


class TestCounts:
    def test_stated_problem_count_differs_from_the_listed_problems(self) -> None:
        text = only_two("我委根据巡察反馈的2个问题细化分解了9个问题，已完成3个。")
        assert codes(text) == [("RX711", 3)]

    def test_stated_measure_count_differs_from_the_listed_narratives(self) -> None:
        text = notice(section_one("确定了7条整改措施"), section_two())  # 6 are listed
        assert codes(text) == [("RX712", 4)]

    def test_done_more_than_listed(self) -> None:
        text = only_two("我委细化分解了3个问题，已完成5个。")
        assert codes(text) == [("RX713", 3)]

    def test_done_plus_in_progress_must_equal_the_total(self) -> None:
        text = only_two("我委细化分解了3个问题，已完成整改2个、正在整改2个。")
        assert codes(text) == [("RX713", 3)]

    def test_rate_is_checked_against_done_over_total(self) -> None:
        ok = only_two("我委细化分解了3个问题，已完成整改2个、正在整改1个，整改完成率67%。")
        bad = only_two("我委细化分解了3个问题，已完成整改2个、正在整改1个，整改完成率76%。")
        assert codes(ok) == [] and codes(bad) == [("RX714", 3)]

    def test_done_written_after_its_number_against_the_found_total(self) -> None:
        """A round's briefing: 指出具体问题41个，其中35个已整改 (no problems listed, not a notice)."""
        para = "截至11月7日，6个巡察组指出具体问题41个，其中{n}个已整改。"
        assert codes(para.format(n=35)) == []
        assert codes(para.format(n=45)) == [("RX713", 1)]

    def test_figures_of_a_text_that_is_no_notice_are_checked_in_their_paragraph(self) -> None:
        text = ("2022年1月27日，区委4个巡察组向40家被巡察单位党组织反馈巡察情况。\n"
                "截至目前，巡察反馈的697个问题，完成整改{done}个，基本完成4个，未完成5个，"
                "总体完成率{rate}%。")
        assert codes(text.format(done=688, rate="98.71")) == []
        assert ("RX713", 2) in codes(text.format(done=698, rate="98.71"))
        assert codes(text.format(done=688, rate="97.71")) == [("RX714", 2)]

    def test_rate_above_one_hundred(self) -> None:
        assert codes("学院对12个方面32个问题进行了整改，整改完成率达105%。") == [("RX624", 1)]
        assert codes("学院对12个方面32个问题进行了整改，整改完成率达100%。") == []

    def test_feedback_before_the_inspection_ended(self) -> None:
        ok = only_two()
        bad = ok.replace("2021年7月7日反馈", "2021年4月7日反馈")
        assert codes(ok) == [] and codes(bad) == [("RX625", 1)]

    def test_signature_dated_before_the_feedback(self) -> None:
        ok = only_two().rstrip("\n") + "\n中共某县委政法委员会\n2021年10月20日\n"
        bad = ok.replace("2021年10月20日", "2021年6月20日")
        assert codes(ok) == [] and codes(bad) == [("RX625", codes(bad)[0][1])]
        assert codes(bad)[0][1] == len(bad.strip().splitlines())

    def test_counts_of_one_paragraph_in_digits_and_chinese_numerals(self) -> None:
        bad = only_two("我委根据巡察反馈的2个问题细化分解了三个问题，已完成3个。")
        assert codes(bad) == [("RX626", 3)]
        assert codes(only_two("我委根据巡察反馈的两个问题细化分解了三个问题，已完成三个。")) == []

    def test_stated_aspect_count(self) -> None:
        ok = only_two("巡察反馈了2个方面3个问题，已完成3个。")
        bad = only_two("巡察反馈了3个方面3个问题，已完成3个。")
        assert codes(ok) == [] and codes(bad) == [("RX717", 3)]

    def test_feedback_count_against_an_explicit_feedback_level(self) -> None:
        body = ("（一）在“甲”方面\n1.关于“反馈一”问题的整改\n（1）关于“具体一”问题的整改情况。\n"
                "整改落实情况：做了。\n（2）关于“具体二”问题的整改情况。\n整改落实情况：又做了。")
        assert codes(with_body(body, "巡察反馈1个问题，已完成整改2个。")) == []
        assert codes(with_body(body, "巡察反馈3个问题，已完成整改2个。")) == [("RX715", 3)]


class TestWriting:
    @pytest.mark.parametrize("line, code", [
        ("我委高度重视,认真整改。", "RX601"),
        ("建立“三个规定制度。", "RX602"),
        ("制定勒整改方案。", "RX603"),
        ("截止目前，整改完成。", "RX603"),
        ("研究的的问题。", "RX604"),
        ("于2021年03月01日召开会议。", "RX716"),
        ("于2021 年3月1日召开会议。", "RX716"),
    ])
    def test_writing_slip_is_reported_with_its_paragraph(self, line: str, code: str) -> None:
        assert codes(notice(f"一、甲\n{line}"), typos=PACK) == [(code, 3)]

    def test_half_width_marks_are_one_finding_per_paragraph(self) -> None:
        findings = check_notice_text(notice("一、甲\n甲,乙,丙;丁。"), "n.txt")
        assert [(f.code, f.row) for f in findings] == [("RX601", 3)]
        assert "第3段（共3处）" in findings[0].message

    def test_correct_forms_pass(self) -> None:
        text = notice("一、甲\n截至目前，于2021年3月1日召开会议，的确研究了问题。")
        assert codes(text, typos=PACK) == []


@pytest.fixture
def records() -> LedgerRecords:
    """The standard notice as a ledger whose problems are all closed (the counts match)."""
    recs = copy.deepcopy(import_paragraphs(standard_notice(), "n.txt").records)
    for m in recs.measures:
        m.update(status="已完成", feedback="反馈甲" if m["aspect"] == "理论学习方面" else "反馈乙")
    return recs


class TestAgainstLedger:
    def test_matching_ledger_passes(self, records: LedgerRecords) -> None:
        assert codes(standard_notice(), ledger_from_records(records)) == []

    def test_problem_missing_from_the_ledger(self, records: LedgerRecords) -> None:
        records.measures = [m for m in records.measures if m["problem"] != "制度不健全"]
        found = codes(standard_notice(), ledger_from_records(records))
        assert ("RX801", 11) in found

    def test_problem_missing_from_the_notice(self, records: LedgerRecords) -> None:
        records.measures.append({**records.measures[-1], "problem": "档案管理混乱无序",
                                 "progress": "整理档案。"})
        found = check_notice_text(standard_notice(), "n.txt", ledger=ledger_from_records(records))
        assert ("RX802", None) in [(f.code, f.row) for f in found]
        assert "台账第8行" in next(f.message for f in found if f.code == "RX802")

    def test_measure_count_differs(self, records: LedgerRecords) -> None:
        records.measures.insert(2, {**records.measures[1], "progress": "又一条。"})
        assert ("RX803", 9) in codes(standard_notice(), ledger_from_records(records))

    def test_narrative_differs_shown_as_short_diff(self, records: LedgerRecords) -> None:
        records.measures[1]["progress"] = "撰写学习心得体会。"
        found = check_notice_text(standard_notice(), "n.txt", ledger=ledger_from_records(records))
        hit = next(f for f in found if f.code == "RX804")
        assert hit.row == 10 and hit.message.endswith("公告“撰写心得”，台账“撰写学习心得”")

    def test_stated_counts_against_the_ledger(self, records: LedgerRecords) -> None:
        records.measures[0]["status"] = "正在推进"
        assert ("RX805", 7) in codes(standard_notice(), ledger_from_records(records))

    def test_aspect_missing(self, records: LedgerRecords) -> None:
        for m in records.measures:
            if m["aspect"] == "作风建设方面":
                m["aspect"] = "纪律建设方面"
        found = codes(standard_notice(), ledger_from_records(records))
        assert ("RX806", 13) in found and ("RX806", None) in found

    def test_problem_text_differs_slightly(self, records: LedgerRecords) -> None:
        for m in records.measures:
            if m["problem"] == "会议记录不全":
                m["problem"] = "会议记录不齐全"
        assert codes(standard_notice(), ledger_from_records(records)) == [("RX807", 14)]

    def test_width_of_punctuation_is_not_a_difference(self) -> None:
        assert short_diff("甲,乙。", "甲，乙。") == "（仅标点或空格不同）"
