"""The output sheets as data (core.output_sheets): what every writer writes, checked without one."""

from __future__ import annotations

from datetime import date, datetime

from rectify_xl.core.findings import Finding, Report, Severity
from rectify_xl.core.model import Grid
from rectify_xl.core.output_sheets import (
    RESULT_HEADER_ROW,
    findings_writes,
    history_sheet,
    notice_sheet,
    summary_sheet,
)
from rectify_xl.core.progress import summarize
from rectify_xl.core.records import LedgerRecords, ledger_from_records
from rectify_xl.core.schema import HISTORY_COLUMNS, RESULT_MARKS_HEADER, SHEETS
from rectify_xl.core.sheet_spec import MARK_FILLS, NOTE_MARK, STYLES
from tests.conftest import BASE_INFO, measure_row

NOW = datetime(2021, 11, 2, 9, 30)
LEDGER = SHEETS.LEDGER


def _report() -> Report:
    return Report.build("x.xlsx", [
        Finding("RX310", Severity.WARNING, LEDGER, "H2", "已逾期"),
        Finding("RX301", Severity.ERROR, LEDGER, "H2", "完成时限不是日期"),
        Finding("RX101", Severity.INFO, SHEETS.INFO, None, "整表提示"),
    ])


def test_results_list_errors_first_link_their_cells_and_record_the_marks() -> None:
    grids = {LEDGER: Grid(LEDGER, []), SHEETS.INFO: Grid(SHEETS.INFO, [])}
    writes = findings_writes(_report(), grids, now=NOW, before={(LEDGER, "H2"): "#00b050"})
    (mark,) = writes.marks
    assert (mark.cell, mark.style, mark.before) == ("H2", "error", "#00b050")
    assert mark.note.startswith(NOTE_MARK) and "RX301" in mark.note and "RX310" in mark.note
    sheet = writes.sheet(SHEETS.RESULTS)
    assert sheet is not None and writes.activate == SHEETS.RESULTS
    cells = sheet.values()
    first = RESULT_HEADER_ROW + 1
    assert [cells[(r, 2)] for r in range(first, first + 3)] == ["RX301", "RX310", "RX101"]
    assert cells[(RESULT_HEADER_ROW, 6)] == RESULT_MARKS_HEADER and cells[(first, 6)] == f"{LEDGER}!H2"
    assert cells[(first, 7)] == "#00b050"
    assert [(link.row, link.cell) for link in sheet.links] == [(first, "H2"), (first + 1, "H2"),
                                                               (first + 2, "A1")]


def test_the_next_run_undoes_the_last_marks_and_keeps_their_fill_before() -> None:
    old = Grid(SHEETS.RESULTS, [[None] * 7, [None] * 7,
                                [None, None, None, None, None, RESULT_MARKS_HEADER, "原填充色"],
                                [None, None, None, None, None, f"{LEDGER}!H2", "#00b050"],
                                [None, None, None, None, None, f"{LEDGER}!C9", None]])
    grids = {LEDGER: Grid(LEDGER, []), SHEETS.RESULTS: old}
    writes = findings_writes(_report(), grids, now=NOW, before={(LEDGER, "H2"): STYLES["error"].fill})
    assert [(m.cell, m.before) for m in writes.unmark] == [("H2", "#00b050"), ("C9", None)]
    assert writes.marks[0].before == "#00b050"  # not our own fill of last time
    assert STYLES["error"].fill in MARK_FILLS


def test_a_clean_report_says_so_and_shows_no_sheet() -> None:
    writes = findings_writes(Report.build("x.xlsx", []), {LEDGER: Grid(LEDGER, [])}, now=NOW)
    assert writes.activate is None and not writes.marks
    cells = writes.sheets[0].values()
    assert "未发现问题" in cells[(1, 1)] and cells[(RESULT_HEADER_ROW + 1, 4)] == "未发现问题"


def _summary() -> object:
    rows = [measure_row(seq="1", aspect="甲方面", status="正在推进", done_date=None,
                        deadline=date(2021, 9, 30), progress=""),
            measure_row(seq="2", aspect="乙方面")]
    ledger = ledger_from_records(LedgerRecords(info=dict(BASE_INFO), measures=rows))
    return summarize(ledger, as_of=date(2021, 10, 31))


def test_the_summary_charts_the_aspect_table_and_links_overdue_rows() -> None:
    summary = _summary()
    sheet = summary_sheet(summary, LEDGER, now=NOW)  # type: ignore[arg-type]
    cells = sheet.values()
    assert sheet.chart is not None
    top = int(sheet.chart.source.split(":")[0][1:])
    assert cells[(top, 1)] == "方面" and cells[(top + 1, 1)] == "甲方面"
    assert sheet.chart.source.endswith(f"D{top + 2}")  # both aspects, 已完成..正在推进
    (link,) = sheet.links
    assert link.sheet == LEDGER and cells[(link.row, 8)] == date(2021, 9, 30)
    assert any(s.style == "date" and s.left == 8 for s in sheet.styles)


def test_history_follows_columns_the_user_moved_and_appends_below() -> None:
    headers = [h for _, h in HISTORY_COLUMNS]
    moved = [headers[1], headers[0], *headers[2:]]
    grid = Grid(SHEETS.HISTORY, [moved, ["2021-09-30", "x"], [None] * len(moved)])
    sheet = history_sheet(grid, _summary(), now=NOW)  # type: ignore[arg-type]
    assert not sheet.clear
    (block,) = sheet.blocks
    assert block.row == 3 and block.rows[0][1] == date(2021, 10, 31)
    new = history_sheet(None, _summary(), now=NOW)  # type: ignore[arg-type]
    assert new.blocks[0].rows[0] == tuple(headers) and new.blocks[1].row == 2


def test_the_notice_is_one_paragraph_per_row_printed_as_text() -> None:
    sheet = notice_sheet("标题\n\n正文第一段\n")
    assert sheet.values() == {(1, 1): "标题", (3, 1): "正文第一段"} and sheet.text_width
