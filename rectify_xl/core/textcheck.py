"""Pure checks of Chinese official-document text: punctuation width, paired marks, typing slips.

Stable API (the ledger rules and the notice linter both use it). Every check takes a string and
returns ``Hit``s with offsets into that string; nothing here knows about sheets or cells.

- ``halfwidth_punctuation(text) -> list[Hit]``  half-width , ; : ( ) ? ! " by Chinese, . ending a sentence
- ``unbalanced_pairs(text) -> list[Hit]``       “” ‘’ （） 《》 without a partner
- ``typo_hits(text, pack) -> list[Hit]``        slips from a ``TypoPack`` (kind "typo" or "doubled")
- ``check_text(text, pack=None) -> list[Hit]``  all of the above, sorted by offset
- ``snippet(text, hit, width=6) -> str``         the words around a hit, for messages
- ``shorten(text, limit) -> str``               at most ``limit`` characters, … where cut

A ``TypoPack`` is data (rectify_xl/data/typos.toml, users extend it without code); it is loaded
by ``adapters.rulepacks`` and passed in, so this module does no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from rectify_xl.core.lazy_re import lazy_compile

__all__ = [
    "DOUBLED",
    "HALFWIDTH",
    "HALF_TO_FULL",
    "PAIRS",
    "TYPO",
    "UNBALANCED",
    "Hit",
    "TypoEntry",
    "TypoPack",
    "check_text",
    "halfwidth_punctuation",
    "is_cjk",
    "shorten",
    "snippet",
    "to_full_width",
    "typo_hits",
    "unbalanced_pairs",
]

# Hit.kind values
HALFWIDTH, UNBALANCED, TYPO, DOUBLED = "halfwidth", "unbalanced", "typo", "doubled"

HALF_TO_FULL: dict[str, str] = {
    ",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "?": "？", "!": "！",
}
# Paired marks of Chinese text: opening → closing.
PAIRS: dict[str, str] = {"“": "”", "‘": "’", "（": "）", "《": "》"}


@dataclass(frozen=True, slots=True)
class Hit:
    """One place in a text: text[start:end] == found; suggestion is the fix ("" if none)."""

    start: int
    end: int
    found: str
    suggestion: str
    kind: str  # halfwidth | unbalanced | typo | doubled
    note: str = ""


def is_cjk(ch: str) -> bool:
    """Han ideographs and full-width CJK punctuation: the neighbours that make text Chinese."""
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF  # CJK unified ideographs
        or 0x3400 <= o <= 0x4DBF  # extension A
        or 0x3000 <= o <= 0x303F  # CJK symbols and punctuation: 、。〔〕《》
        or 0xFF01 <= o <= 0xFF60  # full-width forms: ，：；（）
        or 0x2018 <= o <= 0x201F  # curly quotes “ ” ‘ ’
        or 0x20000 <= o <= 0x2FA1F  # extensions B… and compatibility supplement
    )


# Spans where half-width marks are right: URLs, e-mail addresses, times, number groups.
_SKIP_RE = lazy_compile(
    r"(?:https?|ftp)://[!-~]*[A-Za-z0-9/=&%_#~+\-]"
    r"|www\.[!-~]*[A-Za-z0-9/=&%_#~+\-]"
    r"|[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"
    r"|\d{1,2}:\d{2}(?::\d{2})?"
    r"|[(\[]\d{4}[)\]]\d+号"  # a file number typed as (2021)1号: the fix is 〔〕, not （）
    r"|\d+(?:[,.]\d+)+"
)
HALFWIDTH_MARKS = ',;:()?!".'  # the marks halfwidth_punctuation looks at
# "." after a Chinese character (or %, a closing mark) and before Chinese text or the end
_NUMERAL_HEAD_RE = lazy_compile(r"\s*第?[一二三四五六七八九十]{1,3}")
_HALF_STOP_RE = lazy_compile(r"(?<=[\u4e00-\u9fff%％”》』])\.(?=[\u4e00-\u9fff“（《]|\s*$)")
_HALF_RE = lazy_compile(f"[{re.escape(HALFWIDTH_MARKS)}]")


def _skipped(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _SKIP_RE.finditer(text)]


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _next_to_cjk(text: str, pos: int) -> bool:
    return (pos > 0 and is_cjk(text[pos - 1])) or (pos + 1 < len(text) and is_cjk(text[pos + 1]))


def halfwidth_punctuation(text: str) -> list[Hit]:
    """Half-width , ; : ( ) ? ! " touching a Chinese character (GB/T 15834: full-width in Chinese),
    and a "." ending a Chinese sentence.

    Marks between ASCII letters or digits, and inside URLs, e-mails, times (10:30), numbers
    (1,000) and file numbers ((2021)1号, whose fix is 〔2021〕) are left alone. A half-width
    pair ( ) is flagged as a whole when either end touches Chinese, so （1） typed as (1)
    before Chinese text gets both brackets.
    """
    if not _HALF_RE.search(text):
        return []
    spans = _skipped(text)
    flagged: set[int] = set()
    opens: list[int] = []
    quotes: list[int] = []
    for m in _HALF_RE.finditer(text):
        pos = m.start()
        if spans and _inside(pos, spans):
            continue
        ch = text[pos]
        if ch == ".":
            continue  # only as a full stop: _HALF_STOP_RE below
        if ch == "(":
            opens.append(pos)
            if _next_to_cjk(text, pos):
                flagged.add(pos)
        elif ch == ")" and opens:
            start = opens.pop()
            if start in flagged or _next_to_cjk(text, pos):
                flagged.update((start, pos))
        elif ch == '"':
            quotes.append(pos)
            if _next_to_cjk(text, pos):
                flagged.add(pos)
        elif _next_to_cjk(text, pos):
            flagged.add(pos)
    # straight quotes alternate: the 1st, 3rd… open (“), the 2nd, 4th… close (”)
    quote_fix = {p: "“" if i % 2 == 0 else "”" for i, p in enumerate(quotes)}
    # a full stop typed "." ends a Chinese sentence; "1." numbering, 3.5, 2021.7.31 and URLs
    # have a digit or a Latin letter before it
    stops = [m.start() for m in _HALF_STOP_RE.finditer(text)
             if not (spans and _inside(m.start(), spans))
             and not _NUMERAL_HEAD_RE.fullmatch(text[:m.start()])]  # 一.关于… is a heading number
    flagged.update(stops)
    quote_fix |= dict.fromkeys(stops, "。")
    return [Hit(p, p + 1, text[p], quote_fix.get(p) or HALF_TO_FULL[text[p]], HALFWIDTH)
            for p in sorted(flagged)]


_CLOSERS = {close: open_ for open_, close in PAIRS.items()}
_PAIR_RE = lazy_compile("[" + re.escape("".join(PAIRS) + "".join(_CLOSERS)) + "]")


def unbalanced_pairs(text: str) -> list[Hit]:
    """Opening or closing marks without a partner, each kind counted on its own.

    Nesting of the same kind (“…“…”…”) is balanced. The hit's suggestion is the missing partner.
    """
    stacks: dict[str, list[int]] = {o: [] for o in PAIRS}
    hits: list[Hit] = []
    for m in _PAIR_RE.finditer(text):
        ch, pos = m.group(), m.start()
        if ch in PAIRS:
            stacks[ch].append(pos)
        elif stacks[_CLOSERS[ch]]:
            stacks[_CLOSERS[ch]].pop()
        else:
            hits.append(Hit(pos, pos + 1, ch, _CLOSERS[ch], UNBALANCED, "缺少前半个"))
    for open_, positions in stacks.items():
        hits += [Hit(p, p + 1, open_, PAIRS[open_], UNBALANCED, "缺少后半个") for p in positions]
    return sorted(hits, key=lambda h: h.start)


@dataclass(frozen=True, slots=True)
class TypoEntry:
    """A slip and its correction. ``allow`` lists longer real words that contain ``wrong``
    (了了 in 不了了之, 为了了解) and must never be flagged."""

    wrong: str
    right: str
    note: str = ""
    allow: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        w = self.wrong
        return DOUBLED if len(w) == 2 and w[0] == w[1] else TYPO


@dataclass(frozen=True)
class TypoPack:
    """An ordered set of TypoEntry, one per ``wrong``. Immutable; ``merge`` builds a new pack."""

    entries: tuple[TypoEntry, ...] = ()
    sources: tuple[str, ...] = field(default=(), compare=False)
    # fixed phrases (固定提法) for core.textrules' near-miss and missing-character rules
    words: tuple[str, ...] = ()
    # the word-frequency lexicon of core.homophones, loaded on first use (adapters.rulepacks):
    # reading it costs ≈ 0.06 s, which a summary or a big ledger's validate does not pay
    lexicon: Callable[[], Any] | None = field(default=None, compare=False)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], source: str = "") -> TypoPack:
        """Read the TOML shape: ``[[typo]]`` tables (wrong, right, note, allow) and/or a plain
        ``[typos]`` table of wrong = "right". Raises ValueError on a malformed entry."""
        entries: list[TypoEntry] = []
        items, table = data.get("typo", []), data.get("typos", {})
        if not isinstance(items, list) or not isinstance(table, Mapping):
            raise ValueError("应为 [[typo]] 条目列表和/或 [typos] 表")
        for i, item in enumerate(items, start=1):
            if not isinstance(item, Mapping):
                raise ValueError(f"第{i}个 [[typo]] 不是表")
            wrong, right = str(item.get("wrong", "")).strip(), str(item.get("right", "")).strip()
            if not wrong or not right or wrong == right:
                raise ValueError(f"第{i}个 [[typo]] 需要不同且非空的 wrong 和 right")
            allow = item.get("allow", [])
            if isinstance(allow, str) or not all(isinstance(a, str) for a in allow):
                raise ValueError(f"第{i}个 [[typo]] 的 allow 应为字符串列表")
            entries.append(TypoEntry(wrong, right, str(item.get("note", "")), tuple(allow)))
        for wrong, right in table.items():
            if not str(wrong).strip() or not str(right).strip() or wrong == right:
                raise ValueError(f"[typos] 中“{wrong}”的写法不对")
            entries.append(TypoEntry(str(wrong).strip(), str(right).strip()))
        vocabulary = data.get("vocabulary", {})
        words = vocabulary.get("words", []) if isinstance(vocabulary, Mapping) else None
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise ValueError("[vocabulary] 的 words 应为字符串列表")
        return cls(()).merge(cls(tuple(entries), words=tuple(w.strip() for w in words if w.strip())),
                             source=source)

    def merge(self, other: TypoPack, source: str = "") -> TypoPack:
        """This pack with ``other``'s entries added; an entry of ``other`` replaces ours with
        the same ``wrong`` (a user file overrides the default)."""
        by_wrong = {e.wrong: e for e in self.entries}
        for e in other.entries:
            by_wrong[e.wrong] = e
        sources = self.sources + other.sources + ((source,) if source else ())
        words = tuple(dict.fromkeys(self.words + other.words))  # a pack adds words, never removes
        return TypoPack(tuple(by_wrong.values()), sources, words, self.lexicon or other.lexicon)

    def __len__(self) -> int:
        return len(self.entries)

    @cached_property
    def _by_wrong(self) -> dict[str, TypoEntry]:
        return {e.wrong: e for e in self.entries}

    @cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        if not self.entries:
            return None
        # longest first so a longer entry wins over a shorter one at the same place
        words = sorted(self._by_wrong, key=len, reverse=True)
        return re.compile("|".join(map(re.escape, words)))


def _allowed(text: str, start: int, entry: TypoEntry) -> bool:
    for word in entry.allow:
        offset = word.find(entry.wrong)
        while offset >= 0:
            if start - offset >= 0 and text.startswith(word, start - offset):
                return True
            offset = word.find(entry.wrong, offset + 1)
    return False


def typo_hits(text: str, pack: TypoPack) -> list[Hit]:
    """Slips of the pack found in text (one regex pass), skipping the entries' allowed words."""
    pattern = pack._pattern
    if pattern is None or not text:
        return []
    hits: list[Hit] = []
    pos = 0
    while (m := pattern.search(text, pos)) is not None:
        entry = pack._by_wrong[m.group()]
        if _allowed(text, m.start(), entry):
            pos = m.start() + 1  # a shorter slip may still start inside the allowed word
            continue
        hits.append(Hit(m.start(), m.end(), entry.wrong, entry.right, entry.kind, entry.note))
        pos = m.end()
    return hits


def to_full_width(text: str) -> tuple[str, int]:
    """The text with every half-width mark ``halfwidth_punctuation`` reports made full width
    (straight quotes become “ ” in turn), and how many were changed. URLs, e-mails, times,
    numbers and ASCII words keep theirs."""
    hits = halfwidth_punctuation(text)
    chars = list(text)
    for hit in hits:
        chars[hit.start] = hit.suggestion
    paired = _pair_quotes(chars)
    return "".join(chars), len(hits) + paired


def _pair_quotes(chars: list[str]) -> int:
    """Curly quotes typed all one way (”…” or “…“, as some editors and web pages turn them):
    when a paragraph has only one kind and an even number of them, they alternate “ ”. Any
    other mixture is left as written (nesting cannot be told) and check-notice reports it."""
    at = [i for i, ch in enumerate(chars) if ch in "“”"]
    kinds = {chars[i] for i in at}
    if len(at) < 2 or len(at) % 2 or len(kinds) != 1:
        return 0
    changed = 0
    for k, i in enumerate(at):
        want = "“" if k % 2 == 0 else "”"
        if chars[i] != want:
            chars[i] = want
            changed += 1
    return changed


def check_text(text: str, pack: TypoPack | None = None) -> list[Hit]:
    """Every check on one text, sorted by offset then kind."""
    hits = halfwidth_punctuation(text) + unbalanced_pairs(text)
    if pack is not None:
        hits += typo_hits(text, pack)
    return sorted(hits, key=lambda h: (h.start, h.kind))


def shorten(text: str, limit: int) -> str:
    """At most ``limit`` characters, the last one … where the text is cut (long problem and
    measure texts named in a message; the cell or the attached ledger has them whole)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def snippet(text: str, hit: Hit, width: int = 6) -> str:
    """The hit with up to ``width`` characters either side, on one line, with … where cut."""
    a, b = max(0, hit.start - width), min(len(text), hit.end + width)
    core = text[a:b].replace("\n", " ")
    return ("…" if a > 0 else "") + core + ("…" if b < len(text) else "")

