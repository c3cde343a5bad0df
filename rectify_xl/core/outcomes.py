"""Outcome figures and streams of one ledger (issue 18). Pure.

Outcome figures (完善制度, 挽回损失/追缴资金, 追责问责, 举一反三, 专项整治) are numbers typed per
measure; ``outcome_value`` reads one cell the way staff type it ("12", "12项", "1,369.5万元",
full-width digits) and says why when it cannot. The 类别 column puts each concrete problem in
one stream (反馈问题 / 立行立改 / 移交意见, blank = 反馈问题); ``stream_rows`` counts each stream
the way published round notices do: problems rectified over problems, 基本完成 on its own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rectify_xl.core.model import Ledger, Measure, Problem
from rectify_xl.core.schema import OUTCOME_BY_KEY, OUTCOMES, Outcome, Status, Stream

__all__ = [
    "StreamRow",
    "format_amount",
    "ledger_outcomes",
    "outcome_value",
    "problem_stream",
    "stream_rows",
]

_NUMBER_RE = re.compile(r"^(-?\d+(?:\.\d+)?)$")


def outcome_value(outcome: Outcome, raw: object) -> tuple[float | None, str]:
    """The number in one outcome cell, or (None, reason in Chinese) when it is not one."""
    if isinstance(raw, bool):
        return None, "不是数字"
    if isinstance(raw, int | float):
        number = float(raw)
    else:
        text = unicodedata.normalize("NFKC", str(raw)).strip().replace(",", "").replace(" ", "")
        if text.endswith(outcome.unit):
            text = text[: -len(outcome.unit)]
        m = _NUMBER_RE.match(text)
        if not m:
            return None, "不是数字"
        number = float(m.group(1))
    if number != number or number in (float("inf"), float("-inf")):
        return None, "不是数字"
    if number < 0:
        return None, "不能为负数"
    if outcome.integer and not number.is_integer():
        return None, "应为整数"
    return number, ""


def _readable(m: Measure) -> Iterable[tuple[str, float]]:
    for key, raw in m.outcomes:
        value, _ = outcome_value(OUTCOME_BY_KEY[key], raw)
        if value is not None:
            yield key, value


def ledger_outcomes(ledger: Ledger) -> dict[str, float]:
    """Sums of the outcome columns the ledger fills (key → sum, in ``OUTCOMES`` order).

    A column that is absent or left blank throughout is absent here (the figure is unknown, not
    0): summaries and notices mention only figures a unit gave. Counts (项, 人) are ints.
    Unreadable cells are left out of the sums: RX470/RX471 report them as errors at their cells,
    so a figure built on them never leaves the tool silently.
    """
    filled = {key for m in ledger.measures for key, _ in m.outcomes}
    sums = {o.key: 0.0 for o in OUTCOMES if o.key in filled}
    for m in ledger.measures:
        for key, value in _readable(m):
            sums[key] += value
    return {k: _number(OUTCOME_BY_KEY[k], v) for k, v in sums.items()}


def _number(outcome: Outcome, value: float) -> float:
    """Counts as ints, amounts rounded to 4 decimals (sums of 万元 with two decimals each)."""
    return round(value) if outcome.integer else round(value, 4)


def format_amount(outcome: Outcome, value: float) -> str:
    """12.0 → "12"; 1369.5 → "1369.5"; amounts keep at most two decimals."""
    if outcome.integer or float(value).is_integer():
        return str(round(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def problem_stream(problem: Problem) -> Stream | None:
    """The stream of a concrete problem: its first readable 类别 (RX473 reports disagreement)."""
    for m in problem.measures:
        stream = Stream.parse(m.stream)
        if stream is not None and m.stream.strip():
            return stream
    if all(not m.stream.strip() for m in problem.measures):
        return Stream.FEEDBACK
    return None  # only unreadable words: RX472 reports them; counted nowhere


@dataclass(frozen=True, slots=True)
class StreamRow:
    """One stream of one ledger (or of a round): problems by state, measures, completion rate.

    completion_rate = rectified / problems, as published round notices compute it ("反馈的697个
    问题，完成整改688个，…总体完成率98.71%"); rectified = 已完成 or 长期坚持.
    """

    stream: str
    problems: int
    rectified: int
    basic: int  # 基本完成
    open: int  # neither: not done
    measures: int
    measures_closed: int

    @property
    def completion_rate(self) -> float:
        return self.rectified / self.problems if self.problems else 0.0

    def to_dict(self) -> dict[str, object]:
        return {"stream": self.stream, "problems": self.problems, "rectified": self.rectified,
                "basic": self.basic, "open": self.open, "measures": self.measures,
                "measures_closed": self.measures_closed,
                "completion_rate": round(self.completion_rate, 6)}


def _state(problem: Problem) -> str:
    """rectified | basic | open, from the problem's derived status (model.Problem.status):
    rectified when every measure is closed; 基本完成 when the rest are closed or 基本完成."""
    if problem.is_done:
        return "rectified"
    return "basic" if problem.status is Status.BASIC else "open"


def stream_rows(ledger: Ledger) -> tuple[StreamRow, ...]:
    """One row per stream that has problems, in the order of ``Stream`` (反馈问题 first)."""
    counts: dict[Stream, list[int]] = {s: [0] * 6 for s in Stream}
    # no 类别 written on any row (most ledgers): every problem is a 反馈问题, as problem_stream
    # would say problem by problem
    unwritten = not any(m.stream for m in ledger.measures)
    for p in ledger.problems:
        stream = Stream.FEEDBACK if unwritten else problem_stream(p)
        if stream is None:
            continue
        c = counts[stream]
        state = _state(p)
        c[0] += 1
        c[1] += state == "rectified"
        c[2] += state == "basic"
        c[3] += state == "open"
        c[4] += len(p.measures)
        c[5] += sum(1 for m in p.measures if m.is_done)
    return tuple(StreamRow(s.value, *c) for s, c in counts.items() if c[0])


def outcome_items(outcomes: Mapping[str, float]) -> list[dict[str, object]]:
    """The figures given, for templates: key, header, unit, value, text ("建立完善制度589项")."""
    return [
        {"key": o.key, "header": o.header, "unit": o.unit, "value": outcomes[o.key],
         "text": f"{o.phrase}{format_amount(o, outcomes[o.key])}{o.unit}"}
        for o in OUTCOMES if o.key in outcomes
    ]


def outcomes_phrase(outcomes: Mapping[str, float]) -> str:
    """"建立完善制度589项，挽回损失、追缴资金1369.5万元" — "" when no figure was given."""
    return "，".join(str(item["text"]) for item in outcome_items(outcomes))
