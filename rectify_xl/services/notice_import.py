"""Use cases over a notice or feedback document: import it as a ledger, check it (issue 8).

Both take a text document (services.source: ``TextFile`` or uploaded ``TextBytes``) and, for
the check, a workbook source to compare with. The document is only read. ``import_notice``
writes the new ledger atomically through the workbook builder (which refuses to overwrite
without ``overwrite`` and refuses a file open in Excel/WPS).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rectify_xl.core.findings import Report
from rectify_xl.errors import InputError
from rectify_xl.services.source import TextFile, as_source, as_text

if TYPE_CHECKING:
    from rectify_xl.core.textcheck import TypoPack
    from rectify_xl.services.source import TextDocument, WorkbookSource

__all__ = ["ImportOutcome", "check_notice", "default_output", "import_notice"]


@dataclass(frozen=True)
class ImportOutcome:
    output: Path
    report: Report  # the import report's findings
    rows: list[list[object]]  # the 导入报告 sheet, also printed on stdout
    kind: str  # notice | feedback
    encoding: str


def default_output(source: Path) -> Path:
    """Beside the input: 公告.txt → 公告-台账.xlsx."""
    return source.with_name(f"{source.stem}-台账.xlsx")


def import_notice(document: TextDocument | str | Path, output: str | Path | None = None, *,
                  overwrite: bool = False) -> ImportOutcome:
    """Read the document (.txt/.docx), write the ledger workbook with a 导入报告 sheet at
    ``output`` (beside a document file when not given; uploaded bytes have no "beside")."""
    from rectify_xl.adapters.workbook_builder import build_workbook
    from rectify_xl.core.book_sheets import report_sheet
    from rectify_xl.core.notice.importer import import_paragraphs
    from rectify_xl.core.schema import SHEETS

    document = as_text(document)
    file = Path(document.path) if isinstance(document, TextFile) else None
    if output is not None:
        target = Path(output)
    elif file is not None:
        target = default_output(file)
    else:
        raise InputError(f"请指定“{document.name}”导入后生成的台账文件名")
    if file is not None and target.resolve() == file.resolve():
        raise InputError("输出文件不能与输入文件相同")
    read = document.read()
    result = import_paragraphs(read.paragraphs, document.name)
    if not result.doc.problems:
        raise InputError(f"“{document.name}”中没有找到任何问题（如“1.关于“……”问题的整改情况。”"
                         "或编号的问题段落），无法生成台账")
    rows: list[list[object]] = [*result.rows[:2], ["文字编码", None, read.encoding],
                                *result.rows[2:]]
    written = build_workbook(target, result.records, overwrite=overwrite,
                             extra_sheets=(report_sheet(SHEETS.IMPORT_REPORT, rows),))
    return ImportOutcome(written, Report.build(document.name, result.findings), rows,
                         result.doc.kind, read.encoding)


def check_notice(document: TextDocument | str | Path, *,
                 ledger: WorkbookSource | str | Path | None = None,
                 typos: str | Path | None = None, pack: TypoPack | None = None) -> Report:
    """Every finding for a hand-written notice, against a ledger when one is given. ``typos`` is
    the user's own typo file (merged with the bundled pack); ``pack`` replaces both (tests)."""
    from rectify_xl.core.notice.rules import check_notice_text
    from rectify_xl.services.source import ledger_of

    document = as_text(document)
    read = document.read()
    parsed = ledger_of(as_source(ledger)) if ledger is not None else None
    if pack is None:
        from rectify_xl.adapters.rulepacks import load_typos

        pack = load_typos(typos)
    findings = check_notice_text(read.paragraphs, document.name, ledger=parsed, typos=pack)
    return Report.build(document.name, findings)
