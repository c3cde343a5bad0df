"""A table of problems inside a notice (issue 14): read as labelled paragraphs, never skipped."""

from __future__ import annotations

from pathlib import Path

from rectify_xl.adapters.text_input import read_paragraphs
from rectify_xl.core.notice.importer import import_paragraphs
from rectify_xl.core.notice.tables import table_paragraphs
from tests.notice_helpers import OPENING, write_docx

HEADER = ["序号", "反馈问题", "整改措施", "整改情况", "责任单位", "完成时限"]
ROWS = [
    HEADER,
    ["1", "理论学习不够深入", "制定学习计划", "已制定年度学习计划，按月组织学习。", "办公室",
     "2023年6月30日"],
    ["2", "药品采购管理不规范", "开展专项检查", "开展专项检查一次。", "药剂科", "长期坚持"],
    ["2", "药品采购管理不规范", "建立采购台账", "建立采购台账。", "药剂科", ""],
]


def test_rows_become_problem_and_narrative_paragraphs() -> None:
    assert table_paragraphs(ROWS) == [
        "问题1：理论学习不够深入。", "整改情况：已制定年度学习计划，按月组织学习。",
        "责任单位：办公室；完成时限：2023年6月30日。",
        "问题2：药品采购管理不规范。", "整改情况：开展专项检查一次。",
        "责任单位：药剂科；完成时限：长期坚持。",
        "整改情况：建立采购台账。", "责任单位：药剂科。",
    ]


def test_the_reader_takes_the_table_as_problems_with_their_measures_and_columns() -> None:
    doc = import_paragraphs([OPENING, *table_paragraphs(ROWS)], "n.txt").doc
    assert [(p.text, len(p.measures), p.fields.get("department")) for p in doc.problems] == [
        ("理论学习不够深入", 1, "办公室"), ("药品采购管理不规范", 2, "药剂科")]


def test_any_other_table_is_kept_one_paragraph_a_row() -> None:
    assert table_paragraphs([["单位", "联系电话"], ["县委巡察办", "0571-1234567"], ["", ""]]) == [
        "单位　联系电话", "县委巡察办　0571-1234567"]


def test_a_word_table_is_read_in_its_place_among_the_paragraphs(tmp_path: Path) -> None:
    """Word keeps a table apart from the paragraphs: its problems were skipped before."""
    from docx import Document

    path = write_docx(tmp_path / "公告.docx", [(None, OPENING), (None, "二、巡察反馈问题整改落实情况"),
                                              (None, "截至目前，巡察反馈的2个问题已全部完成整改。")])
    document = Document(str(path))
    table = document.add_table(rows=len(ROWS), cols=len(HEADER))
    for r, row in enumerate(ROWS):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.add_paragraph("欢迎广大干部群众对巡察整改落实情况进行监督。")
    document.save(str(path))
    texts = read_paragraphs(path).paragraphs
    assert texts[3] == "问题1：理论学习不够深入。" and texts[-1].startswith("欢迎")
    doc = import_paragraphs(texts, path.name).doc
    assert len(doc.problems) == 2 and doc.measure_count == 3
