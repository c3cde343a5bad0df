"""Use cases over one ledger: validate, summarise, annotate, write the notice.

Each takes a workbook source (services.source: a file, a live xlwings book, uploaded bytes) and
returns a result object: the findings or summary, and the sheets to write (core.sheet_spec),
which the caller hands to the file or the live-book writer. The CLI, the buttons and the web
workbench call these and nothing else, so they report and write the same for the same ledger.
Heavy modules are imported inside the function that needs them (pandas for the summary, jinja2
for the notice, openpyxl for an annotated copy).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rectify_xl.core.findings import Finding, Report
from rectify_xl.core.gate import Gate
from rectify_xl.core.model import Ledger
from rectify_xl.core.schema import SHEETS
from rectify_xl.core.settings import Settings
from rectify_xl.services.source import FileSource, WorkbookSource, ledger_of

if TYPE_CHECKING:
    from collections.abc import Mapping

    from rectify_xl.core.evidence import EvidenceListing
    from rectify_xl.core.model import Grid
    from rectify_xl.core.progress import Summary
    from rectify_xl.core.sheet_spec import SheetWrites
    from rectify_xl.core.textcheck import TypoPack

__all__ = [
    "DUE_SOON_DAYS",
    "Annotated",
    "Noticed",
    "Summarised",
    "Validated",
    "annotate",
    "as_of_date",
    "check",
    "gated_summary",
    "ledger_gate",
    "load_ledger",
    "make_notice",
    "notice",
    "notice_text",
    "summarise",
    "summarize_workbook",
    "validate",
    "validate_report",
    "validate_workbook",
]

DUE_SOON_DAYS = Settings().due_days  # the default; a workbook or user config may set another


def load_ledger(path: str | Path) -> Ledger:
    return ledger_of(FileSource(Path(path)))


def as_of_date(ledger: Ledger, as_of: date | None = None, today: date | None = None) -> date:
    """An explicit date wins, then 统计截止日期 from 基本信息, then today."""
    return as_of or ledger.info.as_of or today or date.today()


def check(ledger: Ledger, source: str, *, as_of: date | None = None,
          today: date | None = None, typos: TypoPack | None = None,
          settings: Settings | None = None, typos_file: Path | None = None,
          evidence: EvidenceListing | None = None,
          grids: Mapping[str, Grid] | None = None) -> Report:
    """Every finding for one ledger; ``typos`` defaults to the bundled typing-slip pack, merged
    with the user's own pack in ``typos_file`` when given; ``evidence`` (the folder beside a
    ledger file) adds the 佐证材料 checks."""
    from rectify_xl.adapters.rulepacks import load_typos
    from rectify_xl.core.rules import check_ledger

    when = as_of_date(ledger, as_of, today)
    pack = typos if typos is not None else load_typos(typos_file)
    findings = check_ledger(ledger, as_of=when, settings=settings, typos=pack)
    if evidence is not None:
        from rectify_xl.core.evidence import check_evidence

        findings += check_evidence(ledger, evidence)
    if grids is not None and (SHEETS.CHANGE_LOG in grids or SHEETS.CHANGE_SNAPSHOT in grids):
        from rectify_xl.core.change_log import check_change_log  # RX444: 修改记录 still holds

        findings += check_change_log(grids)
    return Report.build(source, findings)


def _before_the_cells() -> None:
    """Import the rules and the settings' readers before a use case waits for the ledger:
    a source read in the background (FileSource.prefetch) is parsed meanwhile, so a big
    ledger's 校验 or 汇总 is not kept waiting for both in turn (benchmarks/big_ledger.py)."""
    import rectify_xl.adapters.user_config
    import rectify_xl.core.rules
    import rectify_xl.services.settings  # noqa: F401


def settings_of(source: WorkbookSource, *, contacts: bool = False) -> Settings:
    from rectify_xl.services.settings import load_settings

    return load_settings(source.grids(), contacts=contacts)


@dataclass(frozen=True)
class Validated:
    """What 校验 found, and what it writes: marks on the ledger's cells and 校验结果."""

    report: Report
    ledger: Ledger
    writes: SheetWrites


@dataclass(frozen=True)
class Summarised:
    """The progress summary, and what 汇总进度 writes: 进度汇总 (with its chart) and 进度历史."""

    summary: Summary
    ledger: Ledger
    writes: SheetWrites
    blockers: tuple[Finding, ...] = ()  # errors that change a count: summary.not_final says so


def ledger_gate(ledger: Ledger, *, as_of: date | None = None, today: date | None = None,
                settings: Settings | None = None, notice: bool = True) -> Gate:
    """The errors that make a count (or, unless ``notice=False``, the notice text) of this
    ledger wrong (core.gate)."""
    from rectify_xl.core.gate import gate

    return gate(ledger, as_of=as_of_date(ledger, as_of, today), settings=settings, notice=notice)


def _gated(summary: Summary, blockers: tuple[Finding, ...]) -> Summary:
    from dataclasses import replace

    from rectify_xl.core.gate import draft_banner

    return replace(summary, not_final=draft_banner(blockers)) if blockers else summary


def validate(source: WorkbookSource, *, today: date, now: datetime, as_of: date | None = None,
             typos: TypoPack | None = None, settings: Settings | None = None,
             typos_file: Path | None = None) -> Validated:
    """校验: every finding; the source is never modified."""
    from rectify_xl.core.output_sheets import findings_writes, marks_for

    report = validate_report(source, today=today, as_of=as_of, typos=typos, settings=settings,
                             typos_file=typos_file)
    grids = source.grids()
    cells = [(m.sheet, m.cell) for m in marks_for(report, set(grids))]
    writes = findings_writes(report, grids, now=now, before=source.fills(cells) if cells else None)
    return Validated(report, ledger_of(source), writes)


def validate_report(source: WorkbookSource, *, today: date, as_of: date | None = None,
                    typos: TypoPack | None = None, settings: Settings | None = None,
                    typos_file: Path | None = None) -> Report:
    """校验's findings alone, for a caller that writes no sheet (the CLI prints them): building
    the marks and 校验结果 of a big ledger costs as much as a tenth of the run."""
    from rectify_xl.adapters.rulepacks import load_typos
    from rectify_xl.services.evidence import listing_of

    # what needs no cell first (_before_the_cells): the slip pack, the evidence folder
    pack = typos if typos is not None else load_typos(typos_file)
    evidence = listing_of(source)
    _before_the_cells()
    ledger = ledger_of(source)
    settings = settings or settings_of(source)
    return check(ledger, source.name, as_of=as_of, today=today, typos=pack, settings=settings,
                 evidence=evidence, grids=source.grids())


def uncounted_sheets(ledger: Ledger) -> list[str]:
    """RX117's message for each other sheet holding measures that no figure counts: the summary
    and the notice say it beside their output, not only validate."""
    from rectify_xl.core.rules import registry

    spec = registry.code_spec("RX117")
    return [spec.message(sheet=n.sheet, cell=n.cell, row=n.row, **n.params)
            for n in ledger.notes if n.code == "RX117"]


def summarise(source: WorkbookSource, *, today: date, now: datetime, as_of: date | None = None,
              settings: Settings | None = None) -> Summarised:
    """汇总进度: the summary as of 统计截止日期 (or the given date, or today)."""
    from rectify_xl.core.output_sheets import summary_writes

    summary, blockers = gated_summary(source, today=today, as_of=as_of, settings=settings)
    ledger = ledger_of(source)
    writes = summary_writes(summary, ledger.ledger_sheet, source.grids().get(SHEETS.HISTORY), now=now)
    return Summarised(summary, ledger, writes, blockers)


def gated_summary(source: WorkbookSource, *, today: date, as_of: date | None = None,
                  settings: Settings | None = None) -> tuple[Summary, tuple[Finding, ...]]:
    """The summary (marked not final over errors that change a count) and those errors, for a
    caller that writes no sheet (the CLI prints them)."""
    from rectify_xl.core.progress import summarize

    _before_the_cells()
    ledger = ledger_of(source)
    settings = settings or settings_of(source)
    blockers = ledger_gate(ledger, as_of=as_of, today=today, settings=settings,
                           notice=False).counts
    return _gated(summarize(ledger, as_of=as_of_date(ledger, as_of, today),
                            settings=settings), blockers), blockers


@dataclass(frozen=True)
class Annotated:
    """The marked-up copy: what 校验 and 汇总进度 write, applied to a macro-free copy."""

    validated: Validated
    summarised: Summarised
    data: bytes | None  # None: an .xls, read but never copied (services.workbench)


def annotate(source: FileSource, *, today: date, now: datetime, as_of: date | None = None,
             typos: TypoPack | None = None, out: Path | None = None,
             typos_file: Path | None = None) -> Annotated:
    """The workbook with the findings marked at their cells and 校验结果 and 进度汇总 written —
    exactly what the 校验 and 汇总进度 buttons produce — as .xlsx bytes (and at ``out``)."""
    from rectify_xl.adapters.xlsx_copy import annotated_copy, save_bytes
    from rectify_xl.errors import OutputError
    from rectify_xl.services.source import refuse_xls

    if out is not None and Path(out).resolve() == source.path.resolve():
        raise OutputError(f"标注副本不能覆盖原台账“{source.name}”，请另取一个文件名")
    if out is not None and Path(out).suffix.lower() != ".xlsx":  # said before any work is done
        raise OutputError(f"副本应保存为 .xlsx 文件，而不是“{Path(out).name}”")
    # the copy is the workbook itself, marked up: openpyxl cannot open an .xls, and a copy
    # rebuilt from values alone would lose its formats, widths and comments
    refuse_xls(source, "生成标注副本")
    grids = dict(source.grids())  # every cell, for the copy's frozen formulas (see ledger_of)
    settings = settings_of(source)
    validated = validate(source, today=today, now=now, as_of=as_of, typos=typos, settings=settings,
                         typos_file=typos_file)
    summarised = summarise(source, today=today, now=now, as_of=as_of, settings=settings)
    # the summary first, then the findings: 校验结果 is the sheet shown on opening
    data = annotated_copy(source.path, grids, summarised.writes + validated.writes)
    if out is not None:
        save_bytes(data, out)
    return Annotated(validated, summarised, data)


@dataclass(frozen=True)
class Noticed:
    """The notice text, and what 生成公告 writes: the 公告 sheet, one paragraph per row."""

    ledger: Ledger
    text: str  # begins with the 【未定稿】 banner when ``blockers``
    writes: SheetWrites
    blockers: tuple[Finding, ...] = ()  # errors that change a number or sentence of the notice
    slips: tuple[Finding, ...] = ()  # writing warnings (RX6xx, RX411) in ledger texts it quotes

    @property
    def paragraphs(self) -> int:
        return sum(1 for line in self.text.split("\n") if line.strip())

    @property
    def missing_info(self) -> tuple[str, ...]:
        """The 基本信息 items the notice shows as 【待补：…】, each once, in order."""
        import re

        return tuple(dict.fromkeys(re.findall(r"【待补：([^】]+)】", self.text)))


def notice(source: WorkbookSource, *, template: str | Path | None = None,
           today: date | None = None) -> Noticed:
    """生成公告: the notice rendered from the ledger (one paragraph per line)."""
    from rectify_xl.core.output_sheets import notice_sheet
    from rectify_xl.core.sheet_spec import SheetWrites

    ledger = ledger_of(source)
    text = notice_text(ledger, template, today=today)
    sheet = notice_sheet(text)
    blockers = ledger_gate(ledger, today=today).notice
    return Noticed(ledger, text, SheetWrites((sheet,), activate=sheet.name), blockers,
                   quoted_slips(ledger, text, today=today))


# the writing warnings of a ledger text: a notice quoting the text publishes the slip
_SLIP_CODES = frozenset({"RX601", "RX602", "RX603", "RX604", "RX411", "RX412"})


def quoted_slips(ledger: Ledger, text: str, *, today: date | None = None) -> tuple[Finding, ...]:
    """The ledger's writing warnings whose words the notice ``text`` quotes: not errors (the
    notice is final), but a published 健立 for 建立 should not pass unseen."""
    from rectify_xl.adapters.rulepacks import load_typos
    from rectify_xl.core.rules import check_ledger

    findings = check_ledger(ledger, as_of=as_of_date(ledger, None, today), typos=load_typos(),
                            codes=_SLIP_CODES)
    return tuple(f for f in findings
                 if (around := str(f.extra.get("context", "")).strip("…")) and around in text)


def notice_text(ledger: Ledger, template: str | Path | None = None, *,
                today: date | None = None) -> str:
    """The notice; over errors that change its numbers or sentences, it begins with the
    【未定稿】 banner naming the cells (core.gate), so no copy of it can pass as final."""
    from rectify_xl.adapters.templates import load_template, sandbox_env
    from rectify_xl.core.notice.render import render_notice

    text = render_notice(ledger, load_template(template), sandbox_env())
    banner = ledger_gate(ledger, today=today).notice_banner()
    return f"{banner}\n{text}" if banner else text


# --- the file-path shortcuts the tests, benchmarks and the package's top level use ----------------
def validate_workbook(path: str | Path, *, as_of: date | None = None,
                      today: date | None = None) -> Report:
    """Read the workbook and return every finding; the file is not modified."""
    from rectify_xl.services.evidence import listing_of

    source = FileSource(Path(path))
    return check(ledger_of(source), source.name, as_of=as_of, today=today,
                 settings=settings_of(source), evidence=listing_of(source), grids=source.grids())


def summarize_workbook(path: str | Path, *, as_of: date | None = None,
                       today: date | None = None) -> Summary:
    from rectify_xl.core.progress import summarize

    source = FileSource(Path(path))
    ledger = ledger_of(source)
    settings = settings_of(source)
    blockers = ledger_gate(ledger, as_of=as_of, today=today, settings=settings,
                           notice=False).counts
    return _gated(summarize(ledger, as_of=as_of_date(ledger, as_of, today),
                            settings=settings), blockers)


def make_notice(path: str | Path, *, template: str | Path | None = None) -> str:
    """The notice text (one paragraph per line) rendered from the ledger."""
    return notice_text(load_ledger(path), template)
