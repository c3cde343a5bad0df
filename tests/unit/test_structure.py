"""The structure reader: paragraphs → tree of 一、（一）1.（1） with paragraph numbers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rectify_xl.core.structure import enumeration_items, read_structure, split_lead


def _outline(text: str) -> list[tuple[int, int, int, str]]:
    """(paragraph, level, number, lead) of every heading, depth-first."""
    return [(n.no, n.level, n.marker.number, n.lead) for n in read_structure(text).walk()
            if n.marker]


class TestMarkers:
    @pytest.mark.parametrize("marker", ["1.", "1、", "1．", "１．", "1 ."])
    def test_level_three_marker_in_every_common_form(self, marker: str) -> None:
        """1. 1、 1． and full-width digits all read as level 3, number 1."""
        assert _outline(f"{marker}关于“甲”问题的整改情况。") == [
            (1, 3, 1, "关于“甲”问题的整改情况。")]

    @pytest.mark.parametrize("marker", ["（二）", "(二)", "( 二 )", "（二)"])
    def test_level_two_marker_full_or_half_width(self, marker: str) -> None:
        assert _outline(f"{marker}某方面。") == [(1, 2, 2, "某方面。")]

    def test_all_four_levels_and_circled_numbers_nest(self) -> None:
        text = "一、甲\n（一）乙\n1.丙\n（1）丁\n①戊"
        tree = read_structure(text)
        assert [n.level for n in tree.walk()] == [1, 2, 3, 4, 5]
        assert len(tree.children) == 1 and tree.children[0].children[0].children[0].no == 3

    def test_numbers_and_dates_at_paragraph_start_are_not_headings(self) -> None:
        """2.5万元, 2021年…, 十九届… and 一是… start ordinary paragraphs."""
        text = "2.5万元已追缴。\n2021年3月开展检查。\n十九届五中全会精神。\n一是做了。"
        assert _outline(text) == []

    def test_blank_lines_do_not_count_as_paragraphs(self) -> None:
        tree = read_structure("\n\n一、甲\n\n\n　\n（一）乙\n")
        assert [(n.no, n.level) for n in tree.walk()] == [(1, 1), (2, 2)]

    def test_paragraph_list_input_keeps_numbering_without_blank_entries(self) -> None:
        tree = read_structure(["标题", "", "一、甲", "正文"])
        assert [n.no for n in tree.walk()] == [1, 2, 3]
        assert tree.children[1].children[0].text == "正文"

    def test_unreadable_numbering_is_kept_and_reported(self) -> None:
        """（一 without its closing bracket: a plain paragraph, listed in odd, never dropped."""
        tree = read_structure("一、甲\n（一加强学习。\n第一，健全制度。")
        assert [p.no for p in tree.odd] == [2, 3]
        assert [n.no for n in tree.walk()] == [1, 2, 3]


class TestRunInHeadings:
    def test_lead_sentence_is_split_at_the_first_full_stop(self) -> None:
        node = read_structure("（一）加强组织领导，压实责任。书记认真履行职责。").children[0]
        assert (node.lead, node.body) == ("加强组织领导，压实责任。", "书记认真履行职责。")

    def test_full_stop_inside_quotes_does_not_end_the_lead(self) -> None:
        assert split_lead("关于“学习不够。心得少”问题的整改情况。一是学习。") == (
            "关于“学习不够。心得少”问题的整改情况。", "一是学习。")

    def test_heading_without_full_stop_is_all_lead(self) -> None:
        assert split_lead("在“决策部署不够有力”方面") == ("在“决策部署不够有力”方面", "")


class TestEnumerations:
    def test_items_split_the_paragraph_in_order(self) -> None:
        items = enumeration_items("整改落实情况：一是建立制度。二是开展检查；三是通报。")
        assert [(i.number, i.text) for i in items] == [
            (1, "建立制度。"), (2, "开展检查；"), (3, "通报。")]

    def test_items_inside_a_quoted_feedback_sentence_have_depth_one(self) -> None:
        items = enumeration_items("关于“制度不全。一是未建立。二是未执行”问题的整改情况。")
        assert [(i.number, i.depth, i.text) for i in items] == [
            (1, 1, "未建立。"), (2, 1, "未执行")]

    def test_words_containing_yi_shi_are_not_items(self) -> None:
        assert enumeration_items("统一是关键，唯一是标准。") == ()


class TestVariations:
    """The shapes real notices take (issue 8, shared/notices/README.md)."""

    def test_seed_shape_aspects_problems_and_narratives(self) -> None:
        text = ("二、整改落实情况\n（一）甲方面。\n1.关于“问题甲”问题的整改情况。\n"
                "整改落实情况：一是做了。二是又做了。\n（二）乙方面。\n1.关于“问题乙”问题的整改情况。")
        two = read_structure(text).children[0]
        assert [c.lead for c in two.headings()] == ["甲方面。", "乙方面。"]
        problem = two.children[0].children[0]
        assert problem.level == 3 and len(problem.children[0].items) == 2

    def test_no_level_one_aspects_at_the_top(self) -> None:
        text = "标题\n开头段落。\n（一）在“甲”方面\n1.关于“乙”问题的整改\n（1）关于“丙"
        tree = read_structure(text)
        assert [(n.no, n.level) for n in tree.walk()] == [(1, 0), (2, 0), (3, 2), (4, 3), (5, 4)]

    def test_problems_directly_under_section_two(self) -> None:
        text = "二、整改进展情况及成效\n1.关于“政治引领有短板”问题的整改。\n一是组织学习。\n二是开展培训。"
        two = read_structure(text).children[0]
        assert [c.level for c in two.children] == [3]
        assert [p.items[0].number for p in two.children[0].children] == [1, 2]

    def test_measures_as_numbered_paragraphs_are_level_four(self) -> None:
        text = "1.关于“甲”问题的整改情况。\n（1）建立制度。\n（2）开展检查。"
        problem = read_structure(text).children[0]
        assert [(c.level, c.marker.number) for c in problem.children] == [(4, 1), (4, 2)]


def test_year_followed_by_enumeration_comma_is_not_a_heading() -> None:
    assert _outline("2021、2022年连续开展检查。") == []


_PIECES = st.sampled_from([
    "一、", "二、", "（一）", "(二)", "1.", "2、", "（1）", "①", "一是", "二是", "四是", "关于“",
    "”问题的整改情况", "。", "，", "整改落实情况：", "方面", "联系方式：电话0913-1234567",
    "巡察组对某局开展了巡察", "\n", "\n\n",
    "甲", "乙", "2021年03月1日", "细化分解了3个问题", "已完成2个", "完成率50%", "“", "”", "（一",
    "意见建议", "的反馈意见", "县委第一巡察组\n2021年7月7日", "某局\n2021年7月7日",
])


@settings(max_examples=150, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_any_text_is_read_without_error_and_no_paragraph_is_lost(text: str) -> None:
    """Whatever the input, the reader, the importer and the linter return data, never raise."""
    from rectify_xl.core.notice.importer import import_paragraphs
    from rectify_xl.core.notice.rules import check_notice_text

    tree = read_structure(text)
    assert sorted(n.no for n in tree.walk()) == [p.no for p in tree.paras]
    import_paragraphs(text, "n.txt")
    check_notice_text(text, "n.txt")
