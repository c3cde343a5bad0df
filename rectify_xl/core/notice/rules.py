"""check-notice: a lint for a hand-written notice (issue 8). Pure; findings, never exceptions.

RX70x numbering and enumerations, RX71x counts stated in prose against the items the text lists,
RX716 dates, RX8xx the notice against a ledger. Writing conventions reuse core.textcheck and
its codes RX601-RX604 (half-width punctuation is reported once per paragraph, not per mark:
a notice copied from a web page has hundreds). Every finding has cell=None, sheet = the notice
file name and row = the paragraph number (blank lines not counted).
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterable, Iterator
from typing import TYPE_CHECKING

from rectify_xl.core.findings import Finding, Severity
from rectify_xl.core.notice.doc import NoticeDoc
from rectify_xl.core.notice.facts import StatedCount
from rectify_xl.core.notice.ledger import ledger_findings
from rectify_xl.core.notice.reader import read_notice
from rectify_xl.core.notice.writing import general_writing_findings
from rectify_xl.core.numbering import enumeration, heading_marker
from rectify_xl.core.rules.registry import code_registrar, code_spec
from rectify_xl.core.structure import Item, Node, Structure, read_structure

if TYPE_CHECKING:
    from rectify_xl.core.model import Ledger
    from rectify_xl.core.textcheck import TypoPack

__all__ = ["check_notice", "check_notice_text"]

_LEVEL_NAMES = {1: "一级标题", 2: "二级标题", 3: "三级标题", 4: "四级标题", 5: "五级标题"}


_code = code_registrar("notice")


REPEATED = _code("RX701", Severity.ERROR, "标题编号重复",
                 "第{para}段：{level}“{marker}”与第{first}段重复，应为“{expected}”")
SKIPPED = _code("RX702", Severity.ERROR, "标题编号跳号",
                "第{para}段：{level}“{marker}”跳号，应为“{expected}”")
OUT_OF_ORDER = _code("RX703", Severity.ERROR, "标题编号顺序颠倒",
                     "第{para}段：{level}“{marker}”排在“{previous}”之后，顺序颠倒")
LEVEL_SKIPPED = _code("RX704", Severity.WARNING, "标题层级跳过",
                      "第{para}段：“{marker}”直接位于{parent}之下，跳过了文中使用的“{skipped}”一级")
MIXED_STYLE = _code("RX705", Severity.WARNING, "编号写法不统一",
                    "第{para}段：“{marker}”与文中其他{level}的写法（如“{usual}”）不一致")
ENUM_GAP = _code("RX706", Severity.ERROR, "“一是、二是”缺号或颠倒",
                 "第{para}段：“{label}”之前应为“{expected}”")
ENUM_REPEAT = _code("RX707", Severity.ERROR, "“一是、二是”重复", "第{para}段：“{label}”重复出现")
HEADING_STOP = _code("RX709", Severity.WARNING, "同级标题末尾标点不统一",
                     "第{para}段：{level}“{marker}”末尾{which}句号，与同级的其他标题（如第{example}段）"
                     "不一致")
ODD_NUMBER = _code("RX708", Severity.WARNING, "无法识别的编号",
                   "第{para}段开头“{start}”像是编号，但不是公文的标题编号，按普通段落处理")
PROBLEM_COUNT = _code("RX711", Severity.ERROR, "问题数与文中所列不符",
                      "第{para}段称“{stated}”，但文中列出{listed}个问题")
MEASURE_COUNT = _code("RX712", Severity.ERROR, "措施数与文中所列不符",
                      "第{para}段称“{stated}”，但文中列出{listed}条整改落实情况")
DONE_COUNT = _code("RX713", Severity.ERROR, "完成数与总数不符", "第{para}段称“{stated}”，{why}")
RATE = _code("RX714", Severity.ERROR, "完成率计算有误",
             "第{para}段称“{stated}”，按{done}/{total}应为{expected}%")
FEEDBACK_COUNT = _code("RX715", Severity.ERROR, "反馈问题数与文中所列不符",
                       "第{para}段称“{stated}”，但文中列出{listed}个反馈问题")
DATE_FORM = _code("RX716", Severity.WARNING, "日期写法不规范",
                  "第{para}段“{found}”应写为“{suggestion}”（不加空格，月、日不补零）")
ASPECT_COUNT = _code("RX717", Severity.ERROR, "方面数与文中所列不符",
                     "第{para}段称“{stated}”，但文中列出{listed}个方面")
RATE_OVER = _code("RX624", Severity.ERROR, "完成率超过100%",
                  "第{para}段称“{stated}”，完成率不能超过100%")
DATE_ORDER = _code("RX625", Severity.WARNING, "日期先后不合常理",
                   "第{para}段：{later}（{day}）早于{earlier}（{before}）")
NUMERALS_MIXED = _code("RX626", Severity.WARNING, "同段数字写法不统一",
                       "第{para}段“{found}”用{script}，同段的“{other}”用{other_script}；"
                       "同一处的计数应用同一种写法")
_DATE_RE = re.compile(r"(\d{4})(\s*)年(\s*)(\d{1,2})(\s*)月(?:(\s*)(\d{1,2})(\s*)日)?")


def check_notice_text(paragraphs: list[str] | str, source: str, *, ledger: Ledger | None = None,
                      typos: TypoPack | None = None) -> list[Finding]:
    """Every finding for one notice: structure, counts, writing, and the ledger when given."""
    structure = read_structure(paragraphs)
    return check_notice(structure, read_notice(structure), source, ledger=ledger, typos=typos)


def check_notice(structure: Structure, doc: NoticeDoc, source: str, *, ledger: Ledger | None = None,
                 typos: TypoPack | None = None) -> list[Finding]:
    findings = list(numbering_findings(structure, source))
    findings += enumeration_findings(structure, source)
    findings += [ODD_NUMBER.finding(source, row=p.no, para=p.no, start=p.text[:4]) for p in structure.odd]
    findings += count_findings(doc, source)
    cut = truncated(doc)
    findings += [f for f in writing_findings(structure, source, typos)
                 if not (cut is not None and f.row == structure.paras[-1].no and f.code == "RX602")]
    findings += general_writing_findings(structure, doc, source, typos)
    if ledger is not None:
        findings += ledger_findings(doc, ledger, source)
    return findings


# --- numbering ---------------------------------------------------------------------------

def _parents(structure: Structure) -> Iterator[tuple[Node | None, list[Node]]]:
    yield None, structure.children
    for node in structure.walk():
        if node.is_heading:
            yield node, node.children


def numbering_findings(structure: Structure, source: str) -> Iterator[Finding]:
    used = structure.levels_used()
    for parent, children in _parents(structure):
        by_level: dict[int, list[Node]] = {}
        for child in children:
            if child.marker is not None and not child.marker.bare:
                by_level.setdefault(child.level, []).append(child)
        for level, nodes in by_level.items():
            yield from _sequence(nodes, level, source)
            yield from _level_skip(parent, nodes[0], used, source)
            yield from _heading_stops(nodes, level, source)
    yield from _mixed_styles(structure, source)


def _marker(level: int, n: int) -> str:
    """一、（一）1.（1）, and ① for the fifth level numbering.heading_marker does not write."""
    if level == 5:
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else f"({n})"
    return heading_marker(level, max(n, 1))


def _sequence(nodes: list[Node], level: int, source: str) -> Iterator[Finding]:
    seen: dict[int, int] = {}
    prev = 0
    for node in nodes:
        assert node.marker is not None
        n, expected = node.marker.number, _marker(level, prev + 1)
        values = {"para": node.no, "level": _LEVEL_NAMES[level], "marker": node.marker.text}
        if n in seen:
            yield REPEATED.finding(source, row=node.no, first=seen[n], expected=expected, **values)
        elif n < prev:
            yield OUT_OF_ORDER.finding(source, row=node.no, previous=_marker(level, prev),
                                       **values)
        elif n > prev + 1:
            yield SKIPPED.finding(source, row=node.no, expected=expected, **values)
        seen.setdefault(n, node.no)
        prev = max(prev, n)


def _level_skip(parent: Node | None, first: Node, used: set[int], source: str) -> Iterator[Finding]:
    top = parent.level if parent else 0
    if parent is not None and parent.marker is not None and parent.marker.bare:
        top = first.level - 1  # under an unnumbered aspect line nothing is skipped
    skipped = [lv for lv in range(top + 1, first.level) if lv in used]
    if skipped:
        assert first.marker is not None
        where = f"“{parent.marker.text}”" if parent and parent.marker else "正文开头"
        yield LEVEL_SKIPPED.finding(source, row=first.no, para=first.no, marker=first.marker.text,
                                    parent=where, skipped=_marker(skipped[0], 1))


def _heading_stops(nodes: list[Node], level: int, source: str) -> Iterator[Finding]:
    """Title-only headings of one parent: most end with 。 (or most do not) and one differs,
    as the seed's fourth aspect line (the generator closes every heading alike)."""
    titles = [n for n in nodes if not n.body.strip()]
    if sum(n.lead.rstrip().endswith(("；", ";")) for n in titles) * 2 > len(titles):
        return  # items of a list (1.…；2.…；3.…。): only the last closes with 。
    ended = [n for n in titles if n.lead.rstrip().endswith("。")]
    plain = [n for n in titles if not n.lead.rstrip().endswith("。")]
    major, minor, which = (ended, plain, "没有") if len(ended) > len(plain) else (plain, ended, "有")
    if len(major) < 2 or len(major) == len(minor):
        return
    for node in minor:
        assert node.marker is not None
        yield HEADING_STOP.finding(source, row=node.no, para=node.no, level=_LEVEL_NAMES[level],
                                   marker=node.marker.text, which=which, example=major[0].no)


def _style(node: Node) -> str:
    assert node.marker is not None
    return node.marker.style.replace("．", ".")


def _mixed_styles(structure: Structure, source: str) -> Iterator[Finding]:
    by_level: dict[int, list[Node]] = {}
    for node in structure.walk():
        if node.marker is not None and not node.marker.bare:
            by_level.setdefault(node.level, []).append(node)
    for level, nodes in by_level.items():
        styles = [_style(n) for n in nodes]
        usual = max(dict.fromkeys(styles), key=styles.count)
        example = next(n for n in nodes if _style(n) == usual)
        for node in nodes:
            if _style(node) != usual:
                assert node.marker is not None and example.marker is not None
                yield MIXED_STYLE.finding(source, row=node.no, para=node.no, marker=node.marker.text,
                                          level=_LEVEL_NAMES[level], usual=example.marker.text)


# --- 一是…二是… -------------------------------------------------------------------------

def enumeration_findings(structure: Structure, source: str) -> Generator[Finding, None, None]:
    for parent, children in _parents(structure):
        # a run of plain paragraphs may continue one sequence (一是… ¶ 二是…), also the one a
        # run-in heading starts (（一）关于…的问题。一是…二是… ¶ 三是…)
        run_in = [i.number for i in parent.items if i.depth == 0] if parent else []
        prev = max(run_in, default=0)
        for child in children:
            outer = [i for i in child.items if i.depth == 0]
            if not outer and not child.is_heading:
                # 四是… ¶ 同时，… ¶ 五是…: a paragraph between two items does not end the run
                yield from _quoted_items(child, source)
                continue
            starts_item = bool(outer) and child.text.find(outer[0].label) <= 8
            carried = prev if (not child.is_heading and starts_item and outer[0].number != 1) else 0
            prev = yield from _items(outer, carried, child.no, source)
            if child.is_heading or not outer:
                prev = 0
            yield from _quoted_items(child, source)


def _items(items: Iterable[Item], prev: int, para: int,
           source: str) -> Generator[Finding, None, int]:
    seen: set[int] = set(range(1, prev + 1))
    for item in items:
        n = item.number
        if n == 1 and prev and item.depth > 0:
            seen, prev = set(), 0
        if n in seen:
            yield ENUM_REPEAT.finding(source, row=para, para=para, label=item.label)
        elif n != prev + 1:
            yield ENUM_GAP.finding(source, row=para, para=para, label=item.label,
                                   expected=enumeration(prev + 1))
        seen.add(n)
        prev = max(prev, n)
    return prev


def _quoted_items(node: Node, source: str) -> Iterator[Finding]:
    inner = [i for i in node.items if i.depth > 0]
    if inner:
        yield from _items(inner, 0, node.no, source)


# --- counts stated in prose ----------------------------------------------------------------

def _summary_counts(doc: NoticeDoc) -> list[StatedCount]:
    """Counts that speak of the whole notice: not those inside a problem's narrative (已完成整改
    任务20项，完成率100% about one sub-task is not the notice's rate)."""
    inner = {p.para for p in doc.problems} | {m.para for p in doc.problems for m in p.measures}
    inner |= set(doc.inner_paragraphs)
    return [c for c in doc.counts if c.para not in inner]


def _first(counts: list[StatedCount], kind: str, para: int | None = None) -> StatedCount | None:
    return next((c for c in counts if c.kind == kind and (para is None or c.para == para)), None)


TRUNCATED = _code("RX719", Severity.INFO, "公告文本不完整",
                  "文本在第{para}段（最后一个问题的标题）后中断，没有整改落实情况、第三部分和结尾；"
                  "文中数字未与所列条目核对")


def truncated(doc: NoticeDoc) -> int | None:
    """The last paragraph when the text stops at a problem heading (a page cut off after its
    first paragraphs): no narrative under it, no part 三, no closing, no signature."""
    if (doc.problems and not doc.problems[-1].measures and doc.closing is None
            and "三" not in doc.sections_seen and not doc.signature):
        return doc.problems[-1].para
    return None


def count_findings(doc: NoticeDoc, source: str) -> list[Finding]:
    counts = _summary_counts(doc)
    out = _rate_over(counts, source) + _numerals_mixed(doc.counts, source) + _date_order(doc, source)
    if doc.kind != "notice":
        # figures of a round, a briefing or a feedback text: each paragraph's own arithmetic
        # (done within the total, parts adding up, the rate), never against listed items
        return out + _done_and_rate(doc, source, counts, listing=False)
    return out + _notice_counts(doc, source, counts)


def _rate_over(counts: list[StatedCount], source: str) -> list[Finding]:
    return [RATE_OVER.finding(source, row=c.para, para=c.para, stated=c.text)
            for c in counts if c.kind == "rate" and c.value > 100]


_DIGIT_RE = re.compile(r"\d")


def _numerals_mixed(counts: list[StatedCount], source: str) -> list[Finding]:
    """Counts of one paragraph written some in digits, some in Chinese numerals (反馈的6个问题
    细化分解了九个问题): GB/T 15835 wants one form where numbers are counted together. The
    fewer form is reported (the Chinese one when even)."""
    out = []
    by_para: dict[int, list[StatedCount]] = {}
    for c in counts:
        if c.kind != "rate":
            by_para.setdefault(c.para, []).append(c)
    for para, cs in by_para.items():
        digits = [c for c in cs if _DIGIT_RE.search(c.text)]
        chinese = [c for c in cs if not _DIGIT_RE.search(c.text)]
        if not digits or not chinese:
            continue
        odd, usual, script, other = ((digits, chinese, "阿拉伯数字", "汉字数字")
                                     if len(digits) < len(chinese)
                                     else (chinese, digits, "汉字数字", "阿拉伯数字"))
        out += [NUMERALS_MIXED.finding(source, row=para, para=para, found=c.text, script=script,
                                       other=usual[0].text, other_script=other) for c in odd]
    return out


def _date_order(doc: NoticeDoc, source: str) -> list[Finding]:
    """巡察 ends, then feedback is given, then the notice is published: a feedback date before
    the inspection's last day, or a 落款 date before the feedback, is a slip of one of them."""
    info, out = doc.info, []
    end, fed, published = info.get("end"), info.get("feedback_date"), info.get("publish_date")
    if end and fed and fed < end and doc.opening is not None:
        out.append(DATE_ORDER.finding(source, row=doc.opening.no, para=doc.opening.no,
                                      later="反馈日期", day=_cn_day(fed), earlier="巡察结束日期",
                                      before=_cn_day(end)))
    if fed and published and published < fed and doc.published_in is not None:
        out.append(DATE_ORDER.finding(source, row=doc.published_in, para=doc.published_in,
                                      later="公布日期", day=_cn_day(published), earlier="反馈日期",
                                      before=_cn_day(fed)))
    return out


def _cn_day(day: object) -> str:
    return f"{day.year}年{day.month}月{day.day}日"  # type: ignore[attr-defined]


def _notice_counts(doc: NoticeDoc, source: str, counts: list[StatedCount]) -> list[Finding]:
    out = []
    if (cut := truncated(doc)) is not None:  # what it lists is only the beginning
        out.append(TRUNCATED.finding(source, row=cut, para=cut))
        return out + _done_and_rate(doc, source, counts, listing=False)
    listed = len(doc.problems)
    problems, feedback = _first(counts, "problems"), _first(counts, "feedback")
    explicit = any(p.explicit_feedback for p in doc.problems)
    if problems and listed and int(problems.value) != listed:
        out.append(PROBLEM_COUNT.finding(source, row=problems.para, para=problems.para,
                                         stated=problems.text, listed=listed))
    if feedback and listed and (explicit or problems is None):
        n_feedback = len(dict.fromkeys(p.feedback for p in doc.problems)) if explicit else listed
        if int(feedback.value) != n_feedback:
            spec = FEEDBACK_COUNT if explicit else PROBLEM_COUNT
            out.append(spec.finding(source, row=feedback.para, para=feedback.para,
                                    stated=feedback.text, listed=n_feedback))
    aspects = _first(counts, "aspects")
    if aspects and doc.aspects and int(aspects.value) != len(doc.aspects):
        out.append(ASPECT_COUNT.finding(source, row=aspects.para, para=aspects.para,
                                        stated=aspects.text, listed=len(doc.aspects)))
    measures = _first(counts, "measures")
    if measures and doc.measure_count and int(measures.value) != doc.measure_count:
        out.append(MEASURE_COUNT.finding(source, row=measures.para, para=measures.para,
                                         stated=measures.text, listed=doc.measure_count))
    out += _done_and_rate(doc, source, counts)
    return out


def _unit(done: StatedCount, tasks: StatedCount | None) -> str:
    """What 已完成N… counts: task (整改任务, 项), measure (措施, 条) or problem (个)."""
    if tasks is not None or "任务" in done.text or done.text.endswith("项"):
        return "task"
    if "措施" in done.text or done.text.endswith("条"):
        return "measure"
    return "problem"


def _done_and_rate(doc: NoticeDoc, source: str, counts: list[StatedCount], *,
                   listing: bool = True) -> list[Finding]:
    """已完成N个 against what it counts, in the same unit: the stated 整改任务 of its own
    paragraph (a town's 梳理分解整改任务12个，已完成整改10个), the listed narratives when it counts
    条, the listed problems when it counts 个; the parts (正在整改, 未完成…) of its paragraph must
    add up to the stated total; a rate is checked against the done and total of its own
    paragraph only."""
    out: list[Finding] = []
    done = _first(counts, "done")
    if done is None:
        return out
    para = done.para
    tasks = _first(counts, "tasks", para)
    unit = _unit(done, tasks)
    if unit == "task":
        total, listed, what = tasks, 0, ""
    elif unit == "measure":
        total, listed, what = _first(counts, "measures", para), doc.measure_count, "条整改落实情况"
    else:
        total = (_first(counts, "problems", para) or _first(counts, "feedback", para)
                 or _first(counts, "found", para))
        listed, what = len(doc.problems), "个问题"
    if listed and listing and done.value > listed:
        out.append(DONE_COUNT.finding(source, row=para, para=para, stated=done.text,
                                      why=f"多于文中列出的{listed}{what}"))
    elif total and total.kind != "feedback" and done.value > total.value:
        # (not against 反馈N个问题: the done ones may be the concrete problems it was split into)
        out.append(DONE_COUNT.finding(source, row=para, para=para, stated=done.text,
                                      why=f"多于“{total.text}”"))
    parts = [c for c in (_first(counts, "in_progress", para), _first(counts, "not_done", para))
             if c is not None]
    partly = _first(counts, "partly", para)
    if parts and partly is not None:
        parts.insert(0, partly)
    if parts and total and done.value + sum(c.value for c in parts) != total.value:
        said = "、".join(f"“{c.text}”" for c in parts)
        out.append(DONE_COUNT.finding(source, row=para, para=para, stated=done.text,
                                      why=f"与{said}相加不等于“{total.text}”"))
    rate = _first(counts, "rate", para)
    if rate and total and total.value:
        expected = done.value * 100 / total.value
        # a rate is written to the precision shown: 98.71% of 688/697 is right, 98.7% too
        decimals = len(rate.text.split(".")[1].rstrip("%％")) if "." in rate.text else 0
        if abs(expected - rate.value) > max(0.5 * 10 ** -decimals, 0.01):
            out.append(RATE.finding(source, row=rate.para, para=rate.para, stated=rate.text,
                                    done=int(done.value), total=int(total.value),
                                    expected=f"{expected:.{max(decimals, 1)}f}".rstrip("0").rstrip(".")))
    return out


# --- writing conventions -------------------------------------------------------------------

def writing_findings(structure: Structure, source: str, typos: TypoPack | None) -> list[Finding]:
    from rectify_xl.core.textcheck import (
        DOUBLED,
        TYPO,
        UNBALANCED,
        halfwidth_punctuation,
        snippet,
        typo_hits,
        unbalanced_pairs,
    )

    codes = {UNBALANCED: "RX602", TYPO: "RX603", DOUBLED: "RX604"}
    out = []
    for para in structure.paras:
        field = f"第{para.no}段"
        half = halfwidth_punctuation(para.text)
        if half:
            out.append(code_spec("RX601").finding(
                source, row=para.no, field=field + (f"（共{len(half)}处）" if len(half) > 1 else ""),
                found=half[0].found, suggestion=half[0].suggestion,
                context=snippet(para.text, half[0])))
        hits = unbalanced_pairs(para.text) + (typo_hits(para.text, typos) if typos else [])
        for hit in hits:
            out.append(code_spec(codes[hit.kind]).finding(
                source, row=para.no, field=field, found=hit.found, suggestion=hit.suggestion,
                context=snippet(para.text, hit)))
        out += _date_findings(para.text, para.no, source)
    return out


def _date_findings(text: str, para: int, source: str) -> list[Finding]:
    out = []
    for m in _DATE_RE.finditer(text):
        spaced = any(g for g in (m[2], m[3], m[5], m[6], m[8]))
        zero = m[4].startswith("0") or bool(m[7] and m[7].startswith("0"))
        if spaced or zero:
            day = f"{int(m[7])}日" if m[7] else ""
            out.append(DATE_FORM.finding(source, row=para, para=para, found=m.group(0),
                                         suggestion=f"{m[1]}年{int(m[4])}月{day}"))
    return out
