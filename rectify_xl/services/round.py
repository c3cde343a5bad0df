"""Use cases of the 巡察办's round (issue 18): the round 通报 from a consolidated workbook.

The consolidated workbook (`rectify-xl merge`) is only read. Its figures are checked before use
(core.round_figures): an inconsistency or a unit's validation error is a finding (error) naming
the cells; the 通报 is still written, visibly marked as not final, and the caller exits 1.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rectify_xl.core.findings import Finding, Severity
from rectify_xl.core.round_figures import RoundFigures
from rectify_xl.errors import InputError, OutputError

if TYPE_CHECKING:
    from rectify_xl.adapters.secrets import Secret
    from rectify_xl.adapters.settings import MailSettings
    from rectify_xl.core.sheet_spec import SheetSpec
    from rectify_xl.services.source import WorkbookSource

__all__ = ["ROUND_SUFFIXES", "ChaseOutcome", "ChaseResult", "RoundNotice", "chase",
           "chase_settings", "load_round", "round_notice"]

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


def load_round(workbook: WorkbookSource | Path) -> RoundFigures:
    """The round's figures from a consolidated workbook (InputError when it is not one): a file
    (only the round's sheets are read), or any workbook source (an upload, an open book)."""
    from rectify_xl.adapters.xlsx_reader import read_grids
    from rectify_xl.core.round_figures import read_round, round_sheets
    from rectify_xl.core.schema import SHEETS

    if isinstance(workbook, str | Path):
        workbook = Path(workbook)
        grids, name = read_grids(workbook, round_sheets() | {SHEETS.LEDGER}), workbook.name
    else:
        grids, name = workbook.grids(), workbook.name
    if SHEETS.LEDGER in grids and SHEETS.MERGE_SUMMARY not in grids:
        raise InputError(f"“{name}”是单位的整改台账，不是汇总表：请先用 rectify-xl merge "
                         "汇总各单位台账，再用汇总表（如 汇总.xlsx）生成通报或催报")
    return read_round(grids)


def round_notice(workbook: WorkbookSource | Path, out: Path | None = None, *,
                 template: Path | None = None, round_name: str = "", issuer: str = "",
                 when: date | None = None, profile: Path | None = None,
                 reference: Path | None = None) -> RoundNotice:
    """Render the round 通报 (and write it to ``out``: .txt, .docx or .pdf) from the consolidated
    workbook: a path, or a workbook source (services/source.py)."""
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
        _refuse_inputs(out, Path(workbook) if isinstance(workbook, str | Path) else getattr(
            workbook, "path", None), template)
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


@dataclass(frozen=True)
class ChaseOutcome:
    """One unit's 催报: mailed, or a draft (with the reason when sending failed)."""

    unit: str
    state: str
    sent: bool
    draft: Path | None
    to: str
    error: str = ""

    @property
    def message(self) -> str:
        if self.sent:
            return f"{self.unit}（{self.state}）：已发送至 {self.to}"
        why = f"发送失败（{self.error}），" if self.error else ""
        no_to = "，名单中没有邮箱，请填写收件人后发送" if not self.to else ""
        return f"{self.unit}（{self.state}）：{why}已生成邮件草稿 {self.draft}{no_to}"


@dataclass(frozen=True)
class ChaseResult:
    outcomes: tuple[ChaseOutcome, ...]
    skipped: tuple[str, ...]  # chased today already
    log: Path | None  # the workbook file whose 催报记录 was updated
    sheet: SheetSpec | None = None  # the whole 催报记录 after this run (None: nothing to record)

    @property
    def failed(self) -> bool:
        return any(o.error for o in self.outcomes)


def chase_settings(book: Path | None = None, **overrides: Any) -> MailSettings:
    """The 巡察办's mail settings: the 设置 sheet of ``book`` (if any), then the CLI options."""
    from rectify_xl.adapters.settings import load_settings

    return load_settings(book, **overrides)


def chase(workbook: WorkbookSource | Path, *, units: Path | None = None,
          settings: MailSettings | None = None, drafts: Path | None = None,
          draft_only: bool = False, deadline: date | None = None, now: datetime,
          password: Secret | None = None, prompt: Callable[[str], str | None] | None = None,
          timeout: float | None = None) -> ChaseResult:
    """催报 every unit the consolidated workbook lists as 未报送 / 未更新, and log it there.

    ``workbook``: the consolidated workbook's file (a path or a FileSource), or any workbook
    source (uploaded bytes, an open book; then ``drafts`` must be given, and the caller writes
    ``result.sheet``). Mail goes through ``settings`` when a server is configured and the unit
    has an address (from the 名单 ``units``); otherwise, or when sending fails, an .eml draft is
    written to ``drafts`` (default: 催报草稿 beside the workbook file). A file's 催报记录 sheet
    is rewritten with its previous rows and the new ones, every other part of it untouched.
    """
    from rectify_xl.adapters.files import ensure_not_locked
    from rectify_xl.adapters.mail import (
        DEFAULT_TIMEOUT,
        build_message,
        safe_filename,
        send_message,
        write_eml,
    )
    from rectify_xl.adapters.settings import MailSettings as Settings
    from rectify_xl.adapters.unit_contacts import read_contacts
    from rectify_xl.adapters.xlsx_reader import read_grids
    from rectify_xl.adapters.xlsx_sheet_part import put_described_sheet
    from rectify_xl.core.chase import chase_log_sheet, chase_message, chase_targets, log_entry
    from rectify_xl.core.schema import SHEETS
    from rectify_xl.errors import MailError
    from rectify_xl.services.mail import smtp_secret
    from rectify_xl.services.source import FileSource

    source = FileSource(Path(workbook)) if isinstance(workbook, str | Path) else workbook
    # a ledger file is logged in place; a private copy (``shown``) of an upload is not
    file = source.path if isinstance(source, FileSource) and not source.shown else None
    if file is not None:
        ensure_not_locked(file)  # before any mail: the chase must be recorded
        figures = load_round(file)  # only the round's sheets are read
        grids = read_grids(file, {SHEETS.CHASE_LOG})
        folder = drafts or file.with_name("催报草稿")
    elif drafts is None:  # uploaded bytes and an open book have no "beside"
        raise InputError(f"请指定“{source.name}”催报邮件草稿保存的文件夹（--drafts）")
    else:
        figures, grids, folder = load_round(source), source.grids(), drafts
    contacts = read_contacts(units) if units else {}
    previous = grids[SHEETS.CHASE_LOG].rows if SHEETS.CHASE_LOG in grids else []
    today = now.date()
    targets, skipped = chase_targets(figures, contacts, previous, today)
    settings = settings or Settings()
    outcomes: list[ChaseOutcome] = []
    entries: list[list[object]] = []
    secret: Secret | None = None
    asked = False
    for target in targets:
        subject, body = chase_message(target, round_as_of=figures.as_of, deadline=deadline,
                                      sender_name=settings.sender_name, today=today)
        to = target.contact.address
        error = ""
        if to and settings.can_send and not draft_only:
            try:
                if not asked:  # once: a refused or missing password is not asked again
                    asked = True
                    secret = smtp_secret(settings, password, prompt)
                elif settings.user and secret is None:
                    raise MailError("未提供邮箱密码（授权码）")
                message = build_message(subject=subject, body=body, sender=settings.from_address,
                                        sender_name=settings.sender_name, to=[to], cc=settings.cc)
                send_message(message, settings, secret, timeout=timeout or DEFAULT_TIMEOUT)
                outcomes.append(ChaseOutcome(target.unit, target.state, True, None, to))
                entries.append(log_entry(target, when=now, how="邮件", to=to, result="已发送",
                                         round_as_of=figures.as_of))
                continue
            except MailError as exc:
                error = exc.message
        draft = write_eml(build_message(subject=subject, body=body, sender=settings.from_address,
                                        sender_name=settings.sender_name,
                                        to=[to] if to else [], cc=settings.cc, draft=True),
                          _ensure_folder(folder) / f"催报-{safe_filename(target.unit)}.eml")
        outcomes.append(ChaseOutcome(target.unit, target.state, False, draft, to, error))
        entries.append(log_entry(target, when=now, how="邮件草稿", to=to,
                                 result=(f"发送失败：{error}；" if error else "") + f"草稿 {draft.name}",
                                 round_as_of=figures.as_of))
    log = sheet = None
    if entries:
        sheet = chase_log_sheet(previous, entries)
        if file is not None:
            log = put_described_sheet(file, sheet)
    return ChaseResult(tuple(outcomes), tuple(skipped), log, sheet)


def _ensure_folder(folder: Path) -> Path:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from rectify_xl.adapters.files import os_reason

        raise OutputError(f"无法创建草稿文件夹“{folder}”：{os_reason(exc)}") from exc
    return folder


