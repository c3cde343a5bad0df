"""Start the server with uvicorn: the token policy, the start-up lines, a clear "port in use"."""

from __future__ import annotations

import errno
import json
import os
import socket
import sys
from collections.abc import Callable
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from rectify_xl.errors import OutputError, os_reason
from rectify_xl.server.app import ServerConfig, create_app
from rectify_xl.server.security import is_loopback, load_or_create_token, token_path

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from rectify_xl.services.office_mail import OfficeMail

__all__ = ["app_from_env", "check_port", "serve", "start_lines"]


def check_port(host: str, port: int) -> None:
    """OutputError in one Chinese line when the address cannot be bound."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        # Windows' SO_REUSEADDR would let us bind a port another server holds
        option = getattr(socket, "SO_EXCLUSIVEADDRUSE", socket.SO_REUSEADDR)
        s.setsockopt(socket.SOL_SOCKET, option, 1)
        try:
            s.bind((host, port))
        except socket.gaierror as exc:
            raise OutputError(f"无法在 {host}:{port} 上启动服务器：找不到这个地址（请填写本机的 IP 地址）"
                              ) from exc
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise OutputError(f"端口 {port} 已被占用：服务器可能已在运行，或换一个 --port") from exc
            raise OutputError(f"无法在 {host}:{port} 上启动服务器：{os_reason(exc)}") from exc


def _tls_options(certfile: str | None, keyfile: str | None) -> dict[str, str]:
    """uvicorn's TLS options, after checking the files here: a PEM certificate (chain) and its key
    (or both in the certificate file)."""
    if not certfile:
        if keyfile:
            raise OutputError("只给了 --keyfile：请同时用 --certfile 指定证书文件")
        return {}
    import ssl

    for label, name in (("证书文件", certfile), ("私钥文件", keyfile)):
        if name and not os.path.isfile(name):
            raise OutputError(f"找不到{label}：{name}")
    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(certfile, keyfile)
    except ssl.SSLError as exc:
        raise OutputError(f"证书或私钥无法使用（格式不对，或二者不匹配）：{certfile}") from exc
    except OSError as exc:
        raise OutputError(f"无法读取证书或私钥：{os_reason(exc)}") from exc
    return {"ssl_certfile": certfile, **({"ssl_keyfile": keyfile} if keyfile else {})}


def _lan_address() -> str:
    """This PC's address on the office network, for the start-up line; a UDP "connect" sends
    nothing, it only asks the OS which interface it would use."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            address = str(s.getsockname()[0])
    except OSError:
        return "本机IP"
    return address if not address.startswith("127.") else "本机IP"


def start_lines(host: str, port: int, token: str | None, created: bool, *,
                show_token: bool = True) -> list[str]:
    """What `serve` prints. The token only once, and only to a terminal (a service's output is a log)."""
    shown = f"[{host}]" if ":" in host else host
    shown = _lan_address() if host in ("0.0.0.0", "::") else shown
    lines = [f"巡察整改台账服务器已启动：http://{shown}:{port}/", "按 Ctrl-C 停止。"]
    if token is None:
        lines.insert(1, "只允许本机访问（未启用访问口令）。")
        return lines
    if created and show_token:
        lines[1:1] = [
            f"已生成访问口令（只显示这一次，已保存在 {token_path()}）：",
            f"    {token}",
            f"同事可打开 http://{shown}:{port}/?token={token} 进入；",
            "Excel 服务器版工作簿：在每台电脑的 %USERPROFILE%\\.xlwings\\xlwings.conf 中加一行 "
            f"\"AUTH\",\"{token}\"。",
        ]
    elif created:
        lines.insert(1, f"已生成访问口令并保存在 {token_path()}（输出不是终端，未显示口令；请查看该文件）。")
    else:
        lines.insert(1, f"需要访问口令（保存在 {token_path()}，请向管理员索取）。")
    return lines


_CONFIG_ENV = "RECTIFY_XL_SERVER_CONFIG"  # hands the config to worker processes


def app_from_env() -> Starlette:
    """The app of one worker process (``--workers N``): config from the parent's environment.

    The token travels in the environment of the child processes only, never in a file or log.
    """
    from rectify_xl.services.jobs import start_run

    start_run()  # this worker process's own temp folder (the parent has one too)
    from rectify_xl.server.work import preload

    preload()
    data = json.loads(os.environ[_CONFIG_ENV])
    if data.get("mail"):
        from rectify_xl.services.office_mail import OfficeMail

        data["mail"] = OfficeMail(**{**data["mail"], "domains": tuple(data["mail"]["domains"])})
    return create_app(ServerConfig(**data))


def serve(*, host: str = "127.0.0.1", port: int = 8765, max_upload_mb: int = 20,
          time_limit: float = 120.0, workers: int = 1, mail: OfficeMail | None = None,
          certfile: str | None = None, keyfile: str | None = None,
          session_hours: float = 12.0, kept_hours: float = 72.0, kept_quota_mb: int = 500,
          echo: Callable[[str], None] = print) -> None:
    """Run until Ctrl-C. A non-loopback address needs the token (created on first start).

    workers > 1 runs that many processes on one socket (uvicorn's supervisor): the work is
    CPU-bound Python, so threads of one process share one core.
    """
    import uvicorn

    if mail is not None:
        from rectify_xl.services.office_mail import check_office_mail

        check_office_mail(mail)
    tls = _tls_options(certfile, keyfile)
    check_port(host, port)  # first: a start that fails must not use up the one showing of a new token
    token, created = (None, False) if is_loopback(host) else load_or_create_token()
    config = ServerConfig(host=host, port=port, token=token, max_upload_mb=max_upload_mb,
                          time_limit=time_limit, mail=mail, session_hours=session_hours,
                          kept_hours=kept_hours, kept_quota_mb=kept_quota_mb)
    for line in start_lines(host, port, token, created, show_token=sys.stdout.isatty()):
        echo(line.replace("http://", "https://") if tls else line)
    options: dict[str, Any] = {"host": host, "port": port, "log_level": "warning",
                               "timeout_graceful_shutdown": 5, "server_header": False, **tls}
    if workers <= 1:
        from rectify_xl.server.work import preload

        preload()  # before any job is forked from this process
        uvicorn.run(create_app(config), **options)
        return
    fields = {k: v for k, v in asdict(config).items() if k != "today"}
    os.environ[_CONFIG_ENV] = json.dumps(fields)
    uvicorn.run("rectify_xl.server.run:app_from_env", factory=True, workers=workers, **options)
