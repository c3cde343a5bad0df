"""RX2xx: required values."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from rectify_xl.core.model import Ledger
from tests.conftest import measure_row
from tests.validation_helpers import only, run


class TestRequiredColumns:
    @pytest.mark.parametrize(("field", "cell"), [
        ("aspect", "B2"), ("feedback", "C2"), ("leader", "F2"), ("department", "G2"),
        ("deadline", "H2"), ("status", "I2"),
    ])
    def test_blank_required_cell_is_an_error_at_that_cell(
            self, make_ledger: Callable[..., Ledger], field: str, cell: str) -> None:
        report = run(make_ledger(rows=[measure_row(**{field: None})]))
        assert only(report, "RX201") == [("RX201", cell)]
        assert report.has_errors()

    def test_blank_measure_beside_a_measured_row_of_the_same_problem_is_rx201(
            self, make_ledger: Callable[..., Ledger]) -> None:
        rows = [measure_row(seq="1"), measure_row(seq="2", measure="", status="正在推进",
                                                   done_date=None, progress="",
                                                   deadline=date(2021, 12, 31))]
        assert only(run(make_ledger(rows=rows)), "RX201", "RX407") == [("RX201", "E3")]

    def test_optional_cells_may_be_blank(self, make_ledger: Callable[..., Ledger]) -> None:
        """序号, 佐证材料, 备注 are optional; an open measure needs no 完成日期 or 落实情况."""
        row = measure_row(seq=None, evidence=None, remark=None, status="正在推进",
                          done_date=None, progress=None, deadline=date(2021, 12, 31))
        assert run(make_ledger(rows=[row])).findings == ()

    def test_message_names_row_and_header(self, make_ledger: Callable[..., Ledger]) -> None:
        report = run(make_ledger(rows=[measure_row(leader="")]))
        assert report.findings[0].message == "第2行“责任领导”未填写"


class TestRequiredInfo:
    def test_blank_required_info_field_is_an_error_at_its_value_cell(
            self, make_ledger: Callable[..., Ledger]) -> None:
        report = run(make_ledger(info={"unit": "", "feedback_date": None}))
        assert only(report, "RX202") == [("RX202", "B2"), ("RX202", "B7")]
        assert report.findings[0].sheet == "基本信息"

    def test_optional_info_fields_may_be_blank(self, make_ledger: Callable[..., Ledger]) -> None:
        report = run(make_ledger(info={"phone": "", "email": "", "publish_date": None}))
        assert only(report, "RX202") == []
