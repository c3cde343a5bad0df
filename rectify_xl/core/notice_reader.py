"""The parts of a notice or feedback document, read from its structure (issue 8).

Pure. ``read_notice(structure)`` finds the parts of a published progress notice (opening,
sections 一 二 三, aspects, problems, measure narratives, closing) or of a feedback document
(aspects and problems only). Every paragraph is either placed or listed in
``NoticeDoc.unplaced`` so the import report can name it. core.notice_import turns the result
into ledger records; core.notice_rules checks it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from rectify_xl.core.notice_facts import (
    FULL_DATE_RE,
    StatedCount,
    mentions_contact,
    parse_cn_date,
    read_contact,
    read_info,
    stated_counts,
)
from rectify_xl.core.structure import Node, Para, Structure, enumeration_items

__all__ = ["DocMeasure", "DocProblem", "NoticeDoc", "problem_text", "read_notice"]

_PROBLEM_RE = re.compile(r"^关于\s*[“\"「]")
# what may follow the quoted problem: 问题的整改情况 / 的整改情况 / 问题整改 / 的问题 / 问题
_PROBLEM_TAIL_RE = re.compile(
    r"[”\"」]\s*(?:的|等)?\s*(?:问题)?\s*的?\s*(?:整改(?:落实|进展)?(?:情况)?)?\s*[。.．：:]?")
_LABEL_RE = re.compile(
    r"^(?:整改(?:落实|进展)?情况|整改(?:措施|进展|成效|结果)|落实情况)\s*[：:]\s*")
_SECTION_ONE = ("主体责任", "组织领导", "履行")
_SECTION_TWO = ("反馈", "整改落实", "整改进展", "整改情况", "问题整改", "整改成效")
_NOT_PROBLEMS = ("建议", "要求", "整改意见")
@dataclass(slots=True)
class DocMeasure:
    para: int
    narrative: str


@dataclass(slots=True)
class DocProblem:
    para: int
    aspect: str
    feedback: str
    text: str
    measures: list[DocMeasure] = field(default_factory=list)
    explicit_feedback: bool = False  # the text gives the feedback problem as its own level


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

    @property
    def measure_count(self) -> int:
        return sum(len(p.measures) for p in self.problems)


def _claim(doc: NoticeDoc, node: Node) -> bool:
    """Closing and signature paragraphs are taken wherever the tree put them."""
    if node.no in doc.signature:
        return True
    if _is_closing(node):
        _read_closing(doc, node.para)
        return True
    return False


def _is_closing(node: Node) -> bool:
    return not node.is_heading and (
        mentions_contact(node.para.text) or node.para.text.startswith("欢迎")
    )


def _is_opening(text: str) -> bool:
    return bool(re.search(r"巡[察视]组", text)) and ("巡察" in text or "巡视" in text)


def _looks_like_title(text: str) -> bool:
    return len(text) <= 80 and not re.search(r"[。；;]", text)


def _section_of(node: Node, index: int) -> str:
    title = node.text
    if "下一步" in title:
        return "三"
    if any(w in title for w in _SECTION_ONE):
        return "一"
    if any(w in title for w in _SECTION_TWO):
        return "二"
    return {1: "一", 2: "二", 3: "三"}.get(node.marker.number if node.marker else index, "?")


def problem_text(lead: str) -> str | None:
    """'关于“X”问题的整改情况。' → X (the first closing quote followed only by such words);
    None for any other heading."""
    start = _PROBLEM_RE.match(lead)
    if start is None:
        return None
    for m in re.finditer(r"[”\"」]", lead[start.end():]):
        pos = start.end() + m.start()
        if _PROBLEM_TAIL_RE.fullmatch(lead[pos:]):
            return lead[start.end():pos]
    return lead[start.end():].rstrip("”\"」。")


def read_notice(structure: Structure) -> NoticeDoc:
    """The parts of a notice (or a feedback document) found in its structure."""
    is_notice = _looks_like_notice(structure)
    doc = NoticeDoc("notice" if is_notice else "feedback")
    doc.counts = stated_counts(list(structure.paras))
    _read_signature(doc, list(structure.paras))
    nodes = list(structure.children)
    first_heading = next((i for i, n in enumerate(nodes) if n.is_heading), len(nodes))
    has_level_one = any(n.level == 1 for n in nodes)
    _read_front(doc, nodes[:first_heading], has_level_one)
    body = nodes[first_heading:]
    if not is_notice:
        _read_feedback(doc, body)
    elif has_level_one:
        sections = _sections([n for n in body if n.level == 1])
        for i, node in enumerate(body, start=1):
            _read_section(doc, node, sections.get(node.no) or _section_of(node, i))
    else:
        _read_problems(doc, body)
    return doc


def _looks_like_notice(structure: Structure) -> bool:
    for node in structure.walk():
        if node.is_heading and problem_text(node.lead) is not None:
            return True
        if not node.is_heading and _LABEL_RE.match(node.para.text):
            return True
    return any("整改" in n.text and not any(w in n.text for w in _NOT_PROBLEMS)
               for n in structure.children if n.level == 1)


_NOTE_RE = re.compile(r"^[（(]此件[^）)]*[）)]$")


def _read_signature(doc: NoticeDoc, paras: list[Para]) -> None:
    """落款 at the end: the issuing body on one line and the date on the next; （此件公开发布）
    style notes around them are set aside."""
    tail = [p for p in paras[-4:] if _NOTE_RE.match(p.text)]
    doc.signature.update(p.no for p in tail)
    rest = [p for p in paras if p not in tail]
    if len(rest) < 3:
        return
    last = unicodedata.normalize("NFKC", rest[-1].text).replace(" ", "")
    if not (m := FULL_DATE_RE.match(last)):
        return
    doc.info["publish_date"] = parse_cn_date(m[1], m[2], m[3])
    doc.signature.add(rest[-1].no)
    issuer = rest[-2].text
    if len(issuer) <= 40 and not re.search(r"[。，,；;：:]", issuer):
        doc.info["issuer"] = issuer
        doc.signature.add(rest[-2].no)


def _read_front(doc: NoticeDoc, nodes: list[Node], has_level_one: bool) -> None:
    """Title line, opening paragraph, and anything else before the first heading."""
    for i, node in enumerate(nodes):
        text = node.para.text
        if i == 0 and _looks_like_title(text):
            doc.info["title"] = text
        elif doc.opening is None and _is_opening(text):
            doc.opening = node.para
            doc.info.update(read_info(text))
        elif _claim(doc, node):
            continue
        elif doc.kind == "notice":
            # no 一、 level (a district notice): the narrative before the aspects opens section 一
            doc.texts.append({"section": "一", "lead": "", "body": text, "para": node.no})
            if has_level_one:
                doc.unplaced.append((node.para, "位于开头段落与“一、”之间，已作为第一部分导语导入"))
            elif any(c.para == node.no for c in doc.counts):
                doc.unplaced.append((node.para, "含统计数字，已作为第一部分导语原样导入；"
                                                "生成公告前请核对或删去其中的数字"))
        else:
            doc.unplaced.append((node.para, "反馈意见开头的说明文字，未导入"))


def _read_closing(doc: NoticeDoc, para: Para) -> None:
    text = para.text
    m = re.search(r"联系方式|联系电话|电话[：:]?\s*\d|电子邮箱|邮政信箱", text)
    head, contact = (text[: m.start()], text[m.start():]) if m else (text, "")
    if doc.closing is None:
        doc.closing = para
    doc.contact_text += contact
    doc.info.update(read_contact(contact))
    if head.strip():
        doc.texts.append({"section": "结尾", "lead": "", "body": head.strip(), "para": para.no})


def _has_problems(node: Node) -> bool:
    return any(problem_text(n.lead) is not None if n.is_heading else bool(_LABEL_RE.match(n.text))
               for n in node.walk())


def _sections(level_one: list[Node]) -> dict[int, str]:
    """一 / 二 / 三 per level-1 heading: the part listing problems is 二, whatever its title;
    parts before it are 一, parts after it 三. Without such evidence, titles decide."""
    problems = [n.no for n in level_one if _has_problems(n)]
    if not problems:
        return {}
    return {n.no: "二" if n.no in problems else ("一" if n.no < problems[0] else "三")
            for n in level_one}


def _read_section(doc: NoticeDoc, node: Node, section: str) -> None:
    if not node.is_heading:
        if not _claim(doc, node):
            doc.unplaced.append((node.para, "不在任何“一、二、三”部分之内"))
        return
    if node.level != 1:
        section = "?"
    elif section in doc.sections_seen and section != "二":
        doc.unplaced.append((node.para, f"又一个一级标题，其下内容并入第{section}部分"))
    doc.sections_seen.add(section)
    if section in ("一", "三"):
        _read_free_text(doc, node, section)
    elif section == "二":
        _read_problems(doc, node.children)
    else:
        doc.unplaced.append((node.para, "无法判断属于公告的哪一部分"))
        for child in node.walk():
            doc.unplaced.append((child.para, "所在部分无法识别"))


def _read_free_text(doc: NoticeDoc, section_node: Node, section: str) -> None:
    """Sections 一 and 三: （一） paragraphs as lead sentence + body; plain paragraphs as bodies."""
    for node in section_node.walk():
        if _claim(doc, node):
            continue
        if node.level == 2:
            doc.texts.append({"section": section, "lead": node.lead, "body": node.body,
                              "para": node.no})
        else:
            text = node.para.text if node.is_heading else node.text
            doc.texts.append({"section": section, "lead": "", "body": text, "para": node.no})
            if node.is_heading:
                doc.unplaced.append((node.para, f"第{section}部分中的下级标题，已按正文段落导入"))


def _read_problems(doc: NoticeDoc, nodes: list[Node]) -> None:
    """Section 二: summary sentence, aspects (（一）…方面), problems and their narratives."""
    headings = [n for n in nodes if n.is_heading]
    problem_level = _problem_level(headings)
    aspect = ""
    if not any(n.level < problem_level for n in headings):
        doc.no_aspect_level = True
    for node in nodes:
        if _claim(doc, node):
            continue
        if not node.is_heading:
            if doc.problems:
                _add_narrative(doc, doc.problems[-1], node.para, node.text)
            else:
                doc.summary.append(node.para)
        elif node.level < problem_level:
            aspect = node.lead.rstrip("。.． ")
            doc.aspects.append((aspect, node.no))
            if node.body:
                doc.unplaced.append((node.para, "“方面”标题后的文字未导入"))
            _read_problems_under(doc, node.children, aspect, problem_level)
        else:
            _read_problem(doc, node, aspect)


def _read_problems_under(doc: NoticeDoc, nodes: list[Node], aspect: str, level: int) -> None:
    for node in nodes:
        if _claim(doc, node):
            continue
        if node.is_heading:
            _read_problem(doc, node, aspect)
        else:
            doc.unplaced.append((node.para, "位于“方面”标题与第一个问题之间，未导入"))


def _problem_level(headings: list[Node]) -> int:
    """The level whose headings are problems: 关于“…” headings, else the level under aspects."""
    about = [c.level for n in headings for c in (n, *n.walk())
             if c.is_heading and problem_text(c.lead) is not None]
    if about:
        return min(about)
    if not headings:
        return 3
    top = min(n.level for n in headings)
    tops = [n for n in headings if n.level == top]
    below = [c.level for n in tops for c in n.headings()]
    aspect_like = top <= 2 or any("方面" in n.lead for n in tops)
    return min(below) if below and aspect_like else top


def _read_problem(doc: NoticeDoc, node: Node, aspect: str) -> None:
    text = problem_text(node.lead)
    sub = [c for c in node.children if c.is_heading and problem_text(c.lead) is not None]
    if text is None:
        text = node.lead.rstrip("。.． ")
    if sub:  # a quoted feedback sentence above the concrete problems (1.关于… (1)关于…)
        for child in node.children:
            if child in sub:
                concrete = DocProblem(child.no, aspect, text, problem_text(child.lead) or "",
                                      explicit_feedback=True)
                doc.problems.append(concrete)
                _read_measures(doc, concrete, child)
            else:
                doc.unplaced.append((child.para, "位于反馈问题与具体问题之间，未导入"))
        return
    problem = DocProblem(node.no, aspect, text, text)
    doc.problems.append(problem)
    _read_measures(doc, problem, node)


def _read_measures(doc: NoticeDoc, problem: DocProblem, node: Node) -> None:
    if node.body:
        _add_narrative(doc, problem, node.para, node.body)
    for child in node.children:
        if child.is_heading and child.level > node.level:
            closing = [g for g in child.walk() if _claim(doc, g)]
            rest = "".join(g.para.text for g in child.walk() if g not in closing)
            problem.measures.append(DocMeasure(child.no, child.text + rest))
        elif child.is_heading:
            doc.unplaced.append((child.para, "标题层级与所在问题不符，未导入"))
        elif not _claim(doc, child):
            _add_narrative(doc, problem, child.para, child.text)


def _add_narrative(doc: NoticeDoc, problem: DocProblem, para: Para, text: str) -> None:
    """整改落实情况：一是…二是… → one measure per item; an undivided paragraph → one measure."""
    text = _LABEL_RE.sub("", text.strip())
    if not text:
        return
    if doc.kind == "feedback":
        problem.text += text
        problem.feedback = problem.text
        return
    items = [i for i in enumeration_items(text) if i.depth == 0]
    if not items:
        problem.measures.append(DocMeasure(para.no, text))
        return
    prefix = text[: items[0].start]
    for k, item in enumerate(items):
        narrative = (prefix if k == 0 else "") + item.text
        problem.measures.append(DocMeasure(para.no, narrative.strip()))
    if prefix.strip():
        doc.unplaced.append((para, "“一是”之前的文字已并入第一条措施"))


def _read_feedback(doc: NoticeDoc, nodes: list[Node]) -> None:
    """A feedback document: the deepest numbered items are problems, their parents aspects."""
    for node in nodes:
        if node.is_heading and node.level == 1 and any(w in node.text for w in _NOT_PROBLEMS):
            for sub in [node, *node.walk()]:
                doc.unplaced.append((sub.para, "意见建议或整改要求部分，不是问题，未导入"))
            continue
        if _claim(doc, node):
            continue
        _feedback_node(doc, node, "")


def _feedback_node(doc: NoticeDoc, node: Node, aspect: str) -> None:
    if not node.is_heading:
        if doc.problems:
            _add_narrative(doc, doc.problems[-1], node.para, node.text)
        else:
            doc.unplaced.append((node.para, "不属于任何问题的说明文字，未导入"))
        return
    if node.headings():
        name = node.lead.rstrip("。.．：: ")
        if "方面" in name or not aspect:
            aspect = name
            doc.aspects.append((name, node.no))
        for child in node.children:
            _feedback_node(doc, child, aspect)
        return
    text = (node.lead + node.body).rstrip("。.． ")
    doc.problems.append(DocProblem(node.no, aspect, text, text))
    if not aspect:
        doc.no_aspect_level = True
