"""General writing rules (core.textrules via check-notice RX605–RX620), each tested on text it
was not written from: slips planted in clean notice text, and the same text clean."""

from __future__ import annotations

import pytest

from rectify_xl.adapters.rulepacks import default_typos, load_typos
from rectify_xl.core.notice.rules import check_notice_text
from rectify_xl.core.textcheck import TypoPack
from rectify_xl.core.textrules import Vocabulary, date_hits, missing_chars, near_misses
from tests.notice_helpers import standard_notice
from tests.unit.test_notice_placement import UNIVERSITY

# the default fixed phrases without the pack's list of known slips: what is found here is found
# by the rules
PACK = TypoPack(words=default_typos().words)
CLEAN = [standard_notice(), UNIVERSITY]


def codes(text: str) -> list[tuple[str, int]]:
    return [(f.code, f.row) for f in check_notice_text(text, "n.txt", typos=PACK)
            if f.code not in ("RX601",)]


@pytest.mark.parametrize("text", CLEAN, ids=["standard", "university"])
def test_clean_notice_text_gives_no_error_or_warning(text: str) -> None:
    assert [c for c in check_notice_text(text, "n.txt", typos=PACK)
            if c.severity.name in ("ERROR", "WARNING")] == []


def plant(old: str, new: str, text: str = UNIVERSITY) -> str:
    assert old in text
    return text.replace(old, new, 1)


def paragraph_of(text: str, words: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if words in line)


# (where in the clean text, the slip planted there, the code that must find it)
PLANTED = [
    ("制定整改方案", "制定整改方案，坚持全面从严治当", "RX610"),        # homophone 当/党
    ("明确整改任务", "明确整改任务，推进党风廉正建设", "RX610"),         # homophone 正/政
    ("完善谈心谈话制度", "严格执行三会一棵制度", "RX610"),                # homophone 棵/课
    ("完善谈心谈话制度", "严格落实中央八项规订精神", "RX610"),            # 订/定
    ("完善谈心谈话制度", "坚持民主集中治", "RX610"),                      # 治/制
    ("完善谈心谈话制度", "落实中央八项规精神", "RX611"),                  # 定 left out
    ("完善谈心谈话制度", "学习二十届三中全精神", "RX611"),                # 会 left out
    ("2022年7月8日", "2022年2月30日", "RX606"),                          # no such day
    ("2022年3月10日至5月20日", "2022年5月20日至3月10日", "RX607"),      # reversed range
    ("2022年3月10日至5月20日", "2022年3月10至5月20日", "RX605"),        # 日 dropped
    ("2022年7月8日", "202278日", "RX605"),                               # 年 and 月 dropped
    ("2022年7月8日", "2022.7.8", "RX608"),                               # ASCII date
    ("截至目前", "截止目前", "RX609"),
    ("开展组织生活专项检查", "认真的开展组织生活专项检查", "RX612"),      # 的 for 地
    ("建立长效机制", "建立长效机制，把整改落实的不够到位的问题逐一解决", "RX612"),  # 的 for 得
    ("选拔年轻干部12名", "选拔了了年轻干部12名", "RX613"),
    ("加强课堂和讲座论坛管理", "加强加强课堂和讲座论坛管理", "RX614"),
    ("现将巡视整改进展情况予以公布", "现将巡视整改进展情况报告如下", "RX616"),
    ("成立整改工作领导小组", "成立XX整改工作领导小组", "RX617"),
    ("明确党委、学院两级责任", "学习重要批示指示精神，明确党委、学院两级责任", "RX618"),
    ("建立长效机制。", "建立长效机制", "RX619"),
    ("制定整改方案", "按照《整改工作办法》（校发(2022)3号）制定整改方案", "RX620"),
    ("成立整改工作领导小组", "党委书记做了专题讲话，成立整改工作领导小组", "RX621"),
    ("根据省委统一部署", "根据省届人大常委会统一部署", "RX622"),
    ("学校党委将持续巩固整改成果", "院长做阶段工作报告，学校党委将持续巩固整改成果", "RX621"),
    ("明确整改任务。", "明确整改任务。期间，各学院开展自查。", "RX621"),
]


@pytest.mark.parametrize("old, new, code", PLANTED, ids=[f"{c}-{n[:8]}" for _, n, c in PLANTED])
def test_planted_slip_is_found_where_it_is(old: str, new: str, code: str) -> None:
    text = plant(old, new)
    assert (code, paragraph_of(text, new)) in codes(text)


def test_xunshi_in_a_xuncha_notice() -> None:
    text = standard_notice().replace("二、巡察反馈意见整改落实情况", "二、巡视反馈意见整改落实情况")
    assert ("RX615", paragraph_of(text, "二、巡视")) in codes(text)
    # a 巡视 notice may speak of 巡视, and any notice of Xi's remarks on 巡视工作
    assert not [c for c in codes(UNIVERSITY) if c[0] == "RX615"]
    text = standard_notice().replace("我委高度重视巡察整改工作。",
                                     "我委深入学习习近平总书记关于巡视工作的重要论述。")
    assert not [c for c in codes(text) if c[0] == "RX615"]


def test_words_around_a_correct_phrase_are_not_near_misses() -> None:
    vocab = Vocabulary(["全面从严治党", "网络意识形态", "意识形态", "五中全会精神"])
    assert near_misses("坚持全面从严治党和全面从严治警", vocab) == []  # 警: another sound
    assert missing_chars("加强互联网意识形态阵地建设", vocab) == []
    assert [h.suggestion for h in missing_chars("学习五中全精神", vocab)] == ["五中全会精神"]


def test_numerals_are_not_compared() -> None:
    vocab = Vocabulary(["十九届五中全会精神"])
    assert near_misses("十九届六中全会精神", vocab) == []


@pytest.mark.parametrize("text", ["2021年2月29日", "2021年13月1日", "2022年4月31日"])
def test_impossible_dates(text: str) -> None:
    assert [h.kind for h in date_hits(text)] == ["date_impossible"]


def test_valid_dates_and_deadline_jiezhi_are_left_alone() -> None:
    assert date_hits("2024年2月29日至3月1日，报名截止日期为3月5日，于3月5日截止。") == []


def test_user_pack_adds_words_and_keeps_the_rules(tmp_path) -> None:
    user = tmp_path / "我的.toml"
    user.write_text('[vocabulary]\nwords = ["乡村振兴示范带"]\n', "utf-8")
    pack = load_typos(user)
    assert set(PACK.words) < set(pack.words)
    assert len(pack.entries) == len(default_typos().entries)
    text = plant("完善谈心谈话制度", "建设乡村振兴示范代")
    found = [(f.code, f.row) for f in check_notice_text(text, "n.txt", typos=pack)]
    assert ("RX610", paragraph_of(text, "示范代")) in found
    assert ("RX610", paragraph_of(text, "示范代")) not in codes(text)


def test_vocabulary_is_several_hundred_phrases_without_the_samples_slips() -> None:
    assert len(PACK.words) >= 400
    for slip in ("制定勒", "健立", "五中全精神"):
        assert not any(slip in w for w in PACK.words)
        assert not any(slip in e.wrong for e in PACK.entries)


def test_validate_does_not_load_the_pinyin_tables() -> None:
    """A click validates in a fraction of a second: the sound rule is check-notice's only."""
    import subprocess
    import sys

    code = ("import sys; from datetime import date; "
            "from rectify_xl.services.ledger import validate_workbook; "
            "validate_workbook('workbook/samples/seed-notice-2021.xlsx', as_of=date(2021, 10, 31)); "
            "print('pypinyin' in sys.modules)")
    root = __import__("pathlib").Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=root).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize("text, hits", [
    ("要认真的开展自查。", [("的", "地")]),
    ("树立认真的学习态度。", []),          # 的 before a noun phrase is right
    ("形成了有效的整改合力。", []),        # 有效 is an adjective here
    ("工作落实的不够到位。", [("的", "得")]),
    ("发现的很多问题已整改。", []),
    ("不了了之的做法坚决杜绝。", []),
])
def test_particles(text: str, hits: list[tuple[str, str]]) -> None:
    from rectify_xl.core.textrules import doubled_hits, particle_hits

    assert [(h.found, h.suggestion) for h in particle_hits(text) + doubled_hits(text)] == hits


def _missing_chars_by_pairs(text: str, vocab: Vocabulary) -> list[tuple[int, int, str, str]]:
    """missing_chars as it was first written: the set of every character pair of the text,
    each pair that starts a short form looked up wherever it occurs."""
    from rectify_xl.core.textrules import MISSING_CHAR, Hit, _covered, _dedupe

    pairs = {text[i:i + 2] for i in range(len(text) - 1)}
    places = sorted((at, key) for key in pairs & set(vocab._dropped)
                    for at in range(len(text)) if text.startswith(key, at))
    hits = []
    for s, key in places:
        for short, phrase in vocab._dropped[key]:
            if not text.startswith(short, s) or _covered(text, s, s + len(short), vocab) or any(
                    text.startswith(phrase, s - k)
                    for k in range(0, len(phrase) - len(short) + 1) if s - k >= 0):
                continue
            hits.append(Hit(s, s + len(short), short, phrase, MISSING_CHAR, ""))
    return [(h.start, h.end, h.found, h.suggestion) for h in _dedupe(hits)]


def test_dropped_places_and_missing_chars_match_every_pair_looked_up() -> None:
    """Vocabulary.dropped_places scans for the pairs that start a short form with one regex
    (issue 12, item 8); on random texts dense in overlapping pairs (the scan skips the second
    character of each match) it must give the places and hits of looking at every pair."""
    import random

    vocab = Vocabulary(default_typos().words)
    rng = random.Random(12)
    shorts = [s for forms in vocab._dropped.values() for s, _ in forms]
    phrases = [p for forms in vocab._dropped.values() for _, p in forms]
    chars = sorted({c for s in shorts for c in s[:3]})
    pieces = [*shorts, *(s[1:] for s in shorts), *phrases, "\0", "，", "的"]
    found = 0
    for _ in range(3000):
        text = "".join(rng.choice(pieces) if rng.random() < 0.4 else rng.choice(chars)
                       for _ in range(rng.randint(0, 12)))
        expected = [(at, text[at:at + 2]) for at in range(len(text) - 1)
                    if any(text.startswith(s, at) for s, _ in vocab._dropped.get(text[at:at + 2], ()))]
        assert vocab.dropped_places(text) == expected, text
        got = [(h.start, h.end, h.found, h.suggestion) for h in missing_chars(text, vocab)]
        assert got == _missing_chars_by_pairs(text, vocab), text
        found += len(got)
    assert found > 100
