"""Use case: `rectify-xl adopt THEIRS.xlsx -o 整改台账.xlsx|.xlsm` (issue 14).

A unit's own ledger (any sheet name, any header layout the reader understands) becomes the
template — with the buttons when the target is .xlsm — plus an 导入报告 sheet. The original file
is only read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rectify_xl.errors import OutputError
from rectify_xl.services.source import FileSource, WorkbookSource, as_source, ledger_of

__all__ = ["Adopted", "adopt"]


@dataclass(frozen=True)
class Adopted:
    output: Path
    report: list[list[object]]
    decisions: int  # report rows that need a person's decision
    measures: int


def adopt(theirs: WorkbookSource | str | Path, output: str | Path, *, overwrite: bool = False,
          today: date | None = None) -> Adopted:
    """The unit's ledger ``theirs`` (any source; a path is read as a file) as the template at
    ``output``, with the 导入报告."""
    from rectify_xl.adapters.workbook_builder import build_workbook
    from rectify_xl.core.adopt import adopt_ledger
    from rectify_xl.core.book_sheets import report_sheet
    from rectify_xl.core.schema import SHEETS
    from rectify_xl.services.ledger import check

    source, output = as_source(theirs), Path(output)
    if isinstance(source, FileSource) and output.resolve() == source.path.resolve():
        raise OutputError("输出文件不能与原台账相同：原台账不会被修改，请另取一个文件名")
    ledger = ledger_of(source)
    report = check(ledger, source.name, today=today or date.today())
    adoption = adopt_ledger(ledger, list(report.findings), source.name)
    written = build_workbook(output, adoption.records, overwrite=overwrite,
                             extra_sheets=(report_sheet(SHEETS.IMPORT_REPORT, adoption.report),))
    return Adopted(written, adoption.report, adoption.decisions, len(ledger.measures))
