"""Import and check-notice on the structures of real published notices (tests/notice_shapes.py).

Each shape: what import reads (基本信息, aspects, problems, measures, 文稿, the report) and that
check-notice raises no false alarm on the correct text, then a planted error it must catch.
"""

from __future__ import annotations

from datetime import date

import pytest

from rectify_xl.core.notice.facts import stated_counts
from rectify_xl.core.notice.importer import import_paragraphs
from rectify_xl.core.notice.rules import check_notice_text
from rectify_xl.core.structure import Para, read_structure
from tests.notice_shapes import (
    DISTRICT_UNNUMBERED,
    HOSPITAL_LABELLED,
    PROVINCE_NUMBERED_PART_ONE,
    PROVINCE_RUN_IN,
    SHAPES,
    TOWN_TASKS,
    UNION_FLAT,
    UNIVERSITY_RUN_IN,
)


def checked(text: str) -> list[tuple[str, int | None]]:
    return [(f.code, f.row) for f in check_notice_text(text, "n.txt")]


def reported(text: str) -> list[tuple[str, int | None]]:
    return [(f.code, f.row) for f in import_paragraphs(text, "n.txt").findings]


def problems(text: str) -> list[tuple[str, str, int]]:
    doc = import_paragraphs(text, "n.txt").doc
    return [(p.aspect, p.text, len(p.measures)) for p in doc.problems]


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_correct_real_shapes_get_no_error_from_check_notice(name: str) -> None:
    errors = [f for f in check_notice_text(SHAPES[name], name) if f.severity.label == "错误"]
    assert errors == []


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_every_paragraph_is_placed_or_reported(name: str) -> None:
    result = import_paragraphs(SHAPES[name], name)
    doc = result.doc
    placed = {doc.opening.no if doc.opening else 0, *doc.signature, *(p.no for p, _ in doc.unplaced)}
    placed |= {t["para"] for t in doc.texts} | {p.no for p in doc.summary}
    placed |= {p.para for p in doc.problems} | {m.para for p in doc.problems for m in p.measures}
    placed |= {no for _, no in doc.aspects} | ({doc.closing.no} if doc.closing else set())
    placed |= {p.no for p, _ in doc.section_titles}
    contact = {p.no for p in read_structure(SHAPES[name]).paras
               if any(w in p.text for w in ("电话", "地址", "邮箱", "信箱"))}
    title = 1 if "title" in doc.info else 0
    assert set(range(1, len(read_structure(SHAPES[name]).paras) + 1)) - placed - contact <= {title}


class TestLabelledPairs:
    def test_problem_paragraphs_labelled_problem_n_are_the_problems(self) -> None:
        assert problems(HOSPITAL_LABELLED) == [("", "理论学习不够深入", 2),
                                               ("", "“三重一大”制度执行不严格", 1),
                                               ("", "药品采购管理不规范", 3)]

    def test_the_counts_are_checked_against_the_labelled_problems(self) -> None:
        assert checked(HOSPITAL_LABELLED) == []
        wrong = HOSPITAL_LABELLED.replace("反馈的3个问题", "反馈的4个问题")
        assert checked(wrong) == [("RX711", 5)]

    @pytest.mark.parametrize("line", [
        "问题一：理论学习不够深入。", "【问题1】理论学习不够深入。", "反馈问题1：理论学习不够深入。",
        "存在问题：理论学习不够深入。",
    ])
    def test_label_forms(self, line: str) -> None:
        text = "\n".join([*HOSPITAL_LABELLED.splitlines()[:5], line, "整改情况：制定学习计划。"])
        assert problems(text) == [("", "理论学习不够深入", 1)]

    def test_a_notice_without_headings_starts_its_problems_at_the_first_label(self) -> None:
        lines = HOSPITAL_LABELLED.splitlines()
        text = "\n".join([lines[0], *lines[5:10]])  # no 一、二、三、, no summary
        assert [p for _, p, _ in problems(text)] == ["理论学习不够深入", "“三重一大”制度执行不严格",
                                                  "药品采购管理不规范"]

    def test_a_term_in_quotes_inside_a_bare_problem_heading(self) -> None:
        text = "\n".join([*HOSPITAL_LABELLED.splitlines()[:5],
                          "（一）关于“三重一大”制度执行不严格的问题。整改情况：修订议事规则。"])
        assert problems(text) == [("", "“三重一大”制度执行不严格", 1)]


class TestProvinceRunIn:
    """一、在…方面 as aspects; （一）关于…的问题。一是… run-in; feedback date without year."""

    def test_read_as_a_notice_with_level_one_aspects_and_run_in_problems(self) -> None:
        assert problems(PROVINCE_RUN_IN) == [
            ("在理论武装不够深入方面", "部分干部学用脱节", 3),
            ("在理论武装不够深入方面", "中心组学习质量不高", 2),
            ("在基层组织建设薄弱方面", "部分支部组织生活不规范", 2),
            ("在基层组织建设薄弱方面", "发展党员把关不严", 1),
            ("在作风建设有差距方面", "文山会海反弹", 2),
        ]

    def test_feedback_date_takes_the_year_of_the_inspection(self) -> None:
        info = import_paragraphs(PROVINCE_RUN_IN, "n.txt").records.info
        assert (info["group"], info["unit"], info["feedback_date"]) == (
            "中央第五巡视组", "某省", date(2019, 9, 12))

    def test_enumeration_continued_after_a_run_in_heading_is_no_gap(self) -> None:
        assert checked(PROVINCE_RUN_IN) == []
        assert ("RX706", 5) in checked(PROVINCE_RUN_IN.replace("三是将学习", "四是将学习"))

    def test_unquoted_aspect_heading_is_not_a_problem(self) -> None:
        from rectify_xl.core.notice.reader import problem_text

        assert problem_text("关于部分干部学用脱节的问题。") == "部分干部学用脱节"
        assert problem_text("关于贯彻落实决策部署方面的问题") is None
        assert problem_text("关于“贯彻落实决策部署”方面的问题") is None


class TestProvinceNumberedPartOne:
    """1. straight under 一、 in part 一; 关于…方面的问题 aspects; Chinese-numeral signature date."""

    def test_numbered_paragraphs_of_part_one_are_lead_sentences(self) -> None:
        result = import_paragraphs(PROVINCE_NUMBERED_PART_ONE, "n.txt")
        assert [(t["section"], t["lead"]) for t in result.records.texts if t["section"] == "一"] == [
            ("一", "提高政治站位，扛起整改责任。"), ("一", "健全工作机制，压实各方责任。")]
        assert [(c, r) for c, r in reported(PROVINCE_NUMBERED_PART_ONE) if c in ("RX781", "RX790")] == [
            ("RX790", 4), ("RX790", 5)]

    def test_signature_in_chinese_numerals(self) -> None:
        info = import_paragraphs(PROVINCE_NUMBERED_PART_ONE, "n.txt").records.info
        assert (info["issuer"], info["publish_date"]) == ("中共某省委", date(2021, 10, 20))

    def test_aspects_and_problems(self) -> None:
        assert problems(PROVINCE_NUMBERED_PART_ONE) == [
            ("关于贯彻落实重大决策部署方面的问题", "推动区域协调发展办法不多", 2),
            ("关于贯彻落实重大决策部署方面的问题", "生态保护责任落实不够", 1),
            ("关于全面从严治党方面的问题", "监督执纪失之于宽", 2),
        ]

    def test_only_the_level_skip_warning(self) -> None:
        assert checked(PROVINCE_NUMBERED_PART_ONE) == [("RX704", 4)]


class TestTownTasks:
    """Counts of 整改任务; period across two years; contact details on separate lines."""

    def test_info_from_opening_and_separate_contact_lines(self) -> None:
        info = import_paragraphs(TOWN_TASKS, "n.txt").records.info
        assert (info["start"], info["end"], info["feedback_date"]) == (
            date(2022, 11, 28), date(2023, 2, 17), date(2023, 3, 15))
        assert (info["phone"], info["address"], info["email"]) == (
            "0632-5551234", "某区某镇府前路8号（邮编：277100）", "xzzg@example.cn")

    def test_contact_lines_are_not_text(self) -> None:
        texts = import_paragraphs(TOWN_TASKS, "n.txt").records.texts
        closing = [t["body"] for t in texts if t["section"] == "结尾"]
        assert closing == ["欢迎广大干部群众对巡察整改落实情况进行监督。"]

    def test_done_is_counted_against_the_stated_tasks_not_the_problems(self) -> None:
        assert checked(TOWN_TASKS) == []
        assert checked(TOWN_TASKS.replace("已完成整改10个", "已完成整改13个")) == [("RX713", 6)]

    def test_numbered_measures_under_problems(self) -> None:
        assert [n for _, _, n in problems(TOWN_TASKS)] == [2, 1, 2, 1]


class TestDistrictUnnumbered:
    """Aspects as plain …方面 lines; 下一步 paragraph without a heading; rate with decimals."""

    def test_plain_aspect_lines_group_the_problems(self) -> None:
        assert [(a, n) for a, _, n in problems(DISTRICT_UNNUMBERED)] == [
            ("贯彻落实上级决策部署方面", 1), ("贯彻落实上级决策部署方面", 2),
            ("全面从严治党方面", 1), ("全面从严治党方面", 1), ("全面从严治党方面", 1),
            ("干部队伍建设方面", 1), ("干部队伍建设方面", 1),
        ]

    def test_numbering_restarts_under_each_aspect_line(self) -> None:
        assert checked(DISTRICT_UNNUMBERED) == []
        repeated = DISTRICT_UNNUMBERED.replace("3.关于“谈心谈话", "2.关于“谈心谈话")
        assert ("RX701", 14) in checked(repeated)

    def test_next_steps_paragraph_is_part_three_before_the_closing(self) -> None:
        texts = import_paragraphs(DISTRICT_UNNUMBERED, "n.txt").records.texts
        assert [t["section"] for t in texts][-2:] == ["三", "结尾"]
        assert texts[-2]["body"].startswith("下一步")

    def test_counts_with_a_third_part_and_a_decimal_rate(self) -> None:
        wrong = DISTRICT_UNNUMBERED.replace("完成整改5个", "完成整改6个")
        assert sorted(checked(wrong)) == [("RX713", 3), ("RX714", 3)]


class TestUnionFlat:
    def test_problems_directly_under_part_two_with_one_item_per_paragraph(self) -> None:
        assert problems(UNION_FLAT) == [("", "联系服务妇女群众不够紧密", 2),
                                        ("", "基层妇联组织作用发挥不充分", 3)]
        assert sorted(checked(UNION_FLAT)) == [("RX616", 1), ("RX704", 5)]  # 报告如下, as the original


class TestUniversityRunIn:
    """Three parts with unusual titles, told apart by order; run-in problems without 关于."""

    def test_parts_by_order_and_run_in_problems(self) -> None:
        result = import_paragraphs(UNIVERSITY_RUN_IN, "n.txt")
        assert [t["section"] for t in result.records.texts] == ["开头", "一", "三", "三", "结尾"]
        assert problems(UNIVERSITY_RUN_IN) == [
            ("关于立德树人根本任务落实有差距方面", "思想政治工作体系不够健全", 2),
            ("关于立德树人根本任务落实有差距方面", "师德师风建设有短板", 2),
            ("关于全面从严治党不够有力方面", "监督责任落实不到位", 2),
        ]
        assert [r for c, r in reported(UNIVERSITY_RUN_IN) if c == "RX791"] == [3, 5, 11]
        assert result.records.info["address"] == "某市某区某路1号某大学党委办公室（邮编：100000）"
        assert checked(UNIVERSITY_RUN_IN) == []


class TestProblemColumnsAndResults:
    TEXT = "\n".join([
        "根据县委统一部署，2023年4月3日至5月30日，县委第一巡察组对县林业局党组进行了巡察，"
        "2023年7月5日反馈了巡察意见。现将巡察整改进展情况予以公布。",
        "一、巡察反馈问题整改情况",
        "（一）关于“森林防火宣传不到位”的问题",
        "整改措施：一是印发宣传手册。二是开展进村宣讲。",
        "整改成效：全县火情同比下降。",
        "责任领导：张某；责任单位：防火办；整改时限：长期坚持；整改状态：已完成。",
        "（二）关于“项目资金拨付滞后”的问题",
        "整改措施：建立资金拨付台账。",
        "整改状态：正在整改",
    ])

    def test_result_lines_join_the_last_narrative_and_columns_are_filled(self) -> None:
        rows = import_paragraphs(self.TEXT, "n.txt").records.measures
        assert [m["progress"] for m in rows] == [
            "印发宣传手册。", "开展进村宣讲。全县火情同比下降。", "建立资金拨付台账。"]
        assert {k: rows[0][k] for k in ("leader", "department", "deadline", "status")} == {
            "leader": "张某", "department": "防火办", "deadline": "长期坚持", "status": "已完成"}
        assert rows[2]["status"] == "正在推进"

    def test_stated_columns_are_not_asked_for(self) -> None:
        result = import_paragraphs(self.TEXT, "n.txt")
        asked = [f.message for f in result.findings if f.code == "RX787"]
        assert asked == ["文中没有完成日期，请在“整改清单”中补填"]


class TestFrontMatter:
    TEXT = "\n".join([
        "中共某县林业局党组",
        "关于县委巡察反馈意见整改情况的通报",
        "（2023年9月8日）",
        "局属各单位、机关各股室：",
        "根据县委统一安排部署，自2023年4月3日起至5月30日，县委第一巡察组对县林业局党组进行了巡察，"
        "2023年7月5日反馈了巡察意见。现将巡察整改情况通报如下。",
        "一、巡察反馈问题整改情况",
        "（一）关于“森林防火宣传不到位”的问题",
        "整改措施：一是印发宣传手册。二是开展进村宣讲。",
        "特此通报。",
    ])

    def test_two_line_title_date_line_addressee_and_closing_formula(self) -> None:
        result = import_paragraphs(self.TEXT, "n.txt")
        info = result.records.info
        assert info["title"] == "中共某县林业局党组关于县委巡察反馈意见整改情况的通报"
        assert (info["publish_date"], info["deployer"], info["start"], info["end"]) == (
            date(2023, 9, 8), "县委", date(2023, 4, 3), date(2023, 5, 30))
        assert ("RX781", 4) in reported(self.TEXT)
        assert [t["body"] for t in result.records.texts if t["section"] == "结尾"] == ["特此通报。"]
        assert checked(self.TEXT) == []


@pytest.mark.parametrize("sentence, expected", [
    ("梳理分解整改任务12个，已完成整改10个", [("tasks", 12), ("done", 10)]),
    ("已整改到位5个，未完成2个", [("done", 5), ("not_done", 2)]),
    ("巡察反馈的9个问题，完成整改7个，基本完成并持续整改问题1个，未完成1个，总体完成率77.78%",
     [("feedback", 9), ("done", 7), ("partly", 1), ("not_done", 1), ("rate", 77.78)]),
    ("已完成整改10个，其中长期任务取得阶段性成效2个", [("done", 10)]),
    ("制定整改措施23条", [("measures", 23)]),
    ("制定完善制度12项", []),
    ("反馈问题6个，细化分解问题10个", [("feedback", 6), ("problems", 10)]),
    ("梳理出具体问题10个，制定整改措施23条", [("problems", 10), ("measures", 23)]),
    ("根据巡察反馈的6个问题梳理出10个具体问题", [("feedback", 6), ("problems", 10)]),
    ("巡察反馈问题整改落实情况", []),
    ("共反馈问题2个大方面4个大项的问题", []),
    ("指出具体问题41个，其中35个已整改", [("done", 35), ("found", 41)]),
    ("巡察反馈的4个问题已完成整改3个", [("feedback", 4), ("done", 3)]),
])
def test_count_phrasings(sentence: str, expected: list[tuple[str, float]]) -> None:
    assert [(c.kind, c.value) for c in stated_counts([Para(1, sentence)])] == expected


@pytest.mark.parametrize("line, bare", [
    ("全面从严治党方面", True),
    ("在“贯彻落实不够有力，核心作用发挥不足”方面", True),
    ("主要体现在以下几个方面：", False),
    ("存在三个方面", False),
])
def test_unnumbered_aspect_line_needs_a_numbered_heading_after_it(line: str, bare: bool) -> None:
    top = read_structure([line, "1.关于“甲”的问题", "整改情况：做了。"]).children
    assert (top[0].is_heading and len(top) == 1) is bare
    alone = read_structure([line, "整改情况：做了。"]).children
    assert not alone[0].is_heading


def test_unnumbered_line_does_not_stand_in_for_a_numbered_level() -> None:
    text = ["二、整改情况", "（一）甲方面", "乙方面", "1.关于“丙”的问题"]
    levels = [n.level for n in read_structure(text).walk()]
    assert levels == [1, 2, 0, 3]


def test_dated_line_is_not_odd_numbering() -> None:
    assert read_structure(["（2023年9月8日）", "（一加强"]).odd == [Para(2, "（一加强")]


class TestOpeningOnTwoLinesAndInlineNumbers:
    TEXT = "\n".join([
        "根据区委统一部署，2024年3月15日至6月12日，区委第一巡察组对区档案馆党支部进行了巡察。",
        "2024年8月13日，区委巡察组向区档案馆党支部反馈了巡察意见。现将巡察整改进展情况公布如下。",
        "一、整改进展情况",
        "1.关于“档案数字化进度慢”问题的整改。",
        "整改落实情况：（1）制定数字化计划；（2）按月通报进度。",
        "2.关于“库房安全检查不经常”问题的整改。",
        "整改落实情况：①建立检查台账。②每季度检查一次。③年底考核。",
        "3.关于“借阅登记不全”问题的整改。",
        "整改落实情况：按照（1）号文件要求补登。",
    ])

    def test_feedback_date_from_the_second_opening_line_kept_as_opening(self) -> None:
        records = import_paragraphs(self.TEXT, "n.txt").records
        assert records.info["feedback_date"] == date(2024, 8, 13)
        assert [t["section"] for t in records.texts] == ["开头", "开头"]

    def test_inline_numbered_measures_are_one_each(self) -> None:
        rows = import_paragraphs(self.TEXT, "n.txt").records.measures
        assert [m["progress"] for m in rows] == [
            "制定数字化计划。", "按月通报进度。", "建立检查台账。", "每季度检查一次。", "年底考核。",
            "按照（1）号文件要求补登。"]
        assert checked(self.TEXT) == []


@pytest.mark.parametrize("name, expected", [
    ("town_tasks", [("RX805", 6), ("RX805", 6)]),  # 12 tasks said, 6 imported; no status yet
    # done, 基本完成 part and rate: no status yet
    ("district_unnumbered", [("RX805", 3), ("RX805", 3), ("RX805", 3)]),
    ("province_run_in", []),
])
def test_against_its_own_imported_ledger(name: str, expected: list[tuple[str, int]]) -> None:
    from rectify_xl.core.records import ledger_from_records

    ledger = ledger_from_records(import_paragraphs(SHAPES[name], name).records)
    found = [(f.code, f.row) for f in check_notice_text(SHAPES[name], name, ledger=ledger)]
    assert found == expected


def test_unknown_status_and_extra_words_on_a_columns_line_are_reported() -> None:
    text = "\n".join([TestProblemColumnsAndResults.TEXT.splitlines()[0], "一、巡察反馈问题整改情况",
                      "（一）关于“宣传不到位”的问题", "整改措施：印发手册。",
                      "责任单位：防火办，宣传科；整改状态：差不多了；另有说明。"])
    result = import_paragraphs(text, "n.txt")
    assert result.records.measures[0]["department"] == "防火办，宣传科"
    assert "status" not in result.records.measures[0]
    assert [(p.no, why) for p, why in result.doc.unplaced] == [
        (5, "责任、时限、状态行中未导入：整改状态：差不多了；另有说明")]


def test_problems_as_the_level_one_headings() -> None:
    text = "\n".join([
        TestProblemColumnsAndResults.TEXT.splitlines()[0],
        "截至目前，巡察反馈的3个问题已完成整改3个。",
        "一、关于“档案数字化进度慢”问题的整改情况",
        "整改落实情况：一是制定数字化计划。二是按月通报进度。",
        "二、关于“库房安全检查不经常”问题的整改情况",
        "整改落实情况：建立检查台账。",
        "三、关于“借阅登记不全”问题的整改情况",
        "整改落实情况：补登借阅记录。",
    ])
    assert problems(text) == [("", "档案数字化进度慢", 2), ("", "库房安全检查不经常", 1),
                              ("", "借阅登记不全", 1)]
    assert "RX791" not in [c for c, _ in reported(text)]
    assert checked(text) == []
    assert checked(text.replace("已完成整改3个", "已完成整改4个")) == [("RX713", 2)]
