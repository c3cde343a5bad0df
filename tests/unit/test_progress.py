"""The progress summary (core.progress.summarize)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rectify_xl.core.model import Ledger
from rectify_xl.core.progress import BLANK_GROUP, format_rate, summarize
from rectify_xl.core.records import LedgerRecords, ledger_from_records
from rectify_xl.core.settings import Settings
from tests.conftest import BASE_INFO, measure_row, open_row

AS_OF = date(2021, 10, 31)
MakeLedger = Callable[..., Ledger]


class TestCounts:
    def test_statuses_are_counted_separately(self, make_ledger: MakeLedger) -> None:
        """已完成, 长期坚持, 正在推进 and a blank status are four separate counts."""
        ledger = make_ledger(rows=[
            measure_row(seq="1"), measure_row(seq="2", status="长期坚持", deadline="长期坚持"),
            open_row(seq="3", deadline=date(2021, 12, 31)), open_row(seq="4", status=None),
        ])
        s = summarize(ledger, as_of=AS_OF)
        assert (s.measure_count, s.measures_done, s.measures_ongoing, s.measures_in_progress,
                s.measures_unset) == (4, 1, 1, 1, 1)
        assert s.completion_rate == 0.5

    def test_problem_status_is_derived_from_its_measures(self, make_ledger: MakeLedger) -> None:
        """A problem with one open measure is in progress; with an ongoing one it is ongoing."""
        ledger = make_ledger(rows=[
            measure_row(seq="1", problem="甲"), open_row(seq="2", problem="甲"),
            measure_row(seq="3", problem="乙"),
            measure_row(seq="4", problem="丙"), measure_row(seq="5", problem="丙", status="长期坚持"),
        ])
        s = summarize(ledger, as_of=AS_OF)
        assert (s.problem_count, s.problems_done, s.problems_ongoing, s.problems_in_progress) == \
            (3, 1, 1, 1)
        assert s.problem_completion_rate == pytest.approx(2 / 3)

    def test_feedback_problems_are_counted_distinct(self, make_ledger: MakeLedger) -> None:
        """Two concrete problems from one feedback problem count once as feedback."""
        ledger = make_ledger(rows=[
            measure_row(seq="1", feedback="F1", problem="甲"),
            measure_row(seq="2", feedback="F1", problem="乙"),
            measure_row(seq="3", feedback="F2", problem="丙"),
        ])
        s = summarize(ledger, as_of=AS_OF)
        assert (s.feedback_count, s.problem_count) == (2, 3)

    def test_empty_ledger_has_zero_rates_and_no_on_time_rate(self, make_ledger: MakeLedger) -> None:
        """No measures: completion 0.0, on-time rate None, empty lists."""
        s = summarize(make_ledger(rows=[]), as_of=AS_OF)
        assert (s.measure_count, s.completion_rate, s.problem_completion_rate, s.on_time_rate) == \
            (0, 0.0, 0.0, None)
        assert s.by_aspect == s.by_leader == s.by_department == s.overdue == s.due_soon == ()

    def test_the_sample_ledger(self, sample_ledger: Ledger) -> None:
        """6 feedback problems, 10 concrete problems, 23 measures, all closed."""
        s = summarize(sample_ledger, as_of=AS_OF)
        assert (s.feedback_count, s.problem_count, s.measure_count) == (6, 10, 23)
        assert (s.measures_done, s.measures_ongoing, s.problems_in_progress) == (17, 6, 0)
        assert (s.completion_rate, s.on_time_rate) == (1.0, 1.0)
        assert [g.measures for g in s.by_aspect] == [3, 6, 9, 5]


class TestDeadlines:
    def test_overdue_list_is_most_overdue_first_with_days(self, make_ledger: MakeLedger) -> None:
        """days = days past the deadline; closed and ongoing-deadline measures never overdue."""
        ledger = make_ledger(rows=[
            open_row(seq="1", deadline=AS_OF - timedelta(days=3)),
            open_row(seq="2", deadline=AS_OF - timedelta(days=30)),
            open_row(seq="3", deadline="长期坚持"),
            measure_row(seq="4", deadline=AS_OF - timedelta(days=60)),
            open_row(seq="5", deadline=AS_OF),
        ])
        s = summarize(ledger, as_of=AS_OF)
        assert [(r.seq, r.days) for r in s.overdue] == [("2", 30), ("1", 3)]
        assert s.overdue[0].row == 3 and s.overdue[0].status == "正在推进"

    def test_due_soon_window_includes_today_and_the_last_day(self, make_ledger: MakeLedger) -> None:
        """Deadline today → 0 days left; due_days ahead is in; one day more is out."""
        ledger = make_ledger(rows=[
            open_row(seq="1", deadline=AS_OF + timedelta(days=7)),
            open_row(seq="2", deadline=AS_OF),
            open_row(seq="3", deadline=AS_OF + timedelta(days=8)),
            measure_row(seq="4", deadline=AS_OF + timedelta(days=1)),
        ])
        s = summarize(ledger, as_of=AS_OF, settings=Settings(due_days=7))
        assert [(r.seq, r.days) for r in s.due_soon] == [("2", 0), ("1", 7)]
        assert s.due_days == 7 and s.overdue == ()

    def test_on_time_rate_counts_late_closures_and_overdue_items(self, make_ledger: MakeLedger
                                                                 ) -> None:
        """on time / (closed + overdue): 2 on time, 1 closed late, 1 overdue → 50%."""
        deadline = date(2021, 9, 30)
        ledger = make_ledger(rows=[
            measure_row(seq="1", deadline=deadline, done_date=date(2021, 9, 30)),
            measure_row(seq="2", deadline="长期坚持", status="长期坚持"),
            measure_row(seq="3", deadline=deadline, done_date=date(2021, 10, 5)),
            open_row(seq="4", deadline=deadline),
            open_row(seq="5", deadline=date(2021, 12, 31)),  # open, not late: not counted
        ])
        s = summarize(ledger, as_of=AS_OF)
        assert s.on_time_rate == 0.5

    def test_no_closed_and_no_overdue_gives_no_on_time_rate(self, make_ledger: MakeLedger) -> None:
        """Nothing to judge yet: None, shown as —."""
        s = summarize(make_ledger(rows=[open_row(deadline=date(2022, 1, 1))]), as_of=AS_OF)
        assert s.on_time_rate is None
        assert dict(s.headline())["按期完成率"] == "—"


class TestGroups:
    def test_groups_keep_sheet_order_and_count_flags(self, make_ledger: MakeLedger) -> None:
        """Breakdowns follow first appearance; blank names are grouped as （未填写）."""
        ledger = make_ledger(rows=[
            measure_row(seq="1", leader="乙", department="B"),
            open_row(seq="2", leader="甲", department="A", deadline=date(2021, 10, 1)),
            measure_row(seq="3", leader="乙", department="", status="长期坚持"),
        ])
        s = summarize(ledger, as_of=AS_OF)
        assert [(g.name, g.measures, g.done, g.ongoing, g.in_progress, g.overdue)
                for g in s.by_leader] == [("乙", 2, 1, 1, 0, 0), ("甲", 1, 0, 0, 1, 1)]
        assert [g.name for g in s.by_department] == ["B", "A", BLANK_GROUP]
        assert s.by_leader[0].rate == 1.0 and s.by_leader[1].rate == 0.0

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.tuples(st.sampled_from(["已完成", "长期坚持", "正在推进", ""]),
                              st.sampled_from(["甲", "乙", "丙"]),
                              st.integers(min_value=-40, max_value=40)),
                    min_size=1, max_size=30))
    def test_counts_always_add_up(self, rows: list[tuple[str, str, int]]) -> None:
        """Property: statuses sum to the measures, groups sum to the totals, lists are consistent."""
        records = LedgerRecords(info=dict(BASE_INFO), measures=[
            measure_row(seq=str(i), status=status or None, leader=leader, problem=f"问题{i % 4}",
                        deadline=AS_OF + timedelta(days=offset))
            for i, (status, leader, offset) in enumerate(rows, start=1)
        ])
        s = summarize(ledger_from_records(records), as_of=AS_OF)
        assert s.measures_done + s.measures_ongoing + s.measures_in_progress + s.measures_unset \
            == s.measure_count == len(rows)
        assert s.problems_done + s.problems_ongoing + s.problems_in_progress == s.problem_count
        for groups in (s.by_aspect, s.by_leader, s.by_department):
            assert sum(g.measures for g in groups) == s.measure_count
            assert sum(g.overdue for g in groups) == len(s.overdue)
            assert sum(g.done + g.ongoing for g in groups) == s.measures_closed
        assert all(r.days > 0 for r in s.overdue) and all(0 <= r.days <= 14 for r in s.due_soon)
        assert [r.days for r in s.overdue] == sorted((r.days for r in s.overdue), reverse=True)


class TestOutputs:
    def test_to_dict_is_json_with_iso_dates(self, make_ledger: MakeLedger) -> None:
        """JSON-ready: dates are ISO strings, rows are objects."""
        s = summarize(make_ledger(rows=[open_row(deadline=date(2021, 10, 1))]), as_of=AS_OF)
        data = json.loads(json.dumps(s.to_dict(), ensure_ascii=False))
        assert data["as_of"] == "2021-10-31"
        assert data["overdue"][0]["deadline"] == "2021-10-01"
        assert data["overdue"][0]["days"] == 30
        assert data["by_leader"][0]["name"] == "常务副书记"

    def test_headline_labels_and_percent(self, make_ledger: MakeLedger) -> None:
        """22 of 23 closed reads 95.7%; the labels are the documented ones."""
        rows = [measure_row(seq=str(i)) for i in range(22)] + [open_row(seq="99")]
        s = summarize(make_ledger(rows=rows), as_of=AS_OF)
        head = dict(s.headline())
        assert head["完成率"] == "95.7%"
        assert (head["整改措施数"], head["已完成"], head["正在推进"], head["逾期"]) == \
            ("23", "22", "1", "1")
        assert {"反馈问题数", "具体问题数", "长期坚持", "按期完成率", "临期", "统计截止日期"} <= head.keys()

    @pytest.mark.parametrize(("rate", "text"), [(0.0, "0.0%"), (1.0, "100.0%"), (2 / 3, "66.7%"),
                                                (None, "—")])
    def test_format_rate(self, rate: float | None, text: str) -> None:
        """One decimal, a dash for no rate."""
        assert format_rate(rate) == text
