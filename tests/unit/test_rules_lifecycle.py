"""Issue 17 rules: 验收 before 销号 (RX320–RX322, RX430–RX433) and 序时进度 (RX323–RX327)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest

from rectify_xl.core.model import Grid, Ledger
from rectify_xl.core.progress import summarize
from rectify_xl.core.schedule import behind_schedule, lag_of, parse_percent
from rectify_xl.core.schema import COLUMN_BY_KEY, Closure, Status
from rectify_xl.core.settings import Settings
from rectify_xl.services.settings import load_settings
from tests.conftest import measure_row, open_row
from tests.validation_helpers import AS_OF, only, run

ACCEPTED = {"status": "已验收", "accept_by": "纪检组", "accept_date": date(2021, 9, 1),
            "accept_note": "经现场核查，整改到位"}


def _letter(key: str, ledger: Ledger) -> str:
    return ledger.layout.letter(key) or ""


class TestStartDate:
    def test_start_after_completion_is_rx313(self, make_ledger: Callable[..., Ledger]) -> None:
        ledger = make_ledger(rows=[measure_row(start_date=date(2021, 10, 1))])
        assert only(run(ledger), "RX313") == [("RX313", f"{_letter('start_date', ledger)}2")]


class TestAcceptance:
    def test_accepted_and_closed_count_as_done_for_the_notice(
            self, make_ledger: Callable[..., Ledger]) -> None:
        ledger = make_ledger(rows=[measure_row(**ACCEPTED),
                                   measure_row(seq="2", measure="另一措施",
                                               **{**ACCEPTED, "status": "已销号"}),
                                   measure_row(seq="3", measure="第三措施")])
        assert [m.status for m in ledger.measures] == [Status.DONE] * 3
        assert [m.closure for m in ledger.measures] == [Closure.ACCEPTED, Closure.CLOSED, None]
        assert run(ledger).findings == ()
        s = summarize(ledger, as_of=AS_OF, breakdowns=False)
        assert (s.measures_done, s.measures_accepted, s.measures_closed_off) == (3, 1, 1)
        assert ("其中已验收", "1") in s.headline() and ("其中已销号", "1") in s.headline()

    def test_headline_has_no_closure_lines_when_the_ledger_does_not_use_them(
            self, make_ledger: Callable[..., Ledger]) -> None:
        labels = [k for k, _ in summarize(make_ledger(), as_of=AS_OF, breakdowns=False).headline()]
        assert "其中已验收" not in labels and "其中已销号" not in labels

    def test_closed_without_acceptance_is_an_error_at_the_status_cell(
            self, make_ledger: Callable[..., Ledger]) -> None:
        ledger = make_ledger(rows=[measure_row(status="已销号")])
        assert only(run(ledger), "RX430") == [("RX430", f"{_letter('status', ledger)}2")]
        assert run(ledger).has_errors()

    def test_closure_without_acceptance_columns_is_one_warning(
            self, make_ledger: Callable[..., Ledger]) -> None:
        ledger = make_ledger(rows=[measure_row(status="已销号"),
                                   measure_row(seq="2", measure="另一措施", status="已销号")])
        columns = {k: v for k, v in ledger.layout.columns.items()
                   if k not in ("accept_by", "accept_date", "accept_note")}
        ledger = replace(ledger, layout=replace(ledger.layout, columns=columns))
        report = run(ledger)
        assert only(report, "RX430", "RX431") == [("RX431", f"{_letter('status', ledger)}2")]
        assert "2条" in report.findings[0].message

    def test_acceptance_before_completion_is_an_error(
            self, make_ledger: Callable[..., Ledger]) -> None:
        ledger = make_ledger(rows=[measure_row(**{**ACCEPTED, "accept_date": date(2021, 8, 1)})])
        report = run(ledger)
        assert only(report, "RX321") == [("RX321", f"{_letter('accept_date', ledger)}2")]
        assert "2021年8月1日" in report.findings[0].message

    def test_acceptance_date_after_as_of_and_unreadable(
            self, make_ledger: Callable[..., Ledger]) -> None:
        late = make_ledger(rows=[measure_row(**{**ACCEPTED, "accept_date": date(2021, 11, 5)})])
        assert only(run(late), "RX322") == [("RX322", f"{_letter('accept_date', late)}2")]
        bad = make_ledger(rows=[measure_row(**{**ACCEPTED, "accept_date": "九月初"})])
        assert only(run(bad), "RX320") == [("RX320", f"{_letter('accept_date', bad)}2")]

    def test_acceptance_on_an_open_measure_and_incomplete_acceptance_warn(
            self, make_ledger: Callable[..., Ledger]) -> None:
        ledger = make_ledger(rows=[open_row(accept_date=date(2021, 9, 1)),
                                   measure_row(seq="2", measure="另一措施", status="已验收",
                                               accept_by="纪检组")])
        assert only(run(ledger), "RX432", "RX433") == [
            ("RX432", f"{_letter('accept_date', ledger)}2"),
            ("RX433", f"{_letter('accept_date', ledger)}3")]


class TestPercent:
    @pytest.mark.parametrize(("value", "fraction"), [
        (0.6, 0.6), (60, 0.6), ("60%", 0.6), ("60％", 0.6), (1, 1.0), ("0.5", 0.5), (0, 0.0)])
    def test_readable(self, value: object, fraction: float) -> None:
        assert parse_percent(value) == (pytest.approx(fraction), "")

    @pytest.mark.parametrize("value", ["过半", 150, "-5%", "120%"])
    def test_unreadable_keeps_the_text(self, value: object) -> None:
        got, raw = parse_percent(value)
        assert got is None and raw

    @pytest.mark.parametrize(("value", "shown"), [(1.2, "120%"), (1.05, "105%")])
    def test_a_percent_cell_over_100_is_unreadable_as_excel_shows_it(
            self, value: float, shown: str) -> None:
        assert parse_percent(value) == (None, shown)

    def test_unreadable_percent_is_rx325(self, make_ledger: Callable[..., Ledger]) -> None:
        ledger = make_ledger(rows=[open_row(deadline=date(2021, 12, 31), percent="过半")])
        assert only(run(ledger), "RX325") == [("RX325", f"{_letter('percent', ledger)}2")]


class TestBehindSchedule:
    # feedback 2021-07-07, as of 2021-10-31: 116 days gone
    def test_share_of_time_against_the_default_progress_of_the_status(
            self, make_ledger: Callable[..., Ledger]) -> None:
        # deadline 2021-11-30: 116/146 = 79% gone, 正在推进 counts 50% → 29 points behind
        ledger = make_ledger(rows=[open_row(deadline=date(2021, 11, 30))])
        report = run(ledger)
        assert only(report, "RX326") == [("RX326", f"{_letter('deadline', ledger)}2")]
        message = next(f.message for f in report.findings if f.code == "RX326")
        assert "79%" in message and "50%" in message and "正在推进" in message

    def test_not_behind_within_the_margin(self, make_ledger: Callable[..., Ledger]) -> None:
        # deadline 2022-02-28: 116/236 = 49% gone vs 50%
        assert only(run(make_ledger(rows=[open_row(deadline=date(2022, 2, 28))])), "RX326") == []

    def test_percentage_column_wins_over_the_status(
            self, make_ledger: Callable[..., Ledger]) -> None:
        ahead = make_ledger(rows=[open_row(deadline=date(2021, 11, 30), percent=0.7)])
        assert only(run(ahead), "RX326") == []
        # deadline 2022-02-28 (49% gone) with 10% done: 39 points behind
        late = make_ledger(rows=[open_row(deadline=date(2022, 2, 28), percent="10%")])
        assert only(run(late), "RX326") == [("RX326", f"{_letter('deadline', late)}2")]
        assert "完成进度10%（" + COLUMN_BY_KEY["percent"].header in run(late).findings[0].message

    def test_blank_status_counts_as_not_started(self, make_ledger: Callable[..., Ledger]) -> None:
        # 49% gone, not started (0%): behind; the blank status is RX201 too
        ledger = make_ledger(rows=[open_row(deadline=date(2022, 2, 28), status="")])
        assert only(run(ledger), "RX326") == [("RX326", f"{_letter('deadline', ledger)}2")]

    def test_own_start_date_is_used_and_checked(self, make_ledger: Callable[..., Ledger]) -> None:
        # started 2021-10-01, deadline 2021-12-31: 30/91 = 33% gone vs 50%: on schedule
        ledger = make_ledger(rows=[open_row(deadline=date(2021, 12, 31), start_date=date(2021, 10, 1))])
        assert only(run(ledger), "RX326") == []
        lag = lag_of(ledger.measures[0], ledger.info.feedback_date, AS_OF)
        assert lag is not None and lag.start == date(2021, 10, 1)
        wrong = make_ledger(rows=[open_row(deadline=date(2021, 12, 31), start_date=date(2022, 1, 5))])
        assert only(run(wrong), "RX324") == [("RX324", f"{_letter('start_date', wrong)}2")]

    def test_done_overdue_and_ongoing_measures_are_never_behind(
            self, make_ledger: Callable[..., Ledger]) -> None:
        ledger = make_ledger(rows=[
            measure_row(deadline=date(2021, 11, 30)),
            open_row(seq="2", measure="逾期措施", deadline=date(2021, 10, 1)),
            open_row(seq="3", measure="长期措施", deadline="长期坚持"),
        ])
        assert behind_schedule(ledger, AS_OF) == []

    def test_margin_comes_from_the_settings_and_a_bad_one_warns(
            self, make_ledger: Callable[..., Ledger]) -> None:
        ledger = make_ledger(rows=[open_row(deadline=date(2021, 11, 30))])  # 29 points behind
        def margin(raw: object) -> Settings:
            return load_settings({"设置": Grid("设置", [["项目", "内容"], ["序时进度容差", raw]])},
                                 config=dict)

        assert len(behind_schedule(ledger, AS_OF, margin("30%").schedule_margin)) == 0
        assert len(behind_schedule(ledger, AS_OF, margin("0.25").schedule_margin)) == 1
        assert len(only(run(ledger, settings=margin("30%")), "RX326")) == 0
        bad = margin("宽松")
        assert bad.schedule_margin == 0.2
        assert only(run(ledger, settings=bad), "RX327", "RX326") == [("RX326", "H2"), ("RX327", "B2")]

    def test_summary_lists_the_measures_most_behind_first(
            self, make_ledger: Callable[..., Ledger]) -> None:
        ledger = make_ledger(rows=[
            open_row(deadline=date(2021, 11, 30)),  # 29 points behind
            open_row(seq="2", measure="另一措施", deadline=date(2021, 11, 10), percent=0.1),  # ~84
        ])
        s = summarize(ledger, as_of=AS_OF, breakdowns=False)
        assert [r.seq for r in s.behind] == ["2", "1"]
        assert s.behind[1].days == 30 and s.behind[1].progress == 0.5
        assert ("序时进度滞后", "2") in s.headline()
        assert s.to_dict()["behind"][0]["elapsed"] == pytest.approx(116 / 126, abs=1e-3)
