"""Mail sent by the office server for an uploaded ledger: the server's mailbox, the upload's
recipients.

Whoever uploads a workbook writes its 设置 sheet. So where the mail goes out — host, port,
encryption, user name, sender, and therefore where the password goes — comes only from the
administrator's configuration (``rectify-xl serve --smtp ...``). The upload may choose the
recipients (收件人, 抄送), restricted to the configured domains when there are any, and whether
the attachments are encrypted. Without a configuration the server only makes drafts.

Every failure to reach or use the mail server is reported to the uploader with the same
sentence, whatever happened (closed port, silent port, a banner, refused login): an upload
cannot probe the network through the server. The details go to the server's log.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rectify_xl.errors import InputError

if TYPE_CHECKING:
    from rectify_xl.adapters.secrets import Secret
    from rectify_xl.services.mail import MailOutcome
    from rectify_xl.services.source import WorkbookSource

__all__ = ["MAIL_FAILED", "OfficeMail", "OfficeMailResult", "check_office_mail", "office_mail",
           "send_for_upload"]

_log = logging.getLogger("rectify_xl.server")
MAIL_FAILED = "邮件未能通过服务器的邮箱发出（请联系服务器管理员检查服务器的邮件设置），已生成邮件草稿"


@dataclass(frozen=True)
class OfficeMail:
    """The administrator's mailbox. The password is never here: RECTIFY_SMTP_PASSWORD in the
    server's environment, or the system keyring entry for user@host."""

    host: str
    port: int | None = None
    security: str = "SSL"  # SSL / STARTTLS / 无 (adapters.settings.SETTINGS_SECURITY)
    user: str = ""
    sender: str = ""
    sender_name: str = ""
    domains: tuple[str, ...] = ()  # recipients must be in one of these (and their subdomains)
    timeout: float = 30.0  # seconds to wait for the mail server

    def allows(self, address: str) -> bool:
        if not self.domains:
            return True
        domain = address.rpartition("@")[2].strip().lower().rstrip(".")
        return any(domain == d or domain.endswith("." + d) for d in self.domains)


@dataclass(frozen=True)
class OfficeMailResult:
    outcome: MailOutcome
    refused: str | None  # why it was not sent although a mailbox is configured


def _password(mail: OfficeMail) -> Secret | None:
    from rectify_xl.adapters.secrets import ENV_PASSWORD, Secret, keyring_password

    if not mail.user:
        return None
    value = os.environ.get(ENV_PASSWORD, "")
    return Secret(value, "环境变量") if value else keyring_password(mail.user, mail.host)


def send_for_upload(source: WorkbookSource, draft_path: Path, *, today: date,
                    mail: OfficeMail | None) -> OfficeMailResult:
    """Prepare the mail from the uploaded workbook, then send it through the server's mailbox
    (or only draft it). InputError for recipients outside the allowed domains."""
    from rectify_xl.adapters.settings import MailSettings, load_settings, parse_security
    from rectify_xl.services.mail import prepare_mail, send_or_draft

    uploaded = load_settings(grids=source.grids())
    # only what the uploader may choose; nothing of theirs about the server or the account
    settings = MailSettings(to=uploaded.to, cc=uploaded.cc, encrypt=uploaded.encrypt)
    if mail is not None:
        outside = [a for a in (*settings.to, *settings.cc) if not mail.allows(a)]
        if outside:
            raise InputError(f"收件人不在服务器允许的邮件域名内：{'、'.join(outside)}"
                             f"（允许：{'、'.join(mail.domains)}）")
        settings = replace(settings, smtp_host=mail.host, smtp_port=mail.port,
                           security=parse_security(mail.security), user=mail.user,
                           sender=mail.sender, sender_name=mail.sender_name)
    prepared = prepare_mail(source, settings, draft_path=draft_path, today=today)
    if mail is None:
        return OfficeMailResult(send_or_draft(prepared, draft_only=True), None)
    password = _password(mail)
    if mail.user and password is None:
        _log.warning("mail: no password for the configured mailbox (set RECTIFY_SMTP_PASSWORD)")
        return OfficeMailResult(send_or_draft(prepared, draft_only=True), MAIL_FAILED)
    outcome = send_or_draft(prepared, password=password, timeout=mail.timeout)
    if outcome.error is None:
        return OfficeMailResult(outcome, None)
    _log.warning("mail: not sent through %s:%s: %s", mail.host, mail.port or "", outcome.error)
    return OfficeMailResult(replace(outcome, error=None), MAIL_FAILED)


def office_mail(smtp: str, *, security: str = "SSL", user: str = "", sender: str = "",
                sender_name: str = "", domains: tuple[str, ...] = ()) -> OfficeMail:
    """The configuration from ``serve``'s options; ``smtp`` is HOST or HOST:PORT."""
    from rectify_xl.adapters.settings import MailSettings

    parsed = MailSettings().with_overrides(smtp_host=smtp)
    clean = tuple(d.strip().lower().lstrip("@").rstrip(".") for d in domains if d.strip())
    mail = OfficeMail(parsed.smtp_host, parsed.smtp_port, security, user.strip(), sender.strip(),
                      sender_name.strip(), clean)
    check_office_mail(mail)
    return mail


def check_office_mail(mail: OfficeMail) -> None:
    """At start-up: a configuration that cannot work is a usage error, not a later surprise."""
    from rectify_xl.adapters.settings import parse_security

    if not mail.host.strip():
        raise InputError("邮件服务器地址为空：请用 --smtp 主机:端口 指定")
    parse_security(mail.security)
    if any(ch in field for field in (mail.host, mail.user, mail.sender, mail.sender_name)
           for ch in "\r\n"):
        raise InputError("服务器的邮件设置中含有换行符，请检查 --smtp、--smtp-user、--smtp-sender")
    if not (mail.sender or mail.user):
        raise InputError("请用 --smtp-sender 指定发件人地址（或用 --smtp-user 指定邮箱用户名）")
