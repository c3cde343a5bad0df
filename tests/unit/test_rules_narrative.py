"""RX5xx: numbers typed in 文稿 that contradict the ledger."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from rectify_xl.core.model import Ledger
from rectify_xl.core.records import ledger_from_records
from rectify_xl.core.rules.narrative import written_counts
from tests.conftest import measure_row, sample_records_copy
from tests.validation_helpers import codes_with_prefix, run

PUBLISHED = "县委政法委根据巡察反馈的6个问题细化分解了9个问题，已完成9个并将长期坚持。"


def body(text: str, lead: str = "") -> list[dict[str, str]]:
    return [{"section": "一", "lead": lead, "body": text}]


class TestSample:
    def test_sample_has_no_errors_and_its_measure_count_sentence_agrees(
            self, sample_ledger: Ledger) -> None:
        """文稿 says 确定了23条整改措施, and the sample has 23 measures."""
        report = run(sample_ledger)
        assert not report.has_errors()
        assert codes_with_prefix(report, "RX5") == []

    def test_published_count_sentence_typed_into_text_is_flagged_at_its_cell(self) -> None:
        records = sample_records_copy()
        records.texts.append({"section": "一", "lead": "", "body": PUBLISHED})
        row = len(records.texts) + 1
        report = run(ledger_from_records(records))
        assert codes_with_prefix(report, "RX5") == [("RX503", f"C{row}"), ("RX504", f"C{row}")]
        messages = [f.message for f in report.findings if f.code.startswith("RX5")]
        assert "细化分解了9个问题" in messages[0] and "10个" in messages[0]
        assert all(f.sheet == "文稿" for f in report.findings if f.code.startswith("RX5"))


class TestCounts:
    @pytest.mark.parametrize(("text", "code"), [
        ("确定了24条整改措施", "RX501"),
        ("确定了二十三条整改措施", "RX501"),
        ("共制定3项整改措施", "RX501"),
        ("根据巡察反馈的2个问题", "RX502"),
        ("针对2个反馈问题", "RX502"),
        ("巡察反馈问题共2个", "RX502"),
        ("已完成整改措施3条", "RX505"),
        ("细化为两个具体问题", "RX503"),
        ("已完成3项整改措施", "RX505"),
        ("整改措施完成率76%", "RX506"),
        ("已完成1个，正在推进1个", "RX507"),
    ])
    def test_contradicting_number_is_an_error(
            self, make_ledger: Callable[..., Ledger], text: str, code: str) -> None:
        report = run(make_ledger(texts=body(text)))
        assert report.flatten("code", "cell") == [(code, "C2")]
        assert report.has_errors()

    @pytest.mark.parametrize("text", [
        "确定了1条整改措施", "确定了一条整改措施", "根据巡察反馈的1个问题细化分解了1个问题，已完成1个",
        "已完成1项整改措施", "已完成整改措施1条", "针对1个反馈问题", "共反馈问题2个大方面",
        "完成率100%", "完成率100.0%",
        "其中3条整改措施正在推进", "每一条整改措施都明确了责任人", "第3项整改措施已完成",
        "制定了2021年学习计划", "开展了十九届六中全会精神学习",
    ])
    def test_agreeing_or_partial_numbers_are_fine(
            self, make_ledger: Callable[..., Ledger], text: str) -> None:
        assert run(make_ledger(texts=body(text))).findings == ()

    def test_lead_sentence_is_reported_at_the_lead_cell(
            self, make_ledger: Callable[..., Ledger]) -> None:
        report = run(make_ledger(texts=body("正文。", lead="确定了5条整改措施。")))
        assert report.flatten("code", "cell") == [("RX501", "B2")]

    def test_completed_problems_count_ongoing_as_done(
            self, make_ledger: Callable[..., Ledger]) -> None:
        rows = [measure_row(seq="1", status="长期坚持"),
                measure_row(seq="2", problem="问题二", status="正在推进", done_date=None,
                            progress="", deadline=date(2021, 12, 31))]
        ledger = make_ledger(rows=rows, texts=body("细化分解了2个问题，已完成1个，正在推进1个。"))
        assert run(ledger).findings == ()
        ledger = make_ledger(rows=rows, texts=body("细化分解了2个问题，已完成2个。"))
        assert run(ledger).flatten("code") == [("RX504",)]


class TestWrittenCounts:
    def test_published_sentence_yields_three_counts(self) -> None:
        found = [(w.kind, w.number) for w in written_counts(PUBLISHED)]
        assert found == [("feedback", 6), ("problems", 9), ("problems_done", 9)]

    def test_done_measures_are_not_read_as_the_total(self) -> None:
        assert [(w.kind, w.number) for w in written_counts("其中已完成20条整改措施")] == [
            ("measures_done", 20)]


class TestGeneratedSentence:
    @pytest.mark.parametrize("open_rows", [0, 1, 23])
    def test_the_notice_summary_sentence_never_contradicts_its_ledger(self, open_rows: int
                                                                      ) -> None:
        """What core.notice.render writes, pasted into 文稿, passes RX5xx whatever the progress."""
        from rectify_xl.core.notice.render import summary_sentence

        records = sample_records_copy()
        for m in records.measures[:open_rows]:
            m.update(status="正在推进", done_date=None)
        records.texts.append({"section": "一", "lead": "",
                              "body": summary_sentence(ledger_from_records(records))})
        assert codes_with_prefix(run(ledger_from_records(records)), "RX5") == []
