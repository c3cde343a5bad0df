"""The report sheet of the ledger workbook (导入报告) as a description (core.book_sheets)."""

from __future__ import annotations

from datetime import date

from rectify_xl.core.book_sheets import REPORT_MAX_WIDTH, REPORT_MIN_WIDTH, report_sheet
from rectify_xl.core.sheet_spec import STYLES, Styled


def test_header_ruled_frozen_and_columns_as_wide_as_their_longest_value() -> None:
    spec = report_sheet("导入报告", [["项目", "段落", "说明"], ["来源文件", None, "公告" * 40],
                                    ["识别为", 3, "整改进展情况公告"]])
    assert spec.freeze == "A2" and spec.name == "导入报告"
    assert dict(spec.widths) == {"A": 8.0, "B": REPORT_MIN_WIDTH, "C": REPORT_MAX_WIDTH}
    assert Styled(1, 1, 1, 3, "header") in spec.styles  # starts the printed, ruled table
    assert STYLES["ledger_header"].font == "黑体"
    assert spec.values()[(3, 2)] == 3 and (2, 2) not in spec.values()


def test_dates_keep_a_date_look_and_equal_rows_share_one_rectangle() -> None:
    spec = report_sheet("r", [["a", "b"], ["x", "y"], ["x", "y"], ["警告", date(2021, 7, 7)], ["z"]])
    body = [s for s in spec.styles if s.top > 1]
    assert body == [Styled(2, 1, 3, 2, "ledger_wrap"), Styled(4, 1, 5, 1, "ledger_wrap"),
                    Styled(4, 2, 4, 2, "ledger_date")]
    assert STYLES["ledger_date"].number_format == "yyyy-mm-dd" and not STYLES["ledger_date"].wrap


def test_an_empty_report_is_an_empty_sheet() -> None:
    spec = report_sheet("r", [])
    assert spec.blocks == () and spec.freeze is None and spec.styles == ()
