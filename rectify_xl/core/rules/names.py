"""RX416: one department or leader written two ways in the same column.

A unit's ledger names the same few departments and leaders on row after row. A value that
appears rarely and differs by one character from a value the column uses far more often, where
the two characters sound alike or look alike (县委组织布 beside 县委组织部, 副书纪 beside
副书记), is a slip: the breakdowns by department and by leader would count it as another one.
Characters that differ as numerals (第一党支部, 第二党支部) or that neither sound nor look alike
(县委办, 县政办) are different names and left alone. The same-sound readings come from the
slip pack's lexicon (core.homophones), loaded only when a column has such a pair.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from operator import attrgetter

from rectify_xl.core.findings import Severity
from rectify_xl.core.rules.context import LedgerContext
from rectify_xl.core.rules.registry import RuleHit, rule
from rectify_xl.core.textrules import NUMERALS, SHAPE_OF

_COLUMNS = ("department", "leader", "department2", "leader2", "person")
_RATIO = 2  # the usual name is written at least this many times as often as the variant
_MIN_USUAL = 2  # and on at least this many rows


def _han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _pairs(counts: Mapping[str, int]) -> list[tuple[str, str, int]]:
    """(variant, usual, position) for values one Han character apart (same length ≥ 2), the
    usual one far more frequent; found through buckets of the value with one place blanked,
    so a column of thousands of distinct names is not compared pair by pair."""
    buckets: dict[tuple[int, str], list[str]] = {}
    for value in counts:
        if len(value) >= 2:
            for i in range(len(value)):
                buckets.setdefault((i, value[:i] + "\0" + value[i + 1:]), []).append(value)
    out: list[tuple[str, str, int]] = []
    for (i, _), values in buckets.items():
        if len(values) < 2:
            continue
        for variant in values:
            a = variant[i]
            for usual in values:
                b = usual[i]
                if (usual != variant and counts[usual] >= max(_MIN_USUAL, _RATIO * counts[variant])
                        and _han(a) and _han(b) and a not in NUMERALS and b not in NUMERALS):
                    out.append((variant, usual, i))
    return out


def _alike(a: str, b: str, readings: Mapping[str, frozenset[str]]) -> str | None:
    """形近 or 同音 when the two characters look or sound alike; None otherwise."""
    if b in SHAPE_OF.get(a, ()):
        return "形近"
    if readings.get(a, frozenset()) & readings.get(b, frozenset()):
        return "同音"
    return None


@rule("RX416", Severity.WARNING, "同一名称写法不一致",
      "“{found}”与本列其他{count}行的“{usual}”只差一个{kind}字，疑为“{usual}”；"
      "按部门、按领导的统计会把它算作另一个")
def name_variant(ctx: LedgerContext) -> Iterator[RuleHit]:
    readings: Mapping[str, frozenset[str]] | None = None
    for key in _COLUMNS:
        if not ctx.has_column(key):
            continue
        counts = Counter(map(attrgetter(key), ctx.ledger.measures))  # C loops: most columns end here
        counts.pop("", None)
        pairs = _pairs(counts)
        if not pairs:
            continue
        if readings is None:  # the lexicon only for a column that has a candidate pair
            lexicon = ctx.typos.lexicon() if ctx.typos is not None and ctx.typos.lexicon else None
            readings = lexicon.readings if lexicon is not None else {}
        found: dict[str, tuple[str, str]] = {}
        for variant, usual, i in pairs:
            kind = _alike(variant[i], usual[i], readings)
            if kind and (variant not in found or counts[usual] > counts[found[variant][0]]):
                found[variant] = (usual, kind)
        for m in ctx.ledger.measures:
            if (value := getattr(m, key)) in found:
                usual, kind = found[value]
                yield RuleHit(ctx.sheet, ctx.cell(key, m.row), m.row, {
                    "found": value, "usual": usual, "count": counts[usual], "kind": kind})
