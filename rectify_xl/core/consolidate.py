"""Consolidate many units' ledgers of one reporting round (issue 7). Pure: no files.

The merge service reads, validates and summarises each file; this module decides which file
stands for which unit, who is missing or stale, orders units worst first and adds the totals.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from rectify_xl.core.dates import parse_date
from rectify_xl.core.findings import Finding, Report, Severity
from rectify_xl.core.model import Grid, Info, Ledger, Measure
from rectify_xl.core.outcomes import StreamRow
from rectify_xl.core.parse import find_header, parse_measures
from rectify_xl.core.progress import ItemRow, Summary
from rectify_xl.core.rules.registry import code_registrar
from rectify_xl.core.schema import (
    COLUMNS,
    DEADLINE_ONGOING,
    INFO_BY_KEY,
    MERGE_SUMMARY_COLUMNS,
    MERGE_TOTAL,
    MERGE_UNIT,
    OUTCOME_BY_KEY,
    OUTCOMES,
    SHEETS,
    Stream,
)

__all__ = [
    "CHECK_FAILED",
    "UNIT_FROM_NAME",
    "Consolidation",
    "FailedFile",
    "Rag",
    "RosterEntry",
    "Submission",
    "UnitFile",
    "UnitRow",
    "as_of_by_unit",
    "consolidate",
    "detail_rows",
    "detail_values",
    "ledgers_from_detail",
    "normalize_unit",
    "ranking",
    "stream_total",
    "summary_columns",
    "unit_details",
]


_code = code_registrar("merge")


# RX9xx: findings of the merge itself (docs/dev/merge.md)
UNIT_FROM_NAME = _code("RX901", Severity.WARNING, "被巡察单位未填写，按文件名识别",
                       "“{label}”未填写，按文件名识别为“{unit}”")
CHECK_FAILED = _code("RX902", Severity.WARNING, "校验未能完成",
                     "校验未能完成（程序内部错误：{error}），汇总数据仍按台账统计")


class Submission(StrEnum):
    """A unit's state in the 未报送 sheet."""

    MISSING = "未报送"
    STALE = "未更新"
    SUPERSEDED = "重复报送（已被替代）"
    UNREADABLE = "无法读取"
    UNLISTED = "不在名单中"


class Rag(StrEnum):
    """Traffic light of a unit row: red = overdue items, amber = items due soon, else green."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"


@dataclass(frozen=True)
class UnitFile:
    """One readable ledger file: what the merge service hands in for each input."""

    source: str  # display name: path, or archive/mail name + member
    sha256: str
    mtime: float  # seconds since the epoch: "the newest file" breaks ties
    ledger: Ledger
    summary: Summary
    report: Report
    # 明细 values of each measure (``detail_values``), precomputed where the file was read: the
    # merge's worker processes send these instead of the measures, and then ``ledger.measures``
    # is empty unless the measures are needed too (``merge --previous``).
    detail: tuple[tuple[object, ...], ...] | None = field(default=None, compare=False, repr=False)

    @property
    def unit(self) -> str:
        return self.ledger.info.unit or _stem(self.source)

    @property
    def unit_from_name(self) -> bool:
        return not self.ledger.info.unit

    @property
    def reported_as_of(self) -> date | None:
        return self.ledger.info.as_of


@dataclass(frozen=True, slots=True)
class FailedFile:
    source: str
    reason: str  # one Chinese line


@dataclass(frozen=True, slots=True)
class UnitRow:
    """One row of 汇总 (also the total row, whose unit is 合计)."""

    unit: str
    problems: int
    measures: int
    done: int
    ongoing: int
    in_progress: int
    overdue: int
    due_soon: int
    completion_rate: float
    on_time_rate: float | None
    as_of: date | None
    errors: int
    source: str
    sha256: str
    on_time: int = 0  # numerator and denominator of on_time_rate, for the total row
    on_time_base: int = 0
    basic: int = 0  # 基本完成
    accepted: int = 0  # 已验收 / 已销号 within done, and measures behind schedule (issue 17)
    closed_off: int = 0
    behind: int = 0
    reminders: int = 0  # letters in the unit's 催办记录
    # issue 18: the outcome figures the unit gave (key → sum) and its 类别 streams
    outcomes: tuple[tuple[str, float], ...] = ()
    streams: tuple[StreamRow, ...] = ()

    @property
    def rag(self) -> Rag:
        if self.overdue:
            return Rag.RED
        return Rag.AMBER if self.due_soon else Rag.GREEN

    def value(self, key: str) -> object:
        if key in OUTCOME_BY_KEY:  # blank when the unit gave no such figure (not 0)
            return dict(self.outcomes).get(key)
        return getattr(self, key)

    def stream(self, stream: Stream) -> StreamRow:
        """The unit's row for one stream (zeros when it has no problem in it)."""
        return next((r for r in self.streams if r.stream == stream.value),
                    StreamRow(stream.value, 0, 0, 0, 0, 0, 0))


@dataclass(frozen=True, slots=True)
class RosterEntry:
    unit: str
    state: Submission
    as_of: date | None
    source: str
    note: str


@dataclass(frozen=True)
class Consolidation:
    as_of: date | None  # the round's as-of date
    units: tuple[UnitFile, ...]  # one per unit, worst first
    rows: tuple[UnitRow, ...]  # the same order
    total: UnitRow
    roster: tuple[RosterEntry, ...]
    notes: tuple[tuple[str, str, Finding], ...] = field(default=())  # (unit, source, finding)

    def of_state(self, state: Submission) -> tuple[RosterEntry, ...]:
        return tuple(e for e in self.roster if e.state is state)

    def overdue(self) -> list[tuple[str, str, ItemRow]]:
        """(unit, source, item) over all units, most days overdue first."""
        items = [(u.unit, u.source, i) for u in self.units for i in u.summary.overdue]
        return sorted(items, key=lambda t: (-t[2].days, t[0], t[2].row))

    def findings(self) -> list[tuple[str, str, Finding]]:
        """Each unit's validation findings and the merge's own notes, unit by unit."""
        out = list(self.notes)
        out += [(u.unit, u.source, f) for u in self.units for f in u.report.findings]
        order = {u.unit: i for i, u in enumerate(self.units)}
        return sorted(out, key=lambda t: order.get(t[0], len(order)))

    @property
    def has_errors(self) -> bool:
        return bool(self.of_state(Submission.UNREADABLE)) or any(
            u.report.has_errors() for u in self.units)


_UNIT_NOISE = re.compile(r"\s+")
_UNIT_FOLD = str.maketrans("（）", "()")


def normalize_unit(name: str) -> str:
    """Spaces and full-width brackets do not make a different unit."""
    return _UNIT_NOISE.sub("", name).translate(_UNIT_FOLD)


def _stem(source: str) -> str:
    base = re.split(r"[/\\]", source)[-1]
    return base.rsplit(".", 1)[0] if "." in base else base


def _row(u: UnitFile) -> UnitRow:
    s = u.summary
    # a unit whose rate is unknown (no 完成日期 column) adds nothing to the total's rate
    base = s.measures_closed + len(s.overdue) if s.on_time_rate is not None else 0
    return UnitRow(
        unit=u.unit, problems=s.problem_count, measures=s.measure_count,
        done=s.measures_done, ongoing=s.measures_ongoing, in_progress=s.measures_in_progress,
        overdue=len(s.overdue), due_soon=len(s.due_soon), completion_rate=s.completion_rate,
        on_time_rate=s.on_time_rate, as_of=u.reported_as_of, errors=u.report.count(Severity.ERROR),
        source=u.source, sha256=u.sha256,
        on_time=round((s.on_time_rate or 0.0) * base), on_time_base=base,
        basic=s.measures_basic,
        accepted=s.measures_accepted, closed_off=s.measures_closed_off, behind=len(s.behind),
        reminders=s.reminders,
        outcomes=tuple(s.outcomes.items()), streams=s.streams,
    )


def stream_total(rows: Sequence[UnitRow], stream: Stream) -> StreamRow:
    """One stream summed over units (the 合计 rows of 分类统计 and the round 通报's figures)."""
    parts = [r.stream(stream) for r in rows]
    return StreamRow(stream.value, *(sum(getattr(p, f) for p in parts) for f in (
        "problems", "rectified", "basic", "open", "measures", "measures_closed")))


def _outcome_total(rows: Sequence[UnitRow]) -> tuple[tuple[str, float], ...]:
    """Each figure over the units that gave it; absent when none did."""
    given = [dict(r.outcomes) for r in rows]
    out: list[tuple[str, float]] = []
    for o in OUTCOMES:
        values = [g[o.key] for g in given if o.key in g]
        if values:
            total = sum(values)
            out.append((o.key, int(total) if o.integer else round(total, 4)))
    return tuple(out)


def _rank_key(row: UnitRow) -> tuple[object, ...]:
    fb = row.stream(Stream.FEEDBACK)
    return (-fb.completion_rate, row.overdue, row.behind, -row.completion_rate)


def ranking(rows: Sequence[UnitRow]) -> list[dict[str, object]]:
    """排名: best first by the problems rectified over fed back (as the round 通报 states it),
    then fewer overdue measures, less 序时进度 lag, higher measure completion; equal units share
    a rank (1, 1, 3) and are listed by name."""
    ordered = sorted(rows, key=lambda r: (*_rank_key(r), r.unit))
    out: list[dict[str, object]] = []
    rank = 0
    for i, row in enumerate(ordered, start=1):
        if i == 1 or _rank_key(row) != _rank_key(ordered[i - 2]):
            rank = i
        fb = row.stream(Stream.FEEDBACK)
        out.append({"rank": rank, "unit": row.unit, "problem_rate": fb.completion_rate,
                    "problems": fb.problems, "rectified": fb.rectified, "overdue": row.overdue,
                    "behind": row.behind, "completion_rate": row.completion_rate,
                    "measures": row.measures, "_row": row})
    return out


def summary_columns(c: Consolidation) -> tuple[tuple[str, str], ...]:
    """汇总's columns: the fixed ones, with the outcome figures some unit gave after 按期完成率."""
    keys = dict(c.total.outcomes)
    extra = tuple((o.key, o.header) for o in OUTCOMES if o.key in keys)
    fixed = list(MERGE_SUMMARY_COLUMNS)
    at = [k for k, _ in fixed].index("on_time_rate") + 1
    return (*fixed[:at], *extra, *fixed[at:])


def _total(rows: Sequence[UnitRow], label: str = MERGE_TOTAL) -> UnitRow:
    def total(key: str) -> int:
        return sum(int(getattr(r, key)) for r in rows)

    measures, base = total("measures"), total("on_time_base")
    closed = total("done") + total("ongoing")
    return UnitRow(
        unit=label, problems=total("problems"), measures=measures, done=total("done"),
        ongoing=total("ongoing"), in_progress=total("in_progress"), overdue=total("overdue"),
        due_soon=total("due_soon"), completion_rate=closed / measures if measures else 0.0,
        on_time_rate=total("on_time") / base if base else None, as_of=None,
        errors=total("errors"), source=f"{len(rows)}个单位", sha256="",
        on_time=total("on_time"), on_time_base=base, basic=total("basic"),
        accepted=total("accepted"), closed_off=total("closed_off"), behind=total("behind"),
        reminders=total("reminders"),
        outcomes=_outcome_total(rows),
        streams=tuple(t for s in Stream if (t := stream_total(rows, s)).problems),
    )


def _worst_first(row: UnitRow) -> tuple[object, ...]:
    return (-row.overdue, row.completion_rate, -row.due_soon, -row.errors, row.unit)


def _latest_first(u: UnitFile) -> tuple[object, ...]:
    return (u.reported_as_of or date.min, u.mtime, u.source)


def _resolve(files: Iterable[UnitFile]) -> tuple[list[UnitFile], list[RosterEntry]]:
    """One file per unit: the latest 统计截止日期 wins, then the newest file."""
    groups: dict[str, list[UnitFile]] = {}
    for f in files:
        groups.setdefault(normalize_unit(f.unit), []).append(f)
    chosen, superseded = [], []
    for group in groups.values():
        ordered = sorted(group, key=_latest_first, reverse=True)
        winner = ordered[0]
        chosen.append(winner)
        for loser in ordered[1:]:
            superseded.append(RosterEntry(
                loser.unit, Submission.SUPERSEDED, loser.reported_as_of, loser.source,
                f"已采用“{winner.source}”", ))
    return chosen, superseded


def _unit_notes(chosen: Sequence[UnitFile]) -> list[tuple[str, str, Finding]]:
    label = INFO_BY_KEY["unit"].label
    return [
        (u.unit, u.source, UNIT_FROM_NAME.finding(SHEETS.INFO, u.ledger.info.cells.get("unit"),
                                                  label=label, unit=u.unit))
        for u in chosen if u.unit_from_name
    ]


def _roster(chosen: Sequence[UnitFile], expected: Sequence[str] | None, as_of: date | None
            ) -> list[RosterEntry]:
    entries: list[RosterEntry] = []
    present = {normalize_unit(u.unit) for u in chosen}
    if expected is not None:
        entries += [RosterEntry(name, Submission.MISSING, None, "", "本轮未收到该单位的台账")
                    for name in dict.fromkeys(expected) if normalize_unit(name) not in present]
        wanted = {normalize_unit(n) for n in expected}
        entries += [RosterEntry(u.unit, Submission.UNLISTED, u.reported_as_of, u.source,
                                "名单中没有该单位，已计入汇总")
                    for u in chosen if normalize_unit(u.unit) not in wanted]
    if as_of is not None:
        label = INFO_BY_KEY["as_of"].label
        for u in chosen:
            reported = u.reported_as_of
            if reported is None:
                entries.append(RosterEntry(u.unit, Submission.STALE, None, u.source,
                                           f"未填写“{label}”"))
            elif reported < as_of:
                entries.append(RosterEntry(u.unit, Submission.STALE, reported, u.source,
                                           f"{label}早于本轮截止日期{as_of.isoformat()}"))
    return entries


def consolidate(files: Iterable[UnitFile], failed: Iterable[FailedFile] = (), *,
                expected: Sequence[str] | None = None, as_of: date | None = None
                ) -> Consolidation:
    """The round: one row per unit (worst first), totals, and who is missing, stale or doubled.

    as_of is the round's date; without it, the latest 统计截止日期 among the units is used.
    """
    chosen, superseded = _resolve(files)
    if as_of is None:
        as_of = max((u.reported_as_of for u in chosen if u.reported_as_of), default=None)
    rows = sorted(((_row(u), u) for u in chosen), key=lambda p: _worst_first(p[0]))
    roster = _roster(chosen, expected, as_of) + superseded + [
        RosterEntry("", Submission.UNREADABLE, None, f.source, f.reason) for f in failed]
    state_order = list(Submission)
    roster.sort(key=lambda e: (state_order.index(e.state), e.unit, e.source))
    return Consolidation(
        as_of=as_of,
        units=tuple(u for _, u in rows),
        rows=tuple(r for r, _ in rows),
        total=_total([r for r, _ in rows]),
        roster=tuple(roster),
        notes=tuple(_unit_notes(chosen)),
    )


def detail_values(m: Measure) -> tuple[object, ...]:
    """One measure's 明细 values, in the order of the ledger columns (``COLUMNS``; a unit test
    keeps the two in step). A tuple: cheap to send between processes. A closure step (已验收,
    已销号) is kept as written, so the superior's sheet shows it."""
    deadline: object = DEADLINE_ONGOING if m.deadline_ongoing else (m.deadline or m.deadline_raw
                                                                     or None)
    state = m.closure or m.status
    status = state.value if state is not None else m.status_raw
    figures = dict(m.outcomes)
    values = {
        "seq": m.seq, "aspect": m.aspect, "feedback": m.feedback, "problem": m.problem,
        "measure": m.text, "leader": m.leader, "department": m.department,
        "start_date": m.start_date or m.start_date_raw or None, "deadline": deadline,
        "status": status, "percent": m.percent if m.percent is not None else (m.percent_raw or None),
        "done_date": m.done_date or m.done_date_raw or None, "progress": m.progress,
        "evidence": m.evidence, "accept_by": m.accept_by,
        "accept_date": m.accept_date or m.accept_date_raw or None, "accept_note": m.accept_note,
        "remark": m.remark, "stream": m.stream,
        **{o.key: figures.get(o.key) for o in OUTCOMES},
    }
    return tuple(values[c.key] for c in COLUMNS)


def unit_details(u: UnitFile) -> Iterable[tuple[object, ...]]:
    """A unit's 明细 values: precomputed by the worker, else from its measures."""
    return u.detail if u.detail is not None else map(detail_values, u.ledger.measures)


def detail_rows(units: Iterable[UnitFile]) -> Iterable[list[object]]:
    """明细: 单位 then the ledger columns, every measure of every unit, in unit order."""
    for u in units:
        unit = u.unit
        for values in unit_details(u):
            yield [unit, *values]


def as_of_by_unit(grid: Grid) -> dict[str, date]:
    """统计截止日期 per unit from a previous round's 汇总 sheet."""
    headers = dict(MERGE_SUMMARY_COLUMNS)
    out: dict[str, date] = {}
    cols: tuple[int, int] | None = None
    for row in grid.rows:
        if cols is None:
            if headers["unit"] in row and headers["as_of"] in row:
                cols = (row.index(headers["unit"]), row.index(headers["as_of"]))
            continue
        unit, when = (row[i] if i < len(row) else None for i in cols)
        parsed = parse_date(when).value
        if unit and parsed:
            out[normalize_unit(str(unit))] = parsed
    return out


def ledgers_from_detail(grid: Grid, as_of: dict[str, date] | None = None) -> dict[str, Ledger]:
    """A previous round's 明细 sheet back into one Ledger per unit (for merge --previous)."""
    layout = find_header(grid)
    header = grid.rows[layout.header_row - 1]
    unit_col = next((i for i, v in enumerate(header) if v == MERGE_UNIT), None)
    if unit_col is None:
        return {}
    by_unit: dict[str, list[list[object]]] = {}
    for row in grid.rows[layout.header_row:]:
        unit = str(row[unit_col] or "").strip() if unit_col < len(row) else ""
        if unit:
            by_unit.setdefault(unit, []).append(row)
    out: dict[str, Ledger] = {}
    for unit, rows in by_unit.items():
        sub = Grid(grid.name, [header, *rows])
        sub_layout = find_header(sub)
        key = normalize_unit(unit)
        out[key] = Ledger(Info(unit=unit, as_of=(as_of or {}).get(key)),
                          parse_measures(sub, sub_layout), layout=sub_layout)
    return out
