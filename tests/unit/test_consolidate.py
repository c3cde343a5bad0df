"""consolidate: one file per unit, worst first, totals, missing / stale / superseded units."""

from __future__ import annotations

from datetime import date

from rectify_xl.core.consolidate import (
    Rag,
    Submission,
    UnitFile,
    consolidate,
    detail_rows,
    ledgers_from_detail,
)
from rectify_xl.core.findings import Finding, Report, Severity
from rectify_xl.core.model import Grid
from rectify_xl.core.progress import summarize
from rectify_xl.core.records import ledger_from_records
from rectify_xl.core.schema import COLUMNS, MERGE_UNIT
from tests.merge_helpers import AS_OF, unit_records


def unit_file(unit: str, *, source: str | None = None, mtime: float = 0.0, errors: int = 0,
              **kwargs) -> UnitFile:
    ledger = ledger_from_records(unit_records(unit, **kwargs))
    findings = [Finding("RX201", Severity.ERROR, "整改清单", f"E{i + 2}", "缺少责任领导")
                for i in range(errors)]
    return UnitFile(source or f"{unit}.xlsx", "0" * 64, mtime, ledger,
                    summarize(ledger, as_of=AS_OF), Report.build(source or unit, findings))


class TestRows:
    def test_units_are_sorted_worst_first(self) -> None:
        """Most overdue first, then the lowest completion rate, then the most due soon."""
        c = consolidate([
            unit_file("甲", overdue=0, done=6),
            unit_file("乙", overdue=2),
            unit_file("丙", overdue=0, done=2, due_soon=1),
            unit_file("丁", overdue=0, done=2),
        ])
        assert [r.unit for r in c.rows] == ["乙", "丙", "丁", "甲"]
        assert [r.rag for r in c.rows] == [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.GREEN]

    def test_row_counts_equal_the_unit_summary(self) -> None:
        u = unit_file("甲", problems=4, per_problem=3, done=5, overdue=2, due_soon=1)
        row = consolidate([u]).rows[0]
        s = u.summary
        assert (row.problems, row.measures, row.done, row.ongoing, row.in_progress, row.overdue,
                row.due_soon) == (4, 12, 5, 0, 7, 2, 1)
        assert (row.completion_rate, row.on_time_rate) == (s.completion_rate, s.on_time_rate)

    def test_total_row_adds_counts_and_recomputes_rates(self) -> None:
        c = consolidate([unit_file("甲", done=6, overdue=0), unit_file("乙", done=0, overdue=2)])
        t = c.total
        assert (t.unit, t.measures, t.done, t.overdue) == ("合计", 12, 6, 2)
        assert t.completion_rate == 0.5
        assert t.on_time_rate == 6 / 8  # 6 closed on time of 6 closed + 2 overdue

    def test_unit_without_name_falls_back_to_the_file_name_with_a_note(self) -> None:
        u = unit_file("", source="收件/县司法局.xlsx")
        c = consolidate([u])
        assert c.rows[0].unit == "县司法局"
        assert [(unit, f.code) for unit, _, f in c.findings()] == [("县司法局", "RX901")]


class TestRoster:
    def test_latest_as_of_wins_then_the_newest_file(self) -> None:
        old = unit_file("甲", source="a.xlsx", as_of=date(2021, 9, 30), mtime=50)
        newer_file = unit_file("甲", source="b.xlsx", mtime=20)
        newest_file = unit_file("甲 ", source="c.xlsx", mtime=30)  # a stray space: same unit
        c = consolidate([old, newer_file, newest_file])
        assert [r.source for r in c.rows] == ["c.xlsx"]
        assert [(e.state, e.source) for e in c.roster] == [
            (Submission.SUPERSEDED, "a.xlsx"), (Submission.SUPERSEDED, "b.xlsx")]

    def test_expected_units_missing_stale_and_unlisted(self) -> None:
        c = consolidate(
            [unit_file("甲"), unit_file("乙", as_of=date(2021, 9, 30)), unit_file("外单位")],
            expected=["甲", "乙", "丙"], as_of=AS_OF)
        assert [(e.unit, e.state) for e in c.roster] == [
            ("丙", Submission.MISSING), ("乙", Submission.STALE), ("外单位", Submission.UNLISTED)]

    def test_round_date_defaults_to_the_latest_reported_date(self) -> None:
        c = consolidate([unit_file("甲"), unit_file("乙", as_of=date(2021, 9, 30))])
        assert c.as_of == AS_OF
        assert [e.unit for e in c.of_state(Submission.STALE)] == ["乙"]

    def test_errors_make_the_round_fail(self) -> None:
        assert not consolidate([unit_file("甲")]).has_errors
        assert consolidate([unit_file("甲", errors=1)]).has_errors


class TestDetail:
    def test_detail_rows_read_back_as_one_ledger_per_unit(self) -> None:
        """明细 written for a round reads back (for merge --previous) with the same measures."""
        units = [unit_file("甲"), unit_file("乙")]
        header = [MERGE_UNIT, *(c.header for c in COLUMNS)]
        grid = Grid("明细", [header, *detail_rows(units)])
        back = ledgers_from_detail(grid)
        assert sorted(back) == ["乙", "甲"]
        assert [m.text for m in back["甲"].measures] == [m.text for m in units[0].ledger.measures]
        assert back["乙"].measures[3].deadline == units[1].ledger.measures[3].deadline
