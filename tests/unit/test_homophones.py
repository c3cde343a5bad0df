"""Same-sound slips in common words (core.homophones) with the bundled lexicon, and where the
ledger (RX603) and the notice linter (RX623) report them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from rectify_xl.adapters.rulepacks import default_lexicon, default_typos
from rectify_xl.core.homophones import HOMOPHONE, Lexicon, homophone_hits
from rectify_xl.core.model import Ledger
from rectify_xl.core.notice.rules import check_notice_text
from rectify_xl.core.rules import writing
from tests.conftest import measure_row
from tests.validation_helpers import run


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return default_lexicon()


def _found(text: str, lexicon: Lexicon) -> list[tuple[str, str]]:
    return [(h.found, h.suggestion) for h in homophone_hits(text, lexicon)]


@pytest.mark.parametrize(("text", "slip", "right"), [
    ("对巡察反馈的问体逐条建立台账", "问体", "问题"),
    ("各项整改工作已全部完乘", "完乘", "完成"),
    ("现将整改清况通报如下：", "清况", "情况"),
    ("全面公作情况良好", "公作", "工作"),
    ("上述问题已完程整改", "完程", "完成"),
])
def test_a_common_word_typed_with_a_same_sound_character_is_found(
        lexicon: Lexicon, text: str, slip: str, right: str) -> None:
    hits = homophone_hits(text, lexicon)
    assert [(h.found, h.suggestion, h.kind, h.note) for h in hits] == [(slip, right, HOMOPHONE, "同音")]
    assert text[hits[0].start:hits[0].end] == slip


@pytest.mark.parametrize(("text", "slip", "right"), [
    ("党员干部要严格要求自已", "自已", "自己"),  # 自已 is in the lexicon, 350 times rarer
    ("整改工作己经全部完成", "己经", "已经"),
])
def test_a_common_word_typed_with_a_character_alike_in_shape_is_found(
        lexicon: Lexicon, text: str, slip: str, right: str) -> None:
    hits = homophone_hits(text, lexicon)
    assert [(h.found, h.suggestion, h.note) for h in hits] == [(slip, right, "形近")]


@pytest.mark.parametrize("text", [
    "对该问题进行了专题研究，制定整改方案。",  # 对该: two words
    "坚持立行立改，从严从实抓好整改落实。",  # a fixed phrase of the rule pack
    "党的二十届三中全会精神",  # numerals are not compared
    "巡察组组长王昭进作动员讲话。",  # a name after a title
    "罗世杰同志主持会议。",  # a name before a title (世杰 reads as 世界)
    "罗世杰强调，要抓好整改。",  # and before a verb of speaking
    "建立健全长效机制，巩固整改成果。",
    "截至目前，已完成整改12项，正在推进3项。",
])
def test_correct_text_stays_quiet(lexicon: Lexicon, text: str) -> None:
    assert _found(text, lexicon) == []


def test_the_lexicon_is_read_on_first_use_only() -> None:
    pack = default_typos()
    assert pack.lexicon is default_lexicon  # a loader, not the data
    lexicon = default_lexicon()
    assert len(lexicon.counts) > 100_000 and lexicon.readings["题"] & lexicon.readings["体"]
    assert not lexicon.readings["题"] & lexicon.readings["工"]


def test_the_ledger_reports_it_as_rx603_at_its_cell(make_ledger: Callable[..., Ledger]) -> None:
    ledger = make_ledger(rows=[measure_row(progress="已对照问体清单逐项整改到位。")])
    report = run(ledger, typos=default_typos())
    assert report.flatten("code", "cell") == [("RX603", "K2")]
    assert report.findings[0].message.startswith("“问体”疑为“问题”")
    # without the lexicon (a user's pack alone) the slip is not seen: the rule is the lexicon's
    assert run(ledger, typos=replace(default_typos(), lexicon=None)).findings == ()


def test_a_rounds_big_ledger_does_not_read_the_lexicon(
        make_ledger: Callable[..., Ledger], monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [measure_row(seq=str(i), problem=f"问题{i}", progress="已对照问体清单逐项整改到位。")
            for i in range(1, 4)]
    monkeypatch.setattr(writing, "_PHRASE_RULES_ROWS", 2)  # a ledger above the size limit
    asked: list[int] = []
    pack = replace(default_typos(), lexicon=lambda: asked.append(1) or default_lexicon())
    assert [f.code for f in run(make_ledger(rows=rows), typos=pack).findings] == []
    assert asked == []


def test_the_notice_linter_reports_it_as_rx623_in_the_paragraph() -> None:
    paragraphs = ["关于巡察整改进展情况的通报",
                  "根据巡察反馈意见，我单位各项整改工作已全部完乘，现将有关情况通报如下。"]
    found = [(f.code, f.row) for f in check_notice_text(paragraphs, "公告.txt", typos=default_typos())
             if f.code in ("RX603", "RX610", "RX623")]
    assert found == [("RX623", 2)]


def test_a_phrase_edge_that_starts_a_common_word_is_no_slip() -> None:
    """一、巡察主要任务 is 巡察 + 主要, not 巡察组 with 主 for 组; 巡察主进驻 still is a slip."""
    def near(text: str) -> list[tuple[str, int]]:
        return [(f.code, f.row) for f in check_notice_text(["关于巡察工作的公告", text], "公告.txt",
                                                            typos=default_typos())
                if f.code == "RX610"]
    assert near("一、巡察主要任务") == []
    assert near("县委第一巡察主进驻后，召开了动员会。") == [("RX610", 2)]
