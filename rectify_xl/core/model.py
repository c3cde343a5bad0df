"""The ledger model: aspects → concrete problems → measures, plus the unit's info and free text.

Frozen dataclasses with no I/O. ``core.parse`` builds a Ledger from sheet grids; everything
else (rules, progress, notice) reads it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from rectify_xl.core.schema import DONE_STATUSES, SHEETS, Closure, Status

__all__ = [
    "Aspect",
    "Grid",
    "Info",
    "Layout",
    "Ledger",
    "Measure",
    "Problem",
    "ReadNote",
    "TextPara",
    "col_letter",
]


def col_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True, slots=True)
class Grid:
    """One sheet's cell values, anchored at A1: rows[0][0] is A1.

    merges lists merged ranges as (min_row, min_col, max_row, max_col), 1-based; None when the
    source cannot tell (the xlwings remote payload), in which case blank problem-level cells are
    read as "same as above".
    """

    name: str
    rows: list[list[object]]
    merges: tuple[tuple[int, int, int, int], ...] | None = ()


@dataclass(frozen=True, slots=True)
class Measure:
    row: int  # sheet row, 1-based
    seq: str
    aspect: str
    feedback: str
    problem: str
    text: str  # 整改措施
    leader: str
    department: str
    deadline: date | None
    deadline_ongoing: bool  # 完成时限 is 长期坚持
    deadline_raw: str  # text that is neither a date nor 长期坚持; "" otherwise
    status: Status | None
    status_raw: str
    done_date: date | None
    done_date_raw: str
    progress: str  # 整改落实情况
    evidence: str = ""
    remark: str = ""
    person: str = ""  # 责任人 (a person)
    leader2: str = ""  # a second leader column (分管领导 beside 责任领导), kept as written
    department2: str = ""  # a second department column (配合单位 beside 牵头部门)
    extra: tuple[str, ...] = ()  # the values of the sheet's other columns, in Layout.extra order
    # issue 17: own start date (序时进度), progress percentage, 验收
    start_date: date | None = None
    start_date_raw: str = ""
    percent: float | None = None  # 完成进度 as a fraction 0..1
    percent_raw: str = ""  # text that is not a percentage; "" otherwise
    accept_by: str = ""
    accept_date: date | None = None
    accept_date_raw: str = ""
    accept_note: str = ""
    stream: str = ""  # 类别 as typed ("" = 反馈问题); core.outcomes reads it
    # outcome figures as typed, (key, cell value) for the non-empty cells (issue 18)
    outcomes: tuple[tuple[str, object], ...] = ()
    # 完成时限 as written when it was read by its words (2024年6月底前 → 6月30日), else ""
    deadline_words: str = ""

    @property
    def is_done(self) -> bool:
        return self.status in DONE_STATUSES

    @property
    def closure(self) -> Closure | None:
        """已验收 / 已销号 when the status names that step (the measure still counts as 已完成)."""
        return Closure.parse(self.status_raw) if self.status_raw else None

    @property
    def is_accepted(self) -> bool:
        """Acceptance is recorded: a 验收日期 or a 验收人."""
        return self.accept_date is not None or bool(self.accept_by)

    def is_overdue(self, as_of: date) -> bool:
        return not self.is_done and self.deadline is not None and self.deadline < as_of

    def days_overdue(self, as_of: date) -> int:
        return (as_of - self.deadline).days if self.deadline and self.is_overdue(as_of) else 0

    def is_due_soon(self, as_of: date, days: int) -> bool:
        if self.is_done or self.deadline is None:
            return False
        return 0 <= (self.deadline - as_of).days <= days

    @property
    def done_on_time(self) -> bool:
        """Closed no later than its deadline (an ongoing deadline has no lateness)."""
        if not self.is_done:
            return False
        if self.deadline is None or self.done_date is None:
            return self.deadline_ongoing or self.deadline is None
        return self.done_date <= self.deadline


@dataclass(frozen=True, slots=True)
class Problem:
    aspect: str
    feedback: str
    text: str
    measures: tuple[Measure, ...]

    @property
    def row(self) -> int:
        return self.measures[0].row

    @property
    def status(self) -> Status:
        """Derived from the measures: in progress while any is (or has no known status);
        basically done when the rest are closed or basically done; ongoing if any is ongoing."""
        statuses = {m.status for m in self.measures}
        if statuses <= DONE_STATUSES:
            return Status.ONGOING if Status.ONGOING in statuses else Status.DONE
        if statuses <= DONE_STATUSES | {Status.BASIC}:
            return Status.BASIC
        return Status.IN_PROGRESS

    @property
    def is_done(self) -> bool:
        return self.status in DONE_STATUSES


@dataclass(frozen=True, slots=True)
class Aspect:
    name: str
    problems: tuple[Problem, ...]


@dataclass(frozen=True, slots=True)
class Info:
    """基本信息. Dates that could not be read keep their text in ``raw``; ``cells`` maps key → B4."""

    unit: str = ""
    group: str = ""
    deployer: str = ""
    start: date | None = None
    end: date | None = None
    feedback_date: date | None = None
    as_of: date | None = None
    publish_date: date | None = None
    issuer: str = ""
    title: str = ""
    phone: str = ""
    address: str = ""
    email: str = ""
    feedback_count: str = ""  # 反馈问题数 as stated, when the 反馈问题 column is not grouped
    raw: Mapping[str, str] = field(default_factory=dict)
    cells: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TextPara:
    """One row of 文稿: a sub-paragraph (lead sentence + body) of section 一 or 三, or a paragraph."""

    section: str  # 开头 | 一 | 三 | 结尾
    lead: str
    body: str
    row: int

    @property
    def text(self) -> str:
        return self.lead + self.body


@dataclass(frozen=True, slots=True)
class Layout:
    """What the reader found in the header row: for findings and for merge's 表头差异."""

    header_row: int
    columns: Mapping[str, int]  # key → 1-based column index
    aliased: Mapping[str, str]  # key → the header text that was mapped through ALIASES
    extra: tuple[str, ...]  # headers that are not ours
    missing: tuple[str, ...]  # keys not found
    # (key, cell read, cell ignored, text read, text ignored): two columns naming one field (RX106)
    duplicates: tuple[tuple[str, str, str, str, str], ...] = ()
    header_rows: int = 1  # 2 when the header has a merged group title row above it
    extra_columns: tuple[int, ...] = ()  # 1-based indexes of the `extra` headers
    split: tuple[str, ...] = ()  # keys read from one combined column ("部门/负责人")
    derived: Mapping[str, str] = field(default_factory=dict)  # key → how it was derived
    # status by marks: (1-based column, status value) of columns headed 已完成 / 未完成 … whose
    # cells hold a tick (√) when there is no status column (derived["status"] == "marks")
    marks: tuple[tuple[int, str], ...] = ()

    def letter(self, key: str) -> str | None:
        index = self.columns.get(key)
        return col_letter(index) if index else None

    def cell(self, key: str, row: int) -> str | None:
        letter = self.letter(key)
        return f"{letter}{row}" if letter else None


@dataclass(frozen=True, slots=True)
class ReadNote:
    """Something the reader noticed outside the measure rows (an optional sheet it could not
    read, the sheet it chose, a derived column); rules turn each into a finding by its code."""

    code: str
    sheet: str
    cell: str | None = None
    row: int | None = None
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Ledger:
    info: Info
    measures: tuple[Measure, ...]
    texts: tuple[TextPara, ...] = ()
    layout: Layout = field(default_factory=lambda: Layout(1, {}, {}, (), ()))
    ledger_sheet: str = SHEETS.LEDGER
    aspect_options: tuple[str, ...] = ()  # the 方面 dropdown list from 选项, if any
    notes: tuple[ReadNote, ...] = ()  # what the reader noticed (optional sheets, sheet choice)
    info_sheet: str = ""  # the sheet 基本信息 was read from ("" = none or the template's name)
    other_sheets: tuple[str, ...] = ()  # other sheets that also look like a ledger
    # 催办记录 rows as written (issue 17: core.reminders counts 催办次数 from them)
    reminder_log: tuple[tuple[object, ...], ...] = ()

    @cached_property
    def aspects(self) -> tuple[Aspect, ...]:
        """Aspects and their problems in order of first appearance in the sheet."""
        grouped: dict[str, dict[str, list[Measure]]] = {}
        for m in self.measures:
            if not m.problem:
                continue
            grouped.setdefault(m.aspect, {}).setdefault(m.problem, []).append(m)
        return tuple(
            Aspect(name, tuple(
                Problem(name, ms[0].feedback, text, tuple(ms)) for text, ms in problems.items()
            ))
            for name, problems in grouped.items()
        )

    @cached_property
    def has_aspects(self) -> bool:
        """A 方面 column, or 方面 given by band rows across the table (一、政治建设方面)."""
        return "aspect" in self.layout.columns or any(m.aspect for m in self.measures)

    @cached_property
    def problems(self) -> tuple[Problem, ...]:
        return tuple(p for a in self.aspects for p in a.problems)

    @cached_property
    def feedback_problems(self) -> tuple[str, ...]:
        """The original feedback problems, distinct, in order."""
        return tuple(dict.fromkeys(p.feedback for p in self.problems if p.feedback))

    @property
    def feedback_total(self) -> int:
        """How many feedback problems: the distinct 反馈问题 when the column groups the concrete
        problems; when it does not (one feedback per problem, or none), the 反馈问题数 of
        基本信息 if a number is given there."""
        distinct = len(self.feedback_problems)
        stated = self.info.feedback_count.strip()
        if stated.isdigit() and int(stated) > 0 and distinct in (0, len(self.problems)):
            return int(stated)
        return distinct

    def texts_of(self, section: str) -> tuple[TextPara, ...]:
        return tuple(t for t in self.texts if t.section == section)

    def cell(self, key: str, row: int) -> str | None:
        return self.layout.cell(key, row)
