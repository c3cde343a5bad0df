"""Helpers for the validation tests: run the rules on a Ledger and pick findings."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from rectify_xl.core.findings import Report
from rectify_xl.core.model import Grid, Ledger
from rectify_xl.core.parse import parse_ledger
from rectify_xl.core.records import LedgerRecords, grids_from_records
from rectify_xl.core.rules import check_ledger
from rectify_xl.core.settings import Settings
from rectify_xl.core.textcheck import TypoPack

AS_OF = date(2021, 10, 31)


def run(ledger: Ledger, *, as_of: date = AS_OF, settings: Settings | None = None,
        typos: TypoPack | None = None) -> Report:
    return Report.build("test", check_ledger(ledger, as_of=as_of, settings=settings, typos=typos))


def only(report: Report, *codes: str) -> list[tuple[str, str | None]]:
    """(code, cell) of the findings with the given codes, in report order."""
    return [(f.code, f.cell) for f in report.findings if f.code in codes]


def codes_with_prefix(report: Report, prefix: str) -> list[tuple[str, str | None]]:
    return [(f.code, f.cell) for f in report.findings if f.code.startswith(prefix)]


def ledger_with_headers(records: LedgerRecords, rename: dict[str, str | None],
                        drop_sheets: tuple[str, ...] = ()) -> Ledger:
    """Parse records whose 整改清单 headers were renamed (new text) or removed (None)."""
    grids = grids_from_records(records)
    sheet = grids["整改清单"]
    header = sheet.rows[0]
    keep = [i for i, h in enumerate(header) if rename.get(str(h), "") is not None]
    rows = [[row[i] for i in keep] for row in sheet.rows]
    rows[0] = [rename.get(str(h)) or h for h in rows[0]]
    grids["整改清单"] = Grid(sheet.name, rows)
    for name in drop_sheets:
        grids.pop(name)
    return parse_ledger(grids)


def without_options(ledger: Ledger) -> Ledger:
    return replace(ledger, aspect_options=())
