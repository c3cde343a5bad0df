"""The mail as data: subject, counts for the body, and what changed since the last report."""

from __future__ import annotations

from datetime import date

from rectify_xl.core.diff import diff_ledgers
from rectify_xl.core.mail_message import (
    MAX_LISTED,
    Changes,
    changes_from_diff,
    changes_from_history,
    mail_context,
    mail_subject,
)
from rectify_xl.core.progress import summarize
from tests.conftest import measure_row

AS_OF = date(2021, 10, 31)
HEADER = ["统计截止日期", "生成时间", "已完成", "正在推进", "完成率"]


def test_subject_names_unit_and_as_of_date() -> None:
    assert mail_subject("县委政法委", AS_OF) == "县委政法委巡察整改进展情况（截至2021年10月31日）"


class TestHistory:
    def test_compares_with_the_latest_row_before_as_of(self) -> None:
        rows = [["进度历史"], HEADER,
                ["2021-08-31", "", 5, 9, 0.3], ["2021-09-30", "", 10, 4, "60.0%"],
                [AS_OF, "", 12, 2, 0.9]]
        changes = changes_from_history(rows, {"已完成": 12, "正在推进": 2, "完成率": 0.9}, AS_OF)
        assert changes.since == date(2021, 9, 30) and changes.source == "进度历史"
        assert changes.lines == ("已完成：10 → 12（+2）", "正在推进：4 → 2（-2）",
                                 "完成率：60.0% → 90.0%（+30.0%）")

    def test_equal_counts_say_no_change(self) -> None:
        rows = [HEADER, ["2021-09-30", "", 12, 2, 0.9]]
        changes = changes_from_history(rows, {"已完成": 12, "正在推进": 2, "完成率": 0.9}, AS_OF)
        assert changes.lines == ("各项统计数与上次相同，无变化。",)

    def test_no_earlier_row_or_no_header_is_unknown(self) -> None:
        assert not changes_from_history([HEADER, [AS_OF, "", 1, 1, 1]], {"已完成": 1}, AS_OF).known
        assert not changes_from_history([["随便"], [1, 2]], {"已完成": 1}, AS_OF).known


def test_diff_lines_start_with_the_count(make_ledger) -> None:  # type: ignore[no-untyped-def]
    old = make_ledger(rows=[measure_row(status="正在推进", done_date=None)])
    new = make_ledger(rows=[measure_row()])
    changes = changes_from_diff(diff_ledgers(old, new))
    assert changes.lines[0] == "共1项措施有变化：销号1项。" and len(changes.lines) == 2
    assert changes_from_diff(diff_ledgers(new, new)).lines == ("与上次报送的台账相比，整改措施无变化。",)


def test_context_lists_overdue_with_leaders_and_cuts_long_lists(make_ledger) -> None:  # type: ignore[no-untyped-def]
    rows = [measure_row(seq=str(i), measure=f"措施{i}", leader="甲" if i % 3 else "乙",
                        status="正在推进", done_date=None, progress="", deadline=date(2021, 9, 1))
            for i in range(1, MAX_LISTED + 6)]
    ledger = make_ledger(rows=rows)
    summary = summarize(ledger, as_of=AS_OF)
    ctx = mail_context(ledger, as_of=AS_OF, today=date(2021, 11, 1), headline=summary.headline(),
                       overdue=summary.overdue, changes=Changes())
    assert ctx["overdue_total"] == MAX_LISTED + 5 and ctx["overdue_more"] == 5
    assert len(ctx["overdue"]) == MAX_LISTED  # type: ignore[arg-type]
    assert ctx["overdue_by_leader"] == [("甲", 17), ("乙", 8)]
    assert ctx["overdue"][0]["deadline"] == "2021年9月1日"  # type: ignore[index]
    assert "被巡察单位" not in dict(ctx["headline"])  # type: ignore[arg-type]
    assert ctx["today"] == "2021年11月1日" and ctx["changes_known"] is False
