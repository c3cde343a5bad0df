"""The structure reader places every paragraph of shapes the sample does not have (issue 15).

The notice below copies the *layout* described in issue 15 (a university notice with six aspects
laid out differently); units, topics and numbers are invented.
"""

from __future__ import annotations

from rectify_xl.core.notice.importer import import_paragraphs
from rectify_xl.core.notice.rules import check_notice_text

UNIVERSITY = "\n".join([
    "中共某大学委员会关于巡视整改进展情况的通报",
    "根据省委统一部署，2022年3月10日至5月20日，省委第六巡视组对某大学党委进行了巡视。2022年7月8日，"
    "省委巡视组向学校党委反馈了巡视意见。按照巡视工作有关要求，现将巡视整改进展情况予以公布。",
    "一、党委履行巡视整改主体责任情况",
    "学校党委把巡视整改作为重大政治任务，成立整改工作领导小组，制定整改方案，明确整改任务。",
    "二、巡视反馈问题整改落实情况",
    "截至目前，巡视反馈的6个方面问题已完成整改任务52项，正在推进8项。",
    "（一）关于落实立德树人根本任务方面",
    "学校修订人才培养方案，完善课程思政建设体系，组织开展教学质量专项检查，整改工作取得阶段性成效。",
    "（二）关于意识形态工作方面",
    "一是修订意识形态工作责任制实施细则，明确党委、学院两级责任。二是建立舆情研判机制，每季度开展一次分析"
    "研判。三是加强课堂和讲座论坛管理。",
    "（三）关于全面从严治党方面",
    "1.关于“监督执纪不严”问题的整改情况。",
    "整改落实情况：一是开展廉政风险排查，梳理风险点120个。二是建立二级单位纪委书记例会制度。"
    "三是对重点领域开展专项监督。四是完善谈心谈话制度。",
    "同时，学校将整改工作与作风建设结合起来，持续整治形式主义、官僚主义。",
    "五是加强警示教育，组织观看警示教育片。",
    "（四）关于选人用人方面",
    "1.关于“干部梯队建设不足”问题的整改情况。",
    "整改落实情况：制定中层干部队伍建设规划，选拔年轻干部12名。",
    "（五）关于基层党组织建设方面",
    "学院党委围绕支部建设开展了调研。",
    "1.关于“支部组织生活不规范”问题的整改情况。",
    "整改落实情况：开展组织生活专项检查，支部书记培训覆盖率达到100%。",
    "（六）关于巡视整改方面",
    "1.关于“上轮巡视整改不彻底”问题的整改情况。",
    "整改落实情况：对上轮巡视整改任务逐项回头看，已完成整改任务20项，完成率100%。",
    "三、下一步工作打算",
    "学校党委将持续巩固整改成果，建立长效机制。",
])


def test_every_aspect_has_rows() -> None:
    result = import_paragraphs(UNIVERSITY, "u.txt")
    doc = result.doc
    assert len(doc.aspects) == 6
    assert [(p.aspect[2:6], len(p.measures)) for p in doc.problems] == [
        ("落实立德", 1), ("意识形态", 3), ("全面从严", 5), ("选人用人", 1), ("基层党组", 1),
        ("巡视整改", 1)]
    assert {r["aspect"] for r in result.records.measures} == {a for a, _ in doc.aspects}


def test_aspects_without_problems_are_said_to_be_read_as_problems() -> None:
    found = [(f.code, f.row) for f in import_paragraphs(UNIVERSITY, "u.txt").findings]
    assert ("RX770", 7) in found and ("RX770", 9) in found


def test_paragraph_inside_an_enumeration_joins_the_item_before_it() -> None:
    result = import_paragraphs(UNIVERSITY, "u.txt")
    fourth = result.doc.problems[2].measures[3]
    assert fourth.narrative.startswith("完善谈心谈话制度") and "同时，学校" in fourth.narrative
    assert ("RX772", 14) in [(f.code, f.row) for f in result.findings]


def test_lead_paragraph_of_an_aspect_is_reported_not_lost() -> None:
    found = [(f.code, f.row) for f in import_paragraphs(UNIVERSITY, "u.txt").findings]
    assert ("RX771", 20) in found


def test_no_false_numbering_or_count_errors() -> None:
    """No gap at 五是 after a paragraph between items; 6个方面问题 is not 6 problems; the
    sub-task's 完成率100% is not the notice's rate; 52项 tasks are not compared with problems."""
    errors = [(f.code, f.row) for f in check_notice_text(UNIVERSITY, "u.txt")
              if f.severity.name == "ERROR"]
    assert errors == []


def test_real_gap_after_an_inner_paragraph_is_still_found() -> None:
    text = UNIVERSITY.replace("五是加强警示教育", "六是加强警示教育")
    assert ("RX706", 15) in [(f.code, f.row) for f in check_notice_text(text, "u.txt")]


def test_rate_checked_against_its_own_paragraph() -> None:
    text = UNIVERSITY.replace("正在推进8项。", "正在推进8项，整改完成率90%。")
    found = [(f.code, f.row) for f in check_notice_text(text, "u.txt")]
    assert ("RX714", 6) not in found  # no total stated in 项: nothing to check against
    text = UNIVERSITY.replace("正在推进8项。", "正在推进8项，共梳理整改任务60项，整改完成率90%。")
    assert ("RX714", 6) in [(f.code, f.row) for f in check_notice_text(text, "u.txt")]
