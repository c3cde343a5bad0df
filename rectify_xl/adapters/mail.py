"""Build the report mail, send it over SMTP, or write it as an .eml draft.

Chinese names must survive Outlook, Foxmail, QQ/163 webmail and Gmail. Python's modern email
policy refolds parameters into RFC 2231 continuations and even encodes the MIME type itself
when a header gets long, which several of those clients misread. So the message is built with
the compat32 classes and headers written explicitly: every attachment carries both an RFC 2231
``filename*`` in Content-Disposition and an RFC 2047 encoded-word ``name=`` in Content-Type
(stack-notes §7; MimeKit #186/#899, nodemailer buildmail #4). The body is base64, so servers
without 8BITMIME pass it unchanged.
"""

from __future__ import annotations

import logging
import ssl
from base64 import b64encode
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import TYPE_CHECKING

from rectify_xl.adapters.files import os_reason, write_bytes_atomic
from rectify_xl.errors import MailError

if TYPE_CHECKING:
    import smtplib

    from rectify_xl.adapters.secrets import Secret
    from rectify_xl.adapters.settings import MailSettings

__all__ = [
    "DEFAULT_TIMEOUT",
    "XLSX_TYPE",
    "Attachment",
    "build_message",
    "encoded_word",
    "message_bytes",
    "safe_filename",
    "send_message",
    "write_eml",
]

DEFAULT_TIMEOUT = 30.0
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_log = logging.getLogger(__name__)
_PORTS = "（SSL 一般为 465，STARTTLS 一般为 587）"
_CHECK_SECURITY = f"请检查“加密方式”和端口{_PORTS}"


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    mime_type: str = "application/octet-stream"


def encoded_word(text: str) -> str:
    """RFC 2047 B-encoding in words of at most 75 characters, split on character boundaries."""
    if text.isascii():
        return text
    words, chunk = [], ""
    for ch in text:
        if len((chunk + ch).encode("utf-8")) > 45:  # 45 bytes → 60 base64 chars + 12 → 72
            words.append(chunk)
            chunk = ""
        chunk += ch
    words.append(chunk)
    return " ".join(f"=?UTF-8?B?{b64encode(w.encode('utf-8')).decode('ascii')}?=" for w in words)


def safe_filename(name: str, limit: int = 60) -> str:
    """No path parts, quotes or control characters; long names cut before the extension."""
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"\\/:*?<>|').strip() or "附件"
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if len(name) > limit:
        name = stem[: max(1, limit - len(ext) - 1)] + (dot + ext if dot else "")
    return name


def _attachment_part(att: Attachment) -> Message:
    from email import encoders
    from email.mime.base import MIMEBase
    from email.utils import encode_rfc2231

    maintype, _, subtype = att.mime_type.partition("/")
    part = MIMEBase(maintype, subtype)
    if maintype == "text":
        part.set_param("charset", "utf-8")
    part.set_payload(att.data)
    encoders.encode_base64(part)
    name = safe_filename(att.filename)
    # both spellings of the name: see the module docstring
    part.set_param("name", encoded_word(name), requote=True)
    if name.isascii():
        part.add_header("Content-Disposition", "attachment", filename=name)
    else:
        part["Content-Disposition"] = f"attachment; filename*={encode_rfc2231(name, 'utf-8')}"
    return part


def _address(name: str, addr: str) -> str:
    from email.utils import formataddr

    return formataddr((name, addr), charset="utf-8") if name else addr


def _one_line(text: str) -> str:
    """Generated header text (the subject holds the unit's name from the ledger) as one line."""
    return " ".join(text.split())


def build_message(*, subject: str, body: str, sender: str, sender_name: str = "",
                  to: Sequence[str], cc: Sequence[str] = (),
                  attachments: Sequence[Attachment] = (), draft: bool = False) -> Message:
    """The whole message; ``draft`` adds X-Unsent: 1 so Outlook opens the .eml ready to send."""
    from email.header import Header
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText
    from email.utils import formatdate, make_msgid

    msg = MIMEMultipart("mixed")
    msg["Subject"] = Header(_one_line(subject), "utf-8").encode()
    if sender:
        msg["From"] = _address(sender_name, sender)
    msg["To"] = ", ".join(to)
    if cc:
        msg["Cc"] = ", ".join(cc)
    msg["Date"] = formatdate(localtime=True)
    # a domain of our own: make_msgid() would otherwise ask DNS for this machine's FQDN
    domain = sender.rpartition("@")[2] if "@" in sender else "rectify-xl.invalid"
    msg["Message-ID"] = make_msgid(domain=domain)
    if draft:
        msg["X-Unsent"] = "1"
    msg.attach(MIMEText(body.replace("\r\n", "\n").replace("\n", "\r\n"), "plain", "utf-8"))
    for att in attachments:
        msg.attach(_attachment_part(att))
    return msg


def message_bytes(msg: Message) -> bytes:
    """The message with CRLF line ends (what Outlook and Foxmail expect in an .eml file)."""
    from email import policy
    from email.generator import BytesGenerator
    from io import BytesIO

    out = BytesIO()
    # maxheaderlen=0: no refolding, so a name= encoded-word never breaks inside its quotes
    BytesGenerator(out, mangle_from_=False, maxheaderlen=0,
                   policy=policy.compat32.clone(linesep="\r\n")).flatten(msg)
    return out.getvalue()


def write_eml(msg: Message, path: str | Path) -> Path:
    """Write the draft atomically (temp file beside it, then rename)."""
    return write_bytes_atomic(path, message_bytes(msg))


def _recipients(msg: Message) -> list[str]:
    from email.utils import getaddresses

    return [addr for _, addr in getaddresses(msg.get_all("To", []) + msg.get_all("Cc", [])) if addr]


def send_message(msg: Message, settings: MailSettings, password: Secret | None = None, *,
                 timeout: float = DEFAULT_TIMEOUT, ssl_context: ssl.SSLContext | None = None) -> None:
    """Deliver through the configured server; every failure becomes one Chinese MailError line."""
    import smtplib

    where = f"{settings.smtp_host}:{settings.port}"
    try:
        with _connect(settings, timeout, ssl_context) as smtp:
            if settings.user and password:
                _login(smtp, settings.user, password)
            # the same bytes as the .eml draft, not smtplib's own refolding of the headers
            refused = smtp.sendmail(settings.from_address, _recipients(msg), message_bytes(msg))
    except smtplib.SMTPAuthenticationError as exc:
        raise MailError(f"邮件服务器 {where} 拒绝登录：用户名或密码（授权码）不正确"
                        f"（{exc.smtp_code}）") from exc
    except smtplib.SMTPRecipientsRefused as exc:
        raise MailError(f"收件人地址被邮件服务器拒收：{'、'.join(exc.recipients)}") from exc
    except smtplib.SMTPSenderRefused as exc:
        raise MailError(f"发件人地址“{exc.sender}”被邮件服务器拒绝（{exc.smtp_code}）") from exc
    except smtplib.SMTPNotSupportedError as exc:
        raise MailError(f"邮件服务器 {where} {_unsupported(exc)}") from exc
    except ssl.SSLError as exc:
        raise MailError(f"与邮件服务器 {where} 建立加密连接失败（{_tls_reason(exc)}），"
                        f"{_CHECK_SECURITY}") from exc
    except (TimeoutError, smtplib.SMTPServerDisconnected) as exc:
        if _timed_out(exc):
            raise MailError(f"连接邮件服务器 {where} 超时（{timeout:g}秒内没有应答），"
                            f"请检查网络、“加密方式”和端口{_PORTS}") from exc
        raise MailError(f"邮件服务器 {where} 中断了连接，{_CHECK_SECURITY}") from exc
    except UnicodeError as exc:  # smtplib speaks ASCII; never echo exc.object (it may hold AUTH)
        raise MailError("邮件地址或用户名含有中文等非英文字符，邮件服务器无法接受，请检查“设置”表") from exc
    except smtplib.SMTPException as exc:
        raise MailError(f"邮件服务器 {where} 拒绝发送：{_short(exc)}") from exc
    except OSError as exc:
        raise MailError(f"无法连接邮件服务器 {where}（{_os_reason(exc)}），"
                        "请检查网络和“SMTP服务器”设置") from exc
    if refused:
        raise MailError(f"部分收件人被拒收：{'、'.join(refused)}；其余收件人已收到")
    _log.info("mail sent via %s to %d recipients", where, len(_recipients(msg)))


def _login(smtp: smtplib.SMTP, user: str, password: Secret) -> None:
    """smtplib encodes AUTH as ASCII; a non-ASCII password goes as UTF-8 AUTH PLAIN (RFC 4616)."""
    import smtplib
    from base64 import b64encode

    value = password.reveal()
    if user.isascii() and value.isascii():
        smtp.login(user, value)
        return
    smtp.ehlo_or_helo_if_needed()
    if not smtp.has_extn("auth"):  # as smtp.login would say: usually TLS is required first
        raise smtplib.SMTPNotSupportedError("SMTP AUTH extension not supported by server.")
    if "plain" not in smtp.esmtp_features.get("auth", "").lower().split():
        raise MailError("密码含有中文等非英文字符，而邮件服务器不支持这种登录方式，请改用授权码")
    token = b64encode(b"\0" + user.encode("utf-8") + b"\0" + value.encode("utf-8")).decode("ascii")
    code, resp = smtp.docmd("AUTH", "PLAIN " + token)
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, resp)


def _unsupported(exc: BaseException) -> str:
    """smtplib's three SMTPNotSupportedError cases, in Chinese with what to change."""
    text = str(exc)
    if "STARTTLS" in text:
        return "不支持 STARTTLS 加密，请把“加密方式”改为 SSL（端口一般为 465），或向管理员确认"
    if "AUTH" in text:
        return ("没有提供登录功能（很多服务器要求先加密再登录），"
                "请把“加密方式”改为 SSL 或 STARTTLS，或清空“用户名”")
    return f"不支持所需功能（{_short(exc)}），{_CHECK_SECURITY}"


def _timed_out(exc: BaseException) -> bool:
    """smtplib reports a read timeout as SMTPServerDisconnected raised from TimeoutError."""
    return isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError)


def _tls_reason(exc: ssl.SSLError) -> str:
    if isinstance(exc, ssl.SSLCertVerificationError):
        return "服务器证书无法验证"
    if exc.reason == "WRONG_VERSION_NUMBER":
        return "服务器没有用这种方式加密"
    return str(exc.reason or type(exc).__name__)


def _os_reason(exc: OSError) -> str:
    """The usual network failures in Chinese; anything else through files.os_reason."""
    import errno
    import socket

    if isinstance(exc, socket.gaierror):
        return "找不到该服务器地址"
    reasons = {errno.ECONNREFUSED: "连接被拒绝，服务器未开启或端口不对",
               errno.ENETUNREACH: "网络不通", errno.EHOSTUNREACH: "网络不通",
               errno.ECONNRESET: "连接被重置"}
    return reasons.get(exc.errno or 0) or os_reason(exc)


def _short(exc: BaseException) -> str:
    """A server reply for a message: code and first line only; never the login arguments."""
    code = getattr(exc, "smtp_code", None)
    error = getattr(exc, "smtp_error", None)
    if isinstance(error, bytes):
        text = error.decode("utf-8", "replace").splitlines()[0] if error else ""
        return f"{code} {text}".strip()
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]


def _connect(settings: MailSettings, timeout: float, context: ssl.SSLContext | None) -> smtplib.SMTP:
    import smtplib

    from rectify_xl.adapters.settings import SECURITY_SSL, SECURITY_STARTTLS

    host, port = settings.smtp_host, settings.port
    if settings.security == SECURITY_SSL:
        return smtplib.SMTP_SSL(host, port, timeout=timeout,
                                context=context or ssl.create_default_context())
    smtp = smtplib.SMTP(host, port, timeout=timeout)
    try:
        if settings.security == SECURITY_STARTTLS:
            smtp.ehlo()
            smtp.starttls(context=context or ssl.create_default_context())
            smtp.ehlo()
    except BaseException:
        smtp.close()
        raise
    return smtp
