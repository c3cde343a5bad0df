"""What each button writes into the open workbook: 校验结果, highlights, 进度汇总, 进度历史, 公告.

Everything is computed before the first write, so on the remote engine a failure leaves no
half-applied actions (the button decorator discards the queue). Layouts are fixed so that a
re-run replaces, never duplicates: the result sheets are cleared and rewritten in place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from rectify_xl.adapters.excel_live import LiveBook
from rectify_xl.core.findings import Finding, Report, Severity
from rectify_xl.core.model import Grid, col_letter
from rectify_xl.core.parse import cell_text
from rectify_xl.core.schema import (
    COLUMN_BY_KEY,
    GROUP_STATUSES,
    HISTORY_COLUMNS,
    RESULT_COLUMNS,
    RESULT_FILL_HEADER,
    RESULT_MARKS_HEADER,
    SHEETS,
)

if TYPE_CHECKING:
    from rectify_xl.core.progress import GroupRow, ItemRow, Summary

__all__ = [
    "SEVERITY_FILL",
    "SUMMARY_CHART",
    "Mark",
    "append_history",
    "previous_marks",
    "show_findings",
    "show_notice",
    "show_summary",
]

SEVERITY_FILL: dict[Severity, str] = {
    Severity.ERROR: "#ffc7ce",
    Severity.WARNING: "#ffeb9c",
    Severity.INFO: "#ddebf7",
}
_OUR_FILLS = frozenset(SEVERITY_FILL.values())
_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}

RESULT_HEADER_ROW = 3
_MARKS_COL = len(RESULT_COLUMNS) + 2  # one empty column between the findings and the marks
SUMMARY_CHART = "rx_progress_by_aspect"
NOTICE_WIDTH = 90  # characters: about one A4 portrait line of 仿宋 at 11 pt


@dataclass(frozen=True, slots=True)
class Mark:
    """A cell the validate button coloured, and its fill before (when the engine could read it)."""

    sheet: str
    cell: str
    fill: str | None = None

    @property
    def ref(self) -> str:
        return f"{self.sheet}!{self.cell}"


# --- validate ----------------------------------------------------------------------------------
def previous_marks(grid: Grid | None) -> list[Mark]:
    """The cells the last run coloured, read back from the 校验结果 sheet's marks column."""
    if grid is None:
        return []
    for r, row in enumerate(grid.rows[:10]):
        for c, value in enumerate(row):
            if cell_text(value) == RESULT_MARKS_HEADER:
                return _marks_below(grid.rows[r + 1:], c)
    return []


def _marks_below(rows: Sequence[Sequence[object]], c: int) -> list[Mark]:
    marks = []
    for row in rows:
        ref = cell_text(row[c]) if c < len(row) else ""
        if "!" not in ref:
            continue
        sheet, cell = ref.rsplit("!", 1)
        fill = cell_text(row[c + 1]) if c + 1 < len(row) else ""
        marks.append(Mark(sheet, cell.upper(), fill or None))
    return marks


def _by_cell(report: Report, sheets: set[str]) -> dict[tuple[str, str], list[Finding]]:
    cells: dict[tuple[str, str], list[Finding]] = {}
    for f in report.findings:
        if f.cell and f.sheet in sheets:
            cells.setdefault((f.sheet, f.cell), []).append(f)
    return cells


def show_findings(live: LiveBook, report: Report, grids: dict[str, Grid], *,
                  now: datetime) -> list[Mark]:
    """Undo the last run's highlights, colour the cells of this report, rewrite 校验结果."""
    sheets = {s.name for s in live.book.sheets}
    _restore(live, previous_marks(grids.get(SHEETS.RESULTS)), sheets)
    marks: list[Mark] = []
    for (sheet, cell), found in _by_cell(report, sheets).items():
        worst = min((f.severity for f in found), key=_RANK.__getitem__)
        before = live.fill_of(sheet, cell)
        live.fill(sheet, cell, SEVERITY_FILL[worst])
        if live.rich:
            live.add_note(sheet, cell, "\n".join(f"{f.code} {f.message}" for f in found))
        marks.append(Mark(sheet, cell, before))
    _write_results(live, report, marks, sheets, now)
    return marks


def _restore(live: LiveBook, marks: list[Mark], sheets: set[str]) -> None:
    for mark in marks:
        if mark.sheet not in sheets:
            continue
        current = live.fill_of(mark.sheet, mark.cell)
        if current is not None and current not in _OUR_FILLS:
            continue  # the user recoloured it since: theirs now (only readable on COM)
        live.fill(mark.sheet, mark.cell, mark.fill)
        live.remove_note(mark.sheet, mark.cell)


def _results_line(report: Report, now: datetime) -> str:
    stamp = now.strftime("%Y-%m-%d %H:%M")
    if not report.findings:
        return f"校验时间：{stamp}　未发现问题"
    counts = "，".join(f"{s.label}{report.count(s)}个" for s in Severity)
    return f"校验时间：{stamp}　{counts}"


def _write_results(live: LiveBook, report: Report, marks: list[Mark], sheets: set[str],
                   now: datetime) -> None:
    name = SHEETS.RESULTS
    live.sheet(name, clear=True)
    live.write(name, 1, 1, [[_results_line(report, now)]])
    live.write(name, RESULT_HEADER_ROW, 1, [list(RESULT_COLUMNS)])
    first = RESULT_HEADER_ROW + 1
    rows = [[f.severity.label, f.code, f.location, f.message] for f in report.findings]
    live.write(name, first, 1, rows or [["", "", "", "未发现问题"]])
    for r, f in enumerate(report.findings, start=first):
        if f.sheet in sheets:
            live.link(name, f"C{r}", f.sheet, f.cell or "A1", f.location, "跳转到该单元格")
    live.write(name, RESULT_HEADER_ROW, _MARKS_COL, [[RESULT_MARKS_HEADER, RESULT_FILL_HEADER]])
    live.write(name, first, _MARKS_COL, [[m.ref, m.fill or ""] for m in marks])
    live.autofit_columns(name, "A:C")


# --- summary -----------------------------------------------------------------------------------
_GROUP_HEADER = (*(s.value for s in GROUP_STATUSES), "逾期", "措施数", "完成率")
_ITEM_HEADER = ("行号", *(COLUMN_BY_KEY[k].header for k in (
    "seq", "aspect", "problem", "measure", "leader", "department", "deadline")))


def _number(value: str) -> object:
    return int(value) if value.isdigit() else value


def _group_rows(first: str, groups: Sequence[GroupRow]) -> list[list[object]]:
    from rectify_xl.core.progress import format_rate

    header: list[object] = [first, *_GROUP_HEADER]
    return [header] + [
        [g.name, g.done, g.ongoing, g.in_progress, g.overdue, g.measures, format_rate(g.rate)]
        for g in groups
    ]


def _item_rows(items: Sequence[ItemRow], days_label: str) -> list[list[object]]:
    header: list[object] = [*_ITEM_HEADER, days_label, COLUMN_BY_KEY["status"].header]
    return [header] + [
        [i.row, i.seq, i.aspect, i.problem, i.measure, i.leader, i.department, i.deadline,
         i.days, i.status]
        for i in items
    ]


def show_summary(live: LiveBook, summary: Summary, ledger_sheet: str, *, now: datetime) -> bool:
    """Rewrite 进度汇总; True if the chart was drawn (the engine or client can draw one)."""
    from rectify_xl.core.dates import format_cn

    name = SHEETS.SUMMARY
    live.sheet(name, clear=True)
    live.write(name, 1, 1, [[f"{summary.unit}整改进度汇总"],
                            [f"统计截止日期：{format_cn(summary.as_of)}　"
                             f"生成时间：{now:%Y-%m-%d %H:%M}"]])
    row = 4
    live.write(name, row, 1, [["总体情况"], ["项目", "数值"]])
    headline = [[label, _number(value)] for label, value in summary.headline()]
    live.write(name, row + 2, 1, headline)
    row += 2 + len(headline) + 1
    aspect_top = row + 1
    for key, groups in (("aspect", summary.by_aspect), ("leader", summary.by_leader),
                        ("department", summary.by_department)):
        first = COLUMN_BY_KEY[key].header
        block = _group_rows(first, groups)
        title = f"按{first}"
        live.write(name, row, 1, [[title], *block])
        row += 1 + len(block) + 1
    aspect_source = f"A{aspect_top}:D{aspect_top + len(summary.by_aspect)}"
    for title, items, label in (
        (f"逾期措施（{len(summary.overdue)}项）", summary.overdue, "逾期天数"),
        (f"临期措施（{summary.due_days}天内到期，{len(summary.due_soon)}项）", summary.due_soon,
         "剩余天数"),
    ):
        row = _write_items(live, ledger_sheet, row, title, items, label)
    live.autofit_columns(name, "A:B")
    drawn = bool(summary.by_aspect) and live.chart(
        name, SUMMARY_CHART, aspect_source, "I4", "各方面整改进度")
    return drawn


def _write_items(live: LiveBook, ledger_sheet: str, row: int, title: str,
                 items: Sequence[ItemRow], label: str) -> int:
    name = SHEETS.SUMMARY
    block = _item_rows(items, label)
    live.write(name, row, 1, [[title], *block] if items else [[title], ["无"]])
    for r, item in enumerate(items, start=row + 2):
        live.link(name, f"A{r}", ledger_sheet, f"A{item.row}", str(item.row), "跳转到台账该行")
    if items:
        live.number_format(name, f"H{row + 2}:H{row + 1 + len(items)}", "yyyy-mm-dd")
    return row + 1 + (len(block) if items else 1) + 1


def _history_values(summary: Summary, now: datetime) -> dict[str, object]:
    return {
        "as_of": summary.as_of, "generated": f"{now:%Y-%m-%d %H:%M}",
        "feedback": summary.feedback_count, "problems": summary.problem_count,
        "problems_closed": summary.problems_closed, "measures": summary.measure_count,
        "done": summary.measures_done, "ongoing": summary.measures_ongoing,
        "basic": summary.measures_basic,
        "in_progress": summary.measures_in_progress, "overdue": len(summary.overdue),
        "due_soon": len(summary.due_soon), "completion_rate": round(summary.completion_rate, 4),
    }


def append_history(live: LiveBook, grid: Grid | None, summary: Summary, *, now: datetime) -> int:
    """Append one row to 进度历史 (creating the sheet and header if needed); returns its row."""
    name = SHEETS.HISTORY
    headers = [h for _, h in HISTORY_COLUMNS]
    rows = grid.rows if grid else []
    header_row = [cell_text(v) for v in rows[0]] if rows else []
    live.sheet(name)
    if not any(header_row):
        live.write(name, 1, 1, [headers])
        header_row = headers
    used = [i for i, r in enumerate(rows, start=1) if any(cell_text(v) for v in r)]
    target = max(used[-1] if used else 1, 1) + 1
    values = _history_values(summary, now)
    column = {h: i for i, h in enumerate(header_row, start=1) if h}
    if all(h in column for h in headers):  # the user may have moved columns: follow the header
        out: list[object] = [None] * max(column.values())
        for key, header in HISTORY_COLUMNS:
            out[column[header] - 1] = values[key]
    else:
        out = [values[key] for key, _ in HISTORY_COLUMNS]
    live.write(name, target, 1, [out])
    _history_formats(live, column if all(h in column for h in headers) else None, target)
    return target


_HISTORY_FORMATS = {"as_of": "yyyy-mm-dd", "completion_rate": "0.0%"}


def _history_formats(live: LiveBook, column: dict[str, int] | None, row: int) -> None:
    index = {h: i for i, (_, h) in enumerate(HISTORY_COLUMNS, start=1)} if column is None else column
    header = dict(HISTORY_COLUMNS)
    for key, fmt in _HISTORY_FORMATS.items():
        live.number_format(SHEETS.HISTORY, f"{col_letter(index[header[key]])}{row}", fmt)


# --- notice ------------------------------------------------------------------------------------
def show_notice(live: LiveBook, text: str) -> int:
    """公告: one paragraph per row in column A, wrapped and printable; returns the paragraphs."""
    lines = text.rstrip("\n").split("\n")
    name = SHEETS.NOTICE
    live.sheet(name, clear=True)
    live.write(name, 1, 1, [[line] for line in lines])
    live.format_text_column(name, f"A1:A{len(lines)}", NOTICE_WIDTH)
    live.activate(name)
    return sum(1 for line in lines if line.strip())

