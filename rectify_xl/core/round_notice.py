"""The round-level 通报 (issue 18): RoundFigures → template context → text. Pure.

The wording follows published round 通报 ("巡察反馈的697个问题，完成整改688个，基本完成、取得阶段性
成果并持续整改4个，未完成5个，总体完成率98.71%。…完善和新建制度589项…"): problems are concrete
problems (具体问题), the completion rate is rectified over fed back, 基本完成 is stated on its own,
and outcome figures appear only when some unit gave them. Every number comes from the
consolidated workbook's sheets (core.round_figures); the template only lays them out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from rectify_xl.core.dates import format_cn
from rectify_xl.core.findings import Finding, Severity
from rectify_xl.core.numbering import heading_marker
from rectify_xl.core.outcomes import StreamRow, outcome_items, outcomes_phrase
from rectify_xl.core.round_figures import OTHER_KIND, RoundFigures, RoundUnit, unit_kind
from rectify_xl.core.rules.registry import code_registrar
from rectify_xl.core.schema import Stream

if TYPE_CHECKING:
    from jinja2 import Environment

__all__ = [
    "ROUND_HEADINGS",
    "RoundNoticeInput",
    "format_percent",
    "render_round_notice",
    "round_context",
    "round_heading_lines",
    "round_title",
    "state_phrase",
]

_code = code_registrar("round")
PLACEHOLDER = _code("RX477", Severity.WARNING, "通报缺少内容，已留占位符",
                    "未指定{what}，通报中以“{placeholder}”占位，请用 {option} 指定或在文档中补上")
NOT_FINAL = "【未定稿：汇总表中有错误，以下数字可能不准确，请先改正】"

ROUND_HEADINGS = ("整改总体情况", "各单位整改情况", "未按时报送整改情况的单位")


@dataclass(frozen=True, slots=True)
class RoundNoticeInput:
    """What the 通报 needs besides the figures (each given on the command line)."""

    round_name: str = ""  # e.g. 十二届县委第二轮巡察
    issuer: str = ""  # 发文机关署名, e.g. 中共某某县委巡察工作领导小组办公室
    date: date | None = None  # 成文日期


_ROUND_PLACEHOLDER = "【巡察轮次】"
_ISSUER_PLACEHOLDER = "【发文机关】"


def format_percent(rate: float) -> str:
    """0.98709 → "98.71%", 1.0 → "100%", 0.75 → "75%": two decimals as published, no ".00"."""
    text = f"{rate * 100:.2f}"
    return text.rstrip("0").rstrip(".") + "%" if "." in text else text + "%"


def round_title(name: str) -> str:
    return f"关于{name or _ROUND_PLACEHOLDER}整改进展情况的通报"


def _kinds_text(units: tuple[RoundUnit, ...], missing: tuple[str, ...]
                ) -> tuple[list[dict[str, Any]], str]:
    counts = Counter([u.kind for u in units] + [unit_kind(n) for n in missing])
    order = [k for k, _ in counts.most_common() if k != OTHER_KIND]
    if OTHER_KIND in counts:
        order.insert(0, OTHER_KIND)
    kinds = [{"kind": k, "count": counts[k]} for k in order]
    text = "、".join(f"{k['kind']}{k['count']}个" for k in kinds) if len(kinds) > 1 else ""
    return kinds, text


def state_phrase(row: StreamRow, noun: str, after: str = "") -> str:
    """"巡察反馈的12个问题，已完成整改9个，基本完成、取得阶段性成果并持续整改1个，未完成2个，
    整改完成率75%"."""
    parts = [f"{noun}{row.problems}个{after}", f"已完成整改{row.rectified}个"]
    if row.basic:
        parts.append(f"基本完成、取得阶段性成果并持续整改{row.basic}个")
    parts.append(f"未完成{row.open}个")
    return "，".join(parts) + f"，整改完成率{format_percent(row.completion_rate)}"


_STREAM_NOUNS = {Stream.FEEDBACK: "巡察反馈问题", Stream.IMMEDIATE: "立行立改问题",
                 Stream.TRANSFERRED: "移交意见涉及问题"}


def _unit_line(n: int, u: RoundUnit) -> dict[str, Any]:
    fb = u.stream(Stream.FEEDBACK)
    lead = f"{heading_marker(2, n)}{u.name}。"
    body = state_phrase(fb, "反馈问题") if fb.problems else "台账中没有反馈问题"
    others = [f"{s.value}问题{r.problems}个、已整改{r.rectified}个"
              for s in (Stream.IMMEDIATE, Stream.TRANSFERRED) if (r := u.stream(s)).problems]
    if others:
        body += "；" + "，".join(others)
    if u.overdue:
        body += f"；逾期未完成的整改措施{u.overdue}项"
    if u.outcomes:
        body += "；" + outcomes_phrase(u.outcomes)
    return {"name": u.name, "kind": u.kind, "problems": fb.problems, "rectified": fb.rectified,
            "basic": fb.basic, "open": fb.open, "rate": fb.completion_rate,
            "rate_text": format_percent(fb.completion_rate), "overdue": u.overdue,
            "outcomes": outcome_items(u.outcomes), "lead": lead, "line": f"{lead}{body}。"}


def _ranked(units: tuple[RoundUnit, ...]) -> list[RoundUnit]:
    """Best first, in the order of the 排名 sheet (core.consolidate.ranking): problem completion
    rate, fewer overdue measures, less 序时进度 lag, higher measure completion, name."""
    return sorted(units, key=lambda u: (-u.stream(Stream.FEEDBACK).completion_rate, u.overdue,
                                        u.behind, -u.measure_rate, u.name))


def round_context(figures: RoundFigures, given: RoundNoticeInput) -> dict[str, Any]:
    """Everything the 通报 template may use: finished sentences, lists and numbers."""
    as_of = format_cn(figures.as_of) if figures.as_of else ""
    name = given.round_name or _ROUND_PLACEHOLDER
    units = figures.units
    total_units = len(units) + len(figures.missing)
    kinds, kinds_text = _kinds_text(units, figures.missing)
    scope = f"{name}共对{total_units}个单位（党组织）开展巡察"
    scope += f"，其中{kinds_text}" if kinds_text else ""
    when = f"截至{as_of}，" if as_of else ""
    reported = f"{when}{len(units)}个单位报送了整改台账"
    if figures.missing:
        reported += f"，{len(figures.missing)}个单位未报送"
    fb = figures.total(Stream.FEEDBACK)
    who = f"已报送的{len(units)}个单位" if figures.missing else "各被巡察单位"
    progress = f"{who}共有" + state_phrase(fb, "巡察反馈问题") + "。"
    if not units:  # nobody reported: no figure to state, rather than "0个…0%"
        progress = "各单位均未报送整改台账，暂无整改数字。"
    streams = [{"stream": s.value, "problems": r.problems, "rectified": r.rectified,
                "basic": r.basic, "open": r.open, "rate": r.completion_rate,
                "rate_text": format_percent(r.completion_rate),
                "sentence": state_phrase(r, _STREAM_NOUNS[s]) + "。"}
               for s in (Stream.IMMEDIATE, Stream.TRANSFERRED) if (r := figures.total(s)).problems]
    phrase = outcomes_phrase(figures.outcomes)
    missing_names = "、".join(figures.missing)
    stale_names = "、".join(n for n, _ in figures.stale)
    if figures.missing or figures.stale:
        parts = []
        if figures.missing:
            parts.append(f"{missing_names}等{len(figures.missing)}个单位未报送整改进展情况")
        if figures.stale:
            parts.append(f"{stale_names}等{len(figures.stale)}个单位报送的台账未更新到本轮统计截止日期")
        missing_sentence = f"{when}{'；'.join(parts)}。"
    else:
        missing_sentence = f"{when}各单位均已按时报送整改进展情况。"
    if figures.unreadable:  # the 未报送 sheet names the files and why
        missing_sentence += f"另有{figures.unreadable}个报送文件无法读取，详见汇总表“未报送”工作表。"
    return {
        "round": name, "as_of": as_of, "title": round_title(given.round_name),
        "issuer": given.issuer or _ISSUER_PLACEHOLDER,
        "date": format_cn(given.date) if given.date else "",
        "headings": [heading_marker(1, i) + h for i, h in enumerate(ROUND_HEADINGS, start=1)],
        "units_total": total_units, "units_reported": len(units),
        "units_missing": len(figures.missing), "units_stale": len(figures.stale),
        "files_unreadable": figures.unreadable,
        "kinds": kinds, "kinds_text": kinds_text,
        "scope_sentence": f"{scope}。{reported}。",
        "feedback": {"problems": fb.problems, "rectified": fb.rectified, "basic": fb.basic,
                     "open": fb.open, "rate": fb.completion_rate,
                     "rate_text": format_percent(fb.completion_rate)},
        "progress_sentence": progress,
        "streams": streams,
        "outcomes": outcome_items(figures.outcomes),
        "outcomes_sentence": f"整改以来，各被巡察单位共{phrase}。" if phrase else "",
        "units": [_unit_line(n, u) for n, u in enumerate(_ranked(units), start=1)],
        "missing": list(figures.missing), "stale": [n for n, _ in figures.stale],
        "missing_sentence": missing_sentence,
        "not_final": NOT_FINAL if figures.has_errors else "",
    }


def round_heading_lines(context: dict[str, Any]) -> list[tuple[str, int, int]]:
    """The heading lines as data (text, level, lead length) for the formal document."""
    out = [(h, 1, len(h)) for h in context["headings"]]
    out += [(u["line"], 2, len(u["lead"])) for u in context["units"]]
    return out


def placeholder_findings(given: RoundNoticeInput) -> list[Finding]:
    """Warnings for what the 通报 needs but was not given (a visible placeholder stands in)."""
    out = []
    if not given.round_name:
        out.append(PLACEHOLDER.finding("", None, what="巡察轮次", placeholder=_ROUND_PLACEHOLDER,
                                       option="--round"))
    if not given.issuer:
        out.append(PLACEHOLDER.finding("", None, what="发文机关", placeholder=_ISSUER_PLACEHOLDER,
                                       option="--issuer"))
    return out


def render_round_notice(context: dict[str, Any], template_text: str, env: Environment) -> str:
    from rectify_xl.core.notice.render import render_context

    return render_context(context, template_text, env, source="汇总表",
                          variables="docs/dev/round.md")


__all__ += ["NOT_FINAL", "PLACEHOLDER", "placeholder_findings"]
