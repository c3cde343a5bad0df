"""Outcome figures and 类别 streams of a ledger (issue 18): reading, validation, summary sums."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest

from rectify_xl.core.model import Grid, Ledger
from rectify_xl.core.outcomes import outcome_value, outcomes_phrase, stream_rows
from rectify_xl.core.parse import find_header, parse_ledger
from rectify_xl.core.progress import summarize
from rectify_xl.core.records import grids_from_records
from rectify_xl.core.rules import check_ledger
from rectify_xl.core.schema import COLUMN_BY_KEY, OUTCOME_BY_KEY, SHEETS, Stream
from tests.conftest import measure_row, open_row

AS_OF = date(2021, 10, 31)
MakeLedger = Callable[..., Ledger]


class TestOutcomeValue:
    @pytest.mark.parametrize(("key", "raw", "value"), [
        ("systems", 3, 3.0), ("systems", "12", 12.0), ("systems", "12项", 12.0),
        ("systems", "１２", 12.0), ("recovered", "1,369.5", 1369.5),
        ("recovered", "66.57万元", 66.57), ("recovered", 0, 0.0), ("accountable", "3人", 3.0),
        ("accountable", 2.0, 2.0),
    ])
    def test_numbers_as_staff_type_them(self, key: str, raw: object, value: float) -> None:
        assert outcome_value(OUTCOME_BY_KEY[key], raw) == (value, "")

    @pytest.mark.parametrize(("key", "raw", "reason"), [
        ("systems", "若干", "不是数字"), ("systems", "3个", "不是数字"), ("systems", True, "不是数字"),
        ("systems", 2.5, "应为整数"), ("accountable", "-1", "不能为负数"),
        ("recovered", "12万", "不是数字"), ("recovered", float("nan"), "不是数字"),
    ])
    def test_what_is_not_a_figure(self, key: str, raw: object, reason: str) -> None:
        assert outcome_value(OUTCOME_BY_KEY[key], raw) == (None, reason)


class TestSums:
    def test_summary_sums_the_figures_given_and_omits_the_others(self, make_ledger: MakeLedger
                                                                 ) -> None:
        ledger = make_ledger(rows=[
            measure_row(seq="1", problem="甲", systems=2, recovered="10.25"),
            measure_row(seq="2", problem="甲", systems="3项", recovered=5),
            open_row(seq="3", problem="乙", accountable=1),
        ])
        s = summarize(ledger, as_of=AS_OF)
        assert s.outcomes == {"systems": 5, "recovered": 15.25, "accountable": 1}
        assert json.loads(json.dumps(s.to_dict()))["outcomes"] == s.outcomes
        assert outcomes_phrase(s.outcomes) == "建立完善制度5项，挽回损失、追缴资金15.25万元，追责问责1人"
        assert ("完善制度（项）", "5") in s.headline()

    def test_a_ledger_without_figures_mentions_none(self, make_ledger: MakeLedger) -> None:
        s = summarize(make_ledger(rows=[measure_row()]), as_of=AS_OF)
        assert s.outcomes == {}
        assert not s.round_headline()

    def test_an_unreadable_figure_is_an_error_at_its_cell_and_not_summed(
            self, make_ledger: MakeLedger) -> None:
        ledger = make_ledger(rows=[measure_row(seq="1", systems="若干"),
                                   measure_row(seq="2", problem="乙", accountable=-2),
                                   measure_row(seq="3", problem="丙", systems=4)])
        found = {(f.code, f.cell) for f in check_ledger(ledger, as_of=AS_OF)}
        systems, accountable = ledger.layout.letter("systems"), ledger.layout.letter("accountable")
        assert ("RX470", f"{systems}2") in found
        assert ("RX471", f"{accountable}3") in found
        assert summarize(ledger, as_of=AS_OF).outcomes == {"systems": 4, "accountable": 0}

    def test_a_figure_merged_over_a_problem_counts_once(self) -> None:
        """A cell merged over a problem's three rows states one achievement, not three."""
        grids = grids_from_records_with([
            measure_row(seq="1", problem="甲", systems=6), measure_row(seq="2", problem="甲"),
            measure_row(seq="3", problem="甲"),
        ])
        grid = grids[SHEETS.LEDGER]
        col = grid.rows[0].index(COLUMN_BY_KEY["systems"].header) + 1
        grids[SHEETS.LEDGER] = Grid(grid.name, grid.rows, ((2, col, 4, col),))
        ledger = parse_ledger(grids)
        assert summarize(ledger, as_of=AS_OF).outcomes == {"systems": 6}

    def test_real_headers_are_read(self) -> None:
        """Headers as published round notices name the figures, units in brackets or not."""
        grid = Grid(SHEETS.LEDGER, [["具体问题", "整改措施", "建章立制（项）", "挽回经济损失(万元)",
                                     "问责人数", "类别"]])
        assert {k: c for k, c in find_header(grid).columns.items()} == {
            "problem": 1, "feedback": 1, "measure": 2, "systems": 3, "recovered": 4, "accountable": 5,
            "stream": 6}

    def test_the_new_columns_are_never_reported_missing(self) -> None:
        grid = Grid(SHEETS.LEDGER, [["具体问题", "整改措施"]])
        missing = find_header(grid).missing
        assert "stream" not in missing and "systems" not in missing


def grids_from_records_with(rows: list[dict[str, object]]) -> dict[str, Grid]:
    from rectify_xl.core.records import LedgerRecords
    from tests.conftest import BASE_INFO

    return grids_from_records(LedgerRecords(info=dict(BASE_INFO), measures=rows))


class TestStreams:
    def test_counts_and_rates_per_stream(self, make_ledger: MakeLedger) -> None:
        ledger = make_ledger(rows=[
            measure_row(seq="1", problem="甲"), open_row(seq="2", problem="乙"),
            measure_row(seq="3", problem="丙", stream="立行立改"),
            measure_row(seq="4", problem="丁", stream="移交意见"),
            open_row(seq="5", problem="丁", stream="移交意见"),
        ])
        rows = {r.stream: r for r in summarize(ledger, as_of=AS_OF).streams}
        assert [s.value for s in Stream] == list(rows)
        fb, now, handed = rows["反馈问题"], rows["立行立改"], rows["移交意见"]
        assert (fb.problems, fb.rectified, fb.open, fb.completion_rate) == (2, 1, 1, 0.5)
        assert (now.problems, now.rectified, now.completion_rate) == (1, 1, 1.0)
        assert (handed.problems, handed.rectified, handed.open, handed.measures,
                handed.measures_closed) == (1, 0, 1, 2, 1)

    def test_blank_stream_is_feedback_and_a_single_stream_is_not_shown(
            self, make_ledger: MakeLedger) -> None:
        s = summarize(make_ledger(rows=[measure_row()]), as_of=AS_OF)
        assert [r.stream for r in s.streams] == ["反馈问题"]
        assert not s.round_headline()

    def test_unknown_and_inconsistent_streams_are_errors(self, make_ledger: MakeLedger) -> None:
        ledger = make_ledger(rows=[
            measure_row(seq="1", problem="甲", stream="其他"),
            measure_row(seq="2", problem="乙", stream="立行立改"),
            measure_row(seq="3", problem="乙", stream="移交意见"),
        ])
        col = ledger.layout.letter("stream")
        found = {(f.code, f.cell) for f in check_ledger(ledger, as_of=AS_OF)}
        assert ("RX472", f"{col}2") in found and ("RX473", f"{col}4") in found
        # the unreadable 其他 is counted in no stream (its error stops the figures)
        assert sum(r.problems for r in stream_rows(ledger)) == 1

    def test_synonyms_from_published_notices(self) -> None:
        assert Stream.parse("立行立改问题") is Stream.IMMEDIATE
        assert Stream.parse(" ") is Stream.FEEDBACK
        assert Stream.parse("移交问题") is Stream.TRANSFERRED
        assert Stream.parse("别的") is None


class TestUnitKinds:
    @pytest.mark.parametrize(("name", "kind"), [
        ("某某镇", "乡镇（街道）"), ("某某镇党委", "乡镇（街道）"), ("城关街道党工委", "乡镇（街道）"),
        ("某某村", "村（社区）"), ("幸福社区党总支", "村（社区）"), ("县第一中学", "学校"),
        ("县人民医院", "医疗卫生机构"), ("县城投集团", "国有企业"), ("县财政局", "部门（单位）"),
        ("县委政法委", "部门（单位）"),
    ])
    def test_kind_by_the_end_of_the_name(self, name: str, kind: str) -> None:
        from rectify_xl.core.round_figures import unit_kind

        assert unit_kind(name) == kind


def test_basically_done_is_counted_on_its_own(make_ledger: MakeLedger) -> None:
    """基本完成 (issue 14's status) is neither rectified nor open, as round notices report it."""
    ledger = make_ledger(rows=[
        measure_row(seq="1", problem="甲"), open_row(seq="2", problem="甲", status="基本完成"),
        measure_row(seq="3", problem="乙"), open_row(seq="4", problem="丙"),
    ])
    (fb,) = stream_rows(ledger)
    assert (fb.problems, fb.rectified, fb.basic, fb.open) == (3, 1, 1, 1)
    assert fb.completion_rate == pytest.approx(1 / 3)
