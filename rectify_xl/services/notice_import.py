"""Use cases over a notice or feedback document: import it as a ledger, check it (issue 8).

The document is only read. ``import_notice`` writes the new ledger atomically through the
workbook builder (which refuses to overwrite without --force and refuses a file open in
Excel/WPS); ``check_notice_file`` only reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rectify_xl.core.findings import Report
from rectify_xl.errors import InputError

__all__ = ["ImportOutcome", "check_notice_file", "default_output", "import_notice"]


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


def import_notice(path: str | Path, output: str | Path | None = None, *,
                  overwrite: bool = False) -> ImportOutcome:
    """Read FILE (.txt/.docx), write the ledger workbook with a 导入报告 sheet."""
    from rectify_xl.adapters.text_input import read_paragraphs
    from rectify_xl.adapters.workbook_builder import build_workbook
    from rectify_xl.core.notice.importer import import_paragraphs
    from rectify_xl.core.schema import SHEETS

    path = Path(path)
    target = Path(output) if output else default_output(path)
    if target.resolve() == path.resolve():
        raise InputError("输出文件不能与输入文件相同")
    source = read_paragraphs(path)
    result = import_paragraphs(source.paragraphs, path.name)
    if not result.doc.problems:
        raise InputError(f"“{path.name}”中没有找到任何问题（如“1.关于“……”问题的整改情况。”"
                         "或编号的问题段落），无法生成台账")
    rows: list[list[object]] = [*result.rows[:2], ["文字编码", None, source.encoding],
                                *result.rows[2:]]
    written = build_workbook(target, result.records, overwrite=overwrite,
                             extra_sheets={SHEETS.IMPORT_REPORT: rows})
    return ImportOutcome(written, Report.build(path.name, result.findings), rows,
                         result.doc.kind, source.encoding)


def check_notice_file(path: str | Path, *, ledger: str | Path | None = None,
                      typos: str | Path | None = None) -> Report:
    """Every finding for a hand-written notice, against a ledger workbook when one is given."""
    from rectify_xl.adapters.rulepacks import load_typos
    from rectify_xl.adapters.text_input import read_paragraphs
    from rectify_xl.core.notice.rules import check_notice_text

    path = Path(path)
    source = read_paragraphs(path)
    parsed = None
    if ledger is not None:
        from rectify_xl.adapters.xlsx_reader import read_ledger

        parsed = read_ledger(ledger)
    findings = check_notice_text(source.paragraphs, path.name, ledger=parsed,
                                 typos=load_typos(typos))
    return Report.build(path.name, findings)
