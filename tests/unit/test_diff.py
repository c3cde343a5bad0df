"""diff_ledgers: measures matched by content across versions; kinds of change classified."""

from __future__ import annotations

from datetime import date

from rectify_xl.core.diff import ChangeKind, diff_ledgers, match_measures
from rectify_xl.core.records import ledger_from_records
from tests.merge_helpers import sample_copy


def _renumber(rows: list[dict]) -> None:
    for i, row in enumerate(rows, start=1):
        row["seq"] = str(i)


def _kinds(diff) -> list[tuple[str, ...]]:
    return [tuple(k.value for k in c.kinds) for c in diff.changes]


class TestMatching:
    def test_identical_ledgers_have_no_changes(self) -> None:
        """The same ledger twice: every measure matched, nothing reported."""
        old = ledger_from_records(sample_copy())
        diff = diff_ledgers(old, ledger_from_records(sample_copy()))
        assert diff.is_empty
        assert diff.unchanged == 23
        assert diff.summary_line() == "无变化"

    def test_inserted_rows_and_renumbering_only_report_the_new_measure(self) -> None:
        """Two rows inserted and 序号 renumbered: two added, the 23 others unchanged."""
        new = sample_copy()
        first = new.measures[0]
        new.measures.insert(1, dict(first, measure="新增措施甲：建立学习台账"))
        new.measures.insert(5, dict(first, measure="新增措施乙：开展专项督查"))
        _renumber(new.measures)
        diff = diff_ledgers(ledger_from_records(sample_copy()), ledger_from_records(new))
        assert [(c.kinds, c.new.row if c.new else None) for c in diff.changes] == [
            ((ChangeKind.ADDED,), 3), ((ChangeKind.ADDED,), 7)]
        assert diff.unchanged == 23

    def test_reversed_order_still_matches_every_measure(self) -> None:
        """Matching is by content, not position: reversing the rows changes nothing."""
        new = sample_copy()
        new.measures.reverse()
        diff = diff_ledgers(ledger_from_records(sample_copy()), ledger_from_records(new))
        assert diff.is_empty

    def test_lightly_reworded_measure_is_a_content_change_not_remove_and_add(self) -> None:
        new = sample_copy()
        new.measures[3]["measure"] = new.measures[3]["measure"] + "（修订）"
        diff = diff_ledgers(ledger_from_records(sample_copy()), ledger_from_records(new))
        assert _kinds(diff) == [("内容修改",)]
        assert [f.key for f in diff.changes[0].fields] == ["measure"]

    def test_removed_measure_is_listed_with_its_old_row(self) -> None:
        new = sample_copy()
        gone = new.measures.pop(10)
        diff = diff_ledgers(ledger_from_records(sample_copy()), ledger_from_records(new))
        assert [(c.kinds, c.old.text) for c in diff.changes] == [
            ((ChangeKind.REMOVED,), gone["measure"])]
        assert diff.changes[0].old.row == 12

    def test_duplicate_texts_pair_in_sheet_order(self) -> None:
        old = ledger_from_records(sample_copy())
        pairs, lost, new = match_measures(old.measures, old.measures)
        assert all(a is b for a, b in pairs) and not lost and not new


class TestClassification:
    def test_closing_reopening_and_postponement(self) -> None:
        """正在推进→已完成 is 销号; 已完成→正在推进 重新打开; a later deadline 延期, earlier 提前."""
        old_rows = sample_copy()
        old_rows.measures[0].update(status="正在推进", done_date=None)
        new = sample_copy()
        new.measures[1]["status"] = "正在推进"
        new.measures[2]["deadline"] = date(2022, 3, 31)
        new.measures[3]["deadline"] = date(2021, 8, 1)
        diff = diff_ledgers(ledger_from_records(old_rows), ledger_from_records(new))
        assert [(c.new.row, c.kinds[0]) for c in diff.changes] == [
            (2, ChangeKind.CLOSED), (3, ChangeKind.REOPENED), (4, ChangeKind.POSTPONED),
            (5, ChangeKind.ADVANCED)]
        assert diff.counts == {"销号": 1, "重新打开": 1, "延期": 1, "提前": 1}
        assert "完成时限" in diff.changes[2].describe()

    def test_status_responsibility_and_narrative_changes(self) -> None:
        new = sample_copy()
        new.measures[0]["status"] = "长期坚持"  # closed either way: a status change, not 销号
        new.measures[1]["leader"] = "新任副书记"
        new.measures[2]["progress"] = "补充了落实情况。"
        diff = diff_ledgers(ledger_from_records(sample_copy()), ledger_from_records(new))
        assert _kinds(diff) == [("状态变更",), ("责任变更",), ("落实情况变更",)]
        assert diff.changes[1].fields[0].label == "责任领导"

    def test_deadline_becoming_ongoing_counts_as_postponed(self) -> None:
        new = sample_copy()
        new.measures[4]["deadline"] = "长期坚持"
        diff = diff_ledgers(ledger_from_records(sample_copy()), ledger_from_records(new))
        assert _kinds(diff) == [("延期",)]

    def test_to_dict_is_json_ready(self) -> None:
        import json

        new = sample_copy()
        new.measures[1]["status"] = "正在推进"
        diff = diff_ledgers(ledger_from_records(sample_copy()), ledger_from_records(new))
        data = json.loads(json.dumps(diff.to_dict(), ensure_ascii=False))
        assert data["counts"] == {"重新打开": 1}
        assert data["changes"][0]["fields"][0]["column"] == "整改状态"

    def test_details_name_only_the_fields_even_when_the_measure_text_has_colons(self) -> None:
        """The 变化 sheet's 详情 column: a measure text like '措施4：建立制度' must not leak in."""
        old_rows = sample_copy()
        old_rows.measures[2]["measure"] = "措施三：建立制度：并落实"
        new = sample_copy()
        new.measures[2].update(measure="措施三：建立制度：并落实", deadline=date(2022, 3, 31),
                               progress="补充了落实情况。")
        diff = diff_ledgers(ledger_from_records(old_rows), ledger_from_records(new))
        change = diff.changes[0]
        assert change.details() == "完成时限：2021-10-15 → 2022-03-31；整改落实情况已更新"
        head = "【延期、落实情况变更】第4行“措施三：建立制度：并落实”"
        assert change.describe() == f"{head}：{change.details()}"
