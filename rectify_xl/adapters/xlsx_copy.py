"""Copies of a ledger workbook written with openpyxl: macro-free for mail, annotated for download.

The user's file is only read. A copy keeps every value (formulas are frozen to the values Excel
last calculated, when it did), drops the VBA project, the buttons and the xlwings.conf sheet,
and keeps the 设置 sheet without any credential. Small functions, so the office server can
compose its "annotated copy" (offending cells filled + a 校验结果 sheet) from the same parts.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rectify_xl.adapters.files import write_bytes_atomic
from rectify_xl.core.findings import Finding, Report, Severity
from rectify_xl.core.schema import COLUMN_BY_KEY, RESULT_COLUMNS, SHEETS, Status
from rectify_xl.errors import InputError, OutputError

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from rectify_xl.core.model import Grid
    from rectify_xl.core.progress import GroupRow, ItemRow, Summary

__all__ = [
    "FILLS",
    "drop_macro_parts",
    "freeze_formulas",
    "highlight_findings",
    "load_copy",
    "macro_free_copy",
    "save_atomic",
    "scrub_settings",
    "summary_rows",
    "workbook_bytes",
    "write_findings_sheet",
    "write_rows",
    "write_summary_sheet",
]

# Excel's own "bad / neutral / note" fills, so the colours read as they do in Excel.
FILLS = {Severity.ERROR: "FFC7CE", Severity.WARNING: "FFEB9C", Severity.INFO: "DDEBF7"}
_HEADER_FILL = "D9E1F2"


def load_copy(path: str | Path, grids: dict[str, Grid] | None = None) -> Workbook:
    """The workbook in memory, macro-free, formulas replaced by their cached values."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    from rectify_xl.adapters.xlsx_reader import check_package, read_grids

    path = Path(path)
    check_package(path)
    if grids is None:  # first: the bounded reader refuses what openpyxl would choke on
        grids = read_grids(path)
    try:
        # keep_vba=False drops vbaProject.bin and the form buttons; keep_links=False the
        # external-link parts (paths on the sender's disk mean nothing to a superior).
        wb = load_workbook(path, keep_vba=False, keep_links=False, rich_text=False)
    except (InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise InputError(f"“{path.name}”无法打开：文件已损坏或不是有效的 Excel 工作簿") from exc
    freeze_formulas(wb, grids)
    return wb


def _set(cell: Any, value: object) -> None:
    """Assign a value; text that looks like a formula stays text (CWE-1236)."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def freeze_formulas(wb: Workbook, grids: dict[str, Grid]) -> None:
    """Formula cells take the value Excel/WPS cached; a formula never calculated stays a formula."""
    for ws in wb.worksheets:
        grid = grids.get(ws.title)
        if grid is None:
            continue
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                r, c = cell.row - 1, cell.column - 1
                cached = grid.rows[r][c] if r < len(grid.rows) and c < len(grid.rows[r]) else None
                if cached is not None:
                    _set(cell, cached)


def drop_macro_parts(wb: Workbook) -> None:
    """Remove the xlwings.conf sheet (interpreter paths, licence keys) and names pointing there."""
    name = SHEETS.XLWINGS_CONF
    if name in wb.sheetnames:
        wb.remove(wb[name])
    for defined in list(wb.defined_names):
        if name in str(wb.defined_names[defined].attr_text):
            del wb.defined_names[defined]


def scrub_settings(wb: Workbook) -> int:
    """Blank every 设置 row whose label names a credential (密码, 授权码, token...); count them."""
    from rectify_xl.adapters.settings import is_sensitive_label

    if SHEETS.SETTINGS not in wb.sheetnames:
        return 0
    ws = wb[SHEETS.SETTINGS]
    cleared = 0
    for row in ws.iter_rows():
        if row and is_sensitive_label(row[0].value):
            for cell in row[1:]:
                if cell.value is not None and type(cell).__name__ != "MergedCell":
                    cell.value = None
                    cleared += 1
    return cleared


def _bold_header(ws: Worksheet, row: int, width: int) -> None:
    from openpyxl.styles import Font, PatternFill

    for col in range(1, width + 1):
        cell = ws.cell(row, col)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)


def write_rows(ws: Worksheet, rows: Iterable[Sequence[object]], *, start: int = 1,
               header_rows: Iterable[int] = ()) -> int:
    """Write rows as values (strings stay strings); bold the given rows; return the next row."""
    r = start - 1
    for r, values in enumerate(rows, start=start):
        for c, value in enumerate(values, start=1):
            if value is not None and value != "":
                _set(ws.cell(r, c), value)
    for h in header_rows:
        _bold_header(ws, h, ws.max_column)
    return r + 1


def _replace_sheet(wb: Workbook, name: str, *, before: str | None = None) -> Worksheet:
    """An empty sheet called name, at the place of the old one (or before `before`, or last)."""
    index = None
    if name in wb.sheetnames:
        index = wb.sheetnames.index(name)
        wb.remove(wb[name])
    elif before and before in wb.sheetnames:
        index = wb.sheetnames.index(before) + 1
    return wb.create_sheet(name, index)


def _item_rows(title: str, items: Sequence[ItemRow], days_label: str) -> list[list[object]]:
    keys = ("seq", "aspect", "problem", "measure", "leader", "department", "deadline", "status")
    rows: list[list[object]] = [[title], ["行号", *(COLUMN_BY_KEY[k].header for k in keys), days_label]]
    rows += [[i.row, i.seq, i.aspect, i.problem, i.measure, i.leader, i.department, i.deadline,
              i.status, i.days] for i in items] or [["无"]]
    return rows


def _group_rows(title: str, groups: Sequence[GroupRow]) -> list[list[object]]:
    from rectify_xl.core.progress import format_rate

    header: list[object] = ["名称", "措施数", *(s.value for s in Status), "逾期", "完成率"]
    rows: list[list[object]] = [[title], header]
    rows += [[g.name, g.measures, g.done, g.ongoing, g.in_progress, g.overdue, format_rate(g.rate)]
             for g in groups] or [["无"]]
    return rows


def summary_rows(summary: Summary) -> tuple[list[list[object]], list[int]]:
    """The 进度汇总 sheet as rows, and the 1-based numbers of its header rows."""
    rows: list[list[object]] = [["项目", "数值"]]
    rows += [[label, value] for label, value in summary.headline()]
    headers = [1]
    blocks = [
        _item_rows(f"逾期措施（{len(summary.overdue)}项）", summary.overdue, "逾期天数"),
        _item_rows(f"临期措施（{summary.due_days}天内到期，{len(summary.due_soon)}项）",
                   summary.due_soon, "剩余天数"),
        _group_rows("按方面", summary.by_aspect),
        _group_rows("按责任领导", summary.by_leader),
        _group_rows("按责任部门", summary.by_department),
    ]
    for block in blocks:
        rows.append([])
        headers += [len(rows) + 1, len(rows) + 2]
        rows += block
    return rows, headers


def write_summary_sheet(wb: Workbook, summary: Summary) -> Worksheet:
    """Add or refresh 进度汇总 (after 整改清单 when it is new)."""
    ws = _replace_sheet(wb, SHEETS.SUMMARY, before=SHEETS.LEDGER)
    rows, headers = summary_rows(summary)
    write_rows(ws, rows, header_rows=headers)
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, date | datetime):
                cell.number_format = "yyyy-mm-dd"
    for letter, width in zip("ABCDEFGHIJ", (16, 10, 16, 30, 30, 10, 12, 12, 10, 10), strict=True):
        ws.column_dimensions[letter].width = width
    return ws


def write_findings_sheet(wb: Workbook, report: Report) -> Worksheet:
    """Add or refresh 校验结果: one row per finding (级别, 代码, 位置, 说明)."""
    ws = _replace_sheet(wb, SHEETS.RESULTS)
    rows: list[list[object]] = [list(RESULT_COLUMNS)]
    rows += [[f.severity.label, f.code, f.location, f.message] for f in report.by_severity()]
    if len(rows) == 1:
        rows.append(["", "", "", "未发现问题"])
    write_rows(ws, rows, header_rows=[1])
    for letter, width in zip("ABCD", (8, 10, 18, 80), strict=True):
        ws.column_dimensions[letter].width = width
    return ws


def highlight_findings(wb: Workbook, report: Report) -> int:
    """Fill each cell a finding names (worst severity wins) and note the messages; count cells."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    by_cell: dict[tuple[str, str], list[Finding]] = {}
    for f in report.findings:
        if f.cell and f.sheet in wb.sheetnames:
            by_cell.setdefault((f.sheet, f.cell), []).append(f)
    for (sheet, ref), found in by_cell.items():
        worst = min(found, key=lambda f: list(Severity).index(f.severity)).severity
        try:
            cell = wb[sheet][ref]
        except (ValueError, KeyError):
            continue  # a finding's cell outside the sheet grammar: the 校验结果 sheet still lists it
        cell.fill = PatternFill("solid", fgColor=FILLS[worst])
        text = "\n".join(f"[{f.code}] {f.message}" for f in found)
        cell.comment = Comment(text, "rectify-xl", width=320, height=120)
    return len(by_cell)


def workbook_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def save_atomic(wb: Workbook, path: str | Path) -> Path:
    """Save to a temp file in the same folder, then rename over the target; never half a file."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise OutputError(f"副本应保存为 .xlsx 文件，而不是“{path.name}”")
    return write_bytes_atomic(path, workbook_bytes(wb))


def macro_free_copy(path: str | Path, summary: Summary | None = None,
                    grids: dict[str, Grid] | None = None) -> Workbook:
    """What is mailed upward: values intact, 进度汇总 fresh, no macros, no credentials."""
    wb = load_copy(path, grids)
    drop_macro_parts(wb)
    scrub_settings(wb)
    if summary is not None:
        write_summary_sheet(wb, summary)
    return wb
