"""The parts of a notice or feedback document, read from its structure (issue 8).

Pure. ``read_notice(structure)`` finds the parts of a published progress notice (opening,
sections 一 二 三, aspects, problems, measure narratives, closing) or of a feedback document
(aspects and problems only). Every paragraph is either placed or listed in
``NoticeDoc.unplaced`` so the import report can name it. The text under one problem is read by
core.notice.doc; core.notice.importer turns the result into ledger records; core.notice.rules
checks it.
"""

from __future__ import annotations

import re

from rectify_xl.core.notice.doc import (
    LABEL_RE,
    DocMeasure,
    DocProblem,
    NoticeDoc,
    add_narrative,
    join_inner_paragraphs,
)
from rectify_xl.core.notice.facts import (
    CONTACT_START_RE,
    mentions_contact,
    parse_full_date,
    read_contact,
    read_info,
    stated_as_of,
    stated_counts,
)
from rectify_xl.core.schema import SHEETS
from rectify_xl.core.structure import Node, Para, Structure

__all__ = ["problem_text", "read_notice"]

_PROBLEM_RE = re.compile(r"^关于\s*[“\"「]")
# 关于部分干部学用脱节的问题。 (no quotes; a provincial notice's run-in problem headings)
_BARE_PROBLEM_RE = re.compile(
    r"^关于(?P<text>[^“\"「。；;]{2,80}?)的?问题(?:的整改(?:落实|进展)?(?:情况)?)?\s*[。.．：:]?$")
# a problem given as a labelled paragraph, paired with 整改情况：… after it (a table turned into
# text, or a unit's own layout): 问题1：… / 问题一：… / 反馈问题2：… / 存在问题：… / 【问题3】…
_LABELLED_PROBLEM_RE = re.compile(
    r"^(?:[【\[]\s*)?(?:(?:反馈|存在|具体)?问题\s*(?:[一二三四五六七八九十]{1,3}|\d{1,3})"
    r"|(?:反馈|存在|具体)问题|问题描述)\s*(?:[】\]]\s*[：:]?|[：:]|[、.．](?!\d))\s*")
_QUOTED_TERM_PROBLEM_RE = re.compile(
    r"^关于\s*[“\"「](?P<text>[^。；;]{2,80}?)的?问题(?:的整改(?:落实|进展)?(?:情况)?)?\s*[。.．：:]?$")
_ASPECT_TAIL_RE = re.compile(r"^[”\"」]\s*(?:等)?方面")
# what may follow the quoted problem: 问题的整改情况 / 的整改情况 / 问题整改 / 的问题 / 问题
_PROBLEM_TAIL_RE = re.compile(
    r"[”\"」]\s*(?:的|等)?\s*(?:问题)?\s*的?\s*(?:整改(?:落实|进展)?(?:情况)?)?\s*[。.．：:]?")
_SECTION_ONE = ("主体责任", "组织领导", "履行")
_SECTION_TWO = ("反馈", "整改落实", "整改进展", "整改情况", "问题整改", "整改成效")
_NOT_PROBLEMS = ("建议", "要求", "整改意见")


def _is_advice(node: Node) -> bool:
    """意见建议 / 整改要求 / 对巡察整改工作的意见: a feedback part that lists no problems."""
    return any(w in node.text for w in _NOT_PROBLEMS) or node.lead.rstrip("。：: ").endswith("意见")




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
        mentions_contact(node.para.text) or node.para.text.startswith(("欢迎", "特此"))
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


def labelled_problem(text: str) -> tuple[str, str] | None:
    """'问题1：X。整改情况：Y' → (X, 'Y' with its label) — the problem and what follows it in the
    same paragraph ('' when the narrative is a paragraph of its own); None for other text."""
    m = _LABELLED_PROBLEM_RE.match(text)
    if m is None:
        return None
    rest = text[m.end():]
    label = re.search(r"[。；;]\s*(?=" + LABEL_RE.pattern.lstrip("^") + ")", rest)
    problem, narrative = (rest[: label.start()], rest[label.end():]) if label else (rest, "")
    problem = problem.strip().rstrip("。.． ")
    return (problem, narrative.strip()) if problem else None


def problem_text(lead: str) -> str | None:
    """'关于“X”问题的整改情况。' → X (the first closing quote followed only by such words);
    None for any other heading."""
    start = _PROBLEM_RE.match(lead)
    if start is None:
        bare = _BARE_PROBLEM_RE.match(lead.strip())
        if bare is None or bare["text"].endswith("方面"):
            return None  # 关于…方面的问题 is an aspect
        return bare["text"]
    for m in re.finditer(r"[”\"」]", lead[start.end():]):
        pos = start.end() + m.start()
        if _PROBLEM_TAIL_RE.fullmatch(lead[pos:]):
            return lead[start.end():pos]
        if _ASPECT_TAIL_RE.match(lead[pos:]):
            return None  # 关于“…”方面的问题 is an aspect
    # 关于“三重一大”制度执行不严格的问题: the quotes mark a term, not the whole problem
    if (bare := _QUOTED_TERM_PROBLEM_RE.match(lead.strip())) and not bare["text"].endswith("方面"):
        return "“" + bare["text"]
    return lead[start.end():].rstrip("”\"」。")


def read_notice(structure: Structure) -> NoticeDoc:
    """The parts of a notice (or a feedback document) found in its structure."""
    is_notice = _looks_like_notice(structure)
    doc = NoticeDoc("notice" if is_notice else "feedback")
    doc.counts = stated_counts(list(structure.paras))
    _read_signature(doc, list(structure.paras))
    nodes = list(structure.children)
    first_heading = next((i for i, n in enumerate(nodes) if n.is_heading or (
        is_notice and labelled_problem(n.text) is not None)), len(nodes))
    has_level_one = any(n.level == 1 for n in nodes)
    _read_front(doc, nodes[:first_heading], has_level_one)
    body = nodes[first_heading:]
    if not is_notice:
        _read_feedback(doc, body)
        _feedback_front(doc, list(structure.paras))
    elif has_level_one:
        sections = _sections([n for n in body if n.level == 1])
        aspects_at_one = list(sections.values()).count("二") > 1
        for i, node in enumerate(body, start=1):
            _read_section(doc, node, sections.get(node.no) or _section_of(node, i), aspects_at_one)
    else:
        _read_problems(doc, body)
    _trailing_next_steps(doc, structure)
    for problem in doc.problems:
        doc.inner_paragraphs += join_inner_paragraphs(problem)
    if is_notice:
        _read_as_of(doc, list(structure.paras))
    return doc


def _read_as_of(doc: NoticeDoc, paras: list[Para]) -> None:
    """统计截止日期 from a 截至 date stated before the first problem (the summary sentence, the
    opening, the first part). A 截至 date inside a problem quotes the inspection's findings; one
    before the feedback or after the publication date is not the date the statuses hold at."""
    first = min((p.para for p in doc.problems), default=None)
    low, high = doc.info.get("feedback_date"), doc.info.get("publish_date")
    found = [(day, para.no, words) for para in paras
             if (first is None or para.no < first) and para.no not in doc.signature
             for day, words in stated_as_of(para.text)
             if (low is None or day >= low) and (high is None or day <= high)]
    if found:
        day, no, words = max(found)  # the latest, when the text gives figures at two dates
        doc.info["as_of"] = day
        doc.as_of_from = (no, words)


_NEXT_STEPS_RE = re.compile(r"^(?:下一步|下步|今后)")


def _trailing_next_steps(doc: NoticeDoc, structure: Structure) -> None:
    """A notice without a 三、 part often ends with a plain 下一步，… paragraph after the last
    problem: that paragraph and what follows it are the next-steps text, not measures."""
    if not doc.problems or "三" in doc.sections_seen:
        return
    texts = {p.no: p.text for p in structure.paras}
    last = doc.problems[-1]
    starts = [k for k, m in enumerate(last.measures)
              if _NEXT_STEPS_RE.match(texts.get(m.para, "")) and k > 0]
    if not starts:
        return
    moved = last.measures[starts[0]:]
    del last.measures[starts[0]:]
    at = next((i for i, t in enumerate(doc.texts) if t["section"] == "结尾"), len(doc.texts))
    rows = [{"section": "三", "lead": "", "body": texts[no], "para": no}
            for no in dict.fromkeys(m.para for m in moved)]
    doc.texts[at:at] = rows
    doc.sections_seen.add("三")


_REPORTS_RE = re.compile(r"整改(?:落实|进展|工作)?(?:进展)?情况")


def _looks_like_notice(structure: Structure) -> bool:
    front = [p.text for p in structure.paras[:3] if _is_opening(p.text) or _looks_like_title(p.text)]
    if any(_REPORTS_RE.search(t) for t in front):
        return True  # 现将巡察整改进展情况予以公布 / 关于巡察整改情况的通报
    for node in structure.walk():
        if node.is_heading and problem_text(node.lead) is not None:
            return True
        if not node.is_heading and LABEL_RE.match(node.para.text):
            return True
    return any("整改" in n.text and not _is_advice(n)
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
    published = parse_full_date(rest[-1].text)
    if published is None:
        return
    doc.info["publish_date"] = published
    doc.published_in = rest[-1].no
    doc.signature.add(rest[-1].no)
    issuer = rest[-2].text
    if len(issuer) <= 40 and not re.search(r"[。，,；;：:]", issuer):
        doc.info["issuer"] = issuer
        doc.signature.add(rest[-2].no)


_OPENING_MORE_RE = re.compile(r"^(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日")
_ADDRESSEE_RE = re.compile(r"^[^。；;]{2,60}[：:]$")  # 各党支部、各科室：
_DATED_RE = re.compile(r"^[（(]\s*(\S+?日)\s*[）)]$")  # （2023年5月4日） under the title


def _read_front(doc: NoticeDoc, nodes: list[Node], has_level_one: bool) -> None:
    """Title line, opening paragraph, and anything else before the first heading."""
    for i, node in enumerate(nodes):
        text = node.para.text
        if doc.opening is None and i <= 3 and _ADDRESSEE_RE.match(text):
            doc.unplaced.append((node.para, "主送机关，未导入"))
        elif doc.opening is None and (dated := _DATED_RE.match(text)):
            if "publish_date" not in doc.info and (day := parse_full_date(dated[1])):
                doc.info["publish_date"], doc.published_in = day, node.no
        elif doc.kind == "feedback" and i <= 1 and doc.opening is None and _looks_like_title(text):
            # …关于巡察…的反馈意见 is not the title of the notice the ledger will produce
            doc.unplaced.append((node.para, f"反馈意见的标题，未导入（公告标题在“{SHEETS.INFO}”中填写）"))
        elif doc.opening is None and i <= 1 and _looks_like_title(text) and not _is_opening(text):
            # a title on one line, or 发文机关 + 关于…的通报 on two
            doc.info["title"] = doc.info.get("title", "") + text
        elif i == 0 and _looks_like_title(text):
            doc.info["title"] = text
        elif doc.opening is None and _is_opening(text):
            doc.opening = node.para
            doc.info.update(read_info(text))
        elif (doc.opening is not None and node.no == doc.opening.no + 1 and "反馈" in text
              and "feedback_date" not in doc.info and _OPENING_MORE_RE.match(text)):
            # 2024年8月13日，区委巡察组向…反馈了巡察意见。现将…: the opening, on two lines
            info = read_info(doc.opening.text + text)
            if "feedback_date" in info:
                doc.info.update(info)
            doc.texts.append({"section": "开头", "lead": "", "body": text, "para": node.no})
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
    m = CONTACT_START_RE.search(text)
    head, contact = (text[: m.start()], text[m.start():]) if m else (text, "")
    if doc.closing is None:
        doc.closing = para
    doc.contact_text += ("\n" if doc.contact_text else "") + contact
    doc.info.update(read_contact(doc.contact_text))
    if head.strip():
        doc.texts.append({"section": "结尾", "lead": "", "body": head.strip(), "para": para.no})


def _has_problems(node: Node) -> bool:
    return any(problem_text(n.lead) is not None if n.is_heading else bool(LABEL_RE.match(n.text))
               for n in (node, *node.walk()))


def _sections(level_one: list[Node]) -> dict[int, str]:
    """一 / 二 / 三 per level-1 heading: the part listing problems is 二, whatever its title;
    parts before it are 一, parts after it 三. Without such evidence three parts are 一 二 三 in
    order (a part 三 titled 持续推进反馈问题整改 is still 三); otherwise titles decide."""
    problems = [n.no for n in level_one if _has_problems(n)]
    if not problems:
        return {n.no: "一二三"[i] for i, n in enumerate(level_one)} if len(level_one) == 3 else {}
    return {n.no: "二" if n.no in problems else ("一" if n.no < problems[0] else "三")
            for n in level_one}


def _read_section(doc: NoticeDoc, node: Node, section: str, aspects_at_one: bool = False) -> None:
    if not node.is_heading:
        if not _claim(doc, node):
            doc.unplaced.append((node.para, "不在任何“一、二、三”部分之内"))
        return
    if node.level != 1:
        section = "?"
    elif section in doc.sections_seen and section != "二":
        doc.unplaced.append((node.para, f"又一个一级标题，其下内容并入第{section}部分"))
    doc.sections_seen.add(section)
    own_problem = section == "二" and problem_text(node.lead) is not None
    as_aspect = section == "二" and (aspects_at_one or "方面" in node.lead)
    if section in ("一", "二", "三") and not (own_problem or as_aspect):
        doc.section_titles.append((node.para, section))
    if section in ("一", "三"):
        _read_free_text(doc, node, section)
    elif own_problem:  # 一、关于“…”问题的整改情况 ¶ 二、关于“…”…: problems are the top level
        _read_problems(doc, [node])
    elif as_aspect:
        # 一、在…方面 / 二、在…方面: the problem parts are the aspects (a provincial notice)
        aspect = node.lead.rstrip("。.．：: ")
        doc.aspects.append((aspect, node.no))
        if not node.headings():
            _aspect_as_problem(doc, node, aspect)
            return
        if node.body:
            doc.unplaced.append((node.para, "“方面”标题后的文字未导入"))
        _read_problems(doc, node.children, aspect)
    elif section == "二":
        _read_problems(doc, node.children)
    else:
        doc.unplaced.append((node.para, "无法判断属于公告的哪一部分"))
        for child in node.walk():
            doc.unplaced.append((child.para, "所在部分无法识别"))


def _read_free_text(doc: NoticeDoc, section_node: Node, section: str) -> None:
    """Sections 一 and 三: （一） paragraphs as lead sentence + body; plain paragraphs as bodies."""
    direct = [c for c in section_node.children if c.is_heading]
    first_sub = min((c.level for c in direct), default=2)
    for node in section_node.walk():
        if _claim(doc, node):
            continue
        if node.level == first_sub and any(node is c for c in direct):  # （一）, or 1. under 一、
            if node.level != 2 and node.marker is not None:
                doc.renumbered.append((node.para, node.marker.text))
            doc.texts.append({"section": section, "lead": node.lead, "body": node.body,
                              "para": node.no})
        else:
            text = node.para.text if node.is_heading else node.text
            doc.texts.append({"section": section, "lead": "", "body": text, "para": node.no})
            if node.is_heading:
                doc.unplaced.append((node.para, f"第{section}部分中的下级标题，已按正文段落导入"))


def _read_problems(doc: NoticeDoc, nodes: list[Node], aspect: str = "") -> None:
    """Section 二: summary sentence, aspects (（一）…方面), problems and their narratives."""
    headings = [n for n in nodes if n.is_heading]
    problem_level = _problem_level(headings)
    if not aspect and not any(n.level < problem_level for n in headings):
        doc.no_aspect_level = True
    for node in nodes:
        if _claim(doc, node):
            continue
        if not node.is_heading:
            if _labelled(doc, node, aspect):
                continue
            if doc.problems:
                add_narrative(doc, doc.problems[-1], node.para, node.text)
            else:
                doc.summary.append(node.para)
        elif node.level < problem_level:
            aspect = node.lead.rstrip("。.． ")
            doc.aspects.append((aspect, node.no))
            if not node.headings():  # an aspect told as narrative only, or 一是…三是 at once
                _aspect_as_problem(doc, node, aspect)
                continue
            if node.body:
                doc.unplaced.append((node.para, "“方面”标题后的文字未导入"))
            _read_problems_under(doc, node.children, aspect, problem_level)
        else:
            _read_problem(doc, node, aspect)


def _labelled(doc: NoticeDoc, node: Node, aspect: str) -> bool:
    """问题1：… paragraphs are problems; their 整改情况：… (same paragraph or the next ones)
    are read as any problem's narrative."""
    found = labelled_problem(node.text)
    if found is None:
        return False
    text, narrative = found
    problem = DocProblem(node.no, aspect, text, text)
    doc.problems.append(problem)
    if aspect == "":
        doc.no_aspect_level = True
    if narrative:
        add_narrative(doc, problem, node.para, narrative)
    for child in node.children:
        if not _claim(doc, child):
            add_narrative(doc, problem, child.para, child.text)
    return True


def _aspect_as_problem(doc: NoticeDoc, node: Node, aspect: str) -> None:
    """An aspect without problem headings — one narrative paragraph, or its measures (一是…三是)
    straight under the heading: the aspect is its own problem, its text the measures."""
    problem = DocProblem(node.no, aspect, aspect, aspect, from_aspect=True)
    doc.problems.append(problem)
    if node.body:
        add_narrative(doc, problem, node.para, node.body)
    for child in node.children:
        if not _claim(doc, child):
            add_narrative(doc, problem, child.para, child.text)


def _read_problems_under(doc: NoticeDoc, nodes: list[Node], aspect: str, level: int) -> None:
    for node in nodes:
        if _claim(doc, node):
            continue
        if node.is_heading:
            _read_problem(doc, node, aspect)
        elif _labelled(doc, node, aspect):
            continue
        elif doc.problems and doc.problems[-1].aspect == aspect:
            add_narrative(doc, doc.problems[-1], node.para, node.text)
        else:  # a lead paragraph of the aspect before its first problem
            doc.aspect_notes.append((node.para, aspect))


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
        add_narrative(doc, problem, node.para, node.body)
    for child in node.children:
        if child.is_heading and child.level > node.level:
            closing = [g for g in child.walk() if _claim(doc, g)]
            rest = "".join(g.para.text for g in child.walk() if g not in closing)
            problem.measures.append(DocMeasure(child.no, child.text + rest))
        elif child.is_heading:
            doc.unplaced.append((child.para, "标题层级与所在问题不符，未导入"))
        elif not _claim(doc, child):
            add_narrative(doc, problem, child.para, child.text)



def _read_feedback(doc: NoticeDoc, nodes: list[Node]) -> None:
    """A feedback document: the deepest numbered items are problems, their parents aspects."""
    nested = any(n.level == 1 and n.headings() for n in nodes)
    for node in nodes:
        if node.is_heading and node.level == 1 and _is_advice(node):
            why = "意见建议或整改要求部分，不是问题，未导入"
        elif node.is_heading and node.level == 1 and nested and not node.headings():
            why = "不是问题部分（其他一级标题下列有问题），未导入"  # 三、问题线索移交情况
        else:
            if not _claim(doc, node):
                _feedback_node(doc, node, "")
            continue
        for sub in [node, *node.walk()]:
            if sub.no not in doc.signature:  # the 落款 closes the last part
                doc.unplaced.append((sub.para, why))


def _feedback_node(doc: NoticeDoc, node: Node, aspect: str) -> None:
    if not node.is_heading:
        if doc.problems:
            add_narrative(doc, doc.problems[-1], node.para, node.text)
        else:
            doc.unplaced.append((node.para, "不属于任何问题的说明文字，未导入"))
        return
    if node.headings():
        name = node.lead.rstrip("。.．：: ")
        # 一、巡察发现的主要问题 over （一）…方面 is a part title, not an aspect
        holds_problems = any(not c.headings() for c in node.headings())
        if "方面" in name or (not aspect and holds_problems):
            aspect = name
            doc.aspects.append((name, node.no))
        for child in node.children:
            _feedback_node(doc, child, aspect)
        return
    text = (node.lead + node.body).rstrip("。.． ")
    doc.problems.append(DocProblem(node.no, aspect, text, text))
    if not aspect:
        doc.no_aspect_level = True
    for child in node.children:  # 一是… ¶ 二是… under the problem line belong to it
        if not _claim(doc, child):
            add_narrative(doc, doc.problems[-1], child.para, child.text)


def _feedback_front(doc: NoticeDoc, paras: list[Para]) -> None:
    """The 落款 of a feedback document dates the feedback and names the inspection group; it
    is not the notice's 公布日期 and 发文机关 (the unit publishes the notice later)."""
    dated = doc.info.pop("publish_date", None)
    if dated is not None:
        doc.info.setdefault("feedback_date", dated)
    issuer = doc.info.pop("issuer", None)
    if issuer and re.search(r"巡[察视]组", issuer):
        doc.info.setdefault("group", issuer)
    elif issuer:
        para = next((p for p in paras if p.text == issuer and p.no in doc.signature), None)
        if para is not None:
            doc.unplaced.append((para, "落款单位，未导入"))
