"""Use cases over one ledger file: validate, summarise, write the notice.

The CLI commands call these; the buttons go through services.workbench, which calls the same
functions on the ledger read from the open book. Heavy modules are imported inside the function
that needs them (pandas for the summary, jinja2 for the notice).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rectify_xl.core.findings import Report
from rectify_xl.core.model import Ledger

if TYPE_CHECKING:
    from rectify_xl.core.progress import Summary
    from rectify_xl.core.textcheck import TypoPack

__all__ = [
    "DUE_SOON_DAYS",
    "as_of_date",
    "check",
    "load_ledger",
    "make_notice",
    "notice_text",
    "summarize_workbook",
    "validate_workbook",
]

DUE_SOON_DAYS = 14


def load_ledger(path: str | Path) -> Ledger:
    from rectify_xl.adapters.xlsx_reader import read_ledger

    return read_ledger(path)


def as_of_date(ledger: Ledger, as_of: date | None = None, today: date | None = None) -> date:
    """An explicit date wins, then 统计截止日期 from 基本信息, then today."""
    return as_of or ledger.info.as_of or today or date.today()


def check(ledger: Ledger, source: str, *, as_of: date | None = None,
          today: date | None = None, typos: TypoPack | None = None) -> Report:
    """Every finding for one ledger; ``typos`` defaults to the bundled typing-slip pack."""
    from rectify_xl.adapters.rulepacks import load_typos
    from rectify_xl.core.rules import check_ledger

    when = as_of_date(ledger, as_of, today)
    pack = typos if typos is not None else load_typos()
    return Report.build(source, check_ledger(ledger, as_of=when, due_days=DUE_SOON_DAYS,
                                             typos=pack))


def validate_workbook(path: str | Path, *, as_of: date | None = None,
                      today: date | None = None) -> Report:
    """Read the workbook and return every finding; the file is not modified."""
    path = Path(path)
    return check(load_ledger(path), path.name, as_of=as_of, today=today)


def summarize_workbook(path: str | Path, *, as_of: date | None = None,
                       today: date | None = None) -> Summary:
    from rectify_xl.core.progress import summarize

    ledger = load_ledger(path)
    return summarize(ledger, as_of=as_of_date(ledger, as_of, today), due_days=DUE_SOON_DAYS)


def notice_text(ledger: Ledger, template: str | Path | None = None) -> str:
    from rectify_xl.adapters.templates import load_template, sandbox_env
    from rectify_xl.core.notice.render import render_notice

    return render_notice(ledger, load_template(template), sandbox_env())


def make_notice(path: str | Path, *, template: str | Path | None = None) -> str:
    """The notice text (one paragraph per line) rendered from the ledger."""
    return notice_text(load_ledger(path), template)
