"""RX3xx: dates and deadlines."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from rectify_xl.core.findings import Severity
from rectify_xl.core.model import Ledger
from rectify_xl.core.settings import Settings
from tests.conftest import measure_row
from tests.validation_helpers import only, run

OPEN = {"status": "正在推进", "done_date": None, "progress": ""}
ON_SCHEDULE = {**OPEN, "percent": 0.9}  # far enough along not to be behind schedule (RX326)


class TestUnreadable:
    def test_deadline_that_is_not_a_date_is_rx301(self, make_ledger: Callable[..., Ledger]
                                                  ) -> None:
        report = run(make_ledger(rows=[measure_row(deadline="下月底")]))
        assert report.flatten("code", "cell") == [("RX301", "H2")]
        assert "下月底" in report.findings[0].message

    @pytest.mark.parametrize("value", ["长期坚持", "2021年8月31日", "2021.8.31", "2021/8/31"])
    def test_deadline_forms_staff_type_are_accepted(
            self, make_ledger: Callable[..., Ledger], value: str) -> None:
        assert only(run(make_ledger(rows=[measure_row(deadline=value)])), "RX301") == []

    def test_completion_date_that_is_not_a_date_is_rx302(
            self, make_ledger: Callable[..., Ledger]) -> None:
        report = run(make_ledger(rows=[measure_row(done_date="八月中旬")]))
        assert report.flatten("code", "cell") == [("RX302", "J2")]

    def test_info_date_that_is_not_a_date_is_rx303(self, make_ledger: Callable[..., Ledger]
                                                   ) -> None:
        report = run(make_ledger(info={"feedback_date": "七月初"}))
        assert report.flatten("code", "sheet", "cell") == [("RX303", "基本信息", "B7")]


class TestPlausibility:
    def test_deadline_in_1921_is_implausible_and_not_also_before_feedback(
            self, make_ledger: Callable[..., Ledger]) -> None:
        report = run(make_ledger(rows=[measure_row(deadline=date(1921, 8, 31))]))
        assert report.flatten("code", "cell") == [("RX304", "H2")]

    def test_implausible_info_date_is_reported_in_info(
            self, make_ledger: Callable[..., Ledger]) -> None:
        report = run(make_ledger(info={"start": date(2201, 3, 11)}))
        assert report.flatten("code", "cell") == [("RX304", "B5")]


class TestOrder:
    def test_inspection_end_before_start_is_rx305_at_the_end_date(
            self, make_ledger: Callable[..., Ledger]) -> None:
        report = run(make_ledger(info={"end": date(2021, 3, 1)}))
        assert report.flatten("code", "cell") == [("RX305", "B6")]

    def test_feedback_after_as_of_is_rx305(self, make_ledger: Callable[..., Ledger]) -> None:
        report = run(make_ledger(info={"as_of": date(2021, 7, 1)}), as_of=date(2021, 7, 1))
        assert only(report, "RX305") == [("RX305", "B8")]

    def test_deadline_before_feedback_date_is_rx306(self, make_ledger: Callable[..., Ledger]
                                                    ) -> None:
        row = measure_row(deadline=date(2021, 7, 1), done_date=date(2021, 6, 30))
        report = run(make_ledger(rows=[row]))
        assert report.flatten("code", "cell") == [("RX306", "H2")]

    def test_deadline_on_feedback_date_is_fine(self, make_ledger: Callable[..., Ledger]) -> None:
        row = measure_row(deadline=date(2021, 7, 7), done_date=date(2021, 7, 7))
        assert run(make_ledger(rows=[row])).findings == ()

    def test_completion_date_after_as_of_is_rx307(self, make_ledger: Callable[..., Ledger]
                                                  ) -> None:
        row = measure_row(deadline=date(2021, 11, 30), done_date=date(2021, 11, 5))
        report = run(make_ledger(rows=[row]))
        assert report.flatten("code", "cell", "severity") == [("RX307", "J2", Severity.ERROR)]

    def test_completion_date_before_the_inspection_began_is_rx312(
            self, make_ledger: Callable[..., Ledger]) -> None:
        # 巡察 from 2021-03-11: 2020 for 2021 is a slip of the year
        row = measure_row(deadline=date(2021, 9, 30), done_date=date(2020, 9, 24))
        report = run(make_ledger(rows=[row]))
        assert report.flatten("code", "cell", "severity") == [("RX312", "J2", Severity.ERROR)]
        assert "巡察开始日期2021年3月11日" in report.findings[0].message
        # during the 巡察 (立行立改) is fine
        row = measure_row(deadline=date(2021, 9, 30), done_date=date(2021, 3, 20))
        assert only(run(make_ledger(rows=[row])), "RX312") == []

    def test_without_the_inspection_dates_half_a_year_before_feedback_is_rx312(
            self, make_ledger: Callable[..., Ledger]) -> None:
        rows = [measure_row(seq="1", deadline=date(2021, 9, 30), done_date=date(2020, 12, 1)),
                measure_row(seq="2", measure="二", deadline=date(2021, 9, 30),
                            done_date=date(2021, 2, 1))]
        report = run(make_ledger(rows=rows, info={"start": None, "end": None}))
        assert only(report, "RX312") == [("RX312", "J2")]
        assert any("巡察反馈日期2021年7月7日半年以上" in f.message for f in report.findings)

    def test_completion_date_for_unfinished_measure_is_rx308_warning(
            self, make_ledger: Callable[..., Ledger]) -> None:
        row = measure_row(**{**OPEN, "done_date": date(2021, 9, 1)}, deadline=date(2021, 12, 31))
        report = run(make_ledger(rows=[row]))
        assert report.flatten("code", "cell", "severity") == [("RX308", "J2", Severity.WARNING)]


class TestDeadlines:
    def test_overdue_measure_is_a_warning_not_an_error(
            self, make_ledger: Callable[..., Ledger]) -> None:
        report = run(make_ledger(rows=[measure_row(**OPEN, deadline=date(2021, 9, 30))]))
        assert report.flatten("code", "cell") == [("RX309", "H2")]
        assert not report.has_errors()
        assert "31天" in report.findings[0].message

    def test_done_measure_past_its_deadline_is_not_overdue(
            self, make_ledger: Callable[..., Ledger]) -> None:
        assert run(make_ledger(rows=[measure_row(deadline=date(2021, 9, 30))])).findings == ()

    def test_measure_due_within_14_days_is_info(self, make_ledger: Callable[..., Ledger]) -> None:
        report = run(make_ledger(rows=[measure_row(**ON_SCHEDULE, deadline=date(2021, 11, 10))]))
        assert report.flatten("code", "cell", "severity") == [("RX310", "H2", Severity.INFO)]

    def test_measure_due_later_is_silent_unless_due_days_is_larger(
            self, make_ledger: Callable[..., Ledger]) -> None:
        ledger = make_ledger(rows=[measure_row(**ON_SCHEDULE, deadline=date(2021, 11, 20))])
        assert run(ledger).findings == ()
        assert only(run(ledger, settings=Settings(due_days=30)), "RX310") == [("RX310", "H2")]

    def test_ongoing_deadline_is_never_overdue(self, make_ledger: Callable[..., Ledger]) -> None:
        assert run(make_ledger(rows=[measure_row(**OPEN, deadline="长期坚持")])).findings == ()


class TestDeadlineFarOff:
    def test_a_deadline_a_mistyped_decade_away_is_rx330(
            self, make_ledger: Callable[..., Ledger]) -> None:
        row = measure_row(status="正在推进", done_date=None, progress="", deadline=date(2031, 9, 30))
        report = run(make_ledger(rows=[row]))
        assert only(report, "RX330") == [("RX330", "H2")]
        assert report.findings[0].severity is Severity.WARNING
        assert "巡察反馈日期2021年7月7日" in report.findings[0].message

    def test_a_long_but_real_deadline_is_fine(self, make_ledger: Callable[..., Ledger]) -> None:
        rows = [measure_row(status="正在推进", done_date=None, progress="",
                            deadline=date(2026, 7, 7)),  # five years to the day: the limit
                measure_row(seq="2", measure="二", status="长期坚持", deadline="长期坚持")]
        assert only(run(make_ledger(rows=rows)), "RX330") == []

    def test_without_a_feedback_date_the_cut_off_date_counts(
            self, make_ledger: Callable[..., Ledger]) -> None:
        row = measure_row(status="正在推进", done_date=None, progress="", deadline=date(2027, 1, 1))
        ledger = make_ledger(rows=[row], info={"feedback_date": None})
        findings = [f for f in run(ledger).findings if f.code == "RX330"]
        assert [f.cell for f in findings] == ["H2"] and "统计截止日期2021年10月31日" in findings[0].message
