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


def test_settings_offer_drop_downs_and_keep_the_margin_a_percentage() -> None:
    from rectify_xl.core.book_sheets import settings_sheet
    from rectify_xl.core.schedule import DEFAULT_MARGIN
    from rectify_xl.core.schema import SETTINGS_FIELDS, SETTINGS_SECURITY

    spec = settings_sheet()
    keys = [f.key for f in SETTINGS_FIELDS]
    margin = 2 + keys.index("schedule_margin")
    assert spec.values()[(margin, 2)] == DEFAULT_MARGIN
    looks = {s.style for s in spec.styles if s.left <= 2 <= s.right and s.top <= margin <= s.bottom}
    assert looks == {"ledger_percent"}  # not a fill-in cell's look layered under it
    security = next(c for c in spec.choices if c.cells == f"B{2 + keys.index('security')}")
    assert security.values == tuple(SETTINGS_SECURITY) and "只能填写" in security.message
    assert not any("密码" in str(v) for (_, c), v in spec.values().items() if c == 1)  # no row for it
    assert spec.values()[(len(SETTINGS_FIELDS) + 3, 1)] == "注意"


def test_xlwings_conf_keeps_booleans_and_help_reads_as_a_page() -> None:
    from rectify_xl.core.book_sheets import LAUNCHER, help_sheet, xlwings_conf_sheet

    conf = xlwings_conf_sheet().values()
    assert conf[(1, 1)] == "Interpreter_Win" and conf[(1, 2)] == LAUNCHER
    assert False in conf.values() and (2, 2) not in conf  # an empty value stays empty
    page = help_sheet(macro_enabled=True, illustrative=("巡察组",))
    assert not page.gridlines and page.styles[0] == Styled(1, 1, 1, 1, "ledger_title")
    assert "示意数据" in page.values()[max(page.values())]
    assert all(h > 15 for _, h in page.heights)  # every paragraph's row fits its lines


def test_the_openpyxl_writer_applies_choices_colours_and_gridlines() -> None:
    from openpyxl import Workbook

    from rectify_xl.adapters.sheet_file import write_sheet
    from rectify_xl.core.book_sheets import help_sheet, settings_sheet, xlwings_conf_sheet

    wb = Workbook()
    ws = write_sheet(wb, settings_sheet())
    rule = ws.data_validations.dataValidation[0]
    assert rule.type == "list" and rule.error.startswith("只能填写")
    assert ws["C2"].font.color.rgb == "FF7F7F7F"
    conf = write_sheet(wb, xlwings_conf_sheet())  # no header: no print rules over its cells
    assert conf["B1"].fill.fgColor.rgb == "FFFFFFF0"
    assert conf["B1"].border.left.color.rgb == "FFD9D9D9"
    assert conf["B5"].value is False
    assert write_sheet(wb, help_sheet(macro_enabled=False, illustrative=())
                       ).sheet_view.showGridLines is False
