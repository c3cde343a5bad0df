"""A real SMTP server on 127.0.0.1 for the mail tests (aiosmtpd), with optional AUTH and TLS.

Certificates are made per test session by trustme (a throwaway CA); nothing is committed.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from tests.conftest import free_port

USER = "office@example.gov.cn"
PASSWORD = "Pw-授权码-9f3Kq"  # deliberately odd, so a leak is easy to spot
REFUSED = "nobody@example.gov.cn"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return BytesParser(policy=policy.default).parsebytes(self.data)  # type: ignore[return-value]


@dataclass
class Server:
    host: str
    port: int
    received: list[Received] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


class _Handler:
    def __init__(self, server: Server) -> None:
        self.server = server

    async def handle_RCPT(self, smtp: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address == REFUSED:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, smtp: Any, session: Any, envelope: Any) -> str:
        self.server.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                             bytes(envelope.original_content or envelope.content)))
        return "250 Message accepted"


def _authenticator(server: Server) -> Any:
    from aiosmtpd.smtp import AuthResult, LoginPassword

    def check(smtp: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = (isinstance(data, LoginPassword) and data.login.decode() == USER
              and data.password.decode() == PASSWORD)
        if ok:
            server.logins.append(USER)
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535

    return check


@dataclass
class Tls:
    """A throwaway CA and a server certificate for 127.0.0.1 / localhost."""

    ca_pem: Path
    server_context: ssl.SSLContext

    def client_context(self) -> ssl.SSLContext:
        ctx = ssl.create_default_context()
        ctx.load_verify_locations(cafile=str(self.ca_pem))
        return ctx


def make_tls(folder: Path) -> Tls:
    import trustme

    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(server_ctx)
    pem = folder / "test-ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    return Tls(pem, server_ctx)


@contextmanager
def smtp_server(*, auth: bool = False, starttls: Tls | None = None,
                implicit_tls: Tls | None = None) -> Iterator[Server]:
    """aiosmtpd on a free loopback port: plain, AUTH, STARTTLS (required) or implicit TLS."""
    from aiosmtpd.controller import Controller

    server = Server("127.0.0.1", free_port())
    kwargs: dict[str, Any] = {}
    if auth:
        # aiosmtpd does not see implicit TLS as TLS for auth_require_tls, so only STARTTLS asks
        kwargs.update(authenticator=_authenticator(server), auth_required=True,
                      auth_require_tls=starttls is not None)
    if starttls is not None:
        kwargs.update(tls_context=starttls.server_context, require_starttls=True)
    if implicit_tls is not None:
        kwargs.update(ssl_context=implicit_tls.server_context)
    controller = Controller(_Handler(server), hostname=server.host, port=server.port, **kwargs)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()


@contextmanager
def silent_server() -> Iterator[int]:
    """A port that accepts TCP connections and never greets: the client must time out."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        yield int(s.getsockname()[1])


def write_ledger(path: Path, *, settings: dict[str, object] | None = None,
                 history: list[list[object]] | None = None, records: Any = None) -> Path:
    """The sample ledger as a plain .xlsx (openpyxl), with a 设置 sheet and 进度历史 if given."""
    from openpyxl import load_workbook

    from rectify_xl.core.schema import SHEETS
    from tests.conftest import sample_records_copy, write_xlsx_openpyxl

    write_xlsx_openpyxl(path, records or sample_records_copy())
    if settings is None and history is None:
        return path
    wb = load_workbook(path)
    if settings is not None:
        ws = wb.create_sheet(SHEETS.SETTINGS)
        ws.append(["项目", "内容", "说明"])
        for label, value in settings.items():
            ws.append([label, value])
    if history is not None:
        ws = wb.create_sheet(SHEETS.HISTORY)
        for row in history:
            ws.append(row)
    wb.save(path)
    return path


def sent_settings(server: Server, *, security: str = "无", user: str = "") -> dict[str, object]:
    """A 设置 sheet pointing at the test server."""
    return {"收件人": "xcb@example.gov.cn; jw@example.gov.cn", "抄送": "zzb@example.gov.cn",
            "发件人姓名": "县委政法委办公室", "发件人地址": USER, "SMTP服务器": server.host,
            "SMTP端口": server.port, "加密方式": security, "用户名": user}
