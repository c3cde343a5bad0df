"""RX470–RX473: the round's figures in a ledger — outcome numbers and 类别 streams (issue 18).

Each is an error at its cell: the summary, the merge and the round 通报 add these numbers up, so a
cell that is not one would make a published figure wrong.
"""

from __future__ import annotations

from collections.abc import Iterator

from rectify_xl.core.findings import Severity
from rectify_xl.core.outcomes import outcome_value
from rectify_xl.core.rules.context import LedgerContext
from rectify_xl.core.rules.registry import RuleHit, rule
from rectify_xl.core.schema import OUTCOME_BY_KEY, Stream

_STREAMS = "、".join(s.value for s in Stream)


@rule("RX470", Severity.ERROR, "成效数字无法识别",
      "“{header}”的值“{value}”不是数字，请只填数字（单位：{unit}），没有则留空")
def outcome_not_a_number(ctx: LedgerContext) -> Iterator[RuleHit]:
    for m in ctx.ledger.measures:
        for key, raw in m.outcomes:
            outcome = OUTCOME_BY_KEY[key]
            value, reason = outcome_value(outcome, raw)
            if value is None and reason == "不是数字":
                yield RuleHit(ctx.sheet, ctx.cell(key, m.row), m.row,
                              {"header": outcome.header, "value": str(raw), "unit": outcome.unit})


@rule("RX471", Severity.ERROR, "成效数字不合理",
      "“{header}”的值“{value}”{reason}（单位：{unit}）")
def outcome_implausible(ctx: LedgerContext) -> Iterator[RuleHit]:
    for m in ctx.ledger.measures:
        for key, raw in m.outcomes:
            outcome = OUTCOME_BY_KEY[key]
            value, reason = outcome_value(outcome, raw)
            if value is None and reason != "不是数字":
                yield RuleHit(ctx.sheet, ctx.cell(key, m.row), m.row, {
                    "header": outcome.header, "value": str(raw), "unit": outcome.unit,
                    "reason": reason})


@rule("RX472", Severity.ERROR, "类别无法识别",
      "“{header}”的值“{value}”无法识别，应为{allowed}之一（留空按“反馈问题”统计）")
def unknown_stream(ctx: LedgerContext) -> Iterator[RuleHit]:
    if not ctx.has_column("stream"):
        return
    for m in ctx.ledger.measures:
        if m.stream and Stream.parse(m.stream) is None:
            yield RuleHit(ctx.sheet, ctx.cell("stream", m.row), m.row,
                          {"header": ctx.header("stream"), "value": m.stream,
                           "allowed": _STREAMS})


@rule("RX473", Severity.ERROR, "同一问题的类别不一致",
      "同一具体问题的“{header}”不一致：第{first_row}行为“{first}”，本行为“{value}”")
def stream_differs_within_problem(ctx: LedgerContext) -> Iterator[RuleHit]:
    if not ctx.has_column("stream"):
        return
    for p in ctx.ledger.problems:
        first = p.measures[0]
        first_stream = Stream.parse(first.stream)
        for m in p.measures[1:]:
            stream = Stream.parse(m.stream)
            if first_stream is not None and stream is not None and stream is not first_stream:
                yield RuleHit(ctx.sheet, ctx.cell("stream", m.row), m.row, {
                    "header": ctx.header("stream"), "first_row": first.row,
                    "first": first.stream or Stream.FEEDBACK.value,
                    "value": m.stream or Stream.FEEDBACK.value})
