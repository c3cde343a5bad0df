"""Use case: send the ledger to superiors (the 发送上级 button, ``rectify-xl mail``, the web
workbench through services.office_mail).

``prepare_mail(source, …)`` reads the workbook source once and builds everything (subject, body,
attachments); ``send_or_draft`` sends it, or writes an .eml draft when no server is configured
or when sending fails, so nothing is lost. ``send_ledger`` does both and is the one call the
button makes. The workbook itself is only read. The attachment is a macro-free copy of the
workbook *file*: a file or uploaded bytes, never a live book (services.source.saved_file says
so in Chinese: save it first — the button's VBA does).
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rectify_xl.errors import (
    InputError,
    LockedError,
    MailError,
    OutputError,
    RectifyError,
    TemplateError,
)
from rectify_xl.services.source import FileSource, as_source, ledger_of, refuse_xls, saved_file

if TYPE_CHECKING:
    import ssl
    from email.message import Message

    from rectify_xl.adapters.mail import Attachment
    from rectify_xl.adapters.secrets import Secret
    from rectify_xl.adapters.settings import MailSettings
    from rectify_xl.core.mail_message import Changes
    from rectify_xl.core.model import Grid, Ledger
    from rectify_xl.core.progress import Summary
    from rectify_xl.services.source import WorkbookSource

__all__ = [
    "MAIL_TEMPLATE",
    "MailOutcome",
    "PreparedMail",
    "check_header_fields",
    "open_elsewhere",
    "prepare_mail",
    "send_ledger",
    "send_or_draft",
    "smtp_secret",
]

MAIL_TEMPLATE = "mail_body.txt.j2"
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PreparedMail:
    """A message ready to go. attachment_password is shown to the user once, never stored."""

    source: str  # the workbook's name as the user knows it
    settings: MailSettings
    subject: str
    body: str
    attachments: tuple[Attachment, ...]
    draft_path: Path  # where the .eml goes when it is not sent
    attachment_password: str | None = field(default=None, repr=False)
    notes: tuple[str, ...] = ()
    # errors that change a count or the notice (core.gate): never sent, only drafted, marked
    blockers: tuple[str, ...] = ()

    def message(self, *, draft: bool = False) -> Message:
        from rectify_xl.adapters.mail import build_message

        s = self.settings
        return build_message(subject=self.subject, body=self.body, sender=s.from_address,
                             sender_name=s.sender_name, to=s.to, cc=s.cc,
                             attachments=self.attachments, draft=draft)


@dataclass(frozen=True)
class MailOutcome:
    sent: bool
    draft: Path | None
    error: str | None
    recipients: tuple[str, ...]
    attachments: tuple[str, ...]
    attachment_password: str | None = field(default=None, repr=False)
    notes: tuple[str, ...] = ()
    blockers: tuple[str, ...] = ()  # why it was not sent: the cells whose errors change a count

    @property
    def ok(self) -> bool:
        return self.error is None and not self.blockers

    @property
    def message(self) -> str:
        """The Chinese summary for the user (message box or terminal), one fact per line."""
        if self.blockers:
            lines = [f"未发送：台账中有{len(self.blockers)}处错误影响统计数字或公告，"
                     "邮件只保存为标明“未定稿”的草稿，请修改后重新发送：",
                     *(f"  {b}" for b in self.blockers)]
        elif self.sent:
            lines = [f"邮件已发送至：{'、'.join(self.recipients)}（附件{len(self.attachments)}个）"]
        elif self.error:
            lines = [f"邮件发送失败：{self.error}"]
        else:
            lines = []
        if self.draft:
            verb = "邮件已保存为草稿" if self.error else "已生成邮件草稿"
            lines.append(f"{verb}：{self.draft}（用 Outlook、Foxmail 等邮件客户端打开后发送）")
        if self.attachment_password:
            lines.append(f"附件密码：{self.attachment_password}"
                         "（只显示这一次，程序不会保存；请通过电话等其他渠道告知收件人）")
        lines += [f"说明：{n}" for n in self.notes]
        return "\n".join(lines)


def _changes(grids: Mapping[str, Grid], ledger: Ledger, summary: Summary,
             previous: WorkbookSource | None) -> Changes:
    from rectify_xl.core.mail_message import changes_from_diff, changes_from_history, history_snapshot
    from rectify_xl.core.schema import SHEETS

    if previous is not None:
        from rectify_xl.core.diff import diff_ledgers

        return changes_from_diff(diff_ledgers(ledger_of(previous), ledger))
    history = grids.get(SHEETS.HISTORY)
    if history is None:
        from rectify_xl.core.mail_message import Changes

        return Changes()
    return changes_from_history(history.rows, history_snapshot(summary), summary.as_of)


def _notice_files(ledger: Ledger, stem: str, notes: list[str]) -> list[tuple[str, bytes, str]]:
    """The notice as .txt and .docx; a failure is a note, not a stop."""
    from rectify_xl.adapters.files import os_reason, windows_text_bytes
    from rectify_xl.adapters.mail import DOCX_TYPE

    try:
        from rectify_xl.services.ledger import notice_text

        text = notice_text(ledger)
    except RectifyError as exc:
        notes.append(f"公告文本未能生成（{exc}），本次只发送台账")
        return []
    files = [(f"{stem}.txt", windows_text_bytes(text), "text/plain")]
    from rectify_xl.services.document import write_notice_document

    with tempfile.TemporaryDirectory(prefix="rectify-mail-") as tmp:
        out = Path(tmp) / "notice.docx"
        try:
            write_notice_document(ledger, text, out)
            files.append((f"{stem}.docx", out.read_bytes(), DOCX_TYPE))
        except (RectifyError, OSError) as exc:
            reason = exc.message if isinstance(exc, RectifyError) else os_reason(exc)
            notes.append(f"公告 Word 文档未能生成（{reason}），已附公告文本")
    return files


def _render_body(context: Mapping[str, object], template: str | Path | None) -> str:
    from jinja2 import TemplateError as JinjaError

    from rectify_xl.adapters.templates import load_template, sandbox_env

    if template is None:
        from importlib import resources

        text = resources.files("rectify_xl.data.templates").joinpath(MAIL_TEMPLATE) \
            .read_text(encoding="utf-8")
    else:
        text = load_template(template)
    try:
        return sandbox_env().from_string(text).render(**context)
    except JinjaError as exc:
        from rectify_xl.core.notice.render import jinja_message

        line = getattr(exc, "lineno", None)
        where = f"第{line}行" if line else ""
        raise TemplateError(f"邮件正文模板{where}有误：{jinja_message(exc.message)}") from exc
    except Exception as exc:  # a user template can fail in many ways; never a traceback
        raise TemplateError(f"邮件正文模板渲染失败：{type(exc).__name__}: {exc}") from exc


# a header field is one line: CR or LF in it would start a new header (Bcc: …) or break the mail
_HEADER_FIELDS = (("sender_name", "发件人姓名"), ("sender", "发件人地址"), ("user", "用户名"),
                  ("smtp_host", "SMTP服务器"), ("to", "收件人"), ("cc", "抄送"))


def _check_header_fields(settings: MailSettings) -> None:
    for name, label in _HEADER_FIELDS:
        value = getattr(settings, name)
        for text in value if isinstance(value, tuple) else (value,):
            if any(ch in text for ch in "\r\n\x00\x0b\x0c\x85\u2028\u2029"):
                raise InputError(f"“设置”表中的“{label}”含有换行符或控制字符：请改为一行后再试")


def check_header_fields(settings: MailSettings) -> None:
    """InputError when a 设置 mail field holds CR/LF or a control character (other senders)."""
    _check_header_fields(settings)


def _check_settings(settings: MailSettings) -> None:
    _check_header_fields(settings)
    if not settings.to:
        raise InputError("未填写收件人：请在“设置”表的“收件人”中填写，或在命令行使用 --to")
    bad = [a for a in (*settings.to, *settings.cc) if "@" not in a]
    if bad:
        raise InputError(f"邮件地址格式不正确：{'、'.join(bad)}")
    if settings.can_send and not settings.from_address:
        raise InputError("未填写发件人地址：请在“设置”表填写“发件人地址”或“用户名”")


def open_elsewhere(path: Path) -> bool:
    """The workbook is open in Excel/WPS/LibreOffice (a lock file lies beside it)."""
    from rectify_xl.adapters.files import lock_files

    return bool(lock_files(Path(path)))


def prepare_mail(source: WorkbookSource | str | Path, settings: MailSettings | None = None, *,
                 previous: WorkbookSource | str | Path | None = None, as_of: date | None = None,
                 today: date | None = None, encrypt: bool | None = None,
                 attachment_password: str | None = None, template: str | Path | None = None,
                 draft_path: str | Path | None = None, **overrides: Any) -> PreparedMail:
    """Read the workbook and build the message. ``overrides`` are MailSettings fields (CLI);
    ``settings`` replaces the workbook's 设置 (the server's own mailbox). A path is read as a
    FileSource; the draft goes beside a file unless ``draft_path`` says where."""
    source = as_source(source)
    refuse_xls(source, "发送上级")  # the attachment is a macro-free .xlsx copy made by openpyxl
    with saved_file(source, "发送上级") as path:  # refuses a live book before any work
        return _prepare(source, path, settings, previous=previous, as_of=as_of, today=today,
                        encrypt=encrypt, attachment_password=attachment_password,
                        template=template, draft_path=draft_path, **overrides)


def _prepare(source: WorkbookSource, path: Path, settings: MailSettings | None, *,
             previous: WorkbookSource | str | Path | None, as_of: date | None,
             today: date | None, encrypt: bool | None, attachment_password: str | None,
             template: str | Path | None, draft_path: str | Path | None,
             **overrides: Any) -> PreparedMail:
    from rectify_xl.adapters.crypto import encrypt_bytes, generate_password
    from rectify_xl.adapters.mail import XLSX_TYPE, Attachment
    from rectify_xl.adapters.settings import settings_from_grid
    from rectify_xl.adapters.xlsx_copy import macro_free_copy, workbook_bytes
    from rectify_xl.core.gate import DRAFT_MARK, blocker_lines
    from rectify_xl.core.mail_message import attachment_stem, mail_context, mail_subject
    from rectify_xl.core.output_sheets import summary_sheet
    from rectify_xl.core.progress import summarize
    from rectify_xl.core.schema import SHEETS
    from rectify_xl.core.sheet_spec import SheetWrites
    from rectify_xl.services.ledger import as_of_date, ledger_gate
    from rectify_xl.services.settings import load_settings as load_run_settings

    grids = dict(source.grids())  # every cell, for the copy (ledger_of drops the ledger sheet's)
    ledger = ledger_of(source)
    if settings is None:
        settings = settings_from_grid(grids.get(SHEETS.SETTINGS))
    settings = settings.with_overrides(**overrides)
    _check_settings(settings)
    today = today or date.today()
    when = as_of_date(ledger, as_of, today)
    run_settings = load_run_settings(grids)
    gate = ledger_gate(ledger, as_of=when, settings=run_settings)
    summary = summarize(ledger, as_of=when, settings=run_settings)
    if gate.counts:
        summary = replace(summary, not_final=gate.summary_banner())
    changes = _changes(grids, ledger, summary, as_source(previous) if previous else None)
    notes: list[str] = []
    unit = ledger.info.unit
    fresh = SheetWrites((summary_sheet(summary, ledger.ledger_sheet, now=datetime.now()),))
    files = [(f"{attachment_stem(unit, when)}.xlsx",
              workbook_bytes(macro_free_copy(path, fresh, grids)), XLSX_TYPE)]
    files += _notice_files(ledger, f"{unit or '本单位'}巡察整改进展情况公告", notes)
    encrypt = settings.encrypt if encrypt is None else encrypt
    password = (attachment_password or generate_password()) if encrypt else None
    attachments = tuple(
        Attachment(name, encrypt_bytes(data, password) if password and not kind.startswith("text")
                   else data, kind)
        for name, data, kind in files
    )
    context = mail_context(
        ledger, as_of=when, today=today, headline=summary.headline(), overdue=summary.overdue,
        changes=changes, sender_name=settings.sender_name,
        attachments=[a.filename for a in attachments], encrypted=bool(password), notes=notes,
    )
    body = _render_body(context, template)
    if draft_path is None and not isinstance(source, FileSource):
        raise OutputError(f"请指定“{source.name}”的邮件草稿保存位置（.eml）")
    draft = Path(draft_path) if draft_path else path.with_name(f"{path.stem}_发送上级.eml")
    if draft.suffix.lower() != ".eml":  # also keeps `--eml 台账.xlsx` from overwriting the ledger
        raise OutputError(f"邮件草稿文件名应以 .eml 结尾：{draft.name}")
    subject = mail_subject(unit, when)
    blockers = tuple(blocker_lines(gate.notice))
    return PreparedMail(source.name, settings, DRAFT_MARK + subject if blockers else subject, body,
                        attachments, draft, password, tuple(notes), blockers)


def _outcome(prepared: PreparedMail, *, sent: bool, draft: Path | None,
             error: str | None) -> MailOutcome:
    s = prepared.settings
    return MailOutcome(sent, draft, error, (*s.to, *s.cc),
                       tuple(a.filename for a in prepared.attachments),
                       prepared.attachment_password, prepared.notes, prepared.blockers)


def _password(settings: MailSettings, password: Secret | None,
              prompt: Callable[[str], str | None] | None) -> Secret | None:
    if password is not None or not settings.user:
        return password
    from rectify_xl.adapters.secrets import smtp_password

    return smtp_password(settings.user, settings.smtp_host, prompt=prompt)


def _no_password(settings: MailSettings, *, asked: bool) -> str:
    """Where the password can come from; a button cannot prompt, so it is told only the others."""
    from rectify_xl.adapters.secrets import ENV_PASSWORD, KEYRING_SERVICE, keyring_account

    account = keyring_account(settings.user, settings.smtp_host)
    where = (f"请设置环境变量 {ENV_PASSWORD}，或保存到系统钥匙串"
             f"（命令：keyring set {KEYRING_SERVICE} {account}）")
    return f"未提供邮箱密码（授权码）：{where}{'，或在提示时输入' if asked else ''}"


def smtp_secret(settings: MailSettings, password: Secret | None = None,
                prompt: Callable[[str], str | None] | None = None) -> Secret | None:
    """The SMTP password as `mail` finds it (given, environment, keyring, prompt); None when the
    server needs no login; MailError when it needs one and none was found."""
    secret = _password(settings, password, prompt)
    if settings.user and not secret:
        raise MailError(_no_password(settings, asked=prompt is not None))
    return secret


def send_or_draft(prepared: PreparedMail, *, draft_only: bool = False,
                  password: Secret | None = None,
                  prompt: Callable[[str], str | None] | None = None,
                  timeout: float | None = None,
                  ssl_context: ssl.SSLContext | None = None) -> MailOutcome:
    """Send through SMTP when a server is configured; otherwise, or on failure, write the draft."""
    from rectify_xl.adapters.mail import DEFAULT_TIMEOUT, send_message, write_eml

    settings = prepared.settings
    if draft_only or not settings.can_send or prepared.blockers:
        return _outcome(prepared, sent=False, error=None,
                        draft=write_eml(prepared.message(draft=True), prepared.draft_path))
    secret = _password(settings, password, prompt)
    try:
        if settings.user and not secret:
            raise MailError(_no_password(settings, asked=prompt is not None))
        send_message(prepared.message(), settings, secret,
                     timeout=timeout or DEFAULT_TIMEOUT, ssl_context=ssl_context)
    except MailError as exc:
        # info, not warning: Python's last-resort handler would print a warning on the CLI
        _log.info("mail not sent: %s", exc.message)
        try:
            draft = write_eml(prepared.message(draft=True), prepared.draft_path)
        except (OutputError, LockedError) as err:  # say both: what failed, why there is no draft
            raise OutputError(f"邮件发送失败：{exc.message}；{err.message}") from err
        return _outcome(prepared, sent=False, draft=draft, error=exc.message)
    return _outcome(prepared, sent=True, draft=None, error=None)


def send_ledger(source: WorkbookSource | str | Path, *, draft_path: str | Path | None = None,
                draft_only: bool = False, previous: WorkbookSource | str | Path | None = None,
                prompt: Callable[[str], str | None] | None = None,
                today: date | None = None, timeout: float | None = None,
                **overrides: Any) -> MailOutcome:
    """The 发送上级 button: settings from the workbook's 设置 sheet, send or draft, one outcome.

    ``outcome.message`` is the Chinese text to show; ``outcome.ok`` is False when sending
    failed (the draft is written all the same). RectifyError means nothing could be prepared
    (unreadable workbook, no recipient, broken template).
    """
    prepared = prepare_mail(source, previous=previous, today=today,
                            draft_path=draft_path, **overrides)
    return send_or_draft(prepared, draft_only=draft_only, prompt=prompt, timeout=timeout)
