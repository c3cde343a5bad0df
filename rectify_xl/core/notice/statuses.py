"""Statuses a notice states in its text (issue 15): per measure, per problem, or for all.

Pure. A notice rarely has a 整改状态 column; it says the status in words: a phrase in one
narrative ("市交办3条问题线索已按期办结", "该项工作正在推进"), a mark after a problem
("（已完成）"), or one summary sentence for everything ("已完成9个并将长期坚持", "均在积极推进中").
``read_statuses`` sets each measure's status from the nearest of these and records the paragraph
and the words it came from; where the text says nothing the status stays empty, and the import
report says so. No status is guessed from how a narrative sounds.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rectify_xl.core.notice.doc import DocMeasure, DocProblem, NoticeDoc
from rectify_xl.core.notice.facts import StatedCount
from rectify_xl.core.schema import Status

__all__ = ["StatusSource", "read_statuses", "status_in"]

# Phrases that state the status of the rectification itself (not of any action): checked in
# this order, so 正在推进 beats a 已完成 of a sub-step, and 长期坚持 beats a plain 已完成.
_PHRASES: tuple[tuple[Status, re.Pattern[str]], ...] = (
    (Status.IN_PROGRESS, re.compile(
        r"正在(?:整改|推进|落实|办理)|整改(?:中|正在推进)|尚未(?:完成|整改到位|办结)|未完成整改"
        r"|(?:仍在|还在)(?:整改|推进)|(?:积极|有序)推进中|基本完成")),
    (Status.ONGOING, re.compile(
        r"(?:并将|将|需要|需)?长期坚持|持续推进(?:中)?[。；，]?$|常态化推进|持续整改")),
    (Status.DONE, re.compile(
        r"已(?:全部)?(?:完成整改|整改(?:到位|完成|完毕)?|按期办结|办结|销号)|整改(?:已)?(?:完成|到位)"
        r"|已完成(?=[。；，、]|$)")),
)
# a status in brackets after a problem or a narrative: （已完成） (长期坚持) 【正在推进】
_MARK_RE = re.compile(
    r"[（(【\[]\s*(已完成|长期坚持|正在推进|持续推进|已整改到位|正在整改|已整改)\s*[）)】\]]")


@dataclass(frozen=True, slots=True)
class StatusSource:
    """Where a status was read: paragraph, the words, and what it applies to."""

    status: Status
    para: int
    words: str
    scope: str  # measure | problem | all


def status_in(text: str) -> tuple[Status, str] | None:
    """The status a narrative states about itself, and the words; None if it states none."""
    norm = unicodedata.normalize("NFKC", text)
    if m := _MARK_RE.search(norm):
        status = Status.parse(m[1])
        if status is not None:
            return status, m[0]
    for status, pattern in _PHRASES:
        if m := pattern.search(norm):
            return status, m[0]
    return None


def _summary_status(doc: NoticeDoc) -> StatusSource | None:
    """One status for every problem, when the summary sentence gives one: all done (已完成N个
    where N is the stated total, 已全部完成), all done and kept up (…并将长期坚持), or all in
    progress (均在积极推进中 / 已完成0个)."""
    listed = len(doc.problems)
    by_para: dict[int, list[StatedCount]] = {}
    for c in doc.counts:
        by_para.setdefault(c.para, []).append(c)
    texts = {p.no: unicodedata.normalize("NFKC", p.text) for p in doc.summary}
    if doc.opening is not None:
        texts.setdefault(doc.opening.no, unicodedata.normalize("NFKC", doc.opening.text))
    for t in doc.texts:
        if t["section"] == "一":  # a notice without 一、 keeps its summary at the front
            texts.setdefault(t["para"], unicodedata.normalize("NFKC", t["lead"] + t["body"]))
    for no, text in sorted(texts.items()):
        counts = {c.kind: c for c in by_para.get(no, [])}
        done = counts.get("done")
        total = counts.get("problems") or counts.get("feedback") or counts.get("tasks")
        others = [counts[k] for k in ("in_progress", "not_done", "partly") if k in counts]
        lasting = re.search(r"(?:并将|将)?长期坚持|持续巩固|持续推进", text)
        if done is not None and total is not None and done.value == total.value and not any(
                c.value for c in others):
            status = Status.ONGOING if lasting else Status.DONE
            return StatusSource(status, no, done.text + (lasting[0] if lasting else ""), "all")
        if m := re.search(r"已全部(?:完成整改|整改到位|完成)|整改(?:工作)?已全部完成", text):
            return StatusSource(Status.ONGOING if lasting else Status.DONE, no, m[0], "all")
        if (m := re.search(r"均在(?:积极|有序)?推进中|均(?:正在|在)推进", text)) or (
                done is not None and done.value == 0 and listed):
            return StatusSource(Status.IN_PROGRESS, no, m[0] if m else done.text if done else "", "all")
    return None


def read_statuses(doc: NoticeDoc) -> list[StatusSource]:
    """Set ``DocMeasure.status`` from the text; returns where each status came from.

    A measure's own words win; then a status stated for its problem (a mark on the problem
    heading or a 整改状态： line, or the same phrase in every narrative of the problem); then the
    summary sentence when it states one status for all. Nothing else is filled in.
    """
    sources: list[StatusSource] = []
    general = _summary_status(doc)
    for problem in doc.problems:
        own = _problem_status(problem)
        if own is not None:
            sources.append(own)
        for m in problem.measures:
            said = status_in(m.narrative)
            if said is not None:
                m.status = said[0].value
                sources.append(StatusSource(said[0], m.para, said[1], "measure"))
            elif own is not None:
                m.status = own.status.value
            elif general is not None:
                m.status = general.status.value
    if general is not None and any(not m.status or m.status == general.status.value
                                   for p in doc.problems for m in p.measures):
        sources.append(general)
    return sources


def _problem_status(problem: DocProblem) -> StatusSource | None:
    stated = problem.fields.get("status")
    if stated:
        status = Status.parse(stated)
        if status is not None:
            return StatusSource(status, problem.para, f"整改状态：{stated}", "problem")
    if m := _MARK_RE.search(unicodedata.normalize("NFKC", problem.text)):
        status = Status.parse(m[1])
        if status is not None:
            return StatusSource(status, problem.para, m[0], "problem")
    return None


def without_status(doc: NoticeDoc) -> list[DocMeasure]:
    return [m for p in doc.problems for m in p.measures if not m.status]
