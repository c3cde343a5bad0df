"""RX4xx: consistency of the rows (status words, closed items, numbering, duplicates)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from rectify_xl.core.findings import Severity
from rectify_xl.core.rules.context import LedgerContext
from rectify_xl.core.rules.registry import RuleHit, rule
from rectify_xl.core.schema import SHEETS, STATUS_CHOICES
from rectify_xl.core.textcheck import shorten

_ALLOWED = "、".join(STATUS_CHOICES)
_STANDARD = frozenset(STATUS_CHOICES)  # 已验收 / 已销号 are standard words (issue 17)
_SPACE_RE = re.compile(r"\s+")


@rule("RX401", Severity.ERROR, "整改状态不在允许范围",
      "整改状态“{value}”无法识别，应为{allowed}之一")
def unknown_status(ctx: LedgerContext) -> Iterator[RuleHit]:
    for m in ctx.ledger.measures:
        if m.status_raw and m.status is None:
            yield RuleHit(ctx.sheet, ctx.cell("status", m.row), m.row,
                          {"value": m.status_raw, "allowed": _ALLOWED})


@rule("RX402", Severity.INFO, "整改状态用词不规范",
      "整改状态“{value}”已按“{standard}”处理，建议改为规范用语“{standard}”")
def status_synonym(ctx: LedgerContext) -> Iterator[RuleHit]:
    for m in ctx.ledger.measures:
        if m.status is not None and m.status_raw not in _STANDARD:
            yield RuleHit(ctx.sheet, ctx.cell("status", m.row), m.row,
                          {"value": m.status_raw, "standard": m.status.value})


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
    for m in ctx.ledger.measures:
        if not m.text:
            continue
        key = (_SPACE_RE.sub("", m.problem), _SPACE_RE.sub("", m.text))
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
