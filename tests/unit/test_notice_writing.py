"""check-notice writing rules that read words with the lexicon (issue 14): stray spaces a PDF or
web copy left (RX627), a doubled word that is two words meeting (RX614), a fixed phrase's edge
(RX610)."""

from __future__ import annotations

import pytest

from rectify_xl.adapters.rulepacks import default_typos
from rectify_xl.core.notice.rules import check_notice_text

TITLE = "关于巡察整改进展情况的通报"


def found(text: str, code: str) -> list[tuple[str, int | None, str]]:
    return [(f.code, f.row, f.message) for f in check_notice_text([TITLE, text], "公告.txt",
                                                                   typos=default_typos())
            if f.code == code]


@pytest.mark.parametrize(("text", "words"), [
    ("镇党委后续未定 期召开专题会议研究整改工作。", "定 期"),
    ("“一把手”带头整改作用发挥不充分 。", "分 。"),
    ("督查组逐一对照、逐一点评 ，对整改工作给予肯定。", "评 ，"),
])
def test_a_space_inside_a_word_or_before_a_mark(text: str, words: str) -> None:
    hits = found(text, "RX627")
    assert [(c, r) for c, r, _ in hits] == [("RX627", 2)] and f"“{words}”" in hits[0][2]


@pytest.mark.parametrize("text", [
    "湘潭在线11月8日讯（记者谢雨芬 通讯员 潘夏子）近日，记者了解到巡察整改的进展。",
    "对 2022 年县委巡察反馈的 32 个问题进行了整改。",
    "Excel 表格中的数据已经核对。",
])
def test_spaces_between_words_and_around_numbers_are_left_alone(text: str) -> None:
    assert found(text, "RX627") == []


def test_a_doubled_word_where_two_words_meet_is_no_slip() -> None:
    """党组织组织生活: 党组织 + 组织生活; 整改工作工作 is still 工作 typed twice."""
    assert found("部分村（社区）党组织组织生活质量不高，已督促整改。", "RX614") == []
    assert [r for _, r, _ in found("整改工作工作还需继续努力，不断深化。", "RX614")] == [2]
