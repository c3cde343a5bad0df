"""Progress summary of a ledger: counts by status, rates, overdue / due-soon lists, breakdowns.

The breakdowns by aspect, leader and department are counted in one pass each (no pandas: its
import alone would cost more than the summary of a big ledger).

Definitions (also in docs/dev/notice.md):
- "done" is 已完成 only, "ongoing" 长期坚持 only, "basic" 基本完成 only (not closed), "in
  progress" 正在推进 only; a measure whose status is blank or unknown is "unset". A concrete
  problem's status is derived from its measures (``model.Problem.status``).
- completion_rate = (done + ongoing) / measures, 0.0 when there are no measures.
- on_time_rate = closed measures that were closed no later than their deadline
  (``Measure.done_on_time``) / (closed measures + overdue measures); None when that is zero.
  "Closed" is done or ongoing; an ongoing deadline (长期坚持) is never late.
- overdue: not closed and the deadline is before as_of; due soon: not closed and the deadline
  is within ``due_days`` days from as_of (today included).
- accepted / closed_off (issue 17): measures whose status is 已验收 / 已销号 (``Closure``); they are
  also counted in "done", so the notice counts stay as published notices phrase them.
- behind: open measures behind schedule (序时进度, ``core.schedule``), most behind first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from itertools import compress
from operator import attrgetter
from typing import Any

from rectify_xl.core.dates import format_cn
from rectify_xl.core.model import Ledger, Measure
from rectify_xl.core.outcomes import StreamRow, format_amount, ledger_outcomes, stream_rows
from rectify_xl.core.schedule import behind_schedule
from rectify_xl.core.schema import DONE_STATUSES, INFO_BY_KEY, OUTCOME_BY_KEY, Closure, Status
from rectify_xl.core.settings import Settings

__all__ = ["BLANK_GROUP", "GroupRow", "ItemRow", "LagRow", "Summary", "format_rate", "summarize"]

BLANK_GROUP = "（未填写）"  # group name for measures with an empty leader/department/aspect


@dataclass(frozen=True, slots=True)
class ItemRow:
    """One overdue or due-soon measure. days: days overdue, or days left until the deadline."""

    row: int
    seq: str
    aspect: str
    problem: str
    measure: str
    leader: str
    department: str
    deadline: date
    days: int
    status: str


@dataclass(frozen=True, slots=True)
class LagRow(ItemRow):
    """A measure behind schedule (序时进度): days left, time elapsed and progress as fractions."""

    elapsed: float = 0.0
    progress: float = 0.0


@dataclass(frozen=True, slots=True)
class GroupRow:
    """Measures of one aspect, leader or department. in_progress = measures not yet closed."""

    name: str
    measures: int
    done: int
    ongoing: int
    in_progress: int
    overdue: int
    rate: float


@dataclass(frozen=True)
class Summary:
    unit: str
    as_of: date
    due_days: int
    feedback_count: int
    problem_count: int
    measure_count: int
    problems_done: int
    problems_ongoing: int
    problems_in_progress: int
    measures_done: int
    measures_ongoing: int
    measures_in_progress: int
    measures_unset: int
    completion_rate: float
    problem_completion_rate: float
    on_time_rate: float | None
    overdue: tuple[ItemRow, ...]
    due_soon: tuple[ItemRow, ...]
    by_aspect: tuple[GroupRow, ...]
    by_leader: tuple[GroupRow, ...]
    by_department: tuple[GroupRow, ...]
    measures_basic: int = 0  # 基本完成: not closed, counted on its own (issue 14)
    # core.gate's banner when an error in the ledger changes a count: every rendering of the
    # summary (sheet, text, JSON, mail) shows it first; "" when the figures are final
    not_final: str = ""
    problems_basic: int = 0
    measures_accepted: int = 0  # 已验收 (within done)
    measures_closed_off: int = 0  # 已销号 (within done)
    behind: tuple[LagRow, ...] = ()
    # 催办 (issue 17): letters in 催办记录, and 催办次数 per measure label (序号 or 第N行)
    reminders: int = 0
    reminded: tuple[tuple[str, int], ...] = ()
    # issue 18: sums of the outcome columns the ledger has (key → sum; a missing column is
    # absent) and the problems of each 类别 stream (反馈问题 only when the column is absent)
    outcomes: dict[str, float] = field(default_factory=dict)
    streams: tuple[StreamRow, ...] = ()

    @property
    def problems_closed(self) -> int:
        return self.problems_done + self.problems_ongoing

    @property
    def measures_closed(self) -> int:
        return self.measures_done + self.measures_ongoing

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: dates as ISO strings, tuples as lists."""
        out = _jsonable(asdict(self))
        out["streams"] = [r.to_dict() for r in self.streams]
        return out  # type: ignore[no-any-return]

    def headline(self) -> list[tuple[str, str]]:
        """Chinese label/value pairs for the summary sheet and mails, in reading order."""
        return [
            *([("状态", self.not_final)] if self.not_final else []),
            (INFO_BY_KEY["unit"].label, self.unit or "—"),
            (INFO_BY_KEY["as_of"].label, format_cn(self.as_of)),
            ("反馈问题数", str(self.feedback_count)),
            ("具体问题数", str(self.problem_count)),
            ("具体问题已完成", str(self.problems_closed)),
            *([("具体问题基本完成", str(self.problems_basic))] if self.problems_basic else []),
            ("具体问题正在推进", str(self.problems_in_progress)),
            ("整改措施数", str(self.measure_count)),
            (Status.DONE.value, str(self.measures_done)),
            *self._closure_lines(),
            (Status.ONGOING.value, str(self.measures_ongoing)),
            *([(Status.BASIC.value, str(self.measures_basic))] if self.measures_basic else []),
            (Status.IN_PROGRESS.value, str(self.measures_in_progress)),
            ("未填状态", str(self.measures_unset)),
            ("完成率", format_rate(self.completion_rate)),
            ("具体问题完成率", format_rate(self.problem_completion_rate)),
            ("按期完成率", format_rate(self.on_time_rate)),
            ("逾期", str(len(self.overdue))),
            ("临期", str(len(self.due_soon))),
            ("序时进度滞后", str(len(self.behind))),
            *([("催办次数", str(self.reminders))] if self.reminders else []),
            *self.round_headline(),
        ]

    def _closure_lines(self) -> list[tuple[str, str]]:
        """其中已验收 / 其中已销号, only for a ledger that uses those steps."""
        if not (self.measures_accepted or self.measures_closed_off):
            return []
        return [("其中" + Closure.ACCEPTED.value, str(self.measures_accepted)),
                ("其中" + Closure.CLOSED.value, str(self.measures_closed_off))]

    def round_headline(self) -> list[tuple[str, str]]:
        """Streams (when a 类别 other than 反馈问题 is used) and outcome figures (when present)."""
        lines: list[tuple[str, str]] = []
        if any(r.stream != self.streams[0].stream for r in self.streams) or (
                self.streams and self.streams[0].stream != "反馈问题"):
            for r in self.streams:
                basic = f"，基本完成{r.basic}个" if r.basic else ""
                lines.append((r.stream, f"{r.problems}个，已整改{r.rectified}个{basic}，"
                                        f"未完成{r.open}个，完成率{format_rate(r.completion_rate)}"))
        for key, value in self.outcomes.items():
            outcome = OUTCOME_BY_KEY[key]
            lines.append((outcome.header, format_amount(outcome, value)))
        return lines


def _dated(ledger: Ledger) -> bool:
    return "done_date" in ledger.layout.columns


def format_rate(rate: float | None) -> str:
    """0.9565 → '95.7%'; None → '—' (nothing to measure)."""
    return "—" if rate is None else f"{rate * 100:.1f}%"


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def summarize(ledger: Ledger, *, as_of: date, settings: Settings | None = None,
              breakdowns: bool = True) -> Summary:
    """The progress of a ledger as of a date (a parameter: the core never reads the clock);
    ``settings`` gives the 临期 window and the 序时进度容差 (defaults without).

    breakdowns=False leaves by_aspect/by_leader/by_department empty
    (merge of hundreds of files needs only the counts; issue 7).
    """
    settings = settings or Settings()
    due_days = settings.due_days
    measures = ledger.measures
    by_status = _count_statuses(measures)
    problem_statuses = [p.status for p in ledger.problems]
    overdue_flags = [m.is_overdue(as_of) for m in measures]
    closed = by_status[Status.DONE] + by_status[Status.ONGOING]
    on_time = sum(1 for m in measures if m.done_on_time)
    late_base = closed + sum(overdue_flags)
    n_problems = len(problem_statuses)
    problems_closed = sum(1 for s in problem_statuses if s in DONE_STATUSES)
    groups = _groups(measures if breakdowns else (), overdue_flags)
    closures = _closures(measures)
    return Summary(
        unit=ledger.info.unit,
        as_of=as_of,
        due_days=due_days,
        feedback_count=ledger.feedback_total,
        problem_count=n_problems,
        measure_count=len(measures),
        problems_done=problem_statuses.count(Status.DONE),
        problems_ongoing=problem_statuses.count(Status.ONGOING),
        problems_in_progress=problem_statuses.count(Status.IN_PROGRESS),
        measures_done=by_status[Status.DONE],
        measures_ongoing=by_status[Status.ONGOING],
        measures_in_progress=by_status[Status.IN_PROGRESS],
        measures_unset=by_status[None],
        completion_rate=closed / len(measures) if measures else 0.0,
        problem_completion_rate=problems_closed / n_problems if n_problems else 0.0,
        # without a 完成日期 column no closing can be dated: the rate is unknown, not 0%
        on_time_rate=on_time / late_base if late_base and _dated(ledger) else None,
        overdue=_overdue_rows(measures, overdue_flags, as_of),
        due_soon=_due_soon_rows(measures, as_of, due_days),
        by_aspect=groups["aspect"] if ledger.has_aspects else (),  # no 方面 at all
        by_leader=groups["leader"],
        by_department=groups["department"],
        measures_basic=by_status[Status.BASIC],
        problems_basic=problem_statuses.count(Status.BASIC),
        measures_accepted=closures[Closure.ACCEPTED],
        measures_closed_off=closures[Closure.CLOSED],
        behind=_behind_rows(ledger, as_of, settings.schedule_margin),
        reminders=len(ledger.reminder_log),
        reminded=_reminded(ledger),
        outcomes=ledger_outcomes(ledger),
        streams=stream_rows(ledger),
    )


def _closures(measures: Sequence[Measure]) -> Counter[Closure | None]:
    """Measure.closure counted: each distinct 整改状态 text read once (a column repeats a few)."""
    out: Counter[Closure | None] = Counter()
    for raw, n in Counter(m.status_raw for m in measures).items():
        out[Closure.parse(raw) if raw else None] += n
    return out


def _reminded(ledger: Ledger) -> tuple[tuple[str, int], ...]:
    """催办次数 of each measure the 催办记录 names, in sheet order."""
    from rectify_xl.core.reminders import measure_label, reminder_counts

    if not ledger.reminder_log:
        return ()
    counts = reminder_counts(ledger.reminder_log)
    labels = dict.fromkeys(measure_label(m) for m in ledger.measures)
    return tuple((label, counts[label]) for label in labels if label in counts)


def _behind_rows(ledger: Ledger, as_of: date, margin: float) -> tuple[LagRow, ...]:
    rows = []
    for m, lag in behind_schedule(ledger, as_of, margin):
        assert m.deadline is not None  # behind_schedule only returns dated measures
        rows.append(LagRow(
            row=m.row, seq=m.seq, aspect=m.aspect, problem=m.problem, measure=m.text,
            leader=m.leader, department=m.department, deadline=m.deadline,
            days=(m.deadline - as_of).days, status=m.status.value if m.status else m.status_raw,
            elapsed=round(lag.elapsed, 4), progress=round(lag.progress, 4)))
    return tuple(sorted(rows, key=lambda r: (r.progress - r.elapsed, r.row)))


def _count_statuses(measures: tuple[Measure, ...]) -> dict[Status | None, int]:
    counts: dict[Status | None, int] = dict.fromkeys([*Status, None], 0)
    for m in measures:
        counts[m.status] += 1
    return counts


def _item(m: Measure, days: int) -> ItemRow:
    assert m.deadline is not None  # only measures with a date deadline are listed
    return ItemRow(
        row=m.row, seq=m.seq, aspect=m.aspect, problem=m.problem, measure=m.text,
        leader=m.leader, department=m.department, deadline=m.deadline, days=days,
        status=m.status.value if m.status else m.status_raw,
    )


def _overdue_rows(measures: tuple[Measure, ...], flags: list[bool], as_of: date
                  ) -> tuple[ItemRow, ...]:
    rows = [_item(m, m.days_overdue(as_of)) for m, late in zip(measures, flags, strict=True) if late]
    return tuple(sorted(rows, key=lambda r: (-r.days, r.row)))  # most overdue first


def _due_soon_rows(measures: tuple[Measure, ...], as_of: date, due_days: int
                   ) -> tuple[ItemRow, ...]:
    rows = [
        _item(m, (m.deadline - as_of).days)
        for m in measures
        if m.deadline is not None and m.is_due_soon(as_of, due_days)
    ]
    return tuple(sorted(rows, key=lambda r: (r.days, r.row)))  # nearest deadline first


_GROUP_KEYS = ("aspect", "leader", "department")


def _groups(measures: tuple[Measure, ...], overdue: list[bool]
            ) -> dict[str, tuple[GroupRow, ...]]:
    """Breakdowns in order of first appearance in the sheet.

    Plain counting in one pass: a groupby needs pandas, whose import alone costs more than
    the whole summary of a 10,000-measure ledger (benchmarks/big_ledger.py)."""
    out: dict[str, tuple[GroupRow, ...]] = {}
    done = [m.status is Status.DONE for m in measures]
    ongoing = [m.status is Status.ONGOING for m in measures]
    for key in _GROUP_KEYS:  # Counter counts in C and keeps the order of first appearance
        names = [name or BLANK_GROUP for name in map(attrgetter(key), measures)]
        done_of = Counter(compress(names, done))
        ongoing_of = Counter(compress(names, ongoing))
        overdue_of = Counter(compress(names, overdue))
        out[key] = tuple(_group_row(name, total, done_of[name], ongoing_of[name], overdue_of[name])
                         for name, total in Counter(names).items())
    return out


def _group_row(name: str, total: int, done: int, ongoing: int, overdue: int) -> GroupRow:
    return GroupRow(
        name=name, measures=total, done=done, ongoing=ongoing,
        in_progress=total - done - ongoing, overdue=overdue, rate=(done + ongoing) / total,
    )
