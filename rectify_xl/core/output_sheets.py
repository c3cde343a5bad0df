"""The sheets the actions write, each described once (core.sheet_spec): 校验结果 and the marks on
the ledger, 进度汇总 with its chart, the 进度历史 row, 公告.

The 校验/汇总进度/生成公告 buttons, ``rectify-xl validate --annotate`` and the web workbench's
annotated copy all write these descriptions, so they produce the same layout cell by cell.
Layouts are fixed so that a re-run replaces, never duplicates.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from rectify_xl.core.findings import Finding, Report, Severity
from rectify_xl.core.model import Grid, col_letter
from rectify_xl.core.parse import cell_text
from rectify_xl.core.schema import (
    COLUMN_BY_KEY,
    GROUP_STATUSES,
    HISTORY_COLUMNS,
    OUTPUT_SHEETS,
    RESULT_COLUMNS,
    RESULT_FILL_HEADER,
    RESULT_MARKS_HEADER,
    SHEETS,
)
from rectify_xl.core.sheet_spec import NOTE_MARK, Block, Chart, Link, Mark, SheetSpec, SheetWrites, Styled

if TYPE_CHECKING:
    from rectify_xl.core.progress import GroupRow, ItemRow, Summary

__all__ = [
    "NOTICE_WIDTH",
    "OUTPUT_SHEETS",
    "RESULT_HEADER_ROW",
    "SUMMARY_CHART",
    "findings_writes",
    "history_sheet",
    "marks_for",
    "notice_sheet",
    "previous_marks",
    "results_sheet",
    "summary_sheet",
    "summary_writes",
]

RESULT_HEADER_ROW = 3
_MARKS_COL = len(RESULT_COLUMNS) + 2  # one empty column between the findings and the marks
SUMMARY_CHART = "rx_progress_by_aspect"
NOTICE_WIDTH = 90  # characters: about one A4 portrait line of 仿宋 at 11 pt
_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def _stamp(now: datetime) -> str:
    return f"{now:%Y-%m-%d %H:%M}"


# --- 校验结果 and the marks ----------------------------------------------------------------------
def previous_marks(grid: Grid | None) -> tuple[Mark, ...]:
    """The cells the last run marked, read back from the 校验结果 sheet's marks column."""
    if grid is None:
        return ()
    for r, row in enumerate(grid.rows[:10]):
        for c, value in enumerate(row):
            if cell_text(value) == RESULT_MARKS_HEADER:
                return _marks_below(grid.rows[r + 1:], c)
    return ()


def _marks_below(rows: Sequence[Sequence[object]], c: int) -> tuple[Mark, ...]:
    marks = []
    for row in rows:
        ref = cell_text(row[c]) if c < len(row) else ""
        if "!" not in ref:
            continue
        sheet, cell = ref.rsplit("!", 1)
        fill = cell_text(row[c + 1]) if c + 1 < len(row) else ""
        marks.append(Mark(sheet, cell.upper(), "", before=fill or None))
    return tuple(marks)


def marks_for(report: Report, sheets: Collection[str]) -> tuple[Mark, ...]:
    """One mark per cell a finding names (worst severity's style), noting every message there."""
    cells: dict[tuple[str, str], list[Finding]] = {}
    for f in report.findings:
        if f.cell and f.sheet in sheets:
            cells.setdefault((f.sheet, f.cell), []).append(f)
    return tuple(
        Mark(sheet, cell, min((f.severity for f in found), key=_RANK.__getitem__).value,
             NOTE_MARK + "\n".join(f"{f.code} {f.message}" for f in found))
        for (sheet, cell), found in cells.items()
    )


def _results_line(report: Report, now: datetime) -> str:
    if not report.findings:
        return f"校验时间：{_stamp(now)}　未发现问题"
    counts = "，".join(f"{s.label}{report.count(s)}个" for s in Severity)
    return f"校验时间：{_stamp(now)}　{counts}"


def results_sheet(report: Report, marks: Sequence[Mark], sheets: Collection[str], *,
                  now: datetime) -> SheetSpec:
    """校验结果: a time line, then one row per finding (errors first) whose 位置 links to its cell;
    right of them, the marked cells and their fill before, for the next run to restore."""
    findings = report.by_severity()
    first = RESULT_HEADER_ROW + 1
    rows = tuple((f.severity.label, f.code, f.location, f.message) for f in findings)
    width = len(RESULT_COLUMNS)
    marks_header = (RESULT_MARKS_HEADER, RESULT_FILL_HEADER)
    blocks = (
        Block(1, 1, ((_results_line(report, now),),)),
        Block(RESULT_HEADER_ROW, 1, (tuple(RESULT_COLUMNS),)),
        Block(first, 1, rows or (("", "", "", "未发现问题"),)),
        Block(RESULT_HEADER_ROW, _MARKS_COL, (marks_header,)),
        Block(first, _MARKS_COL, tuple((m.ref, m.before) for m in marks)),
    )
    links = tuple(Link(r, 3, f.sheet, f.cell or "A1", f.location, "跳转到该单元格")
                  for r, f in enumerate(findings, start=first) if f.sheet in sheets)
    styles = (Styled(1, 1, 1, 1, "title"),
              Styled(RESULT_HEADER_ROW, 1, RESULT_HEADER_ROW, width, "header"),
              Styled(RESULT_HEADER_ROW, _MARKS_COL, RESULT_HEADER_ROW, _MARKS_COL + 1, "header"))
    widths = (("A", 8), ("B", 10), ("C", 18), ("D", 80), (col_letter(_MARKS_COL), 24),
              (col_letter(_MARKS_COL + 1), 10))
    return SheetSpec(SHEETS.RESULTS, blocks, styles=styles, links=links, widths=widths)


def findings_writes(report: Report, grids: dict[str, Grid], *, now: datetime,
                    before: dict[tuple[str, str], str | None] | None = None) -> SheetWrites:
    """What 校验 writes: the last run's marks undone, this report's marks, 校验结果 shown.

    ``before``: the fills of the cells to be marked, where the book can tell (desktop Excel).
    """
    sheets = set(grids)
    unmark = tuple(m for m in previous_marks(grids.get(SHEETS.RESULTS)) if m.sheet in sheets)
    # a cell marked last time shows our fill now: its fill before is the one recorded then
    fills = {**(before or {}), **{(m.sheet, m.cell): m.before for m in unmark}}
    marks = tuple(Mark(m.sheet, m.cell, m.style, m.note, fills.get((m.sheet, m.cell)))
                  for m in marks_for(report, sheets))
    sheet = results_sheet(report, marks, sheets, now=now)
    return SheetWrites((sheet,), marks, unmark, activate=SHEETS.RESULTS if report.findings else None)


# --- 进度汇总 ----------------------------------------------------------------------------------
_GROUP_HEADER = (*(s.value for s in GROUP_STATUSES), "逾期", "措施数", "完成率")
_ITEM_HEADER = ("行号", *(COLUMN_BY_KEY[k].header for k in (
    "seq", "aspect", "problem", "measure", "leader", "department", "deadline")))
_SUMMARY_WIDTHS = (("A", 16), ("B", 10), ("C", 16), ("D", 30), ("E", 30), ("F", 10), ("G", 12),
                   ("H", 12), ("I", 10), ("J", 10))


def _number(value: str) -> object:
    return int(value) if value.isdigit() else value


def _group_rows(first: str, groups: Sequence[GroupRow]) -> list[tuple[object, ...]]:
    from rectify_xl.core.progress import format_rate

    return [(first, *_GROUP_HEADER)] + [
        (g.name, g.done, g.ongoing, g.in_progress, g.overdue, g.measures, format_rate(g.rate))
        for g in groups
    ]


def _item_rows(items: Sequence[ItemRow], days_label: str) -> list[tuple[object, ...]]:
    return [(*_ITEM_HEADER, days_label, COLUMN_BY_KEY["status"].header)] + [
        (i.row, i.seq, i.aspect, i.problem, i.measure, i.leader, i.department, i.deadline,
         i.days, i.status)
        for i in items
    ]


class _Sheet:
    """Rows appended top to bottom, with their styles and links."""

    def __init__(self) -> None:
        self.rows: list[tuple[object, ...]] = []
        self.styles: list[Styled] = []
        self.links: list[Link] = []

    @property
    def next(self) -> int:
        return len(self.rows) + 1

    def add(self, *rows: tuple[object, ...], style: str | None = None) -> int:
        first = self.next
        self.rows.extend(rows)
        if style and rows:
            width = max(len(r) for r in rows) or 1
            self.styles.append(Styled(first, 1, self.next - 1, width, style))
        return first

    def table(self, title: str, rows: list[tuple[object, ...]], empty: bool) -> int:
        """A titled table: title, header, rows (or 无); a blank row after; returns the header row."""
        self.add((title,), style="title")
        header = self.add(rows[0], style="header")
        if empty:
            self.add(("无",))
        else:
            self.add(*rows[1:])
        self.add(())
        return header


def summary_sheet(summary: Summary, ledger_sheet: str, *, now: datetime) -> SheetSpec:
    """进度汇总: headline, breakdowns by 方面/责任领导/责任部门 (charted by 方面), overdue,
    due-soon and behind-schedule (序时进度) measures linked to their ledger rows."""
    from rectify_xl.core.dates import format_cn

    s = _Sheet()
    s.add((f"{summary.unit}整改进度汇总",), style="title")
    s.add((f"统计截止日期：{format_cn(summary.as_of)}　生成时间：{_stamp(now)}",), ())
    s.table("总体情况", [("项目", "数值"), *((k, _number(v)) for k, v in summary.headline())], False)
    aspect_header = 0
    for key, groups in (("aspect", summary.by_aspect), ("leader", summary.by_leader),
                        ("department", summary.by_department)):
        first = COLUMN_BY_KEY[key].header
        header = s.table(f"按{first}", _group_rows(first, groups), not groups)
        aspect_header = aspect_header or header
    for title, items, label in (
        (f"逾期措施（{len(summary.overdue)}项）", summary.overdue, "逾期天数"),
        (f"临期措施（{summary.due_days}天内到期，{len(summary.due_soon)}项）", summary.due_soon,
         "剩余天数"),
        (f"序时进度滞后（{len(summary.behind)}项，时间已过比例超过完成进度）", summary.behind,
         "剩余天数"),
    ):
        header = s.table(title, _item_rows(items, label), not items)
        for r, item in enumerate(items, start=header + 1):
            s.links.append(Link(r, 1, ledger_sheet, f"A{item.row}", str(item.row), "跳转到台账该行"))
        if items:
            s.styles.append(Styled(header + 1, 8, header + len(items), 8, "date"))
    if summary.reminders:  # 催办记录 in use (issue 17): how often each measure was chased
        s.table(f"催办次数（共{summary.reminders}份催办文书）",
                [("措施（序号或行）", "催办次数"), *summary.reminded], not summary.reminded)
    chart = None
    if summary.by_aspect:
        source = f"A{aspect_header}:D{aspect_header + len(summary.by_aspect)}"
        chart = Chart(SUMMARY_CHART, source, "I4", "各方面整改进度")
    return SheetSpec(SHEETS.SUMMARY, (Block(1, 1, tuple(s.rows)),), styles=tuple(s.styles),
                     links=tuple(s.links), widths=_SUMMARY_WIDTHS, chart=chart, after=ledger_sheet)


# --- 进度历史 ----------------------------------------------------------------------------------
_HISTORY_STYLES = {"as_of": "date", "completion_rate": "percent"}


def _history_values(summary: Summary, now: datetime) -> dict[str, object]:
    return {
        "as_of": summary.as_of, "generated": _stamp(now),
        "feedback": summary.feedback_count, "problems": summary.problem_count,
        "problems_closed": summary.problems_closed, "measures": summary.measure_count,
        "done": summary.measures_done, "ongoing": summary.measures_ongoing,
        "basic": summary.measures_basic,
        "in_progress": summary.measures_in_progress, "overdue": len(summary.overdue),
        "due_soon": len(summary.due_soon), "completion_rate": round(summary.completion_rate, 4),
    }


def history_sheet(grid: Grid | None, summary: Summary, *, now: datetime) -> SheetSpec:
    """进度历史: one row appended below the last used row (header written when the sheet is new);
    columns the user moved are followed by their header."""
    headers = [h for _, h in HISTORY_COLUMNS]
    rows = grid.rows if grid else []
    header_row = [cell_text(v) for v in rows[0]] if rows else []
    blocks: list[Block] = []
    styles: list[Styled] = []
    if not any(header_row):
        blocks.append(Block(1, 1, (tuple(headers),)))
        styles.append(Styled(1, 1, 1, len(headers), "header"))
        header_row = headers
    used = [i for i, r in enumerate(rows, start=1) if any(cell_text(v) for v in r)]
    target = max(used[-1] if used else 1, 1) + 1
    values = _history_values(summary, now)
    column = {h: i for i, h in enumerate(header_row, start=1) if h}
    if not all(h in column for h in headers):
        column = {h: i for i, h in enumerate(headers, start=1)}
    out: list[object] = [None] * max(column.values())
    for key, header in HISTORY_COLUMNS:
        out[column[header] - 1] = values[key]
    blocks.append(Block(target, 1, (tuple(out),)))
    header_of = dict(HISTORY_COLUMNS)
    for key, style in _HISTORY_STYLES.items():
        c = column[header_of[key]]
        styles.append(Styled(target, c, target, c, style))
    return SheetSpec(SHEETS.HISTORY, tuple(blocks), clear=False, styles=tuple(styles))


def summary_writes(summary: Summary, ledger_sheet: str, history: Grid | None, *,
                   now: datetime) -> SheetWrites:
    """What 汇总进度 writes: 进度汇总 rewritten, a row appended to 进度历史, 进度汇总 shown."""
    return SheetWrites((summary_sheet(summary, ledger_sheet, now=now),
                        history_sheet(history, summary, now=now)), activate=SHEETS.SUMMARY)


# --- 公告 --------------------------------------------------------------------------------------
def notice_sheet(text: str) -> SheetSpec:
    """公告: one paragraph per row in column A, wrapped and printable one page wide."""
    lines = text.rstrip("\n").split("\n")
    return SheetSpec(SHEETS.NOTICE, (Block(1, 1, tuple((line,) for line in lines)),),
                     text_width=NOTICE_WIDTH)
