"""RX6xx: writing conventions in the Chinese text fields (punctuation, paired marks, slips).

The checks themselves are core.textcheck; these rules only say where the text sits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from rectify_xl.core.findings import Severity
from rectify_xl.core.rules.context import LedgerContext
from rectify_xl.core.rules.registry import RuleHit, rule
from rectify_xl.core.schema import SHEETS, TEXT_COLUMNS
from rectify_xl.core.textcheck import (
    DOUBLED,
    HALFWIDTH,
    TYPO,
    UNBALANCED,
    Hit,
    halfwidth_punctuation,
    snippet,
    typo_hits,
    unbalanced_pairs,
)

_TEXT_LABELS = dict(TEXT_COLUMNS)


@dataclass(frozen=True, slots=True)
class _Field:
    sheet: str
    cell: str | None
    row: int
    label: str  # e.g. 整改措施, 文稿·正文
    text: str


def _fields(ctx: LedgerContext) -> Iterator[_Field]:
    """Every Chinese text field once: measure rows, each problem at its first row, 文稿 cells."""
    first_rows = ctx.first_rows_of_problems
    for m in ctx.ledger.measures:
        for key, text in (("measure", m.text), ("progress", m.progress)):
            if text:
                yield _Field(ctx.sheet, ctx.cell(key, m.row), m.row, ctx.header(key), text)
        if m.problem and m.row in first_rows:
            yield _Field(ctx.sheet, ctx.cell("problem", m.row), m.row, ctx.header("problem"),
                         m.problem)
    for para in ctx.ledger.texts:
        for key, text in (("lead", para.lead), ("body", para.body)):
            if text:
                yield _Field(SHEETS.TEXT, ctx.text_cell(para, key), para.row,
                             f"{SHEETS.TEXT}·{_TEXT_LABELS[key]}", text)


def _text_rule(check: Callable[[LedgerContext, str], list[Hit]], kind: str
               ) -> Callable[[LedgerContext], Iterator[RuleHit]]:
    def run(ctx: LedgerContext) -> Iterator[RuleHit]:
        for f in _fields(ctx):
            for hit in check(ctx, f.text):
                if hit.kind == kind:
                    yield RuleHit(f.sheet, f.cell, f.row, {
                        "field": f.label, "found": hit.found, "suggestion": hit.suggestion,
                        "context": snippet(f.text, hit),
                    })

    run.__name__ = f"text_{kind}"
    return run


def _typos(ctx: LedgerContext, text: str) -> list[Hit]:
    return typo_hits(text, ctx.typos) if ctx.typos is not None else []


rule("RX601", Severity.WARNING, "中文中使用了半角标点",
     "“{field}”中“{context}”使用了半角“{found}”，中文里应为全角“{suggestion}”"
     )(_text_rule(lambda ctx, text: halfwidth_punctuation(text), HALFWIDTH))
rule("RX602", Severity.WARNING, "引号或括号不成对",
     "“{field}”中“{context}”的“{found}”没有与之配对的“{suggestion}”"
     )(_text_rule(lambda ctx, text: unbalanced_pairs(text), UNBALANCED))
rule("RX603", Severity.WARNING, "疑似错别字",
     "“{found}”疑为“{suggestion}”（{field}：“{context}”）")(_text_rule(_typos, TYPO))
rule("RX604", Severity.WARNING, "疑似多打了重复字",
     "“{found}”疑为多打了一个字，应为“{suggestion}”（{field}：“{context}”）"
     )(_text_rule(_typos, DOUBLED))
