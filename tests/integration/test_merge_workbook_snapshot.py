"""What a user sees in the consolidated workbook of a representative merge, frozen (issue 12).

Every sheet's values, column widths, row heights, fonts, fills, borders, alignments and number
formats by cell, merged ranges, freeze panes, filters, tables, print set-up, hyperlinks, data
validation, and the charts' XML (kind, series ranges, point colours, titles) are compared with
``tests/data/snapshots/merge_workbook.json``. A change of layout must be deliberate: regenerate
with ``RX_UPDATE_SNAPSHOTS=1`` and say in the commit why the new layout is better.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from rectify_xl.adapters.merge_writer import ConsolidationWriter
from rectify_xl.core.consolidate import FailedFile, UnitFile, consolidate
from rectify_xl.core.diff import diff_ledgers
from rectify_xl.core.findings import Finding, Report, Severity
from rectify_xl.core.progress import summarize
from rectify_xl.core.records import ledger_from_records
from tests.merge_helpers import AS_OF, unit_records

SNAPSHOT = Path(__file__).parents[1] / "data" / "snapshots" / "merge_workbook.json"


def _unit(unit: str, *, source: str | None = None, mtime: float = 0.0, **kwargs: object
          ) -> UnitFile:
    ledger = ledger_from_records(unit_records(unit, **kwargs))  # type: ignore[arg-type]
    findings = [Finding("RX201", Severity.ERROR, "整改清单", "E3", "缺少责任领导"),
                Finding("RX301", Severity.WARNING, "整改清单", "H4", "完成时限早于统计截止日期")]
    return UnitFile(source or f"{unit}.xlsx", f"{len(unit):064x}", mtime, ledger,
                    summarize(ledger, as_of=AS_OF), Report.build(source or unit, findings))


def write_representative(path: Path) -> Path:
    """A round of five units (one superseded file, one unreadable, one missing), every sheet."""
    units = [
        _unit("县委办", overdue=2, due_soon=1),
        _unit("县司法局", problems=4, done=8, overdue=0),
        _unit("县财政局", source="九月/县财政局.xlsx", mtime=1.0, as_of=date(2021, 9, 30)),
        _unit("县财政局", source="十月/县财政局.xlsx", mtime=2.0),
        _unit("县医保局", overdue=1, due_soon=2, as_of=None),
        _unit("县档案馆", overdue=0, done=6),
    ]
    c = consolidate(units, [FailedFile("坏文件.xlsx", "文件已损坏，无法打开")],
                    expected=["县委办", "县司法局", "县财政局", "县医保局", "县档案馆", "县统计局"])
    old = ledger_from_records(unit_records("县委办", overdue=1))
    changes = [("县委办", diff_ledgers(old, units[0].ledger)), ("县司法局", "上一轮无此单位"),
               ("县档案馆", diff_ledgers(units[5].ledger, units[5].ledger))]
    diffs = [("县医保局.xlsx", "县医保局", ["备注"], ["自加列"], ["整改措施（具体）→整改措施"])]
    chase_log = [["催报时间", "单位", "情况", "第几次", "方式", "收件人", "结果", "本轮统计截止日期"],
                 ["2021-10-25 09:00", "县统计局", "未报送", 1, "邮件", "tj@example.org", "已发送",
                  "2021-10-31"]]
    with ConsolidationWriter(path) as book:
        for u in units:
            book.add_detail(u)
        book.finish(c, header_diffs=diffs, changes=changes, chase_log=chase_log)
    return path


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _colour(c: Any) -> str | None:
    if c is None:
        return None
    if c.type == "rgb" and isinstance(c.rgb, str):
        return c.rgb
    if c.type == "theme":
        return f"theme{c.theme}"
    if c.type == "indexed":
        return f"indexed{c.indexed}"
    return None


def _style(obj: Any) -> dict[str, Any]:
    f, a, b = obj.font, obj.alignment, obj.border
    fill = obj.fill
    return {
        "font": [f.name, f.sz, bool(f.b), bool(f.i), _colour(f.color)],
        "fill": _colour(fill.fgColor) if fill is not None and fill.fill_type == "solid" else None,
        "number_format": obj.number_format,
        "align": [a.horizontal, a.vertical, bool(a.wrap_text)],
        "border": [[s.style, _colour(s.color)] if s is not None and s.style else None
                   for s in (b.left, b.right, b.top, b.bottom)],
    }


def _sheet(ws: Any) -> dict[str, Any]:
    styles: dict[str, int] = {}
    cells = {}

    def style_id(obj: Any) -> int:
        key = json.dumps(_style(obj), ensure_ascii=False, sort_keys=True)
        return styles.setdefault(key, len(styles))

    for row in ws.iter_rows():
        for cell in row:
            if type(cell).__name__ == "MergedCell":
                continue
            sid = style_id(cell)
            entry: list[Any] = [_jsonable(cell.value), sid]
            if cell.hyperlink is not None:
                entry.append([cell.hyperlink.location, cell.hyperlink.target, cell.hyperlink.tooltip])
            if cell.value is not None or sid != 0 or cell.hyperlink is not None:
                cells[cell.coordinate] = entry
    ps, m = ws.page_setup, ws.page_margins
    return {
        "state": ws.sheet_state,
        "cells": cells,
        "styles": {i: json.loads(k) for k, i in styles.items()},
        "columns": {k: [d.width, d.min, d.max, style_id(d)] for k, d in sorted(ws.column_dimensions.items())
                    if d.width or d.customWidth},
        "rows": {r: d.height for r, d in sorted(ws.row_dimensions.items()) if d.height},
        "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "freeze": ws.freeze_panes,
        "autofilter": ws.auto_filter.ref,
        "tables": sorted([t.name, t.ref, t.tableStyleInfo.name if t.tableStyleInfo else None,
                          [c.name for c in t.tableColumns]] for t in ws.tables.values()),
        "validation": sorted([dv.type, dv.formula1, str(dv.sqref)]
                             for dv in ws.data_validations.dataValidation),
        "print": {
            "orientation": ps.orientation, "paper": ps.paperSize, "fit": [ps.fitToWidth, ps.fitToHeight],
            "fit_to_page": ws.sheet_properties.pageSetUpPr.fitToPage
            if ws.sheet_properties.pageSetUpPr else None,
            "margins": [m.left, m.right, m.top, m.bottom],
            "titles": ws.print_title_rows, "area": ws.print_area,
            "footer": ws.oddFooter.center.text, "centred": ws.print_options.horizontalCentered,
        },
    }


def _charts(path: Path) -> dict[str, str]:
    """Chart and drawing parts, as XlsxWriter wrote them (sheet names resolved by position)."""
    with zipfile.ZipFile(path) as z:
        return {name: re.sub(r"\s+", " ", z.read(name).decode())
                for name in sorted(z.namelist())
                if (name.startswith(("xl/charts/", "xl/drawings/")) and name.endswith(".xml"))
                or name.startswith("xl/worksheets/_rels/")}


def snapshot(path: Path) -> dict[str, Any]:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    return {"sheets": wb.sheetnames, "active": wb.active.title if wb.active else None,
            **{f"sheet:{ws.title}": _sheet(ws) for ws in wb.worksheets}, "charts": _charts(path)}


def test_consolidated_workbook_looks_as_frozen(tmp_path: Path) -> None:
    got = json.loads(json.dumps(snapshot(write_representative(tmp_path / "汇总.xlsx")),
                                ensure_ascii=False, default=str))
    if os.environ.get("RX_UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(json.dumps(got, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                            encoding="utf-8")
    want = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert got["sheets"] == want["sheets"]
    for key in want:  # one sheet at a time, so a failure names the sheet
        if key.startswith("sheet:"):
            for part in want[key]:
                assert got[key][part] == want[key][part], (key, part)
    assert got["charts"] == want["charts"]
    assert got == want
