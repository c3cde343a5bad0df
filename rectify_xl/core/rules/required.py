"""RX2xx: required values (COLUMNS with required=True, required INFO_FIELDS)."""

from __future__ import annotations

from collections.abc import Iterator
from operator import attrgetter

from rectify_xl.core.findings import Severity
from rectify_xl.core.model import Measure
from rectify_xl.core.rules.context import LedgerContext
from rectify_xl.core.rules.registry import RuleHit, rule
from rectify_xl.core.schema import COLUMNS, INFO_FIELDS, SHEETS

# Measure attribute per required column key (the model names 整改措施 "text").
_ATTR = {"measure": "text"}


def _is_blank(m: Measure, key: str) -> bool:
    if key == "deadline":
        return m.deadline is None and not m.deadline_ongoing and not m.deadline_raw
    if key == "status":
        return not m.status_raw
    return not getattr(m, _ATTR.get(key, key))


@rule("RX201", Severity.ERROR, "必填项未填写", "第{row}行“{header}”未填写")
def required_column_blank(ctx: LedgerContext) -> Iterator[RuleHit]:
    # a column missing from the header is one RX102, not one finding per row
    keys = [c.key for c in COLUMNS if c.required and ctx.has_column(c.key)]
    if not keys:
        return
    measureless = ctx.measureless_problem_rows
    # every required value at once (a date is never false): a row with all of them set, the
    # usual case, is passed over without looking at each key (a big ledger has 10,000 rows);
    # "row" (never 0) keeps the result a tuple when one key is required
    get = attrgetter(*("status_raw" if k == "status" else _ATTR.get(k, k) for k in keys), "row")
    for m in ctx.ledger.measures:
        if m.row in measureless:
            continue  # a problem typed without any measure yet: one RX407, not a blank per cell
        if all(get(m)):
            continue
        for key in keys:
            if _is_blank(m, key):
                yield RuleHit(ctx.sheet, ctx.cell(key, m.row), m.row, {"header": ctx.header(key)})


@rule("RX202", Severity.ERROR, "基本信息未填写", "“{sheet}”中“{label}”未填写")
def required_info_blank(ctx: LedgerContext) -> Iterator[RuleHit]:
    info = ctx.ledger.info
    for f in INFO_FIELDS:  # the label is there, its value is blank
        if (f.required and f.key in info.cells and getattr(info, f.key) in (None, "")
                and f.key not in info.raw):
            yield RuleHit(ctx.info_sheet, info.cells[f.key], None, {"label": f.label})


@rule("RX112", Severity.WARNING, "基本信息缺少项目",
      "工作簿中找不到“{label}”（在“{sheet}”或台账标题中），公告中相应位置将显示待补标记，请补填")
def required_info_missing(ctx: LedgerContext) -> Iterator[RuleHit]:
    info = ctx.ledger.info
    if not info.cells:
        return  # no 基本信息 at all: one RX105
    for f in INFO_FIELDS:
        if f.required and f.key not in info.cells:
            yield RuleHit(SHEETS.INFO, None, None, {"label": f.label})
