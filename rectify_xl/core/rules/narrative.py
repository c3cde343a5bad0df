"""RX5xx: numbers written by hand in the 文稿 narrative that contradict the ledger's counts.

"确定了23条整改措施", "反馈的6个问题", "细化分解了9个问题", "已完成9个", "完成率76%": the
notice computes these itself, but staff also type them into 文稿, and that is where the
published seed went wrong (9 concrete problems written, 10 listed).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property

from rectify_xl.core.findings import Severity
from rectify_xl.core.lazy_re import lazy_compile
from rectify_xl.core.model import Ledger, TextPara
from rectify_xl.core.numbering import parse_number
from rectify_xl.core.rules.context import LedgerContext
from rectify_xl.core.rules.registry import RuleHit, rule

_NUM = r"(?P<n>\d+|[０-９]+|[零〇一二两三四五六七八九十百千万]+)"
_DONE = r"(?:已经|均已|全部|已)?(?:完成|落实)了?(?:整改)?"
# "其中3条整改措施正在推进", "每一条整改措施", "第3项整改措施": a part, an each or an
# ordinal, not the total; such numbers are not compared.
_PART_RE = lazy_compile(r"(其中|尚有|尚|还有|剩余|未|正在|另有|余下)[^，。；]{0,3}$|[每逐第]$")

_TOTALS = frozenset({"measures", "feedback", "problems"})
_PATTERNS: dict[str, tuple[re.Pattern[str], ...]] = {
    "measures_done": (
        lazy_compile(_DONE + _NUM + r"(?:条|项)(?:具体)?(?:整改)?(?:措施|任务)"),
        # "已完成整改措施17条": done measures, not the total the next pattern would read
        lazy_compile(r"(?:已经|均已|全部|已)?完成了?的?整改(?:措施|任务)(?:共|共计|合计)?" + _NUM
                   + r"(?:条|项)"),
    ),
    "measures": (
        lazy_compile(_NUM + r"(?:条|项)(?:具体)?整改(?:措施|任务)"),
        lazy_compile(r"整改(?:措施|任务)(?:共|共计|合计)?" + _NUM + r"(?:条|项)"),
    ),
    "feedback": (
        lazy_compile(r"反馈(?:意见)?(?:的|指出的|中的|了)?" + _NUM + r"(?:个|条|项)问题"),
        lazy_compile(_NUM + r"(?:个|条|项)(?:巡察)?反馈问题"),
        # only where the count ends the clause: "反馈问题2个大方面4个大项" counts something else
        lazy_compile(r"反馈(?:的)?问题(?:共|共计|合计)?" + _NUM + r"(?:个|条|项)(?=[，。；、,;]|$)"),
    ),
    "problems": (
        lazy_compile(r"(?:细化|分解|梳理|形成|确定|共|合计)+(?:为|成|了|出)*" + _NUM
                   + r"(?:个|条|项)(?:具体)?问题"),
        lazy_compile(_NUM + r"(?:个|条|项)具体问题"),
    ),
    "problems_done": (
        lazy_compile(r"(?:已经|均已|已)(?:整改)?完成了?(?:整改)?" + _NUM
                   + r"(?:个|条|项)(?!(?:具体)?(?:整改)?(?:措施|任务)|方面)"),
    ),
    "problems_open": (
        lazy_compile(r"(?:正在推进|正在整改|尚未完成|未完成)" + _NUM
                   + r"(?:个|条|项)(?!(?:具体)?(?:整改)?(?:措施|任务)|方面)"),
    ),
}
_RATE_RE = lazy_compile(r"完成率(?:为|达到|达|是|已达)?(?P<n>\d+(?:\.\d+)?)\s*[%％]")


@dataclass(frozen=True)
class _Counts:
    ledger: Ledger

    @cached_property
    def values(self) -> dict[str, int]:
        lg = self.ledger
        return {
            "measures": len(lg.measures),
            "measures_done": sum(1 for m in lg.measures if m.is_done),
            "feedback": lg.feedback_total,
            "problems": len(lg.problems),
            "problems_done": sum(1 for p in lg.problems if p.is_done),
            "problems_open": sum(1 for p in lg.problems if not p.is_done),
        }

    @cached_property
    def rates(self) -> tuple[float, float]:
        """Completion rates in percent: measures, concrete problems."""
        v = self.values
        m = 100 * v["measures_done"] / v["measures"] if v["measures"] else 0.0
        p = 100 * v["problems_done"] / v["problems"] if v["problems"] else 0.0
        return m, p


@dataclass(frozen=True, slots=True)
class _Written:
    kind: str
    number: float
    quote: str
    start: int


def _cells(para: TextPara) -> Iterator[tuple[str, str]]:
    yield "lead", para.lead
    yield "body", para.body


def _is_part(text: str, start: int) -> bool:
    return bool(_PART_RE.search(text[max(0, start - 6):start]))


def written_counts(text: str) -> list[_Written]:
    """Every count the text states, at most one per number (the most specific kind wins)."""
    found: dict[int, _Written] = {}
    for kind, patterns in _PATTERNS.items():
        for pattern in patterns:
            for m in pattern.finditer(text):
                pos = m.start("n")
                number = parse_number(m.group("n"))
                if pos in found or number is None:
                    continue
                if kind in _TOTALS and _is_part(text, m.start()):
                    continue
                found[pos] = _Written(kind, number, m.group(), m.start())
    for m in _RATE_RE.finditer(text):
        found[m.start("n")] = _Written("rate", float(m.group("n")), m.group(), m.start())
    return [found[k] for k in sorted(found)]


def _contradictions(ctx: LedgerContext, kind: str) -> Iterator[tuple[TextPara, str, _Written]]:
    counts = _counts(ctx)
    for para in ctx.ledger.texts:
        for key, text in _cells(para):
            for w in written_counts(text) if text else ():
                if w.kind == kind and w.number != counts.values.get(kind, w.number):
                    yield para, key, w


def _counts(ctx: LedgerContext) -> _Counts:
    return ctx.memo("narrative.counts", lambda c: _Counts(c.ledger))


def _count_rule(kind: str, column: str | None = None
                ) -> Callable[[LedgerContext], Iterator[RuleHit]]:
    def check(ctx: LedgerContext) -> Iterator[RuleHit]:
        if column and not ctx.has_column(column):
            return  # RX102 already says the column is missing
        if not ctx.ledger.texts:
            return  # no 文稿 to contradict: the counts (a pass over every measure) are not needed
        actual = _counts(ctx).values[kind]
        for para, key, w in _contradictions(ctx, kind):
            yield RuleHit(ctx.text_sheet(), ctx.text_cell(para, key), para.row,
                          {"quote": w.quote, "actual": actual})

    check.__name__ = f"count_{kind}"
    return check


rule("RX501", Severity.ERROR, "文稿中的整改措施数与台账不符",
     "文稿写“{quote}”，台账中的整改措施共{actual}条")(_count_rule("measures"))
rule("RX502", Severity.ERROR, "文稿中的反馈问题数与台账不符",
     "文稿写“{quote}”，台账中的反馈问题共{actual}个")(_count_rule("feedback", "feedback"))
rule("RX503", Severity.ERROR, "文稿中的具体问题数与台账不符",
     "文稿写“{quote}”，台账中的具体问题共{actual}个")(_count_rule("problems"))
rule("RX504", Severity.ERROR, "文稿中的已完成问题数与台账不符",
     "文稿写“{quote}”，台账中已完成（含长期坚持）的具体问题共{actual}个"
     )(_count_rule("problems_done"))
rule("RX505", Severity.ERROR, "文稿中的已完成措施数与台账不符",
     "文稿写“{quote}”，台账中已完成（含长期坚持）的整改措施共{actual}条"
     )(_count_rule("measures_done"))

rule("RX507", Severity.ERROR, "文稿中的正在推进问题数与台账不符",
     "文稿写“{quote}”，台账中正在推进的具体问题共{actual}个"
     )(_count_rule("problems_open"))


def _rate_matches(written: str, actual: float) -> bool:
    decimals = len(written.partition(".")[2])
    return abs(float(written) - actual) < 10 ** -decimals


@rule("RX506", Severity.ERROR, "文稿中的完成率与台账不符",
      "文稿写“{quote}”，按台账计算整改措施完成率为{actual}，具体问题完成率为{problem_rate}")
def rate_contradiction(ctx: LedgerContext) -> Iterator[RuleHit]:
    if not ctx.ledger.texts:
        return  # no 文稿 (see _count_rule)
    measure_rate, problem_rate = _counts(ctx).rates
    for para in ctx.ledger.texts:
        for key, text in _cells(para):
            for m in _RATE_RE.finditer(text):
                n = m.group("n")
                if _rate_matches(n, measure_rate) or _rate_matches(n, problem_rate):
                    continue
                yield RuleHit(ctx.text_sheet(), ctx.text_cell(para, key), para.row, {
                    "quote": m.group(), "actual": f"{measure_rate:.1f}%",
                    "problem_rate": f"{problem_rate:.1f}%",
                })
