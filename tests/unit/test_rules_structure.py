"""RX1xx: workbook structure."""

from __future__ import annotations

from collections.abc import Callable

from rectify_xl.core.model import Ledger
from rectify_xl.core.records import LedgerRecords
from tests.validation_helpers import codes_with_prefix, ledger_with_headers, only, run


class TestCleanLedger:
    def test_a_complete_closed_measure_has_no_findings(self, make_ledger: Callable[..., Ledger]
                                                        ) -> None:
        """The factory's default row is valid: every rule test starts from silence."""
        assert run(make_ledger()).findings == ()


class TestColumns:
    def test_missing_optional_column_is_one_warning(
            self, make_records: Callable[..., LedgerRecords]) -> None:
        """A ledger without 备注 gets RX101 once, at the header row, and nothing per row."""
        ledger = ledger_with_headers(make_records(), {"备注": None})
        report = run(ledger)
        assert report.flatten("code", "severity", "row") == [("RX101", "warning", 1)]
        assert "备注" in report.findings[0].message

    def test_all_columns_present_gives_no_rx101(self, make_ledger: Callable[..., Ledger]) -> None:
        assert only(run(make_ledger()), "RX101", "RX102") == []

    def test_missing_required_column_is_one_error_not_one_per_row(
            self, make_records: Callable[..., LedgerRecords]) -> None:
        """No 责任领导 column: one RX102 error, no RX201 for each of the rows."""
        from tests.conftest import measure_row

        records = make_records(rows=[measure_row(seq="1"), measure_row(seq="2", measure="二")])
        report = run(ledger_with_headers(records, {"责任领导": None}))
        assert codes_with_prefix(report, "RX") == [("RX102", None)]
        assert report.has_errors()

    def test_aliased_header_is_info_at_the_header_cell(
            self, make_records: Callable[..., LedgerRecords]) -> None:
        report = run(ledger_with_headers(make_records(), {"整改措施": "整改任务"}))
        assert report.flatten("code", "cell", "severity") == [("RX103", "E1", "info")]
        assert "整改任务" in report.findings[0].message


class TestRows:
    def test_ledger_without_measure_rows_is_an_error(self, make_ledger: Callable[..., Ledger]
                                                     ) -> None:
        report = run(make_ledger(rows=[]))
        assert only(report, "RX104") == [("RX104", None)]
        assert report.has_errors()

    def test_one_measure_row_is_enough(self, make_ledger: Callable[..., Ledger]) -> None:
        assert only(run(make_ledger()), "RX104") == []


class TestInfoSheet:
    def test_missing_info_sheet_is_one_warning_without_rx202(
            self, make_records: Callable[..., LedgerRecords]) -> None:
        report = run(ledger_with_headers(make_records(), {}, drop_sheets=("基本信息",)))
        assert report.flatten("code", "sheet") == [("RX105", "基本信息")]
