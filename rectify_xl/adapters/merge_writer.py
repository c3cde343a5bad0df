"""Write the consolidated workbook with XlsxWriter, formatted to be printed and forwarded.

Every text is written with write_string (never a live formula, whatever a unit typed), and the
workbook options switch off XlsxWriter's string → formula/URL/number guessing as a second guard.
The file is written to a temporary name in the target folder, then renamed (atomic).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from rectify_xl.core.consolidate import Consolidation, Rag, UnitRow, detail_rows
from rectify_xl.core.diff import LedgerDiff
from rectify_xl.core.schema import (
    COLUMNS,
    MERGE_CHANGES_COLUMNS,
    MERGE_FINDINGS_COLUMNS,
    MERGE_HEADERS_COLUMNS,
    MERGE_OVERDUE_COLUMNS,
    MERGE_ROSTER_COLUMNS,
    MERGE_SUMMARY_COLUMNS,
    MERGE_UNIT,
    SHEETS,
)
from rectify_xl.errors import LockedError, OutputError

__all__ = ["HeaderDiff", "write_consolidation"]

HeaderDiff = tuple[str, str, Sequence[str], Sequence[str], Sequence[str]]  # source, unit, lacks…
_FONT = "宋体"
_FILLS = {Rag.RED: "#FFC7CE", Rag.AMBER: "#FFEB9C", Rag.GREEN: "#C6EFCE"}
_BARS = {Rag.RED: "#C0504D", Rag.AMBER: "#F2B134", Rag.GREEN: "#6AA84F"}
_RATE_KEYS = {"completion_rate", "on_time_rate"}
_WIDTHS = {"unit": 22, "as_of": 12, "source": 30, "sha256": 36, "completion_rate": 9,
           "on_time_rate": 10}
_CHART_MAX_UNITS = 60  # a longer bar chart cannot be read on one page


class _Formats:
    def __init__(self, wb: Any) -> None:
        base = {"font_name": _FONT, "font_size": 10, "valign": "vcenter", "border": 1}
        self.title = wb.add_format({"font_name": _FONT, "font_size": 16, "bold": True,
                                    "align": "center", "valign": "vcenter"})
        self.note = wb.add_format({"font_name": _FONT, "font_size": 10, "italic": True})
        self.header = wb.add_format({**base, "bold": True, "bg_color": "#D9E1F2",
                                     "align": "center", "text_wrap": True})
        self.text = wb.add_format({**base, "text_wrap": True})
        self.int = wb.add_format({**base, "num_format": "0"})
        self.rate = wb.add_format({**base, "num_format": "0.0%"})
        self.date = wb.add_format({**base, "num_format": "yyyy-mm-dd", "align": "center"})
        self.plain_date = wb.add_format({"font_name": _FONT, "font_size": 10,
                                         "num_format": "yyyy-mm-dd"})
        self.fill = {rag: {
            "text": wb.add_format({**base, "bg_color": color, "text_wrap": True}),
            "int": wb.add_format({**base, "bg_color": color, "num_format": "0"}),
            "rate": wb.add_format({**base, "bg_color": color, "num_format": "0.0%"}),
            "date": wb.add_format({**base, "bg_color": color, "num_format": "yyyy-mm-dd",
                                   "align": "center"}),
            # a 64-digit hash: small and unwrapped, so rows keep one line when printed
            "hash": wb.add_format({**base, "bg_color": color, "font_size": 6}),
        } for rag, color in _FILLS.items()}
        self.total = {kind: wb.add_format({**base, "bold": True, "top": 2, **extra}) for kind, extra in {
            "text": {}, "int": {"num_format": "0"}, "rate": {"num_format": "0.0%"},
            "date": {"num_format": "yyyy-mm-dd"}, "hash": {}}.items()}


def _write(ws: Any, row: int, col: int, value: object, fmt: Any, fmts: _Formats) -> None:
    """One cell, typed: text is always a string cell (untrusted content is never a formula)."""
    if value is None or value == "":
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_string(row, col, "是" if value else "否", fmt)
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, fmt)
    elif isinstance(value, datetime | date):
        value = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
        ws.write_datetime(row, col, value, fmts.date if fmt is fmts.text else fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def _setup(ws: Any, headers: Sequence[str], widths: Sequence[float], fmts: _Formats,
           title: str | None = None) -> int:
    """Title, header row, print setup; returns the first data row (0-based)."""
    top = 0
    if title:
        ws.merge_range(0, 0, 0, len(headers) - 1, title, fmts.title)
        ws.set_row(0, 28)
        top = 1
    for c, (header, width) in enumerate(zip(headers, widths, strict=True)):
        ws.write_string(top, c, header, fmts.header)
        ws.set_column(c, c, width)
    ws.freeze_panes(top + 1, 1)
    ws.repeat_rows(top)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&C第 &P 页，共 &N 页")
    return top + 1


def _kind(key: str) -> str:
    if key in _RATE_KEYS:
        return "rate"
    if key == "as_of":
        return "date"
    if key == "sha256":
        return "hash"
    return "text" if key in ("unit", "source") else "int"


def _summary_sheet(wb: Any, fmts: _Formats, c: Consolidation) -> None:
    ws = wb.add_worksheet(SHEETS.MERGE_SUMMARY)
    headers = [h for _, h in MERGE_SUMMARY_COLUMNS]
    widths = [_WIDTHS.get(k, 8) for k, _ in MERGE_SUMMARY_COLUMNS]
    as_of = f"（截至{c.as_of.year}年{c.as_of.month}月{c.as_of.day}日）" if c.as_of else ""
    first = _setup(ws, headers, widths, fmts, f"巡察整改进展汇总表{as_of}")
    for r, row in enumerate(c.rows, start=first):
        fill = fmts.fill[row.rag]
        for col, (key, _) in enumerate(MERGE_SUMMARY_COLUMNS):
            _write(ws, r, col, row.value(key), fill[_kind(key)], fmts)
    total_row = first + len(c.rows)
    for col, (key, _) in enumerate(MERGE_SUMMARY_COLUMNS):
        _write(ws, total_row, col, c.total.value(key), fmts.total[_kind(key)], fmts)
    ws.write_string(total_row + 1, 0, "说明：红色为有逾期措施的单位，黄色为有临期措施的单位，"
                    "绿色为无逾期、临期措施的单位；按逾期项数、完成率由差到好排序。", fmts.note)
    if c.rows:  # below the table: the sheet prints one page wide
        _chart(wb, ws, c.rows, first, total_row + 3)


def _chart(wb: Any, ws: Any, rows: Sequence[UnitRow], first: int, at_row: int) -> None:
    n = min(len(rows), _CHART_MAX_UNITS)
    keys = [k for k, _ in MERGE_SUMMARY_COLUMNS]
    rate_col = keys.index("completion_rate")
    chart = wb.add_chart({"type": "bar"})
    chart.add_series({
        "name": "完成率",
        "categories": [SHEETS.MERGE_SUMMARY, first, 0, first + n - 1, 0],
        "values": [SHEETS.MERGE_SUMMARY, first, rate_col, first + n - 1, rate_col],
        "points": [{"fill": {"color": _BARS[r.rag]}} for r in rows[:n]],
        "data_labels": {"value": True, "num_format": "0%"},
    })
    more = f"（前{n}个单位）" if len(rows) > n else ""
    chart.set_title({"name": f"各单位整改完成率{more}", "name_font": {"name": _FONT, "size": 12}})
    chart.set_x_axis({"min": 0, "max": 1, "num_format": "0%", "major_gridlines": {"visible": True}})
    chart.set_y_axis({"reverse": True, "num_font": {"name": _FONT, "size": 9}})
    chart.set_legend({"none": True})
    chart.set_size({"width": 720, "height": max(260, 22 * n + 90)})
    ws.insert_chart(at_row, 0, chart)


def _plain_sheet(wb: Any, fmts: _Formats, name: str, headers: Sequence[str],
                 widths: Sequence[float], rows: Iterable[Sequence[object]],
                 empty: str = "（无）") -> Any:
    ws = wb.add_worksheet(name)
    first = _setup(ws, headers, widths, fmts)
    count = 0
    for count, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            _write(ws, first + count - 1, col, value, fmts.text, fmts)
    if not count:
        ws.write_string(first, 0, empty, fmts.text)
    ws.autofilter(first - 1, 0, first + max(count, 1) - 1, len(headers) - 1)
    return ws


def _detail_sheet(wb: Any, fmts: _Formats, c: Consolidation) -> None:
    ws = wb.add_worksheet(SHEETS.MERGE_DETAIL)
    headers = [MERGE_UNIT, *(col.header for col in COLUMNS)]
    widths = [_WIDTHS["unit"], *(col.width for col in COLUMNS)]
    first = _setup(ws, headers, widths, fmts)
    last = _write_plain_rows(ws, first, detail_rows(c.units), fmts.plain_date)
    # An Excel table gives staff filters and banding; header cells were written above.
    ws.add_table(first - 1, 0, max(last, first), len(headers) - 1, {
        "name": "明细表", "style": "Table Style Light 9", "autofilter": True,
        "columns": [{"header": h} for h in headers],
    })


def _write_plain_rows(ws: Any, first: int, rows: Iterable[Sequence[object]], date_fmt: Any) -> int:
    """The bulk of the workbook (every measure): no cell formats, empty cells skipped (speed)."""
    write_string, write_datetime = ws.write_string, ws.write_datetime
    r = first - 1
    for r, row in enumerate(rows, start=first):
        for col, value in enumerate(row):
            if value is None or value == "":
                continue
            if type(value) is str:
                write_string(r, col, value)
            elif isinstance(value, date) and not isinstance(value, datetime):
                write_datetime(r, col, datetime(value.year, value.month, value.day), date_fmt)
            else:
                write_string(r, col, str(value))
    return r


def _overdue_rows(c: Consolidation) -> Iterable[list[object]]:
    for unit, source, i in c.overdue():
        yield [unit, i.seq, i.aspect, i.problem, i.measure, i.leader, i.department,
               i.deadline, i.days, i.status, source]


def _change_rows(diffs: Sequence[tuple[str, LedgerDiff | None]]) -> Iterable[list[object]]:
    for unit, d in diffs:
        if d is None:
            yield [unit, "上轮汇总中无该单位", None, "", "", ""]
            continue
        if d.is_empty:
            yield [unit, "无变化", None, "", "", ""]
            continue
        for ch in d.changes:
            m = ch.measure
            yield [unit, "、".join(k.value for k in ch.kinds), m.row, m.problem, m.text,
                   ch.describe().split("：", 1)[-1] if ch.fields else ""]


def write_consolidation(path: Path, c: Consolidation, *, header_diffs: Sequence[HeaderDiff] = (),
                        changes: Sequence[tuple[str, LedgerDiff | None]] | None = None) -> Path:
    """Write all sheets to ``path`` atomically; refuse when the file is open in Excel/WPS."""
    path = Path(path)
    if (path.parent / f"~${path.name}").exists():
        raise LockedError(f"“{path.name}”正在 Excel 或 WPS 中打开，请先关闭后再汇总")
    if not path.parent.is_dir():
        raise OutputError(f"输出文件夹不存在：{path.parent}")
    fd, tmp_name = tempfile.mkstemp(prefix=".~rectify-", suffix=".xlsx", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        _write_book(tmp, c, header_diffs, changes)
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"无法写入“{path.name}”：{exc.strerror or exc}") from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return path


def _write_book(tmp: Path, c: Consolidation, header_diffs: Sequence[HeaderDiff],
                changes: Sequence[tuple[str, LedgerDiff | None]] | None) -> None:
    import xlsxwriter  # lazy: only merge writes with XlsxWriter

    wb = xlsxwriter.Workbook(str(tmp), {
        "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
    })
    fmts = _Formats(wb)
    _summary_sheet(wb, fmts, c)
    _detail_sheet(wb, fmts, c)
    _plain_sheet(wb, fmts, SHEETS.MERGE_OVERDUE, MERGE_OVERDUE_COLUMNS,
                 [18, 6, 16, 30, 30, 10, 12, 11, 8, 10, 24], _overdue_rows(c), "（无逾期措施）")
    roster = ([e.unit, e.state.value, e.as_of, e.source, e.note] for e in c.roster)
    _plain_sheet(wb, fmts, SHEETS.MERGE_ROSTER, MERGE_ROSTER_COLUMNS, [22, 16, 12, 30, 40],
                 roster, "（全部单位均已按时报送）")
    findings = ([unit, source, f.severity.label, f.code, f.location, f.message]
                for unit, source, f in c.findings())
    _plain_sheet(wb, fmts, SHEETS.MERGE_FINDINGS, MERGE_FINDINGS_COLUMNS, [20, 28, 6, 8, 14, 60],
                 findings, "（未发现问题）")
    heads = ([src, unit, "、".join(lacks), "、".join(extra), "、".join(aliased)]
             for src, unit, lacks, extra, aliased in header_diffs)
    _plain_sheet(wb, fmts, SHEETS.MERGE_HEADERS, MERGE_HEADERS_COLUMNS, [30, 20, 30, 30, 40],
                 heads, "（各文件表头均与模板一致）")
    if changes is not None:
        _plain_sheet(wb, fmts, SHEETS.MERGE_CHANGES, MERGE_CHANGES_COLUMNS, [20, 16, 6, 30, 30, 50],
                     _change_rows(changes), "（无变化）")
    wb.close()
