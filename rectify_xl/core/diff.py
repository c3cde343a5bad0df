"""What changed between two versions of one unit's ledger (issue 7).

Measures are matched by content, not by row or 序号: units insert rows and renumber. Matching
runs in two passes: identical (problem, measure) text first, then the most similar remaining
measure text (difflib), with a bonus for the same problem and the same 序号.
The mail body ("what changed since the previous report") and ``merge --previous`` use this.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher
from enum import StrEnum
from typing import Any

from rectify_xl.core.model import Ledger, Measure
from rectify_xl.core.schema import COLUMN_BY_KEY, DEADLINE_ONGOING
from rectify_xl.core.textcheck import shorten

__all__ = ["ChangeKind", "FieldChange", "LedgerDiff", "MeasureChange", "diff_ledgers",
           "match_measures"]

# A fuzzy match must be at least this similar (0..1, bonuses included) to count as the same measure.
MATCH_THRESHOLD = 0.6
_SAME_PROBLEM_BONUS = 0.15
_SAME_SEQ_BONUS = 0.05
# Above this many leftovers on each side, fuzzy matching is limited to the same problem (n × m).
_GLOBAL_FUZZY_LIMIT = 400
_NOISE_RE = re.compile(r"[\s，。；、,.;:：“”\"'‘’（）()【】\[\]]+")


class ChangeKind(StrEnum):
    """Kinds of change, in the order a reader wants them."""

    ADDED = "新增"
    REMOVED = "删除"
    CLOSED = "销号"
    REOPENED = "重新打开"
    POSTPONED = "延期"
    ADVANCED = "提前"
    DEADLINE = "时限变更"
    STATUS = "状态变更"
    RESPONSIBILITY = "责任变更"
    NARRATIVE = "落实情况变更"
    CONTENT = "内容修改"


_KIND_ORDER = {k: i for i, k in enumerate(ChangeKind)}


@dataclass(frozen=True, slots=True)
class FieldChange:
    key: str  # schema column key
    old: str
    new: str

    @property
    def label(self) -> str:
        return COLUMN_BY_KEY[self.key].header


@dataclass(frozen=True, slots=True)
class MeasureChange:
    """One measure that was added, removed, or changed; kinds is never empty."""

    kinds: tuple[ChangeKind, ...]
    old: Measure | None
    new: Measure | None
    fields: tuple[FieldChange, ...] = ()

    @property
    def measure(self) -> Measure:
        return self.new or self.old  # type: ignore[return-value]

    def details(self) -> str:
        """What changed in the fields: '完成时限：2021-08-31 → 2021-12-31；整改落实情况已更新'."""
        details = "；".join(f"{f.label}：{f.old or '（空）'} → {f.new or '（空）'}"
                            for f in self.fields if f.key not in ("progress", "evidence"))
        narrative = [f.label for f in self.fields if f.key in ("progress", "evidence")]
        if narrative:
            details = "；".join(filter(None, [details, "、".join(narrative) + "已更新"]))
        return details

    def describe(self) -> str:
        """One Chinese line: 【延期】第5行 “措施…”：完成时限 2021-08-31 → 2021-12-31."""
        m = self.measure
        kinds = "、".join(k.value for k in self.kinds)
        where = f"第{m.row}行" if self.new else f"原第{m.row}行"
        head = f"【{kinds}】{where}“{shorten(m.text, 30)}”"
        details = self.details()
        return f"{head}：{details}" if details else head

    def to_dict(self) -> dict[str, Any]:
        m = self.measure
        return {
            "kinds": [k.value for k in self.kinds],
            "old_row": self.old.row if self.old else None,
            "new_row": self.new.row if self.new else None,
            "problem": m.problem,
            "measure": m.text,
            "fields": [{"column": f.label, "old": f.old, "new": f.new} for f in self.fields],
        }


@dataclass(frozen=True)
class LedgerDiff:
    unit: str
    old_unit: str
    old_as_of: date | None
    new_as_of: date | None
    changes: tuple[MeasureChange, ...]
    unchanged: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.changes

    @property
    def same_unit(self) -> bool:
        return not self.old_unit or self.old_unit == self.unit

    def summary_line(self) -> str:
        """'新增2项、销号3项、延期1项' or '无变化'."""
        parts = [f"{k.value}{self.counts[k.value]}项" for k in ChangeKind if self.counts.get(k.value)]
        return "、".join(parts) if parts else "无变化"

    def lines(self) -> list[str]:
        return [c.describe() for c in self.changes]

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "old_as_of": self.old_as_of.isoformat() if self.old_as_of else None,
            "new_as_of": self.new_as_of.isoformat() if self.new_as_of else None,
            "counts": dict(self.counts),
            "unchanged": self.unchanged,
            "changes": [c.to_dict() for c in self.changes],
        }


def _norm(text: str) -> str:
    return _NOISE_RE.sub("", text)


def _key(m: Measure) -> tuple[str, str]:
    return (_norm(m.problem), _norm(m.text))


def _similarity(a: Measure, b: Measure) -> float:
    ta, tb = _norm(a.text), _norm(b.text)
    matcher = SequenceMatcher(None, ta, tb, autojunk=False)
    if matcher.real_quick_ratio() < MATCH_THRESHOLD - _SAME_PROBLEM_BONUS - _SAME_SEQ_BONUS:
        return 0.0
    score = matcher.ratio()
    if _norm(a.problem) == _norm(b.problem):
        score += _SAME_PROBLEM_BONUS
    if a.seq and a.seq == b.seq:
        score += _SAME_SEQ_BONUS
    return score


def match_measures(old: Iterable[Measure], new: Iterable[Measure]
                   ) -> tuple[list[tuple[Measure, Measure]], list[Measure], list[Measure]]:
    """Pairs of the same measure in two versions, then the unmatched old and new measures."""
    old_left, new_left = list(old), list(new)
    pairs: list[tuple[Measure, Measure]] = []
    # Pass 1: identical content; among duplicates, first with first (sheet order)
    by_key: dict[tuple[str, str], list[Measure]] = defaultdict(list)
    for m in old_left:
        by_key[_key(m)].append(m)
    still_new: list[Measure] = []
    for m in new_left:
        bucket = by_key.get(_key(m))
        if bucket:
            pairs.append((bucket.pop(0), m))
        else:
            still_new.append(m)
    matched_old = {id(a) for a, _ in pairs}
    still_old = [m for m in old_left if id(m) not in matched_old]
    # Pass 2: best-first fuzzy matching of what is left
    fuzzy = _fuzzy_pairs(still_old, still_new)
    pairs.extend(fuzzy)
    used_old = {id(a) for a, _ in fuzzy}
    used_new = {id(b) for _, b in fuzzy}
    pairs.sort(key=lambda p: p[1].row)
    return (pairs, [m for m in still_old if id(m) not in used_old],
            [m for m in still_new if id(m) not in used_new])


def _fuzzy_pairs(old: list[Measure], new: list[Measure]) -> list[tuple[Measure, Measure]]:
    if not old or not new:
        return []
    same_problem_only = len(old) > _GLOBAL_FUZZY_LIMIT and len(new) > _GLOBAL_FUZZY_LIMIT
    scored: list[tuple[float, int, int]] = []
    for i, a in enumerate(old):
        for j, b in enumerate(new):
            if same_problem_only and _norm(a.problem) != _norm(b.problem):
                continue
            score = _similarity(a, b)
            if score >= MATCH_THRESHOLD:
                scored.append((-score, i, j))
    scored.sort()
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    out = []
    for _, i, j in scored:
        if i in taken_old or j in taken_new:
            continue
        taken_old.add(i)
        taken_new.add(j)
        out.append((old[i], new[j]))
    return out


def _deadline_text(m: Measure) -> str:
    if m.deadline_ongoing:
        return DEADLINE_ONGOING
    return m.deadline.isoformat() if m.deadline else m.deadline_raw


def _status_text(m: Measure) -> str:
    return m.status.value if m.status else m.status_raw


def _deadline_kind(a: Measure, b: Measure) -> ChangeKind | None:
    if _deadline_text(a) == _deadline_text(b):
        return None
    if a.deadline and b.deadline:
        return ChangeKind.POSTPONED if b.deadline > a.deadline else ChangeKind.ADVANCED
    if a.deadline and b.deadline_ongoing:
        return ChangeKind.POSTPONED  # a fixed date became open-ended
    return ChangeKind.DEADLINE


_TEXT_KEYS = ("aspect", "feedback", "problem", "measure")
_RESPONSIBILITY_KEYS = ("leader", "department")
_NARRATIVE_KEYS = ("progress", "evidence")


def _values(m: Measure) -> dict[str, str]:
    return {
        "aspect": m.aspect, "feedback": m.feedback, "problem": m.problem, "measure": m.text,
        "leader": m.leader, "department": m.department, "deadline": _deadline_text(m),
        "status": _status_text(m), "progress": m.progress, "evidence": m.evidence,
    }


def _compare(a: Measure, b: Measure) -> MeasureChange | None:
    va, vb = _values(a), _values(b)
    fields = tuple(FieldChange(k, va[k], vb[k]) for k in va if va[k] != vb[k])
    kinds: list[ChangeKind] = []
    if not a.is_done and b.is_done:
        kinds.append(ChangeKind.CLOSED)
    elif a.is_done and not b.is_done:
        kinds.append(ChangeKind.REOPENED)
    elif va["status"] != vb["status"]:
        kinds.append(ChangeKind.STATUS)
    deadline = _deadline_kind(a, b)
    if deadline:
        kinds.append(deadline)
    changed = {f.key for f in fields}
    if changed & set(_RESPONSIBILITY_KEYS):
        kinds.append(ChangeKind.RESPONSIBILITY)
    if changed & set(_NARRATIVE_KEYS):
        kinds.append(ChangeKind.NARRATIVE)
    if changed & set(_TEXT_KEYS):
        kinds.append(ChangeKind.CONTENT)
    if not kinds:
        return None
    return MeasureChange(tuple(sorted(kinds, key=_KIND_ORDER.__getitem__)), a, b, fields)


def diff_ledgers(old: Ledger, new: Ledger) -> LedgerDiff:
    """Every measure added, removed or changed from ``old`` to ``new``, in the new sheet order."""
    pairs, removed, added = match_measures(old.measures, new.measures)
    changes: list[MeasureChange] = []
    unchanged = 0
    for a, b in pairs:
        change = _compare(a, b)
        if change is None:
            unchanged += 1
        else:
            changes.append(change)
    changes += [MeasureChange((ChangeKind.ADDED,), None, m) for m in added]
    ordered = sorted(changes, key=lambda c: (c.new is None, c.measure.row))
    ordered += [MeasureChange((ChangeKind.REMOVED,), m, None) for m in removed]
    counts: dict[str, int] = {}
    for c in ordered:
        for k in c.kinds:
            counts[k.value] = counts.get(k.value, 0) + 1
    return LedgerDiff(new.info.unit or old.info.unit, old.info.unit, old.info.as_of, new.info.as_of,
                      tuple(ordered), unchanged, counts)
