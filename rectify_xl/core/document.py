"""The notice as a formal document: notice lines → typed blocks (title, headings, body, signature).

Pure. The notice text (one paragraph per line) carries its structure in the leading markers of
GB/T 9704-2012 7.3.3: 一、 （一） 1. （1）. A run-in heading — "（一）深入领会精神，统一思想认识。
7月7日…" — is a heading paragraph whose lead sentence (up to the first 。 outside quotes) takes
the heading's face (楷体 at level 2) and whose rest is body text (仿宋): the common practice for
GB/T 9704 documents, where a paragraph never mixes two levels. The writer maps blocks to styles.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from rectify_xl.core.dates import format_cn
from rectify_xl.core.lazy_re import lazy_compile
from rectify_xl.core.model import Info
from rectify_xl.core.numbering import heading_marker, parse_cn_numeral

__all__ = [
    "STYLE_NAMES",
    "Block",
    "Kind",
    "classify",
    "document_date",
    "document_issuer",
    "document_title",
    "full_width_punctuation",
    "heading_gaps",
    "notice_blocks",
    "parse_marker",
    "text_cells",
]


class Kind(StrEnum):
    TITLE = "title"
    HEADING = "heading"
    BODY = "body"
    ADDRESSEE = "addressee"  # 主送机关: body text flush left (GB/T 9704 7.3.3: 左侧顶格)
    SIGNATURE = "signature"
    DATE = "date"


# Paragraph and character style names in the .docx (user-facing: Word/WPS show them, and a
# reference document is matched by these names). Body text uses Word's built-in Normal (正文).
STYLE_NAMES: dict[str, str] = {
    "title": "公文标题",
    "heading1": "一级标题",
    "heading2": "二级标题",
    "heading3": "三级标题",
    "heading4": "四级标题",
    "body": "Normal",
    "signature": "发文机关署名",
    "date": "成文日期",
    "footer": "页码",
    "run_in_rest": "标题后正文",  # character style: the body text after a run-in lead sentence
}


@dataclass(frozen=True, slots=True)
class Block:
    kind: Kind
    text: str
    level: int = 0  # 1..4 for headings
    lead_len: int = 0  # headings: length of the lead sentence (incl. marker); == len(text) if whole

    @property
    def lead(self) -> str:
        return self.text[: self.lead_len] if self.kind is Kind.HEADING else ""

    @property
    def rest(self) -> str:
        return self.text[self.lead_len :] if self.kind is Kind.HEADING else self.text

    @property
    def role(self) -> str:
        """The font/style role: title, heading1..4, body, signature, date."""
        if self.kind is Kind.ADDRESSEE:
            return "body"  # the body's style, without its first-line indent
        return f"heading{self.level}" if self.kind is Kind.HEADING else self.kind.value


_CN = "零一二三四五六七八九十百千"
_MARKERS = (
    (1, lazy_compile(rf"^([{_CN}]+)、")),
    (2, lazy_compile(rf"^（([{_CN}]+)）")),
    (3, lazy_compile(r"^(\d+)[.．](?!\d)")),
    (4, lazy_compile(r"^（(\d+)）")),
)


def parse_marker(line: str) -> tuple[int, int, int] | None:
    """(level, number, marker length) of a heading line, or None for body text."""
    for level, pattern in _MARKERS:
        m = pattern.match(line)
        if m:
            raw = m.group(1)
            n = int(raw) if raw.isdigit() else parse_cn_numeral(raw)
            if n:
                return level, n, m.end()
    return None


_OPEN, _CLOSE = "“‘《（", "”’》）"


def _lead_length(line: str) -> int:
    """Up to and including the first 。 (or ！？) outside quotes and brackets; all if none."""
    depth = 0
    for i, ch in enumerate(line):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch in "。！？" and depth == 0:
            return i + 1
    return len(line)


def classify(line: str) -> Block:
    """One notice line as a heading (standalone or run-in) or a body paragraph."""
    marker = parse_marker(line)
    if marker is None:
        return Block(Kind.BODY, line)
    level, _, _ = marker
    return Block(Kind.HEADING, line, level, _lead_length(line))


# Half-width punctuation typed in Chinese text → full-width (GB/T 9704 clause 9 → GB/T 15834).
# Only where it touches Chinese: 244.9万元, 10:30, e-mail addresses and the 1. marker stay.
_HAN = r"[\u3400-\u9fff\uf900-\ufaff“”‘’《》（）、，。；：]"
_PAIRS = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
_PAREN_RE = lazy_compile(r"\(([^()]*)\)")
_PUNCT_RE = lazy_compile(rf"(?<={_HAN})[,:;?!]|[,:;?!](?={_HAN})")
_HAN_RE = lazy_compile(_HAN)


def full_width_punctuation(line: str) -> str:
    line = _PAREN_RE.sub(
        lambda m: f"（{m.group(1)}）" if _HAN_RE.search(m.group(1)) else m.group(0), line
    )
    return _PUNCT_RE.sub(lambda m: _PAIRS[m.group(0)], line)


def document_title(info: Info) -> str:
    return info.title.strip() or f"{info.unit}关于巡察整改进展情况的公告"


def document_issuer(info: Info) -> str:
    """发文机关署名: the issuer, or the unit."""
    return (info.issuer or info.unit).strip()


def document_date(info: Info) -> str:
    """成文日期 in Arabic numerals (7.3.5.4): 2021年11月5日; publish date, else as-of date."""
    when: date | None = info.publish_date or info.as_of
    return format_cn(when) if when else ""


def notice_blocks(text: str, *, title: str, issuer: str, date_text: str,
                  headings: Iterable[tuple[str, int, int]] = ()) -> tuple[Block, ...]:
    """The whole document: title, one block per non-empty notice line, signature, date.

    ``headings`` are the renderer's heading lines as data (text, level, lead length:
    core.notice.render.heading_lines): a line that is one of them takes its level and lead
    sentence from there. Only a line the renderer did not write (a custom template's own line,
    a hand-edited text) is classified by its leading marker.
    """
    known = {full_width_punctuation(t.strip()): (level, lead) for t, level, lead in headings}
    lines = [full_width_punctuation(s.strip()) for s in text.splitlines()]
    blocks = [Block(Kind.TITLE, title)] if title else []
    for line in lines:
        if not line:
            continue
        if line in known:
            level, lead = known[line]
            blocks.append(Block(Kind.HEADING, line, level, min(lead, len(line))))
        else:
            blocks.append(classify(line))
    if issuer:
        blocks.append(Block(Kind.SIGNATURE, issuer))
    if date_text:
        blocks.append(Block(Kind.DATE, date_text))
    return tuple(blocks)


def text_cells(text: str) -> float:
    """Width in character cells: Han characters and full-width marks 1, half-width (半角) ½.

    East Asian "ambiguous" characters (× “ ” —) count as full width: in Chinese text with a
    Chinese font they are set full width.
    """
    return sum(1.0 if unicodedata.east_asian_width(ch) in "FWA" else 0.5 for ch in text)


def heading_gaps(lines: Iterable[str]) -> list[str]:
    """Heading markers out of sequence: each level restarts at 1 under a new parent heading.

    Returns the offending lines' expected markers, e.g. ["（三） expected, got （二）"]; empty
    when the numbering is gapless at every level.
    """
    counters: list[int] = [0, 0, 0, 0]
    gaps: list[str] = []
    for line in lines:
        marker = parse_marker(line)
        if marker is None:
            continue
        level, n, length = marker
        expected = counters[level - 1] + 1
        if n != expected:
            gaps.append(f"{heading_marker(level, expected)} expected, got {line[:length]}")
        counters[level - 1] = n
        for deeper in range(level, 4):
            counters[deeper] = 0
    return gaps
