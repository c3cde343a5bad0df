"""The structure of a 公文 text: paragraphs → a tree of numbered levels (issue 8).

Pure: a notice or feedback document arrives as a list of paragraph strings (plain text split on
line breaks, or .docx paragraphs read by adapters.text_input). Levels follow GB/T 9704-2012:
1 ``一、`` 2 ``（一）`` 3 ``1.`` 4 ``（1）`` 5 ``①``; ``一是…二是…`` enumerations inside a paragraph
are items of that paragraph. Full- and half-width punctuation, ``1.`` ``1、`` ``1．`` and blank
lines are all accepted; every node keeps its paragraph number (blank lines are not counted).
Nothing is dropped: paragraphs that look numbered but cannot be read are kept as plain
paragraphs and listed in ``Structure.odd``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from rectify_xl.core.numbering import parse_cn_numeral

__all__ = [
    "Item",
    "Marker",
    "Node",
    "Para",
    "Structure",
    "enumeration_items",
    "read_structure",
    "split_lead",
    "split_paragraphs",
    "without_marker",
]

_CN = "一二三四五六七八九十百零〇两"
_DIGIT = r"\d０-９"
_FULL_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# (level, regex). Order matters: parenthesised forms before bare ones.
_MARKERS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (2, re.compile(rf"^([（(])\s*([{_CN}]+)\s*([）)])\s*")),
    (4, re.compile(rf"^([（(])\s*([{_DIGIT}]+)\s*([）)])\s*")),
    (1, re.compile(rf"^()([{_CN}]+)\s*([、，,．.])\s*")),
    (3, re.compile(rf"^()([{_DIGIT}]+)\s*([.．、，,])(?![{_DIGIT}])\s*")),
    (5, re.compile(rf"^()([{_CIRCLED}])()\s*")),
)
# Looks numbered but is not one of the levels above: kept as a paragraph, reported.
_ODD_RE = re.compile(rf"^(?:[（(]\s*[{_CN}{_DIGIT}]+\s*(?![）)\d年])|第[{_CN}]+[，,、]|[a-zA-Z][.)、])")
_ITEM_RE = re.compile(r"(?:^|(?<=[。；;：:，,！!？?）)]))([一二三四五六七八九十]+)是")
_OPEN_QUOTES = "“‘「『《"
_CLOSE_QUOTES = "”’」』》"
_SPACE = " \t\u3000\xa0\ufeff\u200b"
_MAX_NUMBER = 200  # "2021、2022年…" starts a sentence, not heading number 2021
# An unnumbered aspect line: short, ends with 方面, no sentence inside, not "以下几个方面：".
_BARE_RE = re.compile(r"^[^。；;]{2,40}方面[。.：:]?$")
_NOT_BARE_RE = re.compile(
    r"以下|如下|下列|几个方面|[\d一二三四五六七八九十两]+个方面|^[一二三四五六七八九十]+是")


@dataclass(frozen=True, slots=True)
class Para:
    """One non-blank paragraph; ``no`` is its 1-based number (blank lines are not counted)."""

    no: int
    text: str


@dataclass(frozen=True, slots=True)
class Marker:
    level: int  # 1 一、 2 （一） 3 1. 4 （1） 5 ①
    number: int
    text: str  # as written, e.g. "(二)" or "1、"
    style: str  # the separator or bracket pair as written: "、" "." "．" "（）" "()"

    @property
    def bare(self) -> bool:
        """An unnumbered heading (an aspect line such as 全面从严治党方面 over numbered problems)."""
        return self.number == 0


@dataclass(frozen=True, slots=True)
class Item:
    """One ``X是`` of an enumeration inside a paragraph."""

    number: int
    label: str  # "一是"
    start: int  # offset of the label in the paragraph text
    text: str  # from after the label up to the next item of the same depth
    depth: int  # quote depth: 0 in the narrative, 1 inside a quoted feedback sentence


@dataclass(slots=True)
class Node:
    para: Para
    marker: Marker | None = None
    lead: str = ""  # heading: first sentence after the marker; plain paragraph: ""
    body: str = ""  # after the marker and the lead (run-in text); a plain paragraph: all of it
    items: tuple[Item, ...] = ()
    children: list[Node] = field(default_factory=list)

    @property
    def level(self) -> int:
        """Heading level 1-5; 0 for a plain paragraph."""
        return self.marker.level if self.marker else 0

    @property
    def is_heading(self) -> bool:
        return self.marker is not None

    @property
    def text(self) -> str:
        """The paragraph without its marker."""
        return self.lead + self.body

    @property
    def no(self) -> int:
        return self.para.no

    def headings(self) -> list[Node]:
        return [c for c in self.children if c.is_heading]

    def walk(self) -> Iterator[Node]:
        for child in self.children:
            yield child
            yield from child.walk()


@dataclass(slots=True)
class Structure:
    paras: tuple[Para, ...]
    children: list[Node]  # top-level nodes, in order
    odd: list[Para] = field(default_factory=list)  # numbered-looking paragraphs it could not read

    def walk(self) -> Iterator[Node]:
        for child in self.children:
            yield child
            yield from child.walk()

    def levels_used(self) -> set[int]:
        return {n.level for n in self.walk() if n.marker is not None and not n.marker.bare}


def split_paragraphs(text: str) -> list[Para]:
    """Lines → numbered non-blank paragraphs, surrounding spaces (incl. full-width) stripped."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return _numbered(lines)


def _numbered(lines: Sequence[str]) -> list[Para]:
    paras: list[Para] = []
    for line in lines:
        stripped = line.strip(_SPACE)
        if stripped:
            paras.append(Para(len(paras) + 1, stripped))
    return paras


def _quote_depths(text: str) -> list[int]:
    """Quote/book-title nesting depth before each character; straight quotes toggle."""
    depths, depth, straight = [], 0, False
    for ch in text:
        depths.append(depth + straight)
        if ch in _OPEN_QUOTES:
            depth += 1
        elif ch in _CLOSE_QUOTES:
            depth = max(depth - 1, 0)
        elif ch == '"':
            straight = not straight
    return depths


def split_lead(text: str) -> tuple[str, str]:
    """A run-in heading: (lead sentence up to the first 。 outside quotes, the rest)."""
    depths = _quote_depths(text)
    for i, ch in enumerate(text):
        if ch == "。" and depths[i] == 0:
            return text[: i + 1], text[i + 1:]
    return text, ""


def enumeration_items(text: str) -> tuple[Item, ...]:
    """The ``一是…二是…`` items of a paragraph, each with its quote depth."""
    depths = _quote_depths(text)
    found = []
    for m in _ITEM_RE.finditer(text):
        number = parse_cn_numeral(m.group(1))
        if number:
            found.append((m.start(), m.end(), number, m.group(0), depths[m.start()]))
    items = []
    for i, (start, end, number, label, depth) in enumerate(found):
        stop = _quote_end(depths, start, depth)
        nxt = next((s for s, _, _, _, d in found[i + 1:] if d == depth), None)
        items.append(Item(number, label, start, text[end:min(stop, nxt or stop)], depth))
    return tuple(items)


def _quote_end(depths: list[int], start: int, depth: int) -> int:
    """Offset of the quote that closes the one an item sits in (the text's end at depth 0)."""
    if depth:
        for i in range(start, len(depths)):
            if depths[i] < depth:
                return i - 1
    return len(depths)


def _marker(text: str) -> tuple[Marker, str] | None:
    for level, pattern in _MARKERS:
        m = pattern.match(text)
        if not m:
            continue
        raw = m.group(2)
        if level == 5:
            number = _CIRCLED.index(raw) + 1
        elif level in (1, 2):
            number = parse_cn_numeral(raw) or 0
        else:
            number = int(raw.translate(_FULL_DIGITS))
        if not number or number > _MAX_NUMBER:
            continue
        style = m.group(1) + m.group(3)
        rest = text[m.end():]
        if not rest and level in (1, 3):
            continue  # "一、" or "2." alone on a line is not a heading we can use
        return Marker(level, number, m.group(0).strip(_SPACE), style), rest
    return None


def without_marker(text: str) -> str:
    """The text without a heading number it starts with ("一、政治建设方面" → "政治建设方面",
    "1.理论学习不深入" → "理论学习不深入"): units number their 方面 and problems in the cells, and
    the notice numbers them itself."""
    stripped = text.strip(_SPACE)
    found = _marker(stripped)
    return found[1].strip(_SPACE) if found and found[1].strip(_SPACE) else stripped


def _node(para: Para) -> Node:
    found = _marker(para.text)
    if found is None:
        return Node(para, body=para.text, items=enumeration_items(para.text))
    marker, rest = found
    lead, body = split_lead(rest)
    return Node(para, marker, lead, body, enumeration_items(rest))


def _bare_heading(node: Node, following: Node, stack: list[Node]) -> None:
    """An unnumbered aspect line directly above a numbered heading becomes a heading one level
    above that heading (marker number 0, no marker text), so the numbering under it restarts.
    It may not stand in for a numbered level the text uses at that place (（一） or 一、)."""
    if following.marker is None or not _BARE_RE.match(node.para.text):
        return
    level = following.marker.level - 1
    numbered = [n.level for n in stack if n.marker is not None and not n.marker.bare]
    if _NOT_BARE_RE.search(node.para.text) or level < 1 or level in numbered:
        return
    node.marker = Marker(level, 0, "", "")
    node.lead, node.body = node.para.text, ""


def read_structure(paragraphs: Sequence[str] | str) -> Structure:
    """Paragraph texts (or one text with line breaks) → the tree of numbered levels.

    A heading closes every open heading of the same or a deeper level; a plain paragraph
    belongs to the innermost open heading (or to the top when none is open).
    """
    paras = split_paragraphs(paragraphs) if isinstance(paragraphs, str) else _numbered(paragraphs)
    top: list[Node] = []
    stack: list[Node] = []
    odd: list[Para] = []
    nodes = [_node(para) for para in paras]
    for i, node in enumerate(nodes):
        para = node.para
        if node.marker is None and _ODD_RE.match(para.text):
            odd.append(para)
        if node.marker is None and i + 1 < len(nodes):
            _bare_heading(node, nodes[i + 1], stack)
        if node.is_heading:
            while stack and stack[-1].level >= node.level:
                stack.pop()
        (stack[-1].children if stack else top).append(node)
        if node.is_heading:
            stack.append(node)
    return Structure(tuple(paras), top, odd)
