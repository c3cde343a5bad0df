"""core.document: notice lines → typed blocks, punctuation, numbering checks."""

from __future__ import annotations

from datetime import date

import pytest

from rectify_xl.core.document import (
    Kind,
    classify,
    document_date,
    document_issuer,
    document_title,
    full_width_punctuation,
    heading_gaps,
    notice_blocks,
    parse_marker,
    text_cells,
)
from rectify_xl.core.model import Info


class TestClassify:
    @pytest.mark.parametrize(("line", "level"), [
        ("一、党委履行巡察整改工作主体责任情况", 1),
        ("十一、其他", 1),
        ("（二）贯彻落实党中央决策部署方面。", 2),
        ("3.关于“某某”问题的整改情况。", 3),
        ("12．关于问题的整改情况。", 3),
        ("（4）细项", 4),
    ])
    def test_leading_marker_gives_the_heading_level(self, line: str, level: int) -> None:
        """一、 （一） 1. （1） are levels 1 to 4 (GB/T 9704 7.3.3)."""
        block = classify(line)
        assert (block.kind, block.level) == (Kind.HEADING, level)

    @pytest.mark.parametrize("line", [
        "整改落实情况：一是建立机制。二是完善制度。",
        "2021.7.7反馈了意见。",
        "244.9万元已执行到位。",
        "一是加强学习。",
        "（一是）不是标题",
    ])
    def test_lines_without_a_heading_marker_are_body(self, line: str) -> None:
        """Enumerations 一是… and numbers like 244.9 stay body text."""
        assert classify(line).kind is Kind.BODY

    def test_run_in_heading_splits_at_the_first_full_stop(self) -> None:
        """（一）lead sentence。rest: the lead takes the heading face, the rest is body."""
        block = classify("（一）深入领会精神，统一思想认识。7月7日巡察组反馈问题后，我委立即学习。")
        assert block.lead == "（一）深入领会精神，统一思想认识。"
        assert block.rest == "7月7日巡察组反馈问题后，我委立即学习。"
        assert block.role == "heading2"

    def test_full_stop_inside_quotes_does_not_end_the_lead(self) -> None:
        """A quoted problem with sentences inside stays one lead sentence."""
        line = "1.关于“学习不够深入。撰写心得体会少”问题的整改情况。"
        block = classify(line)
        assert (block.lead, block.rest) == (line, "")

    def test_standalone_heading_without_full_stop_is_all_lead(self) -> None:
        block = classify("（二）聚焦基层党组织建设方面")
        assert block.lead == block.text and block.rest == ""

    def test_marker_numbers_are_read(self) -> None:
        assert parse_marker("（十二）某方面。") == (2, 12, 4)
        assert parse_marker("正文") is None


class TestPunctuation:
    @pytest.mark.parametrize(("typed", "expected"), [
        ("据县委统一部署,2021年3月11日", "据县委统一部署，2021年3月11日"),
        ("(一)深入领会精神", "（一）深入领会精神"),
        ("吸(贩)毒", "吸（贩）毒"),
        ("联系方式:电话0913-3253456;邮箱", "联系方式：电话0913-3253456；邮箱"),
        ("共244.9万元", "共244.9万元"),
        ("会议于10:30召开", "会议于10:30召开"),
        ("dl3253456@163.com。", "dl3253456@163.com。"),
        ("“7+N”(A, B)", "“7+N”(A, B)"),
    ])
    def test_half_width_punctuation_touching_chinese_becomes_full_width(
            self, typed: str, expected: str) -> None:
        """, ( ) : ; next to Chinese → ， （ ） ： ；; numbers, times and addresses stay."""
        assert full_width_punctuation(typed) == expected


class TestDocumentParts:
    def test_title_falls_back_to_the_unit(self) -> None:
        assert document_title(Info(unit="县委政法委")) == "县委政法委关于巡察整改进展情况的公告"
        assert document_title(Info(unit="甲", title="乙的公告")) == "乙的公告"

    def test_issuer_falls_back_to_the_unit(self) -> None:
        assert document_issuer(Info(unit="县委政法委")) == "县委政法委"
        assert document_issuer(Info(unit="甲", issuer="中共某县委政法委员会")) == "中共某县委政法委员会"

    def test_date_is_the_publish_date_in_arabic_numerals_else_as_of(self) -> None:
        """成文日期 (7.3.5.4): 2021年11月5日, no leading zeros."""
        info = Info(publish_date=date(2021, 11, 5), as_of=date(2021, 10, 31))
        assert document_date(info) == "2021年11月5日"
        assert document_date(Info(as_of=date(2021, 10, 31))) == "2021年10月31日"
        assert document_date(Info()) == ""

    def test_blocks_are_title_lines_signature_and_date(self) -> None:
        blocks = notice_blocks("开头。\n\n一、标题\n正文", title="T", issuer="S", date_text="2021年1月2日")
        assert [(b.kind, b.text) for b in blocks] == [
            (Kind.TITLE, "T"), (Kind.BODY, "开头。"), (Kind.HEADING, "一、标题"), (Kind.BODY, "正文"),
            (Kind.SIGNATURE, "S"), (Kind.DATE, "2021年1月2日"),
        ]

    def test_text_cells_count_half_width_as_half(self) -> None:
        assert text_cells("2021年11月5日") == 6.5
        assert text_cells("中共××县委“A”") == 8.5


class TestHeadingGaps:
    def test_gapless_numbering_has_no_gaps(self) -> None:
        lines = ["一、甲", "（一）乙", "1.丙", "（1）丁", "（2）丁", "2.丙", "（二）乙", "1.丙",
                 "二、甲", "（一）乙"]
        assert heading_gaps(lines) == []

    def test_repeated_number_is_a_gap(self) -> None:
        """The seed's fourth aspect is numbered （二） again."""
        lines = ["一、甲", "二、甲", "（一）乙", "（二）乙", "（三）乙", "（二）乙"]
        assert heading_gaps(lines) == ["（四） expected, got （二）"]
