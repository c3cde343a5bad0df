"""RX6xx: writing conventions in the Chinese text fields (punctuation, paired marks, slips).

The checks themselves are core.textcheck; these rules only say where the text sits. Every field
is checked once per run (memoised on the context) and each rule picks its kind of hit.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from itertools import accumulate
from typing import TYPE_CHECKING

from rectify_xl.core.findings import Severity
from rectify_xl.core.rules.context import LedgerContext
from rectify_xl.core.rules.registry import RuleHit, rule
from rectify_xl.core.schema import SHEETS, TEXT_COLUMNS
from rectify_xl.core.textcheck import (
    DOUBLED,
    HALFWIDTH,
    HALFWIDTH_MARKS,
    PAIRS,
    TYPO,
    UNBALANCED,
    Hit,
    TypoPack,
    halfwidth_punctuation,
    snippet,
    typo_hits,
    unbalanced_pairs,
)
from rectify_xl.core.textrules import (
    DOUBLED_WORD,
    PLACEHOLDER,
    XUNSHI_MIXED,
    doubled_hits,
    genre_hits,
    slips,
    vocabulary,
)

if TYPE_CHECKING:  # the lexicon's module is loaded only with a lexicon (unit-sized ledgers)
    from rectify_xl.core.homophones import Lexicon

_TEXT_LABELS = dict(TEXT_COLUMNS)
# Most texts hold no paired mark at all: then unbalanced_pairs() has nothing to say (speed).
_ANY_PAIR_MARK = re.compile("[" + re.escape("".join(PAIRS) + "".join(PAIRS.values())) + "]")
_LEDGER_FIELDS = ("measure", "progress")


@dataclass(frozen=True, slots=True)
class _Field:
    sheet: str
    letter: str | None  # column letter; the cell is built only when there is a hit
    row: int
    label: str  # e.g. 整改措施, 文稿·正文
    text: str

    @property
    def cell(self) -> str | None:
        return f"{self.letter}{self.row}" if self.letter else None


_Text = tuple[str, str | None, int, str, str]  # _Field's values, before there is a hit


def _fields(ctx: LedgerContext) -> Iterator[_Text]:
    """Every Chinese text field once: measure rows, each problem at its first row, 文稿 cells."""
    layout = ctx.ledger.layout
    letters = {key: layout.letter(key) for key in (*_LEDGER_FIELDS, "problem")}
    labels = {key: ctx.header(key) for key in letters}
    first_rows = ctx.first_rows_of_problems
    sheet = ctx.sheet
    for m in ctx.ledger.measures:
        if m.text:
            yield sheet, letters["measure"], m.row, labels["measure"], m.text
        if m.progress:
            yield sheet, letters["progress"], m.row, labels["progress"], m.progress
        if m.problem and m.row in first_rows:
            yield sheet, letters["problem"], m.row, labels["problem"], m.problem
    for para in ctx.ledger.texts:
        for key, text in (("lead", para.lead), ("body", para.body)):
            if text:
                yield (SHEETS.TEXT, ctx.text_letter(key), para.row,
                       f"{SHEETS.TEXT}·{_TEXT_LABELS[key]}", text)


# The fixed-phrase rules cost ~0.1 ms a text: a unit's ledger (tens to hundreds of rows) gets
# them everywhere; a round's 10,000-row ledger only in 文稿 and the problem texts, so that a
# validate stays a fraction of a file read (benchmarks/big_ledger.py).
_PHRASE_RULES_ROWS = 2000


def _all_hits(ctx: LedgerContext) -> list[tuple[_Field, Hit]]:
    words = ctx.typos.words if ctx.typos is not None else ()
    small = len(ctx.ledger.measures) <= _PHRASE_RULES_ROWS
    phrase_free = (ctx.header("measure"), ctx.header("progress"))
    fields = list(_fields(ctx))
    # each distinct text once (已完成, 按计划推进… repeat), with whether the phrases apply to it
    keys = [(v[4], bool(words) and (small or v[3] not in phrase_free)) for v in fields]
    distinct = list(dict.fromkeys(keys))
    texts = [t for t, _ in distinct]
    suspect = set().union(*(_holding(texts, p) for p in _may_hit(ctx.typos)))
    # where a fixed phrase may have lost a character (missing_chars): one scan of the texts
    # the phrases apply to; a text with no such place and no suspect character has no hit
    places = _dropped_places([i for i, (_, phrases) in enumerate(distinct) if phrases],
                             texts, words)
    # same-sound slips (core.homophones) in a unit's ledger, not in a round's 10,000 rows:
    # then every text is looked at
    lexicon = ctx.typos.lexicon() if small and ctx.typos is not None and ctx.typos.lexicon else None
    xuncha = _is_xuncha(ctx)
    hits_of = {key: _text_hits(key[0], ctx.typos, words if key[1] else (), places.get(i, []),
                               lexicon, xuncha)
               if i in places or i in suspect or lexicon is not None else []
               for i, key in enumerate(distinct)}
    out: list[tuple[_Field, Hit]] = []
    for values, key in zip(fields, keys, strict=True):
        if hits := hits_of[key]:
            f = _Field(*values)
            out += [(f, h) for h in hits]
    return out


def _is_xuncha(ctx: LedgerContext) -> bool:
    """The ledger answers a 巡察 (its 巡察组 says so): 巡视 in its texts is then a slip, unless
    it names the central or provincial 巡视 (textrules.genre_hits knows those)."""
    group = ctx.ledger.info.group
    return "巡察" in group and "巡视" not in group


def _dropped_places(indices: list[int], texts: list[str],
                    words: tuple[str, ...]) -> dict[int, list[tuple[int, str]]]:
    """``vocabulary(words).dropped_places`` of each of these texts, by its index: one scan of
    them joined by NUL, each place given back to its text (short forms are Chinese characters
    only, so none runs across a NUL into the next text)."""
    if not indices:
        return {}
    vocab = vocabulary(words)
    chosen = [texts[i] for i in indices]
    starts = list(accumulate((len(t) + 1 for t in chosen), initial=0))  # each text's offset
    out: dict[int, list[tuple[int, str]]] = {}
    for at, key in vocab.dropped_places("\0".join(chosen)):
        k = bisect_right(starts, at) - 1
        out.setdefault(indices[k], []).append((at - starts[k], key))
    return out


def _holding(texts: list[str], pattern: re.Pattern[str]) -> set[int]:
    """The indices of the texts the pattern matches in: one scan of all of them joined by NUL
    (in no pattern), instead of one search a text."""
    if "\0" in pattern.pattern or pattern.match(""):  # a slip of NUL, or an empty one
        return set(range(len(texts)))
    joined = "\0".join(texts)
    ends = list(accumulate(len(t) + 1 for t in texts))  # where each next text begins
    found: set[int] = set()
    pos = 0
    while (m := pattern.search(joined, pos)) is not None:
        i = bisect_right(ends, m.start())
        found.add(i)
        pos = ends[i]  # the next text
    return found


@cache
def _may_hit(typos: TypoPack | None) -> tuple[re.Pattern[str], ...]:
    """What a text must hold for any check but the missing-character one to find something:
    a half-width mark, a paired mark, 的 or 勒 (textrules.particle_hits), or a slip of the
    pack. Most texts of a ledger hold none. Two patterns: re scans a class of characters
    fast, but slowly once it is one branch of an alternation."""
    marks = HALFWIDTH_MARKS + "".join(PAIRS) + "".join(PAIRS.values()) + "的勒Xx×视"  # Xx×, 视: RX411/2
    slips = sorted({e.wrong for e in typos.entries} if typos is not None else ())
    return (re.compile(f"[{re.escape(marks)}]"),
            *([re.compile("|".join(map(re.escape, slips)))] if slips else []))


def _text_hits(text: str, typos: TypoPack | None, words: tuple[str, ...],
               places: list[tuple[int, str]] | None = None,
               lexicon: Lexicon | None = None, xuncha: bool = False) -> list[Hit]:
    """Every writing hit in one text; ``words`` (the fixed phrases) may be (); ``places``:
    where a phrase may have lost a character (None: looked up here); ``lexicon``: look for
    same-sound slips too."""
    hits = halfwidth_punctuation(text)
    if _ANY_PAIR_MARK.search(text):
        hits += unbalanced_pairs(text)
    if typos is not None:
        pack_hits = typo_hits(text, typos)
        hits += pack_hits
        found = slips(text, words, places=places, lexicon=lexicon)
        # a word typed twice (会议会议) as RX604 where the same-sound check runs (a doubled
        # function character is the pack's: its entries know 为了了解); XX left in, as RX411
        if lexicon is not None:
            found += [replace(h, kind=DOUBLED) for h in doubled_hits(text) if h.kind == DOUBLED_WORD]
        found += [h for h in genre_hits(text, xuncha=xuncha) if h.kind in (PLACEHOLDER, XUNSHI_MIXED)]
        taken = list(pack_hits)
        for h in sorted(found, key=lambda h: h.start):
            if not any(p.start < h.end and h.start < p.end for p in taken):
                hits.append(h)
                taken.append(h)
    return hits


def _text_rule(kind: str) -> Callable[[LedgerContext], Iterator[RuleHit]]:
    def run(ctx: LedgerContext) -> Iterator[RuleHit]:
        for f, hit in ctx.memo("writing.hits", _all_hits):
            if hit.kind == kind:
                yield RuleHit(f.sheet, f.cell, f.row, {
                    "field": f.label, "found": hit.found, "suggestion": hit.suggestion,
                    "context": snippet(f.text, hit),
                })

    run.__name__ = f"text_{kind}"
    return run


# The notice linter reuses these four codes and their placeholders (field, found,
# suggestion, context): keep the placeholder names stable.
rule("RX601", Severity.WARNING, "中文中使用了半角标点",
     "“{field}”中“{context}”使用了半角“{found}”，中文里应为全角“{suggestion}”"
     )(_text_rule(HALFWIDTH))
rule("RX602", Severity.WARNING, "引号或括号不成对",
     "“{field}”中“{context}”的“{found}”没有与之配对的“{suggestion}”")(_text_rule(UNBALANCED))
rule("RX603", Severity.WARNING, "疑似错别字",
     "“{found}”疑为“{suggestion}”（{field}：“{context}”）")(_text_rule(TYPO))
rule("RX411", Severity.WARNING, "占位符未替换",
     "“{field}”中“{context}”的“{found}”是未替换的占位符，请填写实际内容")(_text_rule(PLACEHOLDER))
rule("RX412", Severity.WARNING, "巡视、巡察混用",
     "“{field}”中“{context}”写作“{found}”，本台账是巡察整改，疑为“巡察”")(_text_rule(XUNSHI_MIXED))
rule("RX604", Severity.WARNING, "疑似多打了重复字",
     "“{found}”疑为多打了一个字，应为“{suggestion}”（{field}：“{context}”）"
     )(_text_rule(DOUBLED))
