"""No wrong count leaves the tool silently (issue 14).

The summary, the notice (text, .docx, PDF), the mail and the buttons still produce their output
on a ledger with errors, but when an error changes a number they report (or a sentence of the
notice), the entry point exits 1, names the cells, and what it writes carries ``DRAFT_MARK``.

Which findings change a number is decided here, by code (and, for a blank or missing column, by
which column): an unknown status word, a blank or unreadable status, problem, measure or
deadline, a duplicated column, a duplicated measure… A blank 责任领导 is an error for ``validate``
but changes no count.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from rectify_xl.core.findings import Finding, Severity
from rectify_xl.core.model import Ledger
from rectify_xl.core.schema import COLUMN_BY_KEY, INFO_BY_KEY
from rectify_xl.core.settings import Settings

__all__ = ["COUNT_CODES", "DRAFT_MARK", "NOTICE_CODES", "TEXT_CODES", "Gate", "blocker_lines",
           "count_blockers",
           "draft_banner", "gate", "notice_blockers"]

# Errors that change a count of the summary (and the mail's figures).
COUNT_CODES = frozenset({
    "RX102",  # a required column is missing (counted columns only, see _COUNTED)
    "RX104",  # no measure rows at all
    "RX106",  # two columns name one field: the other one may hold the real values
    "RX201",  # a required value is blank (counted columns only)
    "RX301", "RX302", "RX304", "RX307", "RX312",  # deadlines / completion dates: overdue, on-time rate
    "RX401",  # a status no table knows: the measure is counted nowhere
    "RX115",  # the same, for a state read from 整改落实情况 (no status column)
    "RX119",  # the same, for 已完成/未完成 tick columns: none or two ticked
    "RX403",  # closed without a completion date: the on-time rate
    "RX406", "RX407",  # a measure typed twice; a problem without measures
    "RX140",  # the ledger continues on another sheet: its measures are counted nowhere
})
# Errors that change a number or a sentence of the notice. Its numbers come from the problems,
# measures and statuses only (no deadline or date appears in it), its opening from 基本信息.
NOTICE_CODES = frozenset({"RX102", "RX104", "RX106", "RX201", "RX401", "RX115", "RX119", "RX406", "RX407",
                          "RX140",
                          "RX202", "RX303", "RX305",
                          "RX501", "RX502", "RX503", "RX504", "RX505", "RX506", "RX507"})
TEXT_CODES = NOTICE_CODES - COUNT_CODES
_NOTICE_KEYS = ("feedback", "problem", "measure", "status")
_COUNTED = frozenset(COLUMN_BY_KEY[k].header for k in (*_NOTICE_KEYS, "deadline", "done_date"))
_NOTICE_COLUMNS = frozenset(COLUMN_BY_KEY[k].header for k in _NOTICE_KEYS)
_NOTICE_LABELS = frozenset(INFO_BY_KEY[k].label for k in (
    "unit", "group", "start", "end", "feedback_date"))

DRAFT_MARK = "【未定稿】"


def _blocks(f: Finding, codes: frozenset[str], columns: frozenset[str]) -> bool:
    if f.severity is not Severity.ERROR or f.code not in codes:
        return False
    if f.code in ("RX102", "RX201", "RX106"):
        return str(f.extra.get("header", "")) in columns
    if f.code == "RX202":
        return str(f.extra.get("label", "")) in _NOTICE_LABELS
    return True


def count_blockers(findings: Iterable[Finding]) -> list[Finding]:
    """The error findings that make a count of the summary wrong."""
    return [f for f in findings if _blocks(f, COUNT_CODES, _COUNTED)]


def notice_blockers(findings: Iterable[Finding]) -> list[Finding]:
    """The error findings that make a number or a sentence of the notice wrong."""
    return [f for f in findings if _blocks(f, NOTICE_CODES, _NOTICE_COLUMNS)]


def draft_banner(blockers: Sequence[Finding], what: str = "统计数字") -> str:
    """The first line of anything written over such errors."""
    cells = "、".join(dict.fromkeys(f.location for f in blockers[:5]))
    more = f"等{len(blockers)}处" if len(blockers) > 5 else ""
    return (f"{DRAFT_MARK}台账有错误（{cells}{more}），{what}可能不准确，"
            "请修改后重新生成，本稿不得报送或公布。")


def blocker_lines(blockers: Sequence[Finding]) -> list[str]:
    """One line per blocking finding, for stderr and message boxes."""
    return [f"{f.location} {f.code} {f.message}" for f in blockers]


@dataclass(frozen=True)
class Gate:
    """The errors standing between a ledger and a final figure (``counts``) or notice (``notice``)."""

    counts: tuple[Finding, ...] = ()
    notice: tuple[Finding, ...] = ()

    def summary_banner(self) -> str:
        return draft_banner(self.counts) if self.counts else ""

    def notice_banner(self) -> str:
        return draft_banner(self.notice, "公告中的数字或文字") if self.notice else ""


def gate(ledger: Ledger, *, as_of: date, settings: Settings | None = None,
         notice: bool = True) -> Gate:
    """Run only the rules whose errors change a count or the notice text (cheap: no typo scan).

    ``notice=False`` (the summary: only its counts are asked for) leaves out the rules that
    change the notice's text alone (TEXT_CODES); ``Gate.notice`` is then empty, ``counts`` the
    same."""
    from rectify_xl.core.rules import check_ledger

    found = sorted(check_ledger(ledger, as_of=as_of, settings=settings,
                                codes=COUNT_CODES | NOTICE_CODES if notice else COUNT_CODES),
                   key=lambda f: (f.sheet, f.row or 0, f.cell or "", f.code))
    return Gate(tuple(count_blockers(found)), tuple(notice_blockers(found)) if notice else ())
