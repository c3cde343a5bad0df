"""RX320–RX349 and RX430–RX469: the ledger's life after entry (issue 17).

验收 before 销号 (a 销号 without a recorded acceptance, an acceptance dated before completion) and
序时进度 (a measure behind schedule before its deadline, core.schedule).
"""

from __future__ import annotations

from collections.abc import Iterator

from rectify_xl.core.dates import format_cn, is_plausible
from rectify_xl.core.findings import Severity
from rectify_xl.core.rules.context import LedgerContext
from rectify_xl.core.rules.registry import RuleHit, rule
from rectify_xl.core.schedule import behind_schedule
from rectify_xl.core.schema import COLUMN_BY_KEY, Closure

_ACCEPT_HEADERS = "“" + COLUMN_BY_KEY["accept_by"].header + "”“" + COLUMN_BY_KEY["accept_date"].header + "”"


@rule("RX320", Severity.ERROR, "验收日期无法识别", "“{header}”的值“{value}”不是日期")
def accept_date_unreadable(ctx: LedgerContext) -> Iterator[RuleHit]:
    for m in ctx.ledger.measures:
        if m.accept_date_raw:
            yield RuleHit(ctx.sheet, ctx.cell("accept_date", m.row), m.row,
                          {"header": ctx.header("accept_date"), "value": m.accept_date_raw})


@rule("RX321", Severity.ERROR, "验收日期早于完成日期",
      "验收日期{value}早于完成日期{done_date}：应先完成整改，再组织验收")
def accepted_before_done(ctx: LedgerContext) -> Iterator[RuleHit]:
    for m in ctx.ledger.measures:
        a, d = m.accept_date, m.done_date
        if a and d and is_plausible(a) and is_plausible(d) and a < d:
            yield RuleHit(ctx.sheet, ctx.cell("accept_date", m.row), m.row,
                          {"value": format_cn(a), "done_date": format_cn(d)})


@rule("RX322", Severity.ERROR, "验收日期晚于统计截止日期",
      "验收日期{value}晚于统计截止日期{as_of}，尚未到来的日期不能作为验收日期")
def accepted_in_future(ctx: LedgerContext) -> Iterator[RuleHit]:
    for m in ctx.ledger.measures:
        if (a := m.accept_date) and is_plausible(a) and a > ctx.as_of:
            yield RuleHit(ctx.sheet, ctx.cell("accept_date", m.row), m.row,
                          {"value": format_cn(a), "as_of": format_cn(ctx.as_of)})


@rule("RX323", Severity.ERROR, "开始日期无法识别", "“{header}”的值“{value}”不是日期")
def start_date_unreadable(ctx: LedgerContext) -> Iterator[RuleHit]:
    for m in ctx.ledger.measures:
        if m.start_date_raw:
            yield RuleHit(ctx.sheet, ctx.cell("start_date", m.row), m.row,
                          {"header": ctx.header("start_date"), "value": m.start_date_raw})


def _starts_after(ctx: LedgerContext, key: str, placeholder: str) -> Iterator[RuleHit]:
    """Measures whose 开始日期 is later than their date ``key`` (deadline or done_date),
    named ``placeholder`` in the message."""
    for m in ctx.ledger.measures:
        s, d = m.start_date, getattr(m, key)
        if s and d and is_plausible(s) and is_plausible(d) and s > d:
            yield RuleHit(ctx.sheet, ctx.cell("start_date", m.row), m.row,
                          {"value": format_cn(s), placeholder: format_cn(d)})


@rule("RX324", Severity.ERROR, "开始日期晚于完成时限",
      "开始日期{value}晚于完成时限{deadline}，日期先后顺序不对")
def start_after_deadline(ctx: LedgerContext) -> Iterator[RuleHit]:
    return _starts_after(ctx, "deadline", "deadline")


@rule("RX313", Severity.ERROR, "开始日期晚于完成日期",
      "开始日期{value}晚于完成日期{done}，日期先后顺序不对")
def start_after_done(ctx: LedgerContext) -> Iterator[RuleHit]:
    return _starts_after(ctx, "done_date", "done")


@rule("RX325", Severity.ERROR, "完成进度无法识别",
      "“{header}”的值“{value}”不是0%至100%之间的百分比（如 60%）")
def percent_unreadable(ctx: LedgerContext) -> Iterator[RuleHit]:
    for m in ctx.ledger.measures:
        if m.percent_raw:
            yield RuleHit(ctx.sheet, ctx.cell("percent", m.row), m.row,
                          {"header": ctx.header("percent"), "value": m.percent_raw})


@rule("RX326", Severity.WARNING, "序时进度滞后",
      "时间已过{elapsed}（{start}至{deadline}），完成进度{progress}（{source}），"
      "滞后超过{margin}，请加快推进")
def behind(ctx: LedgerContext) -> Iterator[RuleHit]:
    margin = ctx.settings.schedule_margin
    for m, lag in behind_schedule(ctx.ledger, ctx.as_of, margin):
        yield RuleHit(ctx.sheet, ctx.cell("deadline", m.row), m.row, {
            "elapsed": _pct(lag.elapsed), "progress": _pct(lag.progress),
            "start": format_cn(lag.start), "deadline": format_cn(m.deadline),  # type: ignore[arg-type]
            "source": lag.progress_source, "margin": _pct(margin),
        })


@rule("RX430", Severity.ERROR, "销号前未验收",
      "整改状态为“{status}”，但未填写{headers}：应先验收，再销号")
def closed_without_acceptance(ctx: LedgerContext) -> Iterator[RuleHit]:
    if not (ctx.has_column("accept_by") or ctx.has_column("accept_date")):
        return  # RX431 reports the missing columns once
    for m in ctx.ledger.measures:
        if m.closure is not None and not m.is_accepted:
            yield RuleHit(ctx.sheet, ctx.cell("status", m.row), m.row,
                          {"status": m.status_raw, "headers": _ACCEPT_HEADERS})


@rule("RX431", Severity.WARNING, "使用了销号状态但没有验收列",
      "有{count}条措施的整改状态为“{status}”，但台账没有{headers}列，无法核对是否经过验收")
def closure_without_columns(ctx: LedgerContext) -> Iterator[RuleHit]:
    if ctx.has_column("accept_by") or ctx.has_column("accept_date"):
        return
    closed = [m for m in ctx.ledger.measures if m.closure is not None]
    if closed:
        yield RuleHit(ctx.sheet, ctx.cell("status", closed[0].row), closed[0].row, {
            "count": len(closed), "status": "、".join(dict.fromkeys(m.status_raw for m in closed)),
            "headers": _ACCEPT_HEADERS})


@rule("RX432", Severity.WARNING, "未完成的措施填了验收信息",
      "整改状态为“{status}”，却填写了验收信息；请核对整改状态（已验收的措施应为“"
      + Closure.ACCEPTED.value + "”或“" + Closure.CLOSED.value + "”）")
def accepted_but_open(ctx: LedgerContext) -> Iterator[RuleHit]:
    for m in ctx.ledger.measures:
        if m.status is not None and not m.is_done and m.is_accepted:
            key = "accept_date" if m.accept_date else "accept_by"
            yield RuleHit(ctx.sheet, ctx.cell(key, m.row), m.row, {"status": m.status_raw})


@rule("RX433", Severity.WARNING, "验收信息不全",
      "已填写{given}，但未填写“{missing}”")
def acceptance_incomplete(ctx: LedgerContext) -> Iterator[RuleHit]:
    if not (ctx.has_column("accept_by") and ctx.has_column("accept_date")):
        return
    for m in ctx.ledger.measures:
        if m.is_accepted and m.is_done and not m.accept_date_raw:
            if not m.accept_date:
                yield RuleHit(ctx.sheet, ctx.cell("accept_date", m.row), m.row, {
                    "given": "“" + ctx.header("accept_by") + "”", "missing": ctx.header("accept_date")})
            elif not m.accept_by:
                yield RuleHit(ctx.sheet, ctx.cell("accept_by", m.row), m.row, {
                    "given": "“" + ctx.header("accept_date") + "”", "missing": ctx.header("accept_by")})


def _pct(fraction: float) -> str:
    return f"{round(fraction * 100)}%"
