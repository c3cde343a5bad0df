"""check-notice --ledger: the notice against the ledger it should have been written from (RX8xx).

Pure. Problems are paired by their text after NFKC (full/half-width punctuation and spaces do
not count), then by similarity for the rest; narratives are compared in order, and a
difference is shown as a short diff rather than two whole paragraphs.
"""

from __future__ import annotations

import difflib

from rectify_xl.core.findings import Finding, Severity
from rectify_xl.core.model import Ledger, Problem
from rectify_xl.core.notice.doc import DocProblem, NoticeDoc
from rectify_xl.core.notice.facts import StatedCount, nfkc
from rectify_xl.core.notice.render import NO_NARRATIVE
from rectify_xl.core.rules.registry import CodeSpec, code_registrar
from rectify_xl.core.schema import Status
from rectify_xl.core.structure import without_marker
from rectify_xl.core.textcheck import shorten

__all__ = ["ledger_findings", "pair_problems", "short_diff"]

_code = code_registrar("notice")

NOT_IN_LEDGER = _code("RX801", Severity.ERROR, "公告中的问题台账中没有",
                      "第{para}段的问题“{problem}”在台账中找不到")
NOT_IN_NOTICE = _code("RX802", Severity.ERROR, "台账中的问题公告中没有",
                      "台账第{row}行的问题“{problem}”在公告中没有写到")
MEASURES_DIFFER = _code("RX803", Severity.ERROR, "整改落实情况条数与台账不符",
                        "第{para}段的问题在公告中有{notice}条整改落实情况，台账中有{ledger}条"
                        "（台账第{row}行起）")
NARRATIVE_DIFFERS = _code("RX804", Severity.WARNING, "整改落实情况与台账文字不同",
                          "第{para}段第{n}条整改落实情况与台账第{row}行不同：{diff}")
COUNT_VS_LEDGER = _code("RX805", Severity.ERROR, "文中数字与台账不符",
                        "第{para}段称“{stated}”，台账中为{actual}")
ASPECT_MISSING = _code("RX806", Severity.WARNING, "方面与台账不一致",
                       "{where}的方面“{aspect}”在{other}中没有")
PROBLEM_DIFFERS = _code("RX807", Severity.WARNING, "问题文字与台账不同",
                        "第{para}段的问题与台账第{row}行文字不同：{diff}")


_SIMILAR = 0.75
_STRIP = "。；，、：;,.: "


def _key(text: str) -> str:
    # a ledger cell may carry its own number (1.理论学习不深入, 一、政治建设方面): the notice's is its own
    return nfkc(without_marker(text)).rstrip(_STRIP)


# The renderer's stock lines for a problem without any 整改落实情况 (整改落实情况：正在推进整改。):
# they state a status, not an item, so counts and texts are compared over the other items only.
_PLACEHOLDERS = frozenset(_key(text) for text in NO_NARRATIVE.values())


def _is_item(text: str) -> bool:
    return _key(text) not in _PLACEHOLDERS


def pair_problems(doc: NoticeDoc, ledger: Ledger
                  ) -> tuple[list[tuple[DocProblem, Problem]], list[DocProblem], list[Problem]]:
    """(pairs, only in the notice, only in the ledger): exact text first, then similar text."""
    by_key: dict[str, Problem] = {}
    for p in ledger.problems:
        by_key.setdefault(_key(p.text), p)
    pairs, left = [], []
    used: set[int] = set()
    for dp in doc.problems:
        match = by_key.get(_key(dp.text))
        if match is not None and id(match) not in used:
            pairs.append((dp, match))
            used.add(id(match))
        else:
            left.append(dp)
    rest = [p for p in ledger.problems if id(p) not in used]
    only_notice = []
    for dp in left:
        scored = [(difflib.SequenceMatcher(None, _key(dp.text), _key(p.text)).ratio(), i)
                  for i, p in enumerate(rest)]
        best = max(scored, default=(0.0, -1))
        if best[0] >= _SIMILAR:
            pairs.append((dp, rest.pop(best[1])))
        else:
            only_notice.append(dp)
    pairs.sort(key=lambda pair: pair[0].para)
    return pairs, only_notice, rest


def ledger_findings(doc: NoticeDoc, ledger: Ledger, source: str) -> list[Finding]:
    pairs, only_notice, only_ledger = pair_problems(doc, ledger)
    out = [_finding(NOT_IN_LEDGER, source, dp.para, para=dp.para, problem=shorten(dp.text, 25))
           for dp in only_notice]
    out += [_finding(NOT_IN_NOTICE, source, None, row=p.row, problem=shorten(p.text, 25))
            for p in only_ledger]
    for dp, p in pairs:
        out += _pair_findings(dp, p, source)
    out += _aspect_findings(doc, ledger, source)
    out += _count_findings(doc, ledger, source)
    return out


def _pair_findings(dp: DocProblem, p: Problem, source: str) -> list[Finding]:
    out = []
    if _key(dp.text) != _key(p.text):
        out.append(_finding(PROBLEM_DIFFERS, source, dp.para, para=dp.para, row=p.row,
                            diff=short_diff(dp.text, p.text)))
    # the same filter on both sides: a ledger narrative that reads like a stock line is no item
    narrated = [m for m in p.measures if m.progress.strip() and _is_item(m.progress)]
    items = [dm for dm in dp.measures if _is_item(dm.narrative)]
    if len(narrated) != len(items):
        out.append(_finding(MEASURES_DIFFER, source, dp.para, para=dp.para,
                            notice=len(items), ledger=len(narrated), row=p.row))
    if not items and not any(m.progress.strip() for m in p.measures):
        # only a stock line on both sides: it must state the status the ledger derives
        expected = NO_NARRATIVE[p.status]
        out += [_finding(NARRATIVE_DIFFERS, source, dm.para, para=dm.para, n=1, row=p.row,
                         diff=short_diff(dm.narrative, expected))
                for dm in dp.measures if _key(dm.narrative) != _key(expected)]
    for n, (dm, m) in enumerate(zip(items, narrated, strict=False), start=1):
        if _key(dm.narrative) != _key(m.progress):
            out.append(_finding(NARRATIVE_DIFFERS, source, dm.para, para=dm.para, n=n, row=m.row,
                                diff=short_diff(dm.narrative, m.progress)))
    return out


def _finding(spec: CodeSpec, source: str, at: int | None, **values: object) -> Finding:
    """spec.finding with the paragraph as Finding.row (templates use {row} for ledger rows)."""
    return Finding(spec.code, spec.severity, source, None, spec.message(**values), at,
                   extra={k: v if isinstance(v, int | float | str) else str(v)
                          for k, v in values.items()})


def _aspect_findings(doc: NoticeDoc, ledger: Ledger, source: str) -> list[Finding]:
    notice = {_key(a): (a, para) for a, para in doc.aspects}
    sheet = {_key(a.name): a.name for a in ledger.aspects if a.name}
    out = [_finding(ASPECT_MISSING, source, para, where=f"第{para}段", aspect=a, other="台账")
           for k, (a, para) in notice.items() if k not in sheet]
    out += [_finding(ASPECT_MISSING, source, None, where="台账", aspect=a, other="公告")
            for k, a in sheet.items() if k not in notice and doc.aspects]
    return out


def _ledger_counts(ledger: Ledger) -> dict[str, float]:
    problems = ledger.problems
    closed = sum(1 for p in problems if p.is_done)
    basic = sum(1 for p in problems if p.status is Status.BASIC)
    return {
        "aspects": len(ledger.aspects),
        "feedback": ledger.feedback_total,
        "problems": len(problems),
        "measures": len(ledger.measures),
        "done": closed,
        "in_progress": len(problems) - closed,
        # when the notice states 基本完成 as a part of its own, 正在推进 is the rest
        "partly": basic,
        "open": len(problems) - closed - basic,
        "rate": round(closed * 100 / len(problems), 1) if problems else 0.0,
        "tasks": len(ledger.measures),
        "done_measures": sum(1 for m in ledger.measures if m.is_done),
    }


def _count_findings(doc: NoticeDoc, ledger: Ledger, source: str) -> list[Finding]:
    actual = _ledger_counts(ledger)
    by_measure = any(c.kind == "tasks" for c in doc.counts)  # 已完成整改10个 of 12 整改任务
    split = {c.para for c in doc.counts if c.kind == "partly"}  # 已完成A个，基本完成…B个，正在推进C个
    out = []
    for c in doc.counts:
        per_measure = by_measure or c.text.endswith("条")
        if c.kind not in actual or (c.kind == "partly" and per_measure):
            continue  # 未完成N个, 基本完成…N条: the ledger has no such split
        kind = "done_measures" if c.kind == "done" and per_measure else c.kind
        if kind == "in_progress" and c.para in split:
            kind = "open"
        value = actual[kind]
        if (abs(value - c.value) > 0.5) if c.kind == "rate" else int(c.value) != value:
            out.append(_finding(COUNT_VS_LEDGER, source, c.para, para=c.para, stated=c.text,
                                actual=_describe(c, value, kind)))
    return out


def _describe(c: StatedCount, value: float, kind: str) -> str:
    unit = {"measures": "条", "tasks": "条", "done_measures": "条", "rate": "%"}.get(kind, "个")
    label = {"aspects": "方面", "feedback": "反馈问题", "problems": "具体问题", "measures": "整改措施",
             "tasks": "整改措施", "done": "已完成的问题", "done_measures": "已完成的措施",
             "in_progress": "未完成的问题", "partly": "基本完成的问题", "open": "正在推进的问题",
             "rate": "完成率"}[kind]
    number = f"{value:g}" if c.kind == "rate" else str(int(value))
    return f"{label}{number}{unit}"


def short_diff(a: str, b: str, limit: int = 3) -> str:
    """'“布署”→“部署”；…' : the first few changed spans of two texts (after NFKC)."""
    import difflib

    a, b = nfkc(a), nfkc(b)
    parts = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        left, right = a[max(0, i1 - 2):i2 + 2], b[max(0, j1 - 2):j2 + 2]
        parts.append(f"公告“{left}”，台账“{right}”")
        if len(parts) == limit:
            parts.append("……")
            break
    return "；".join(parts) or "（仅标点或空格不同）"
