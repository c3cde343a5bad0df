"""RX6xx: writing conventions in Chinese text fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from rectify_xl.adapters.rulepacks import default_typos
from rectify_xl.core.model import Ledger
from rectify_xl.core.textcheck import TypoPack
from tests.conftest import measure_row
from tests.validation_helpers import only, run


@pytest.fixture(scope="module")
def typos() -> TypoPack:
    return default_typos()


class TestPunctuation:
    def test_halfwidth_comma_in_progress_text_is_rx601_at_that_cell(
            self, make_ledger: Callable[..., Ledger]) -> None:
        report = run(make_ledger(rows=[measure_row(progress="制定了计划,并组织实施。")]))
        assert report.flatten("code", "cell") == [("RX601", "K2")]
        assert "，" in report.findings[0].message

    def test_numbers_times_and_addresses_are_left_alone(
            self, make_ledger: Callable[..., Ledger]) -> None:
        text = "于10:30召开会议，印发〔2021〕1号文件，共1,200人次，邮箱a@b.com。"
        assert run(make_ledger(rows=[measure_row(progress=text)])).findings == ()

    def test_unbalanced_quote_in_measure_is_rx602(self, make_ledger: Callable[..., Ledger]
                                                  ) -> None:
        report = run(make_ledger(rows=[measure_row(measure="落实“三个规定")]))
        assert report.flatten("code", "cell") == [("RX602", "E2")]

    def test_lone_straight_quote_in_chinese_is_rx601(self, make_ledger: Callable[..., Ledger]
                                                     ) -> None:
        """A stray ASCII quote is half-width punctuation too (issue 2: unbalanced quotes)."""
        report = run(make_ledger(rows=[measure_row(progress='开展"回头看活动。')]))
        assert report.flatten("code", "cell") == [("RX601", "K2")]

    def test_nested_quotes_are_balanced(self, make_ledger: Callable[..., Ledger]) -> None:
        row = measure_row(measure="落实“学习“三个规定”精神”要求")
        assert run(make_ledger(rows=[row])).findings == ()

    def test_problem_text_repeated_on_rows_is_checked_once(
            self, make_ledger: Callable[..., Ledger]) -> None:
        rows = [measure_row(seq="1", problem="学习不深入,流于形式"),
                measure_row(seq="2", problem="学习不深入,流于形式", measure="二")]
        assert run(make_ledger(rows=rows)).flatten("code", "cell") == [("RX601", "D2")]

    def test_text_sheet_body_is_checked_at_its_cell(
            self, make_ledger: Callable[..., Ledger]) -> None:
        texts = [{"section": "三", "lead": "进一步深化认识。", "body": "坚持问题导向;抓好落实。"}]
        report = run(make_ledger(texts=texts))
        assert report.flatten("code", "sheet", "cell") == [("RX601", "文稿", "C2")]


class TestTypos:
    def test_slip_from_the_pack_is_a_warning_with_the_suggestion(
            self, make_ledger: Callable[..., Ledger], typos: TypoPack) -> None:
        report = run(make_ledger(rows=[measure_row(progress="制定勒实施方案。")]), typos=typos)
        assert report.flatten("code", "cell", "severity") == [("RX603", "K2", "warning")]
        # no list entry names 制定勒: the particle rule finds 勒 for 了
        assert report.findings[0].message.startswith("“勒”疑为“了”")
        assert not report.has_errors()

    def test_without_a_pack_there_are_no_typo_findings(
            self, make_ledger: Callable[..., Ledger]) -> None:
        assert run(make_ledger(rows=[measure_row(progress="制定勒实施方案。")])).findings == ()

    def test_doubled_character_is_rx604(self, make_ledger: Callable[..., Ledger],
                                        typos: TypoPack) -> None:
        report = run(make_ledger(rows=[measure_row(progress="完成了了年度计划的的制定。")]),
                     typos=typos)
        assert report.flatten("code", "cell") == [("RX604", "K2"), ("RX604", "K2")]

    def test_real_words_containing_a_slip_are_not_flagged(
            self, make_ledger: Callable[..., Ledger], typos: TypoPack) -> None:
        text = "为了了解情况，的的确确做到不了了之的问题不再出现，达到目的的实现，稳健立足。"
        assert run(make_ledger(rows=[measure_row(progress=text)]), typos=typos).findings == ()

    def test_the_seed_notice_slips_are_caught_on_the_sample(
            self, sample_ledger: Ledger, typos: TypoPack) -> None:
        """制定勒, 健立 and 五中全精神 sit in the sample's narratives (domain.md). No rule or
        word list names them: 勒 for the particle 了, and 五中全会精神 with 会 left out, are
        found by general rules, and so is 健立, a common word typed with a same-sound character
        (core.homophones, with a general word-frequency lexicon); 学习贯彻的不够到位 (的 for 得
        before a complement) is a slip domain.md does not list."""
        report = run(sample_ledger, typos=typos)
        found = {(f.code, f.cell, f.extra["found"]) for f in report.findings}
        assert found == {("RX603", "K4", "十九届五中全精神"), ("RX603", "K8", "勒"),
                         ("RX603", "D5", "的"), ("RX603", "E10", "健立"), ("RX603", "K10", "健立")}
        assert not report.has_errors()
        assert only(report, "RX601", "RX602") == []


class TestDoubledWordsAndPlaceholders:
    def test_a_word_typed_twice_is_rx604(self, make_ledger: Callable[..., Ledger],
                                         typos: TypoPack) -> None:
        report = run(make_ledger(rows=[measure_row(progress="已召开专题会议会议，研究部署整改。")]),
                     typos=typos)
        assert report.flatten("code", "cell") == [("RX604", "K2")]
        assert report.findings[0].extra["suggestion"] == "会议"

    def test_reduplication_is_no_slip(self, make_ledger: Callable[..., Ledger],
                                      typos: TypoPack) -> None:
        text = "实实在在抓整改，认真研究研究新情况，为了了解情况逐个逐个核实。"
        assert run(make_ledger(rows=[measure_row(progress=text)]), typos=typos).findings == ()

    def test_a_placeholder_left_in_is_rx411(self, make_ledger: Callable[..., Ledger],
                                            typos: TypoPack) -> None:
        report = run(make_ledger(rows=[measure_row(measure="由XX同志负责，于××月底前完成。")]),
                     typos=typos)
        assert sorted((f.code, f.cell, f.extra["found"]) for f in report.findings) == [
            ("RX411", "E2", "XX"), ("RX411", "E2", "××")]


class TestXunshiInAXunchaLedger:
    def test_xunshi_in_a_xuncha_ledger_is_rx412(self, make_ledger: Callable[..., Ledger],
                                                typos: TypoPack) -> None:
        ledger = make_ledger(rows=[measure_row(progress="针对巡视反馈问题，已全部整改到位。")])
        report = run(ledger, typos=typos)  # 巡察组: 县委第一巡察组
        assert report.flatten("code", "cell") == [("RX412", "K2")]

    def test_the_central_xunshi_and_a_xunshi_ledger_are_left_alone(
            self, make_ledger: Callable[..., Ledger], typos: TypoPack) -> None:
        row = measure_row(progress="对照中央巡视反馈问题同步整改，已全部整改到位。")
        assert run(make_ledger(rows=[row]), typos=typos).findings == ()
        row = measure_row(progress="针对巡视反馈问题，已全部整改到位。")
        ledger = make_ledger(rows=[row], info={"group": "省委第三巡视组"})
        assert run(ledger, typos=typos).findings == ()


class TestSameHitsAsTextByText:
    """_all_hits skips, by two scans of all texts joined, the texts no check can find anything
    in, and checks a repeated text once (issue 12, item 8): the hits must be exactly those of
    checking every text on its own, as the rule did before."""

    @staticmethod
    def reference(ctx: Any) -> list[tuple[Any, Any]]:
        from dataclasses import replace

        from rectify_xl.core.rules.writing import _PHRASE_RULES_ROWS, _Field, _fields, _is_xuncha
        from rectify_xl.core.textcheck import DOUBLED, halfwidth_punctuation, typo_hits, unbalanced_pairs
        from rectify_xl.core.textrules import (
            DOUBLED_WORD,
            PLACEHOLDER,
            XUNSHI_MIXED,
            doubled_hits,
            genre_hits,
            slips,
        )

        out = []
        words = ctx.typos.words if ctx.typos is not None else ()
        small = len(ctx.ledger.measures) <= _PHRASE_RULES_ROWS
        for values in _fields(ctx):
            text = values[4]
            hits = halfwidth_punctuation(text) + unbalanced_pairs(text)
            if ctx.typos is not None:
                pack_hits = typo_hits(text, ctx.typos)
                hits += pack_hits
                phrases = small or values[3] not in (ctx.header("measure"), ctx.header("progress"))
                lexicon = ctx.typos.lexicon() if small and ctx.typos.lexicon else None
                found = slips(text, words if phrases else (), lexicon=lexicon)
                if lexicon is not None:
                    found += [replace(h, kind=DOUBLED) for h in doubled_hits(text)
                              if h.kind == DOUBLED_WORD]
                found += [h for h in genre_hits(text, xuncha=_is_xuncha(ctx))
                          if h.kind in (PLACEHOLDER, XUNSHI_MIXED)]
                taken = list(pack_hits)
                for h in sorted(found, key=lambda h: h.start):
                    if not any(p.start < h.end and h.start < p.end for p in taken):
                        hits.append(h)
                        taken.append(h)
            out += [(_Field(*values), h) for h in hits]
        return out

    @pytest.mark.parametrize("rows", [40, 2100])
    def test_random_texts(self, rows: int, typos: TypoPack,
                          make_ledger: Callable[..., Ledger]) -> None:
        import random
        from datetime import date

        from rectify_xl.core.rules import LedgerContext
        from rectify_xl.core.rules.writing import _all_hits

        rng = random.Random(rows)
        slip_words = [e.wrong for e in typos.entries]
        phrases = [w for w in typos.words if len(w) >= 4][:60]
        dropped = [w[:1] + w[2:] for w in phrases]  # one interior character left out
        pieces = ["建立健全制度", "抓好落实", "已按要求完成整改", "认真的开展", "落实的不够到位",
                  "勒", "(1)", "10:30", "“三个规定", "《通知》", ",", "；", "。", "\0",
                  "会议会议", "由XX负责", "问体", "己经", "巡视反馈问题", "中央巡视",
                  *slip_words, *phrases, *dropped]

        def text() -> str:
            return "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))

        repeated = [text() for _ in range(5)]
        measures = [measure_row(seq=str(i + 1), measure=text(), progress=rng.choice(repeated),
                                problem=text() if i % 3 == 0 else "学习贯彻不够深入")
                    for i in range(rows)]
        ledger = make_ledger(rows=measures)
        for pack in (typos, None):
            ctx = LedgerContext(ledger, date(2021, 10, 31), typos=pack)
            got = _all_hits(ctx)
            assert got == self.reference(ctx)
            assert got or pack is None
