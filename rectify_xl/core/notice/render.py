"""The notice (整改进展情况公告): Ledger → context → text through a jinja2 template.

Every count, number and date is computed here and handed to the template as a finished string;
a template only arranges lines and never counts (docs/dev/notice.md lists the variables). The
jinja2 Environment is passed in (a sandbox from adapters.templates), and jinja2 itself is
imported inside ``render_notice`` only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from rectify_xl.core.dates import format_cn, format_cn_range
from rectify_xl.core.model import Info, Ledger, Problem, TextPara
from rectify_xl.core.numbering import enumeration, heading_marker
from rectify_xl.core.outcomes import ledger_outcomes, outcome_items, outcomes_phrase
from rectify_xl.core.schema import INFO_BY_KEY, Status
from rectify_xl.core.structure import without_marker
from rectify_xl.errors import TemplateError

if TYPE_CHECKING:
    from jinja2 import Environment

__all__ = [
    "HEADINGS",
    "NO_NARRATIVE",
    "PROGRESS_LABEL",
    "HeadingLine",
    "contact_line",
    "heading_lines",
    "jinja_message",
    "missing_mark",
    "notice_context",
    "opening_paragraph",
    "progress_line",
    "render_context",
    "render_notice",
    "summary_sentence",
]

# Level-1 headings of the notice, in order (the seed's wording).
HEADINGS: tuple[str, ...] = (
    "党委履行巡察整改工作主体责任情况",
    "巡察反馈意见整改落实情况",
    "下一步打算",
)
_SENTENCE_END = ("。", "！", "？", "；", "…", "”")
_TRAILING_STOP = "。；，、：;,.:"
_SELF = "本单位"  # stands in for a missing 被巡察单位


def _one_line(text: str) -> str:
    """A cell's text as one paragraph: line breaks typed with Alt+Enter are dropped.

    The notice is one paragraph per line, and Chinese needs no space where a line was broken.
    """
    return "".join(part.strip() for part in text.splitlines())


def _full_stop(text: str) -> str:
    """End a sentence with 。 unless it already ends with sentence punctuation."""
    text = _one_line(text)
    return text if not text or text.endswith(_SENTENCE_END) else text + "。"


def _date(d: date | None) -> str:
    return format_cn(d) if d else ""


def missing_mark(label: str) -> str:
    """What the notice shows where a 基本信息 item it needs is missing (issue 14): visible, never
    a plausible-looking default. RX112 / RX202 name the item."""
    return f"【待补：{label}】"


def opening_paragraph(info: Info, texts: Sequence[TextPara] = ()) -> str:
    """The 文稿 row whose 部分 is 开头 if present, else generated from 基本信息; a missing item
    the sentence needs shows as a visible placeholder."""
    custom = [_one_line(t.text) for t in texts if t.section == "开头" and t.text]
    if custom:
        return "".join(custom)
    head = f"据{info.deployer}统一部署，" if info.deployer else ""
    if info.start and info.end:
        when = format_cn_range(info.start, info.end) + "，"
    elif info.start or info.end:
        when = _date(info.start or info.end) + "，"
    else:
        when = missing_mark(f"{_label('start')}、{_label('end')}") + "，"
    group = info.group or missing_mark(_label("group"))
    unit = info.unit or missing_mark(_label("unit"))
    feedback = (format_cn(info.feedback_date) if info.feedback_date
                else missing_mark(_label("feedback_date")))
    return (f"{head}{when}{group}对{unit}开展了巡察，{feedback}反馈了巡察意见。"
            "按照巡察工作有关要求，现将巡察整改进展情况予以公布。")


def _label(key: str) -> str:
    return INFO_BY_KEY[key].label


def _paragraphs(texts: Sequence[TextPara]) -> list[dict[str, str]]:
    """Rows with a 标题句 are numbered （一）（二）…; rows without one are plain paragraphs."""
    out: list[dict[str, str]] = []
    n = 0
    for t in texts:
        marker = ""
        if t.lead:
            n += 1
            marker = heading_marker(2, n)
        lead, body = _one_line(t.lead), _one_line(t.body)
        out.append({"marker": marker, "lead": lead, "body": body, "text": marker + lead + body})
    return out


def summary_sentence(ledger: Ledger) -> str:
    """The opening sentence of section 二, stating the ledger's real counts."""
    unit = ledger.info.unit or _SELF
    problems = ledger.problems
    n_feedback, n_problems = ledger.feedback_total, len(problems)
    if not n_problems:
        return "截至目前，整改台账中尚未录入具体问题。"
    source = f"根据巡察反馈的{n_feedback}个问题" if n_feedback else "根据巡察反馈意见"
    split = f"{unit}{source}细化分解了{n_problems}个问题，"
    if n_feedback == n_problems:  # one level of problems: nothing was split
        split = f"{unit}针对巡察反馈的{n_problems}个问题逐项制定整改措施，"
    closed = sum(1 for p in problems if p.is_done)
    basic = sum(1 for p in problems if p.status is Status.BASIC)
    ongoing = any(m.status is Status.ONGOING for m in ledger.measures)
    lasting = "持续性开展的整改措施均取得了阶段性成效。" if ongoing else ""
    if basic:  # 基本完成 is reported on its own, as published notices do
        parts = [f"已完成{closed}个" if closed else "",
                 f"基本完成、取得阶段性成果并持续整改{basic}个",
                 f"正在推进{n_problems - closed - basic}个" if n_problems - closed - basic else ""]
        return (f"截至目前，整改工作取得积极进展。{split}"
                f"{'，'.join(p for p in parts if p)}。{lasting}")
    if closed == n_problems and ongoing:
        return f"截至目前，整改工作取得积极进展。{split}已完成{closed}个并将长期坚持。{lasting}"
    if closed == n_problems:
        return f"截至目前，整改工作已全部完成。{split}已全部完成整改。"
    if closed == 0:
        return f"截至目前，整改工作正在有序推进。{split}均在积极推进中。"
    return (f"截至目前，整改工作取得积极进展。{split}"
            f"已完成{closed}个，正在推进{n_problems - closed}个。{lasting}")


PROGRESS_LABEL = "整改落实情况："
# What progress_line writes after the label when none of a problem's measures has a narrative:
# the problem's derived status, not an item of 整改落实情况. The ledger comparison (check-notice
# --ledger) reads these same strings as placeholders, so the wording lives only here.
NO_NARRATIVE: Mapping[Status, str] = MappingProxyType({
    Status.IN_PROGRESS: "正在推进整改。",
    Status.BASIC: "已基本完成整改，取得阶段性成果，正在持续整改。",  # not closed
    Status.DONE: "已完成整改。",
    Status.ONGOING: "已完成整改并将长期坚持。",
})


def progress_line(problem: Problem) -> str:
    """整改落实情况：一是…二是… from the measures' narratives, in order.

    A single narrative is written without 一是. Measures with an empty narrative are skipped;
    when none has one, the line states the problem's derived status instead.
    """
    narratives = [_full_stop(m.progress) for m in problem.measures if m.progress.strip()]
    if not narratives:
        return PROGRESS_LABEL + NO_NARRATIVE[problem.status]
    if len(narratives) == 1:
        return PROGRESS_LABEL + narratives[0]
    return PROGRESS_LABEL + "".join(
        enumeration(i) + text for i, text in enumerate(narratives, start=1)
    )


def _problem_context(problem: Problem, n: int, level: int = 3) -> dict[str, Any]:
    text = without_marker(_one_line(problem.text)).rstrip(_TRAILING_STOP)
    marker = heading_marker(level, n)
    return {
        "marker": marker,
        "level": level,
        "text": text,
        "feedback": problem.feedback,
        "status": problem.status.value,
        "heading": f"{marker}关于“{text}”问题的整改情况。",
        "narratives": [_one_line(m.progress) for m in problem.measures if m.progress.strip()],
        "measures": [_one_line(m.text) for m in problem.measures],
        "progress_line": progress_line(problem),
    }


def _aspects(ledger: Ledger) -> list[dict[str, Any]]:
    if _ungrouped(ledger):  # no 方面 column: the problems are numbered （一）（二） under 二、
        problems = ledger.problems
        return [{"marker": "", "name": "", "heading": "",
                 "problems": [_problem_context(p, n, 2) for n, p in enumerate(problems, start=1)]}]
    out = []
    for i, aspect in enumerate(ledger.aspects, start=1):
        marker = heading_marker(2, i)  # continues across aspects: （一）（二）（三）（四）
        name = without_marker(_one_line(aspect.name)) or "其他方面"
        out.append({
            "marker": marker,
            "name": name,
            "heading": marker + _full_stop(name),
            "problems": [_problem_context(p, n) for n, p in enumerate(aspect.problems, start=1)],
        })
    return out


def _ungrouped(ledger: Ledger) -> bool:
    """A ledger without a 方面 column (schema.SHAPE_KEYS), so no aspect has a name."""
    return not ledger.has_aspects


def contact_line(info: Info) -> str:
    """联系方式：电话…；邮政信箱：…；电子邮箱：…。 with missing parts left out ('' if none)."""
    parts = [
        f"电话{info.phone}" if info.phone else "",
        f"邮政信箱：{info.address}" if info.address else "",
        f"电子邮箱：{info.email}" if info.email else "",
    ]
    present = [p for p in parts if p]
    return "联系方式：" + "；".join(present) + "。" if present else ""


def _closing_lines(ledger: Ledger) -> list[str]:
    """The 结尾 rows, the contact line appended to the last one (or standing alone)."""
    lines = [_one_line(t.text) for t in ledger.texts_of("结尾") if t.text]
    contact = contact_line(ledger.info)
    if contact and lines:
        lines[-1] += contact
    elif contact:
        lines.append(contact)
    return lines


def _counts(ledger: Ledger) -> dict[str, int]:
    problems, measures = ledger.problems, ledger.measures
    return {
        "feedback": ledger.feedback_total,
        "problems": len(problems),
        "problems_closed": sum(1 for p in problems if p.is_done),
        "problems_in_progress": sum(1 for p in problems if not p.is_done),
        "measures": len(measures),
        "measures_done": sum(1 for m in measures if m.status is Status.DONE),
        "measures_ongoing": sum(1 for m in measures if m.status is Status.ONGOING),
        "measures_in_progress": sum(1 for m in measures if not m.is_done),
    }


def notice_context(ledger: Ledger) -> dict[str, Any]:
    """Everything a notice template may use: finished strings, lists and counts."""
    info = ledger.info
    period = format_cn_range(info.start, info.end) if info.start and info.end else ""
    return {
        "unit": info.unit, "group": info.group, "deployer": info.deployer,
        "issuer": info.issuer, "title": info.title,
        "phone": info.phone, "address": info.address, "email": info.email,
        "start": _date(info.start), "end": _date(info.end), "period": period,
        "feedback_date": _date(info.feedback_date), "as_of": _date(info.as_of),
        "publish_date": _date(info.publish_date),
        "headings": [heading_marker(1, i) + h for i, h in enumerate(HEADINGS, start=1)],
        "opening": opening_paragraph(info, ledger.texts),
        "section_one": _paragraphs(ledger.texts_of("一")),
        "summary_sentence": summary_sentence(ledger),
        "aspects": _aspects(ledger),
        "section_three": _paragraphs(ledger.texts_of("三")),
        "closing_lines": _closing_lines(ledger),
        "contact": contact_line(info),
        "counts": _counts(ledger),
        # issue 18: outcome figures the ledger gives (empty when none): a list of
        # {key, header, unit, value, text} and the sentence "整改以来，建立完善制度5项，…。"
        "outcomes": outcome_items(figures := ledger_outcomes(ledger)),
        "outcomes_sentence": f"整改以来，{phrase}。" if (phrase := outcomes_phrase(figures)) else "",
    }


@dataclass(frozen=True, slots=True)
class HeadingLine:
    """One heading line of the notice as the renderer writes it: its text, its level (1 一、,
    2 （一）, 3 1.) and the length of its lead sentence (the whole line for a standalone
    heading; marker + 标题句 for a run-in one such as （一）深入领会精神，统一思想认识。7月7日…)."""

    text: str
    level: int
    lead_len: int


def heading_lines(context: dict[str, Any]) -> tuple[HeadingLine, ...]:
    """The heading lines of ``notice_context`` as data, for the formal document: the document
    writer takes level and lead sentence from here instead of re-reading the rendered text."""
    out = [HeadingLine(h, 1, len(h)) for h in context["headings"]]
    for p in (*context["section_one"], *context["section_three"]):
        if p["marker"]:
            out.append(HeadingLine(p["text"], 2, len(p["marker"]) + len(p["lead"])))
    for a in context["aspects"]:
        if a["heading"]:  # none when the ledger has no 方面 (problems are then level 2)
            out.append(HeadingLine(a["heading"], 2, len(a["heading"])))
        out += [HeadingLine(p["heading"], p["level"], len(p["heading"])) for p in a["problems"]]
    return tuple(out)


def render_notice(ledger: Ledger, template_text: str, env: Environment) -> str:
    """Render the notice; TemplateError (one Chinese line) for any template problem."""
    return render_context(notice_context(ledger), template_text, env)


def render_context(context: dict[str, Any], template_text: str, env: Environment, *,
                   source: str = "台账", variables: str = "docs/dev/notice.md") -> str:
    """Render a template over a context (the notice's, the round 通报's); TemplateError (one
    Chinese line) for any template problem. ``source`` and ``variables`` word the messages."""
    from jinja2 import TemplateSyntaxError, meta
    from jinja2.exceptions import SecurityError, UndefinedError

    try:
        # find_undeclared_variables compiles: an unknown filter or test fails here
        # (TemplateAssertionError, a TemplateSyntaxError), not at render time
        undeclared = meta.find_undeclared_variables(env.parse(template_text))
    except TemplateSyntaxError as exc:
        raise TemplateError(f"模板第{exc.lineno}行有语法错误：{jinja_message(exc.message)}") from exc
    unknown = sorted(undeclared - context.keys())
    if unknown:
        raise TemplateError(
            f"模板使用了{source}中没有的变量：{'、'.join(unknown)}（可用变量见 {variables}）"
        )
    try:
        template = env.from_string(template_text)
        return template.render(context)
    except TemplateSyntaxError as exc:
        raise TemplateError(f"模板第{exc.lineno}行有语法错误：{jinja_message(exc.message)}") from exc
    except UndefinedError as exc:
        raise TemplateError(f"模板渲染失败：{jinja_message(exc.message)}（可用变量见 {variables}）"
                            ) from exc
    except SecurityError as exc:
        raise TemplateError(f"模板中有不允许的操作：{exc}") from exc
    except Exception as exc:  # a user template can fail in many ways; never a traceback
        detail = jinja_message(str(exc))
        if detail == str(exc):
            detail = f"{type(exc).__name__}: {exc}"
        raise TemplateError(f"模板渲染失败：{detail}") from exc


# jinja2's most common template-author mistakes, in Chinese; others are shown as jinja2 wrote them
_JINJA_ZH = (
    (re.compile(r"^No filter named '(.+)'\.?$"), "没有名为“{}”的过滤器"),
    (re.compile(r"^No test named '(.+)'\.?$"), "没有名为“{}”的测试"),
    (re.compile(r"^.* has no attribute '(.+)'$"), "引用的“{}”不存在"),
    (re.compile(r"^'(.+)' is undefined$"), "变量“{}”不存在"),
    (re.compile(r"^(no loader) for this environment"),
     "模板不能引用其他模板文件（include、import、extends）"),
    (re.compile(r"^(Range too big)\."), "循环次数过多（range 超过十万）"),
)


def jinja_message(message: str | None) -> str:
    """jinja2's message in Chinese where it is a common mistake (the notice and mail templates)."""
    text = message or ""
    for pattern, chinese in _JINJA_ZH:
        m = pattern.match(text)
        if m:
            return chinese.format(m.group(1))
    return text
