"""What a notice or feedback document is read into, and how one paragraph under a problem
becomes measures (issue 8).

Pure. ``NoticeDoc`` is the result of core.notice.reader; ``add_narrative`` reads the text under
one problem heading (一是…二是…, （1）…（2）…, 责任领导：… lines, 整改成效：…) into that problem.
core.notice.importer and core.notice.rules read the NoticeDoc.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rectify_xl.core.notice.facts import StatedCount
from rectify_xl.core.schema import Status
from rectify_xl.core.structure import Para, enumeration_items

__all__ = ["LABEL_RE", "DocMeasure", "DocProblem", "NoticeDoc", "add_narrative", "join_inner_paragraphs"]

LABEL_RE = re.compile(
    r"^(?:整改(?:落实|进展)?情况|整改(?:措施|进展|成效|结果)|落实情况)\s*[：:]\s*")
# 整改成效：… after the measures: what they achieved, part of the last narrative, not a measure
_RESULT_RE = re.compile(r"^(?:整改(?:成效|结果|效果)|取得成效|完成情况|整改进展)\s*[：:]\s*")
# 责任领导：…；责任单位：…；整改时限：…；整改状态：… lines under a problem (columns, not measures)
_FIELD_LABELS = {
    "责任领导": "leader", "牵头领导": "leader", "分管领导": "leader",
    "责任部门": "department", "责任单位": "department", "牵头单位": "department",
    "牵头部门": "department", "责任人": "department",
    "整改时限": "deadline", "完成时限": "deadline", "整改期限": "deadline",
    "整改状态": "status", "整改进度": "status",
}
_FIELD_NAMES = "|".join(_FIELD_LABELS)
_FIELD_RE = re.compile(rf"({_FIELD_NAMES})\s*[：:]\s*([^；;。\n]+?)"
                       rf"(?=[；;。\n]|[，,]\s*(?:{_FIELD_NAMES})\s*[：:]|$)")


@dataclass(slots=True)
class DocMeasure:
    para: int
    narrative: str
    item: int = 0  # its number in 一是…二是… (0: not an enumerated item)
    status: str = ""  # 整改状态 as the text states it (core.notice.statuses), "" if it does not


@dataclass(slots=True)
class DocProblem:
    para: int
    aspect: str
    feedback: str
    text: str
    measures: list[DocMeasure] = field(default_factory=list)
    explicit_feedback: bool = False  # the text gives the feedback problem as its own level
    fields: dict[str, str] = field(default_factory=dict)  # leader/department/deadline/status stated
    from_aspect: bool = False  # an aspect without problem headings, read as its own problem
    statuses: list[tuple[str, int, str]] = field(default_factory=list)  # status, para, words


@dataclass(slots=True)
class NoticeDoc:
    kind: str  # notice | feedback
    info: dict[str, Any] = field(default_factory=dict)
    opening: Para | None = None
    texts: list[dict[str, Any]] = field(default_factory=list)  # 文稿 rows (+ "para")
    summary: list[Para] = field(default_factory=list)
    problems: list[DocProblem] = field(default_factory=list)
    aspects: list[tuple[str, int]] = field(default_factory=list)  # name, paragraph
    closing: Para | None = None
    contact_text: str = ""
    unplaced: list[tuple[Para, str]] = field(default_factory=list)  # paragraph, why
    no_aspect_level: bool = False
    counts: list[StatedCount] = field(default_factory=list)
    signature: set[int] = field(default_factory=set)  # 落款: issuer and date paragraphs
    sections_seen: set[str] = field(default_factory=set)
    section_titles: list[tuple[Para, str]] = field(default_factory=list)  # 一、… headings, part
    # 1. straight under 一、 in parts 一/三, read as （一）: paragraph and marker as written
    renumbered: list[tuple[Para, str]] = field(default_factory=list)
    # a paragraph between an aspect heading and its first problem: the aspect's own narrative
    aspect_notes: list[tuple[Para, str]] = field(default_factory=list)
    inner_paragraphs: list[int] = field(default_factory=list)  # joined to the item before them
    # the paragraph and words of the 截至 date the statuses hold at (info["as_of"]), and the
    # paragraph of the publication date (落款, or the dated line under the title)
    as_of_from: tuple[int, str] | None = None
    published_in: int | None = None

    @property
    def measure_count(self) -> int:
        return sum(len(p.measures) for p in self.problems)


def add_narrative(doc: NoticeDoc, problem: DocProblem, para: Para, text: str) -> None:
    """整改落实情况：一是…二是… → one measure per item; an undivided paragraph → one measure."""
    text = text.strip()
    if doc.kind == "notice" and (result := _RESULT_RE.match(text)) and problem.measures:
        last = problem.measures[-1]  # 整改成效：… says what the measures achieved
        last.narrative = last.narrative + text[result.end():]
        return
    text = LABEL_RE.sub("", text)
    if not text:
        return
    if doc.kind == "feedback":  # 1.学习不深入 ¶ 一是… → 学习不深入。一是…（as a run-in problem）
        joined = problem.text.rstrip("。.． ")
        sep = "" if not joined or joined.endswith(("；", ";", "：", ":", "！", "？")) else "。"
        problem.text = problem.feedback = (joined + sep + text).rstrip("。.． ")
        return
    if _read_fields(doc, problem, para, text):
        return
    items = [i for i in enumeration_items(text) if i.depth == 0]
    if not items:
        parts = _inline_numbered(text)
        problem.measures.extend(DocMeasure(para.no, part) for part in parts)
        return
    prefix = text[: items[0].start]
    for k, item in enumerate(items):
        narrative = (prefix if k == 0 else "") + item.text
        problem.measures.append(DocMeasure(para.no, narrative.strip(), item.number))
    if prefix.strip():
        doc.unplaced.append((para, "“一是”之前的文字已并入第一条措施"))


def join_inner_paragraphs(problem: DocProblem) -> list[int]:
    """四是… ¶ 同时，… ¶ 五是…: a plain paragraph between two items of one enumeration is part of
    the item before it, not a measure of its own. Returns the paragraphs so joined."""
    joined = []
    out: list[DocMeasure] = []
    ms = problem.measures
    for k, m in enumerate(ms):
        nxt = ms[k + 1] if k + 1 < len(ms) else None
        if (m.item == 0 and out and out[-1].item and nxt is not None
                and nxt.item == out[-1].item + 1 and m.para != out[-1].para):
            out[-1].narrative += m.narrative
            joined.append(m.para)
        else:
            out.append(m)
    problem.measures = out
    return joined


_INLINE_RE = re.compile(r"(?:^|(?<=[。；;：:]))\s*(?:[（(]([1-9]\d?)[）)]|([①-⑳]))")


def _inline_numbered(text: str) -> list[str]:
    """整改落实情况：（1）…；（2）… or ①…②… in one paragraph → one narrative per number, when
    they run 1, 2, 3… from the start of a clause; otherwise the paragraph is one narrative."""
    marks = list(_INLINE_RE.finditer(text))
    numbers = [int(m[1]) if m[1] else ord(m[2]) - ord("①") + 1 for m in marks]
    if len(marks) < 2 or numbers != list(range(1, len(marks) + 1)) or text[: marks[0].start()].strip():
        return [text]
    ends = [m.start() for m in marks[1:]] + [len(text)]
    parts = [text[m.end():end].strip().rstrip("；;，,") for m, end in zip(marks, ends, strict=True)]
    return [p if p.endswith(("。", "！", "？", "”")) else p + "。" for p in parts]


def _read_fields(doc: NoticeDoc, problem: DocProblem, para: Para, text: str) -> bool:
    """责任领导：…；整改时限：… → the problem's columns (True: the paragraph starts so). A status
    that is not one of the ledger's, and any other words on the line, are reported."""
    if not _FIELD_RE.match(text):
        return False
    left = []
    for m in _FIELD_RE.finditer(text):
        key, value = _FIELD_LABELS[m[1]], m[2].strip()
        if key == "status":
            status = Status.parse(value)
            if status is None:
                left.append(m[0])
                continue
            value = status.value
        problem.fields.setdefault(key, value)
    rest = re.sub(r"[\s。；;，,、]", "", _FIELD_RE.sub("", text))
    if left or rest:
        said = "；".join([*left, rest] if rest else left)
        doc.unplaced.append((para, f"责任、时限、状态行中未导入：{said}"))
    return True

