"""Use case 催办 (issue 17): one letter (.docx) per responsible department, and the 催办记录.

The letters use the notice's document machinery (page profile, styles, adapters.docx_writer).
The 催办记录 sheet is described once (core.reminders.log_sheet): the 催办 button writes it into
the open book with the live-book writer; the CLI writes it into the file in place
(``record_in_file``: adapters.xlsx_sheet_part — atomic, refused while the file is open, every
other part of the workbook kept as it was — after a backup of the previous version).

With ``mail`` (``remind --mail``) each department whose address is in the 联系人 table of 设置
gets its letter attached, through the machinery of ``rectify-xl mail`` / ``chase``
(adapters.mail; the password from services.mail.smtp_secret, never from the workbook); no
server, ``--eml`` or a failed send gives an .eml draft instead. 方式 in 催办记录 says which.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rectify_xl.core.model import Info
from rectify_xl.core.reminders import DepartmentReminder
from rectify_xl.core.sheet_spec import SheetSpec
from rectify_xl.errors import InputError, OutputError
from rectify_xl.services.source import WorkbookSource, ledger_of

if TYPE_CHECKING:
    from email.message import Message

    from rectify_xl.adapters.secrets import Secret
    from rectify_xl.adapters.settings import MailSettings

__all__ = ["BACKUP_SUFFIX", "HOW_DOCUMENT", "HOW_DRAFT", "HOW_MAIL", "Delivery", "LetterMail",
           "RemindResult", "default_folder", "ensure_writable", "letter_mail", "mail_settings",
           "record_in_file", "remind"]

# 方式 in 催办记录
HOW_MAIL, HOW_DRAFT, HOW_DOCUMENT = "邮件", "草稿", "仅生成文书"
BACKUP_SUFFIX = ".备份"
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@dataclass(frozen=True)
class RemindResult:
    as_of: date
    reminders: tuple[DepartmentReminder, ...]
    files: tuple[Path, ...]
    new_rows: int  # rows this run adds to 催办记录
    sheet: SheetSpec | None  # the whole 催办记录 after this run (None: nothing to record)
    deliveries: tuple[Delivery, ...] = ()  # with ``mail`` only: one per letter
    days: int = 0  # the window used: measures due within it are reminded
    backup: Path | None = None  # with ``record``: the ledger file's previous version

    @property
    def nothing_due(self) -> str:
        """The Chinese sentence when there is nothing to remind."""
        from rectify_xl.core.dates import format_cn

        return f"截至{format_cn(self.as_of)}，没有{self.days}天内到期或已逾期的未完成措施，无需催办。"

    @property
    def failed(self) -> bool:
        """A send failed (a draft was written instead)."""
        return any(d.error for d in self.deliveries)

    @property
    def unaddressed(self) -> tuple[str, ...]:
        """Departments whose letter was not mailed: no address in the 联系人 table."""
        return tuple(d.department for d in self.deliveries if d.how == HOW_DOCUMENT)


@dataclass(frozen=True)
class LetterMail:
    """How to mail the letters: settings (设置 + CLI), 联系人 addresses, where drafts go."""

    settings: MailSettings
    contacts: Mapping[str, str]
    drafts: Path
    draft_only: bool = False
    password: Secret | None = field(default=None, repr=False)
    prompt: Callable[[str], str | None] | None = None
    timeout: float | None = None


@dataclass(frozen=True)
class Delivery:
    department: str
    how: str  # HOW_MAIL / HOW_DRAFT / HOW_DOCUMENT
    to: str = ""
    draft: Path | None = None
    error: str = ""  # why sending failed (then how is HOW_DRAFT)

    @property
    def message(self) -> str:
        if self.how == HOW_MAIL:
            return f"{self.department}：已发送至 {self.to}"
        if self.how == HOW_DRAFT:
            why = f"发送失败（{self.error}），" if self.error else ""
            return f"{self.department}：{why}已生成邮件草稿 {self.draft}"
        return f"{self.department}：“设置”表的联系人中没有邮箱，未发送邮件（文书已生成）"


def mail_settings(source: WorkbookSource, **overrides: Any) -> MailSettings:
    """The ledger's own mail settings (设置, as `rectify-xl mail` reads them), then CLI options."""
    from rectify_xl.adapters.settings import load_settings

    return load_settings(grids=source.grids(), **overrides)


def default_folder(ledger: Path) -> Path:
    return ledger.parent / f"{ledger.stem}-催办"


def letter_mail(source: WorkbookSource, *, drafts: Path, draft_only: bool = False,
                prompt: Callable[[str], str | None] | None = None, timeout: float | None = None,
                **overrides: Any) -> LetterMail:
    """How `remind --mail` mails: the ledger's mail settings (设置, then ``overrides``: CLI
    options) and the addresses of its 联系人 table (a malformed one stops here, before any
    letter is written)."""
    from rectify_xl.services.ledger import settings_of

    contacts = dict(settings_of(source, contacts=True).contacts)
    return LetterMail(mail_settings(source, **overrides), contacts, drafts,
                      draft_only=draft_only, prompt=prompt, timeout=timeout)


def remind(source: WorkbookSource, *, today: date, out_dir: Path, days: int | None = None,
           as_of: date | None = None, mail: LetterMail | None = None,
           record: bool = False) -> RemindResult:
    """Write the letters into ``out_dir`` (and mail or draft them with ``mail``); return them
    and the 催办记录 to write. ``days`` defaults to the 临期提醒天数 setting. With ``record`` the
    催办记录 is also written into the ledger file itself (a file source only: a live book gets
    ``result.sheet`` written by the caller's live writer); a file open in Excel/WPS is refused
    before any letter is written."""
    from rectify_xl.services.ledger import settings_of

    target = None
    if record:
        from rectify_xl.services.source import FileSource

        if not isinstance(source, FileSource):
            raise InputError(f"“{source.name}”不是台账文件，无法直接写入“催办记录”")
        target = source.path
        ensure_writable(target)  # all or nothing: before any letter is written
    window = days if days is not None else settings_of(source).due_days
    result = _remind(source, today=today, days=window, out_dir=out_dir, as_of=as_of, mail=mail)
    if target is not None and result.sheet is not None:
        from dataclasses import replace

        result = replace(result, backup=record_in_file(target, result.sheet))
    return result


def _remind(source: WorkbookSource, *, today: date, days: int, out_dir: Path,
            as_of: date | None, mail: LetterMail | None) -> RemindResult:
    from rectify_xl.adapters.docx_writer import write_docx
    from rectify_xl.adapters.profiles import load_profile
    from rectify_xl.core.reminders import log_rows, log_sheet, plan_reminders, reminder_blocks
    from rectify_xl.services.ledger import as_of_date

    ledger = ledger_of(source)
    when = as_of_date(ledger, as_of, today)
    plans = plan_reminders(ledger, when, days)
    if not plans:
        return RemindResult(when, (), (), 0, None, days=days)
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = load_profile(None)
    files: dict[str, str] = {}
    written = []
    for r in plans:
        name = _UNSAFE.sub("_", f"{r.department}-{r.kind.value}函-{today:%Y%m%d}.docx")[:120]
        path = write_docx(reminder_blocks(r, ledger.info, when, dated=today), out_dir / name, profile)
        files[r.department] = path.name
        written.append(path)
    deliveries: list[Delivery] = []
    if mail is not None:
        deliveries = _deliver(plans, written, mail, ledger.info, when)
    how = {d.department: d.how for d in deliveries}
    rows = [(*row[:5], how.get(r.department, HOW_DOCUMENT), *row[6:]) for r, row in
            zip(plans, log_rows(plans, today, HOW_DOCUMENT, files), strict=True)]
    sheet = log_sheet([*ledger.reminder_log, *rows], ledger.ledger_sheet)
    return RemindResult(when, tuple(plans), tuple(written), len(rows), sheet, tuple(deliveries),
                        days=days)


def _deliver(plans: list[DepartmentReminder], letters: list[Path], mail: LetterMail,
             info: Info, when: date) -> list[Delivery]:
    """Send each addressed department its letter; a draft when it cannot be sent."""
    from rectify_xl.adapters.mail import (
        DEFAULT_TIMEOUT,
        DOCX_TYPE,
        Attachment,
        build_message,
        safe_filename,
        send_message,
        write_eml,
    )
    from rectify_xl.core.reminders import reminder_mail
    from rectify_xl.errors import MailError
    from rectify_xl.services.mail import check_header_fields, smtp_secret

    settings = mail.settings
    check_header_fields(settings)
    if settings.can_send and not mail.draft_only and not settings.from_address:
        raise InputError("未填写发件人地址：请在“设置”表填写“发件人地址”或“用户名”，或使用 --sender")
    out: list[Delivery] = []
    secret: Secret | None = None
    asked = False
    for r, letter in zip(plans, letters, strict=True):
        to = mail.contacts.get(r.department, "")
        if not to:
            out.append(Delivery(r.department, HOW_DOCUMENT))
            continue
        subject, body = reminder_mail(r, info, when, attachment=letter.name,
                                      sender_name=settings.sender_name)
        try:
            data = letter.read_bytes()
        except OSError as exc:
            raise OutputError(f"无法读取刚生成的催办文书“{letter.name}”") from exc
        attachments = (Attachment(letter.name, data, DOCX_TYPE),)

        def message(draft: bool, to: str = to, subject: str = subject, body: str = body,
                    attachments: tuple[Attachment, ...] = attachments) -> Message:
            return build_message(subject=subject, body=body, sender=settings.from_address,
                                 sender_name=settings.sender_name, to=[to], cc=settings.cc,
                                 attachments=attachments, draft=draft)

        error = ""
        if settings.can_send and not mail.draft_only:
            try:
                if not asked:  # once: a refused or missing password is not asked again
                    asked = True
                    secret = smtp_secret(settings, mail.password, mail.prompt)
                elif settings.user and secret is None:
                    raise MailError("未提供邮箱密码（授权码）")
                send_message(message(False), settings, secret,
                             timeout=mail.timeout or DEFAULT_TIMEOUT)
                out.append(Delivery(r.department, HOW_MAIL, to))
                continue
            except MailError as exc:
                error = exc.message
        _ensure_folder(mail.drafts)
        draft = write_eml(message(True), mail.drafts / f"{safe_filename(letter.stem)}.eml")
        out.append(Delivery(r.department, HOW_DRAFT, to, draft, error))
    return out


def _ensure_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from rectify_xl.adapters.files import os_reason

        raise OutputError(f"无法创建草稿文件夹“{folder}”：{os_reason(exc)}") from exc


def ensure_writable(path: Path, action: str = "写入台账") -> None:
    """Refuse an old .xls (read only: InputError) and a ledger open in Excel/WPS (LockedError),
    before anything is written."""
    from rectify_xl.adapters.files import ensure_not_locked
    from rectify_xl.services.source import refuse_xls

    refuse_xls(path, action)
    ensure_not_locked(path)


def record_in_file(path: Path, sheet: SheetSpec) -> Path:
    """Write 催办记录 into the ledger file in place; returns the backup of the previous version."""
    import shutil

    from rectify_xl.adapters.files import ensure_not_locked
    from rectify_xl.adapters.xlsx_sheet_part import put_described_sheet
    from rectify_xl.errors import OutputError
    from rectify_xl.services.source import refuse_xls

    refuse_xls(path, "登记催办记录")
    ensure_not_locked(path)
    backup = path.with_name(path.name + BACKUP_SUFFIX)
    try:
        shutil.copy2(path, backup)
    except OSError as exc:
        raise OutputError(f"无法在“{path.parent}”中保存台账的备份，未写入“催办记录”") from exc
    put_described_sheet(path, sheet)  # the description's cells where it puts them, its widths
    return backup
