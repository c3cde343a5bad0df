"""RX3xx: dates and deadlines (readable, plausible, in order, overdue, due soon)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from itertools import pairwise

from rectify_xl.core.dates import format_cn, is_plausible
from rectify_xl.core.findings import Severity
from rectify_xl.core.rules.context import LedgerContext
from rectify_xl.core.rules.registry import RuleHit, rule
from rectify_xl.core.schema import DEADLINE_ONGOING, INFO_FIELDS, SHEETS, Status

_INFO_DATES = tuple(f.key for f in INFO_FIELDS if f.kind == "date")
# start <= end <= feedback_date <= as_of (统计截止日期)
_INFO_ORDER = ("start", "end", "feedback_date", "as_of")


def _plausible(d: date | None) -> date | None:
    """The date if it can be compared (RX304 reports the implausible ones), else None."""
    return d if d is not None and is_plausible(d) else None


@rule("RX301", Severity.ERROR, "完成时限无法识别",
      "“{header}”的值“{value}”不是日期，也不是“" + DEADLINE_ONGOING + "”")
def deadline_unreadable(ctx: LedgerContext) -> Iterator[RuleHit]:
    for m in ctx.ledger.measures:
        if m.deadline_raw:
            yield RuleHit(ctx.sheet, ctx.cell("deadline", m.row), m.row,
                          {"header": ctx.header("deadline"), "value": m.deadline_raw})


@rule("RX311", Severity.INFO, "完成时限按用语计算",
      "“{header}”的值“{value}”按{reading}计算")
def deadline_in_words(ctx: LedgerContext) -> Iterator[RuleHit]:
    for m in ctx.ledger.measures:
        if m.deadline_words:
            reading = (format_cn(m.deadline) if m.deadline else "“" + DEADLINE_ONGOING + "”")
            yield RuleHit(ctx.sheet, ctx.cell("deadline", m.row), m.row,
                          {"header": ctx.header("deadline"), "value": m.deadline_words,
                           "reading": reading})


@rule("RX302", Severity.ERROR, "完成日期无法识别", "“{header}”的值“{value}”不是日期")
def done_date_unreadable(ctx: LedgerContext) -> Iterator[RuleHit]:
    for m in ctx.ledger.measures:
        if m.done_date_raw:
            yield RuleHit(ctx.sheet, ctx.cell("done_date", m.row), m.row,
                          {"header": ctx.header("done_date"), "value": m.done_date_raw})


@rule("RX303", Severity.ERROR, "基本信息日期无法识别", "“{label}”的值“{value}”不是日期")
def info_date_unreadable(ctx: LedgerContext) -> Iterator[RuleHit]:
    for key in _INFO_DATES:
        value = ctx.ledger.info.raw.get(key)
        if value:
            yield RuleHit(SHEETS.INFO, ctx.info_cell(key), None,
                          {"label": ctx.label(key), "value": value})


@rule("RX304", Severity.ERROR, "日期不合理",
      "“{header}”的日期{value}不合理（年份应在2000年至2100年之间），可能是输入错误")
def implausible_date(ctx: LedgerContext) -> Iterator[RuleHit]:
    info = ctx.ledger.info
    for key in _INFO_DATES:
        d = getattr(info, key)
        if d is not None and not is_plausible(d):
            yield RuleHit(SHEETS.INFO, ctx.info_cell(key), None,
                          {"header": ctx.label(key), "value": format_cn(d)})
    for m in ctx.ledger.measures:
        for key, d in (("deadline", m.deadline), ("done_date", m.done_date)):
            if d is not None and not is_plausible(d):
                yield RuleHit(ctx.sheet, ctx.cell(key, m.row), m.row,
                              {"header": ctx.header(key), "value": format_cn(d)})


@rule("RX305", Severity.ERROR, "基本信息日期先后颠倒",
      "“{label}”（{value}）早于“{earlier_label}”（{earlier_value}），日期先后顺序不对")
def info_dates_out_of_order(ctx: LedgerContext) -> Iterator[RuleHit]:
    info = ctx.ledger.info
    present = [(k, d) for k in _INFO_ORDER if (d := _plausible(getattr(info, k)))]
    for (k1, d1), (k2, d2) in pairwise(present):
        if d2 < d1:
            yield RuleHit(SHEETS.INFO, ctx.info_cell(k2), None, {
                "label": ctx.label(k2), "value": format_cn(d2),
                "earlier_label": ctx.label(k1), "earlier_value": format_cn(d1),
            })


@rule("RX306", Severity.ERROR, "完成时限早于反馈日期",
      "完成时限{value}早于巡察反馈日期{feedback_date}，可能是输入错误")
def deadline_before_feedback(ctx: LedgerContext) -> Iterator[RuleHit]:
    feedback = _plausible(ctx.ledger.info.feedback_date)
    if feedback is None:
        return
    for m in ctx.ledger.measures:
        if (d := _plausible(m.deadline)) and d < feedback:
            yield RuleHit(ctx.sheet, ctx.cell("deadline", m.row), m.row,
                          {"value": format_cn(d), "feedback_date": format_cn(feedback)})


_FAR_YEARS = 5  # rectification runs months to two or three years; 2031 for 2021 is a typed year


@rule("RX330", Severity.WARNING, "完成时限过远",
      "完成时限{value}比{since_label}{since}晚{years}年以上，整改时限一般在一两年内，"
      "可能是年份输入错误；长期坚持的措施请写“长期坚持”")
def deadline_far_off(ctx: LedgerContext) -> Iterator[RuleHit]:
    """A deadline more than five years after the feedback (or, without one, the cut-off date):
    one mistyped digit of the year (2031 for 2021) that no other date rule sees."""
    feedback = _plausible(ctx.ledger.info.feedback_date)
    since, label = (feedback, "巡察反馈日期") if feedback else (ctx.as_of, "统计截止日期")
    try:
        limit = since.replace(year=since.year + _FAR_YEARS)
    except ValueError:  # 29 February
        limit = since.replace(year=since.year + _FAR_YEARS, day=28)
    for m in ctx.ledger.measures:
        if (d := _plausible(m.deadline)) and d > limit:
            yield RuleHit(ctx.sheet, ctx.cell("deadline", m.row), m.row, {
                "value": format_cn(d), "since_label": label, "since": format_cn(since),
                "years": _FAR_YEARS})


@rule("RX307", Severity.ERROR, "完成日期晚于统计截止日期",
      "完成日期{value}晚于统计截止日期{as_of}，尚未到来的日期不能作为完成日期")
def done_date_in_future(ctx: LedgerContext) -> Iterator[RuleHit]:
    for m in ctx.ledger.measures:
        if (d := _plausible(m.done_date)) and d > ctx.as_of:
            yield RuleHit(ctx.sheet, ctx.cell("done_date", m.row), m.row,
                          {"value": format_cn(d), "as_of": format_cn(ctx.as_of)})


_BEFORE_FEEDBACK_DAYS = 183  # 巡察 with its report takes months, not half a year before feedback


@rule("RX312", Severity.ERROR, "完成日期早于巡察",
      "完成日期{value}早于{when}，整改不会在巡察之前完成，可能是年份输入错误")
def done_before_inspection(ctx: LedgerContext) -> Iterator[RuleHit]:
    """A problem the 巡察 found cannot be fixed before the 巡察 began (立行立改 during the
    巡察 is later than its start). Without 巡察时间, half a year before the feedback date."""
    info = ctx.ledger.info
    if (start := _plausible(info.start)) is not None:
        limit, when = start, f"巡察开始日期{format_cn(start)}"
    elif (feedback := _plausible(info.feedback_date)) is not None:
        limit = date.fromordinal(feedback.toordinal() - _BEFORE_FEEDBACK_DAYS)
        when = f"巡察反馈日期{format_cn(feedback)}半年以上"
    else:
        return
    for m in ctx.ledger.measures:
        if (d := _plausible(m.done_date)) and d < limit:
            yield RuleHit(ctx.sheet, ctx.cell("done_date", m.row), m.row,
                          {"value": format_cn(d), "when": when})


@rule("RX308", Severity.WARNING, "未完成的措施填了完成日期",
      "整改状态为“{status}”，却填写了完成日期{value}；请核对状态或删除完成日期")
def done_date_but_unfinished(ctx: LedgerContext) -> Iterator[RuleHit]:
    for m in ctx.ledger.measures:
        if m.status is Status.IN_PROGRESS and m.done_date is not None:
            yield RuleHit(ctx.sheet, ctx.cell("done_date", m.row), m.row,
                          {"status": m.status_raw, "value": format_cn(m.done_date)})


@rule("RX309", Severity.WARNING, "已超期",
      "完成时限为{deadline}，截至{as_of}已超期{days}天，整改状态为“{status}”")
def overdue(ctx: LedgerContext) -> Iterator[RuleHit]:
    for m in ctx.ledger.measures:
        if (d := _plausible(m.deadline)) and m.is_overdue(ctx.as_of):
            yield RuleHit(ctx.sheet, ctx.cell("deadline", m.row), m.row, {
                "deadline": format_cn(d), "as_of": format_cn(ctx.as_of),
                "days": m.days_overdue(ctx.as_of), "status": m.status_raw or "未填写",
            })


@rule("RX310", Severity.INFO, "即将到期",
      "完成时限为{deadline}，距{as_of}还有{days}天，尚未完成")
def due_soon(ctx: LedgerContext) -> Iterator[RuleHit]:
    for m in ctx.ledger.measures:
        if (d := _plausible(m.deadline)) and m.is_due_soon(ctx.as_of, ctx.due_days):
            yield RuleHit(ctx.sheet, ctx.cell("deadline", m.row), m.row, {
                "deadline": format_cn(d), "as_of": format_cn(ctx.as_of),
                "days": (d - ctx.as_of).days,
            })
