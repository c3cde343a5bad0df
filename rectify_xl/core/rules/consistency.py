"""RX4xx: consistency of the rows (status words, closed items, numbering, duplicates)."""

from __future__ import annotations

from collections.abc import Iterator

from rectify_xl.core.aliases import status_form
from rectify_xl.core.findings import Severity
from rectify_xl.core.rules.context import LedgerContext
from rectify_xl.core.rules.registry import RuleHit, rule
from rectify_xl.core.schema import SHEETS, STATUS_CHOICES, STATUS_SYNONYMS, Status
from rectify_xl.core.status_words import infer_status, leading_clause
from rectify_xl.core.textcheck import shorten

_ALLOWED = "、".join(STATUS_CHOICES)
_STANDARD = frozenset(STATUS_CHOICES)  # 已验收 / 已销号 are standard words (issue 17)


@rule("RX401", Severity.ERROR, "整改状态不在允许范围",
      "整改状态“{value}”无法识别，应为{allowed}之一")
def unknown_status(ctx: LedgerContext) -> Iterator[RuleHit]:
    if _from_progress(ctx) or ctx.ledger.layout.marks:
        return  # RX115 / RX119 say it for a state read from 整改落实情况 / from ticks
    for m in ctx.ledger.measures:
        if m.status_raw and m.status is None:
            yield RuleHit(ctx.sheet, ctx.cell("status", m.row), m.row,
                          {"value": _shown(ctx, m.status_raw), "allowed": _ALLOWED})


@rule("RX115", Severity.ERROR, "整改落实情况看不出整改状态",
      "台账没有整改状态列，“{value}”的开头看不出整改状态；请在开头写明“已完成”“正在推进”等，"
      "或增加“整改状态”列")
def state_not_said(ctx: LedgerContext) -> Iterator[RuleHit]:
    if not _from_progress(ctx):
        return
    for m in ctx.ledger.measures:
        if m.status_raw and m.status is None:
            yield RuleHit(ctx.sheet, ctx.cell("status", m.row), m.row,
                          {"value": _shown(ctx, m.status_raw)})


def _from_progress(ctx: LedgerContext) -> bool:
    return ctx.ledger.layout.derived.get("status") == "progress"


_OPPOSITE = {Status.DONE: Status.IN_PROGRESS, Status.IN_PROGRESS: Status.DONE}
_UNREAD = object()  # a text not looked at yet (None is "states no state")


@rule("RX410", Severity.WARNING, "整改状态与整改落实情况不一致",
      "整改状态为“{status}”，但{header}开头写的是“{said}”；请核对哪一个是对的")
def status_contradicts_progress(ctx: LedgerContext) -> Iterator[RuleHit]:
    """已完成 beside 目前正在推进中…, or 正在推进 beside 已全部整改到位…: the 整改落实情况
    states the other state in its leading words (core.status_words; a narrative that starts
    with a step, 召开专题会议…, states none and is left alone)."""
    if _from_progress(ctx) or ctx.ledger.layout.marks or not ctx.has_column("progress"):
        return
    header = ctx.header("progress")
    stated: dict[str, Status | None] = {}  # by text: a column repeats its texts (已按要求完成整改)
    for m in ctx.ledger.measures:
        if m.status not in _OPPOSITE or not m.progress:
            continue
        said = stated.get(m.progress, _UNREAD)
        if said is _UNREAD:
            said = stated[m.progress] = infer_status(leading_clause(m.progress))
        if said is _OPPOSITE[m.status]:
            yield RuleHit(ctx.sheet, ctx.cell("status", m.row), m.row, {
                "status": m.status_raw, "header": header,
                "said": leading_clause(m.progress) or m.progress[:_SHOWN]})


@rule("RX414", Severity.WARNING, "整改状态与完成进度不一致",
      "整改状态为“{status}”，但{header}为{value}；请核对哪一个是对的")
def status_contradicts_percent(ctx: LedgerContext) -> Iterator[RuleHit]:
    """已完成 beside 60%, or 正在推进 beside 100%: one of the two cells is wrong, and the
    counts follow the state. 长期坚持 and 基本完成 go with any percentage. (A state read from
    the percentage itself, RX110, agrees with it by construction.)"""
    if not ctx.has_column("percent"):
        return
    header = ctx.header("percent")
    for m in ctx.ledger.measures:
        if m.percent is None:
            continue
        full = m.percent >= 1 - 1e-9
        if (m.status is Status.DONE and not full) or (m.status is Status.IN_PROGRESS and full):
            yield RuleHit(ctx.sheet, ctx.cell("status", m.row), m.row, {
                "status": m.status_raw, "header": header, "value": f"{m.percent * 100:.4g}%"})


@rule("RX402", Severity.INFO, "整改状态用词不规范",
      "整改状态“{value}”已按“{standard}”处理，建议改为规范用语“{standard}”")
def status_synonym(ctx: LedgerContext) -> Iterator[RuleHit]:
    if _from_progress(ctx):
        return  # a narrative is not a status word to standardise (RX114 says how it is read)
    for m in ctx.ledger.measures:
        if m.status is not None and m.status_raw not in _STANDARD and not _inferred(m.status_raw):
            yield RuleHit(ctx.sheet, ctx.cell("status", m.row), m.row,
                          {"value": _shown(ctx, m.status_raw), "standard": m.status.value})


@rule("RX409", Severity.WARNING, "整改状态按用语推断",
      "整改状态“{value}”按其中的用语计为“{standard}”，请核对；规范写法为“{standard}”")
def status_inferred(ctx: LedgerContext) -> Iterator[RuleHit]:
    progress = _from_progress(ctx)
    for m in ctx.ledger.measures:
        if m.status is None or m.status_raw in _STANDARD:
            continue
        if progress and _said_first(m.status_raw):
            continue  # "已完成。……": the state is written out, nothing was guessed
        if _inferred(m.status_raw):
            yield RuleHit(ctx.sheet, ctx.cell("status", m.row), m.row,
                          {"value": _shown(ctx, m.status_raw), "standard": m.status.value})


def _said_first(raw: str) -> bool:
    first = leading_clause(raw)
    return first in _STANDARD or first in STATUS_SYNONYMS


def _inferred(raw: str) -> bool:
    """Read by core.status_words (its words), not found in a table of status words."""
    return status_form(raw) not in STATUS_SYNONYMS and infer_status(raw) is not None


def _shown(ctx: LedgerContext, raw: str) -> str:
    """The words a state was read from: a 整改落实情况 cell (RX114) by its leading clause."""
    if ctx.ledger.layout.derived.get("status") == "progress":
        return leading_clause(raw) or raw[:_SHOWN]
    return raw if len(raw) <= _SHOWN else raw[:_SHOWN] + "…"


_SHOWN = 24  # characters of a long cell quoted in a message


@rule("RX403", Severity.ERROR, "已完成的措施缺少完成日期",
      "整改状态为“{status}”，但未填写完成日期")
def closed_without_date(ctx: LedgerContext) -> Iterator[RuleHit]:
    if not ctx.has_column("done_date"):
        return  # the missing column is one RX101
    for m in ctx.ledger.measures:
        if m.is_done and m.done_date is None and not m.done_date_raw:
            yield RuleHit(ctx.sheet, ctx.cell("done_date", m.row), m.row,
                          {"status": m.status_raw})


@rule("RX404", Severity.ERROR, "已完成的措施缺少整改落实情况",
      "整改状态为“{status}”，但未填写整改落实情况（公告按它逐条写“一是、二是”）")
def closed_without_progress(ctx: LedgerContext) -> Iterator[RuleHit]:
    if not ctx.has_column("progress"):
        return
    for m in ctx.ledger.measures:
        if m.is_done and not m.progress:
            yield RuleHit(ctx.sheet, ctx.cell("progress", m.row), m.row,
                          {"status": m.status_raw})


@rule("RX405", Severity.ERROR, "序号重复", "序号“{value}”与第{first_row}行重复")
def duplicate_seq(ctx: LedgerContext) -> Iterator[RuleHit]:
    first: dict[str, int] = {}
    for m in ctx.ledger.measures:
        if not m.seq:
            continue
        if m.seq in first:
            yield RuleHit(ctx.sheet, ctx.cell("seq", m.row), m.row,
                          {"value": m.seq, "first_row": first[m.seq]})
        else:
            first[m.seq] = m.row


@rule("RX406", Severity.ERROR, "整改措施重复录入",
      "与第{first_row}行是同一具体问题下的同一条整改措施，疑为重复录入")
def duplicate_measure(ctx: LedgerContext) -> Iterator[RuleHit]:
    first: dict[tuple[str, str], int] = {}
    problems: dict[str, str] = {}  # a problem repeats on each of its measure rows
    for m in ctx.ledger.measures:
        if not m.text:
            continue
        problem = problems.get(m.problem)
        if problem is None:
            problem = problems[m.problem] = "".join(m.problem.split())
        # str.split() drops exactly what re's \s matches (Py_UNICODE_ISSPACE), 5x as fast
        key = (problem, "".join(m.text.split()))
        if key in first:
            yield RuleHit(ctx.sheet, ctx.cell("measure", m.row), m.row, {"first_row": first[key]})
        else:
            first[key] = m.row


@rule("RX407", Severity.ERROR, "具体问题没有整改措施",
      "具体问题“{problem}”（共{rows}行）没有填写任何整改措施")
def problem_without_measure(ctx: LedgerContext) -> Iterator[RuleHit]:
    for p in ctx.ledger.problems:
        if not any(m.text for m in p.measures):
            yield RuleHit(ctx.sheet, ctx.cell("problem", p.row), p.row,
                          {"problem": shorten(p.text, 21), "rows": len(p.measures)})


@rule("RX408", Severity.WARNING, "方面不在选项列表中",
      "方面“{value}”不在“{options}”表的方面列表中（共{rows}行），请核对是否写法不一致")
def aspect_not_in_options(ctx: LedgerContext) -> Iterator[RuleHit]:
    options = frozenset(ctx.ledger.aspect_options)
    if not options:
        return
    first: dict[str, int] = {}
    counts: dict[str, int] = {}
    for m in ctx.ledger.measures:
        if m.aspect and m.aspect not in options:
            first.setdefault(m.aspect, m.row)
            counts[m.aspect] = counts.get(m.aspect, 0) + 1
    for aspect, row in first.items():
        yield RuleHit(ctx.sheet, ctx.cell("aspect", row), row,
                      {"value": shorten(aspect, 21), "options": SHEETS.OPTIONS, "rows": counts[aspect]})
