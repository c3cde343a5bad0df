"""Use cases of the 巡察办's round (issue 18): the round 通报 from a consolidated workbook.

The consolidated workbook (`rectify-xl merge`) is only read. Its figures are checked before use
(core.round_figures): an inconsistency or a unit's validation error is a finding (error) naming
the cells; the 通报 is still written, visibly marked as not final, and the caller exits 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rectify_xl.core.findings import Finding, Severity
from rectify_xl.core.round_figures import RoundFigures
from rectify_xl.errors import InputError, OutputError

__all__ = ["ROUND_SUFFIXES", "RoundNotice", "load_round", "round_notice"]

ROUND_SUFFIXES = (".txt", ".docx", ".pdf")


@dataclass(frozen=True)
class RoundNotice:
    text: str
    context: dict[str, Any]
    figures: RoundFigures
    findings: tuple[Finding, ...]  # the figures' findings, then the placeholders' warnings
    written: tuple[Path, ...] = ()

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)


def load_round(workbook: Path) -> RoundFigures:
    """The round's figures from a consolidated workbook (InputError when it is not one)."""
    from rectify_xl.adapters.xlsx_reader import read_grids
    from rectify_xl.core.round_figures import read_round, round_sheets
    from rectify_xl.core.schema import SHEETS

    grids = read_grids(workbook, round_sheets() | {SHEETS.LEDGER})
    if SHEETS.LEDGER in grids and SHEETS.MERGE_SUMMARY not in grids:
        raise InputError(f"“{workbook.name}”是单位的整改台账，不是汇总表：请先用 rectify-xl merge "
                         "汇总各单位台账，再用汇总表（如 汇总.xlsx）生成通报或催报")
    return read_round(grids)


def round_notice(workbook: Path, out: Path | None = None, *, template: Path | None = None,
                 round_name: str = "", issuer: str = "", when: date | None = None,
                 profile: Path | None = None, reference: Path | None = None) -> RoundNotice:
    """Render the round 通报 (and write it to ``out``: .txt, .docx or .pdf)."""
    from rectify_xl.adapters.templates import ROUND_NOTICE_TEMPLATE, load_template, sandbox_env
    from rectify_xl.core.round_notice import (
        RoundNoticeInput,
        placeholder_findings,
        render_round_notice,
        round_context,
    )

    suffix = out.suffix.lower() if out else ""
    if out is not None:
        if suffix not in ROUND_SUFFIXES:
            raise OutputError(f"不支持的输出格式“{out.suffix or out.name}”：请用 .txt、.docx 或 .pdf")
        _refuse_inputs(out, workbook, template)
    given = RoundNoticeInput(round_name.strip(), issuer.strip(), when)
    text_template = load_template(template, ROUND_NOTICE_TEMPLATE)  # before the workbook: fail fast
    figures = load_round(workbook)
    context = round_context(figures, given)
    text = render_round_notice(context, text_template, sandbox_env())
    findings = (*figures.findings, *placeholder_findings(given))
    result = RoundNotice(text, context, figures, findings)
    if out is None:
        return result
    if suffix == ".txt":
        from rectify_xl.adapters.files import write_text_atomic

        return _with(result, (write_text_atomic(out, text),))
    from rectify_xl.core.document import notice_blocks
    from rectify_xl.core.round_notice import round_heading_lines
    from rectify_xl.services.document import write_document

    written = write_document(
        lambda: notice_blocks(text, title=context["title"], issuer=context["issuer"],
                              date_text=context["date"], headings=round_heading_lines(context)),
        out, profile=profile, reference=reference)
    return _with(result, tuple(written))


def _with(result: RoundNotice, written: tuple[Path, ...]) -> RoundNotice:
    return RoundNotice(result.text, result.context, result.figures, result.findings, written)


def _refuse_inputs(out: Path, *inputs: Path | None) -> None:
    """-o never names the consolidated workbook or the template (a .pdf writes a .docx too)."""
    targets = {out.resolve()}
    if out.suffix.lower() == ".pdf":
        targets.add(out.with_suffix(".docx").resolve())
    for path in inputs:
        if path is not None and path.resolve() in targets:
            raise InputError(f"输出文件不能与输入文件“{path.name}”相同，请换一个文件名")
