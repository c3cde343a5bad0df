"""What every ledger rule sees: the ledger, the as-of date, settings, and indexes built once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, TypeVar

from rectify_xl.core.model import Ledger, Measure, TextPara, col_letter
from rectify_xl.core.schema import COLUMN_BY_KEY, INFO_BY_KEY, SHEETS, TEXT_COLUMNS
from rectify_xl.core.settings import Settings
from rectify_xl.core.textcheck import TypoPack

__all__ = ["LedgerContext"]

T = TypeVar("T")
_TEXT_LETTERS = {key: col_letter(i) for i, (key, _) in enumerate(TEXT_COLUMNS, start=1)}


@dataclass(frozen=True)
class LedgerContext:
    ledger: Ledger
    as_of: date
    settings: Settings = field(default_factory=Settings)
    typos: TypoPack | None = None
    _memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def memo(self, key: str, build: Callable[[LedgerContext], T]) -> T:
        """Data several rules share (text hits, counts), built once per run."""
        if key not in self._memo:
            self._memo[key] = build(self)
        return self._memo[key]  # type: ignore[no-any-return]

    @property
    def due_days(self) -> int:
        return self.settings.due_days

    @property
    def sheet(self) -> str:
        return self.ledger.ledger_sheet

    def cell(self, key: str, row: int) -> str | None:
        return self.ledger.cell(key, row)

    def has_column(self, key: str) -> bool:
        return key in self.ledger.layout.columns

    @staticmethod
    def header(key: str) -> str:
        return COLUMN_BY_KEY[key].header

    @staticmethod
    def label(info_key: str) -> str:
        return INFO_BY_KEY[info_key].label

    @property
    def info_sheet(self) -> str:
        """Where 基本信息 was read: its sheet (whatever spaces its name has), else the ledger's."""
        return self.ledger.info_sheet or SHEETS.INFO

    def info_cell(self, info_key: str) -> str | None:
        return self.ledger.info.cells.get(info_key)

    @staticmethod
    def text_letter(key: str) -> str:
        """The 文稿 column of "lead" (标题句) or "body" (正文), as the workbook writes them."""
        return _TEXT_LETTERS[key]

    @classmethod
    def text_cell(cls, para: TextPara, key: str) -> str:
        return f"{cls.text_letter(key)}{para.row}"

    @staticmethod
    def text_sheet() -> str:
        return SHEETS.TEXT

    @cached_property
    def measureless_problem_rows(self) -> frozenset[int]:
        """Rows of concrete problems none of whose rows has a 整改措施 (reported once, RX407)."""
        rows: set[int] = set()
        for p in self.ledger.problems:
            if not any(m.text for m in p.measures):
                rows.update(m.row for m in p.measures)
        return frozenset(rows)

    @cached_property
    def first_rows_of_problems(self) -> dict[int, Measure]:
        """The first row of each concrete problem: problem-level text is checked there only."""
        return {p.measures[0].row: p.measures[0] for p in self.ledger.problems}
