"""Notice / feedback text → ledger records and the import report (core only)."""

from __future__ import annotations

from datetime import date

import pytest

from rectify_xl.core.notice.importer import import_paragraphs
from rectify_xl.core.records import ledger_from_records
from tests.notice_helpers import NOTICES, notice, section_two, seed_path, standard_notice


def _rows(text: str) -> list[tuple[str, str, str]]:
    records = import_paragraphs(text, "n.txt").records
    return [(m["aspect"], m["problem"], m["progress"]) for m in records.measures]


def _codes(text: str) -> list[tuple[str, int | None]]:
    return [(f.code, f.row) for f in import_paragraphs(text, "n.txt").findings]


class TestNoticeImport:
    def test_measures_are_one_row_per_yi_shi_narrative(self) -> None:
        assert _rows(standard_notice()) == [
            ("理论学习方面", "学习不深入。一是学习少。二是心得少", "制定学习计划，按月组织学习。"),
            ("理论学习方面", "学习不深入。一是学习少。二是心得少", "撰写心得体会。"),
            ("理论学习方面", "制度不健全", "修订完善学习制度。"),
            ("作风建设方面", "会议记录不全", "补齐会议记录。"),
            ("作风建设方面", "会议记录不全", "专人管理档案。"),
            ("作风建设方面", "会议记录不全", "定期检查。"),
        ]

    def test_measure_column_is_the_first_clause_of_the_narrative(self) -> None:
        records = import_paragraphs(standard_notice(), "n.txt").records
        assert records.measures[0]["measure"] == "制定学习计划"

    def test_basic_info_from_opening_and_contact_line(self) -> None:
        info = import_paragraphs(standard_notice(), "n.txt").records.info
        assert info == {
            "deployer": "县委", "start": date(2021, 3, 11), "end": date(2021, 4, 25),
            "group": "县委第一巡察组", "unit": "县委政法委", "feedback_date": date(2021, 7, 7),
            "phone": "0913-1234567", "address": "某县某街1号", "email": "a@example.com",
            "feedback_count": "2",  # 根据巡察反馈的2个问题: kept, the grouping is not invented
        }

    def test_sections_one_and_three_become_text_rows_with_lead_sentences(self) -> None:
        texts = import_paragraphs(standard_notice(), "n.txt").records.texts
        assert [(t["section"], t["lead"]) for t in texts] == [
            ("一", ""), ("一", "深入领会精神。"), ("一", "确定了6条整改措施。"),
            ("三", ""), ("三", "进一步深化认识。"), ("三", "进一步健全机制。"),
            ("结尾", ""),
        ]
        assert texts[-1]["body"] == "欢迎广大干部群众对巡察整改落实情况进行监督。"

    def test_standard_opening_is_not_stored_but_a_different_one_is_kept_verbatim(self) -> None:
        plain = import_paragraphs(standard_notice(), "n.txt")
        assert all(t["section"] != "开头" for t in plain.records.texts)
        other = ("根据区委统一部署，2024年3月15日至6月12日，区委第一巡察组对区总工会党组进行了巡察。"
                 "现报告如下。")
        result = import_paragraphs(notice(section_two(), opening=other), "n.txt")
        assert result.records.texts[0] == {"section": "开头", "lead": "", "body": other}
        assert ("RX786", 1) in [(f.code, f.row) for f in result.findings]

    def test_report_says_the_feedback_grouping_is_unknown_instead_of_guessing(self) -> None:
        result = import_paragraphs(standard_notice(), "n.txt")
        assert ("RX782", None) in [(f.code, f.row) for f in result.findings]
        assert all(m["feedback"] == m["problem"] for m in result.records.measures)

    def test_summary_sentence_is_reported_not_imported(self) -> None:
        assert ("RX783", 7) in _codes(standard_notice())

    def test_single_undivided_paragraph_is_one_measure(self) -> None:
        body = "（一）甲方面。\n1.关于“乙”问题的整改情况。\n整改落实情况：建立制度，开展检查。"
        assert _rows(notice(section_two(body=body))) == [("甲方面", "乙", "建立制度，开展检查。")]

    def test_measures_as_numbered_paragraphs(self) -> None:
        body = "（一）甲方面。\n1.关于“乙”问题的整改情况。\n（1）建立制度。\n（2）开展检查。"
        assert [r[2] for r in _rows(notice(section_two(body=body)))] == ["建立制度。", "开展检查。"]

    def test_run_in_problem_heading_without_guan_yu(self) -> None:
        body = "（一）甲方面。\n1.政治引领有短板。一是组织学习。二是开展培训。"
        assert _rows(notice(section_two(body=body))) == [
            ("甲方面", "政治引领有短板", "组织学习。"), ("甲方面", "政治引领有短板", "开展培训。")]

    def test_problems_without_aspects_leave_aspect_empty_and_say_so(self) -> None:
        body = "1.关于“乙”问题的整改。\n一是组织学习。\n二是开展培训。"
        text = notice(section_two(body=body))
        assert _rows(text) == [("", "乙", "组织学习。"), ("", "乙", "开展培训。")]
        assert "RX785" in [c for c, _ in _codes(text)]

    def test_quoted_feedback_sentence_level_gives_the_feedback_column(self) -> None:
        body = ("（一）在“甲”方面\n1.关于“反馈问题”问题的整改\n（1）关于“具体一”问题的整改情况。\n"
                "整改落实情况：做了。\n（2）关于“具体二”问题的整改情况。\n整改落实情况：又做了。")
        records = import_paragraphs(notice(section_two(body=body)), "n.txt").records
        assert [(m["aspect"], m["feedback"], m["problem"]) for m in records.measures] == [
            ("在“甲”方面", "反馈问题", "具体一"), ("在“甲”方面", "反馈问题", "具体二")]

    def test_problem_without_narrative_is_imported_as_an_empty_row_and_reported(self) -> None:
        body = "（一）甲方面。\n1.关于“乙”问题的整改情况。\n2.关于“丙”问题的整改情况。\n整改落实情况：做了。"
        text = notice(section_two(body=body))
        assert [r[1:] for r in _rows(text)] == [("乙", ""), ("丙", "做了。")]
        assert ("RX788", 5) in _codes(text)

    def test_paragraph_between_opening_and_section_one_is_kept_and_reported(self) -> None:
        text = notice("另有说明一段。", section_two())
        result = import_paragraphs(text, "n.txt")
        assert result.records.texts[0]["body"] == "另有说明一段。"
        assert ("RX781", 2) in [(f.code, f.row) for f in result.findings]

    def test_imported_records_parse_into_a_ledger(self) -> None:
        ledger = ledger_from_records(import_paragraphs(standard_notice(), "n.txt").records)
        assert [len(a.problems) for a in ledger.aspects] == [2, 1]
        assert len(ledger.measures) == 6


    def test_signature_lines_give_issuer_and_publish_date(self) -> None:
        text = standard_notice() + "中共某县委政法委员会\n2021年11月5日\n"
        result = import_paragraphs(text, "n.txt")
        assert (result.records.info["issuer"], result.records.info["publish_date"]) == (
            "中共某县委政法委员会", date(2021, 11, 5))
        assert all("政法委员会" not in t["body"] for t in result.records.texts)
        assert result.doc.unplaced == []


    def test_note_after_signature_is_set_aside(self) -> None:
        text = standard_notice() + "中共某县委政法委员会\n2021年11月5日\n（此件公开发布）\n"
        result = import_paragraphs(text, "n.txt")
        assert result.records.info["issuer"] == "中共某县委政法委员会"
        assert all("此件" not in t["body"] for t in result.records.texts)

    def test_title_naming_the_inspection_group_is_a_title_not_the_opening(self) -> None:
        text = "关于县委第一巡察组反馈意见整改情况的通报\n" + standard_notice()
        result = import_paragraphs(text, "n.txt")
        assert result.records.info["title"] == "关于县委第一巡察组反馈意见整改情况的通报"
        assert result.records.info["unit"] == "县委政法委"


class TestFeedbackImport:
    FEEDBACK = "\n".join([
        "县委第一巡察组关于巡察县委政法委党组的反馈意见",
        "根据县委统一部署，2021年3月11日至4月25日，县委第一巡察组对县委政法委开展了巡察。",
        "一、巡察发现的主要问题",
        "（一）贯彻落实党的路线方针政策方面",
        "1.理论学习不深入。一是学习少。二是心得少。",
        "2.制度执行不严格。",
        "（二）党的建设方面",
        "1.支部换届不及时。",
        "二、整改要求",
        "1.加强理论学习。",
    ])

    def test_one_row_per_problem_with_empty_measure_cells(self) -> None:
        result = import_paragraphs(self.FEEDBACK, "f.txt")
        assert result.doc.kind == "feedback"
        assert [(m["aspect"], m["problem"], m["measure"], m["progress"])
                for m in result.records.measures] == [
            ("贯彻落实党的路线方针政策方面", "理论学习不深入。一是学习少。二是心得少", "", ""),
            ("贯彻落实党的路线方针政策方面", "制度执行不严格", "", ""),
            ("党的建设方面", "支部换届不及时", "", ""),
        ]

    def test_recommendations_are_reported_not_imported_as_problems(self) -> None:
        codes = [(f.code, f.row) for f in import_paragraphs(self.FEEDBACK, "f.txt").findings]
        assert ("RX781", 9) in codes and ("RX781", 10) in codes

    def test_item_paragraphs_under_a_problem_line_are_part_of_the_problem(self) -> None:
        """1.… ¶ 一是… ¶ 二是…: the items are the problem's text, as in the run-in form; the part
        title over the aspects is not an aspect; a part without problems is reported."""
        text = "\n".join([
            "2023年3月1日至4月30日，市委第三巡察组对县教育局党组开展了巡察。",
            "一、巡察发现的主要问题", "（一）理论学习方面", "1.学习有差距。", "一是学习不规范。",
            "二是学用结合不紧密。", "2.落实政策不到位。", "（二）党的建设方面", "1.主体责任落实不到位。",
            "二、意见建议", "（一）加强理论武装。", "三、问题线索移交情况", "问题线索已移交有关部门。"])
        result = import_paragraphs(text, "f.txt")
        assert [(m["aspect"], m["problem"]) for m in result.records.measures] == [
            ("理论学习方面", "学习有差距。一是学习不规范。二是学用结合不紧密"),
            ("理论学习方面", "落实政策不到位"), ("党的建设方面", "主体责任落实不到位")]
        assert [a for a, _ in result.doc.aspects] == ["理论学习方面", "党的建设方面"]
        unplaced = [(f.code, f.row) for f in result.findings if f.code == "RX781"]
        assert unplaced == [("RX781", n) for n in (10, 11, 12, 13)]

    @pytest.mark.parametrize("title", ["二、整改要求", "二、意见建议", "二、对巡察整改工作的意见",
                                       "二、整改建议", "二、关于整改工作的几点意见"])
    def test_a_part_of_advice_is_not_problems_whatever_its_title(self, title: str) -> None:
        """A level-1 title that mentions 整改 does not make a feedback document a notice."""
        result = import_paragraphs(self.FEEDBACK.replace("二、整改要求", title), "f.txt")
        assert result.doc.kind == "feedback"
        assert len(result.records.measures) == 3
        assert ("RX781", 9) in [(f.code, f.row) for f in result.findings]

    def test_signature_dates_the_feedback_and_names_the_group(self) -> None:
        """The 落款 of a feedback document is the feedback date, not the notice's 公布日期."""
        result = import_paragraphs(self.FEEDBACK + "\n县委第一巡察组\n2021年7月7日\n", "f.txt")
        info = result.records.info
        assert (info["group"], info["feedback_date"]) == ("县委第一巡察组", date(2021, 7, 7))
        assert not {"publish_date", "issuer", "title"} & set(info)
        assert [(f.code, f.row) for f in result.findings if f.row in (11, 12)] == []
        assert "RX784" not in {f.code for f in result.findings}

    def test_title_and_opening_are_not_the_notices(self) -> None:
        """The feedback's title and 现将…反馈如下 opening never become the notice's."""
        result = import_paragraphs(self.FEEDBACK.replace("开展了巡察。", "开展了巡察。现将问题反馈如下："),
                                   "f.txt")
        assert [t for t in result.records.texts if t["section"] == "开头"] == []
        assert ("RX781", 1) in [(f.code, f.row) for f in result.findings]

    def test_signature_by_another_body_is_reported(self) -> None:
        result = import_paragraphs(self.FEEDBACK + "\n县委巡察工作领导小组办公室\n2021年7月7日\n", "f.txt")
        assert "group" in result.records.info and result.records.info["group"] == "县委第一巡察组"
        assert ("RX781", 11) in [(f.code, f.row) for f in result.findings]


class TestRealNotices:
    def test_seed_gives_4_aspects_10_problems_23_measures(self) -> None:
        path = seed_path()
        result = import_paragraphs(path.read_text(encoding="utf-8"), path.name)
        assert (len(result.doc.aspects), len(result.doc.problems), result.doc.measure_count) == (
            4, 10, 23)
        assert result.doc.unplaced == []

    @pytest.mark.parametrize("name, problems", [
        ("wucheng-2023-partial.txt", [("在“贯彻落实上级决策部署不够有力，党组领导核心作用发挥不足”方面",
                                       "学习贯彻习近平新时代中国特色社会主义思想和上级重大决策部署不够到位")]),
        ("trade-union-2024-partial.txt", [("", "政治引领有短板")]),
    ])
    def test_other_shapes_from_shared_notices(self, name: str, problems: list) -> None:
        path = NOTICES / name
        result = import_paragraphs(path.read_text(encoding="utf-8"), name)
        assert [(p.aspect, p.feedback) for p in result.doc.problems] == problems
        if name.startswith("wucheng"):  # the counts paragraph is kept, and said to be
            assert [p.no for p, _ in result.doc.unplaced] == [3]
        assert result.records.info["group"].endswith("巡察组")


class TestSectionsByContent:
    def test_part_listing_problems_is_section_two_whatever_its_title(self) -> None:
        text = notice("一、提高政治站位，压实整改责任\n（一）加强领导。正文。",
                      "二、聚焦问题清单\n（一）甲方面。\n1.关于“乙”问题的整改情况。\n整改落实情况：做了。",
                      "三、持续巩固巡察反馈问题整改成果\n（一）建立机制。正文。\n（二）加强督查。正文。")
        result = import_paragraphs(text, "n.txt")
        assert [(t["section"], t["lead"]) for t in result.records.texts[:3]] == [
            ("一", "加强领导。"), ("三", "建立机制。"), ("三", "加强督查。")]
        assert [m["problem"] for m in result.records.measures] == ["乙"]

    def test_a_fourth_part_is_merged_and_reported(self) -> None:
        text = notice(section_two(number="一"), "二、巩固成果\n（一）建立机制。正文。",
                      "三、下一步打算\n（一）深化认识。正文。")
        result = import_paragraphs(text, "n.txt")
        assert [t["section"] for t in result.records.texts[:2]] == ["三", "三"]
        assert [p.no for p, _ in result.doc.unplaced] == [14]


@pytest.mark.parametrize("lead, text", [
    ("关于“甲“乙”丙”问题的整改情况。", "甲“乙”丙"),
    ("关于“甲”的问题。", "甲"),
    ("关于“甲”问题整改情况：", "甲"),
    ("关于“甲”问题的整改", "甲"),
    ("关于\"甲\"问题的整改情况。", "甲"),
    ("加强学习。", None),
])
def test_problem_heading_forms(lead: str, text: str | None) -> None:
    from rectify_xl.core.notice.reader import problem_text

    assert problem_text(lead) == text


def test_problems_at_level_two_with_numbered_measures() -> None:
    body = ("（一）关于“甲”问题的整改情况。\n1.建立制度。\n2.开展检查。\n"
            "（二）关于“乙”问题的整改情况。\n1.通报。")
    assert _rows(notice(section_two(body=body))) == [
        ("", "甲", "建立制度。"), ("", "甲", "开展检查。"), ("", "乙", "通报。")]


# --- 完成日期 / 统计截止日期 from the date the notice's statuses hold at ---------------------

_BODY = "\n".join([
    "（一）作风建设方面。",
    "1.关于“台账管理不规范”问题的整改情况。",
    "整改落实情况：一是重新梳理台账，已整改到位。二是明确专人管理，该项工作正在推进。",
    "2.关于“截至2020年12月31日仍有2项制度未修订”问题的整改情况。",
    "整改落实情况：修订完善相关制度，已完成整改。",
])


def _dated(summary: str, *tail: str) -> str:
    return notice(section_two(summary, _BODY)).rstrip("\n") + "".join(f"\n{t}" for t in tail) + "\n"


@pytest.mark.parametrize("words, day", [
    ("截至2021年10月31日", date(2021, 10, 31)),
    ("截止到2021年9月底", date(2021, 9, 30)),  # 截止 (a slip check-notice reports), read alike
    ("截至2022年2月", date(2022, 2, 28)),  # a month alone: through its last day
])
def test_a_stated_as_of_date_fills_as_of_and_bounds_finished_measures(words: str, day: date) -> None:
    result = import_paragraphs(_dated(f"{words}，整改工作取得积极进展。"), "n.txt")
    rows = result.records.measures
    assert result.records.info["as_of"] == day
    # only measures the text reports as finished get a date; the one in progress does not
    assert [(r["status"], r.get("done_date")) for r in rows] == [
        ("已完成", day), ("正在推进", None), ("已完成", day)]
    assert all("不晚于" in r["remark"] and words in r["remark"] for r in rows if r.get("done_date"))
    found = {f.code: f for f in result.findings}
    para = next(p.no for p in result.doc.summary)
    assert found["RX777"].row == found["RX778"].row == para
    assert "2条措施" in found["RX777"].message
    assert "完成日期" not in found["RX787"].message  # nothing left to fill for them


def test_the_publication_date_bounds_them_when_no_as_of_date_is_stated() -> None:
    result = import_paragraphs(_dated("截至目前，整改工作取得积极进展。", "中共某局党组", "2021年11月5日"),
                               "n.txt")
    assert "as_of" not in result.records.info  # not stated: 统计截止日期 stays to fill in
    assert [r.get("done_date") for r in result.records.measures] == [
        date(2021, 11, 5), None, date(2021, 11, 5)]
    bound = next(f for f in result.findings if f.code == "RX777")
    assert bound.row == result.doc.published_in and "发布日期" in bound.message


def test_without_a_stated_date_nothing_is_inferred() -> None:
    """截至目前 and no 落款 date: 完成日期 stays empty, so validate asks for it (RX403)."""
    result = import_paragraphs(_dated("截至目前，整改工作取得积极进展。"), "n.txt")
    assert not any(r.get("done_date") or r.get("remark") for r in result.records.measures)
    assert "as_of" not in result.records.info
    assert not {"RX777", "RX778"} & {f.code for f in result.findings}
    assert "完成日期" in next(f for f in result.findings if f.code == "RX787").message


@pytest.mark.parametrize("summary", [
    "截至2021年5月31日，整改工作取得积极进展。",  # before the feedback (2021年7月7日)
    "截至2021年13月，整改工作取得积极进展。",  # no such month
])
def test_an_as_of_date_that_cannot_be_the_status_date_is_not_used(summary: str) -> None:
    result = import_paragraphs(_dated(summary), "n.txt")
    assert "as_of" not in result.records.info
    assert not any(r.get("done_date") for r in result.records.measures)


def test_a_date_after_publication_or_inside_a_problem_is_not_the_status_date() -> None:
    """The 截至 date quoted in problem 2 is the inspection's finding; one after the 落款 is a slip."""
    late = _dated("截至2021年12月31日，整改工作取得积极进展。", "中共某局党组", "2021年11月5日")
    result = import_paragraphs(late, "n.txt")
    assert "as_of" not in result.records.info
    assert result.records.measures[0]["done_date"] == date(2021, 11, 5)
