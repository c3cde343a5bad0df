"""The ASGI middleware in front of every route: size limit, access token, host check, headers.

Pure ASGI (no BaseHTTPMiddleware) so an oversized upload is refused while it streams in, before
Starlette spools it to disk.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from rectify_xl.server.security import (
    SESSION_COOKIE,
    is_loopback,
    presented_token,
    session_valid,
    token_matches,
    token_required,
)

__all__ = ["SECURITY_HEADERS", "Guard", "GuardConfig"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
    (b"content-security-policy",
     b"default-src 'self'; img-src 'self' data: blob:; script-src 'self'; style-src 'self'; "
     b"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"),
]
# open without the token: the login page and the files it needs
_PUBLIC = ("/login", "/static/", "/healthz")


@dataclass(frozen=True)
class GuardConfig:
    bind_host: str
    token: str | None
    max_body: int


class _TooLarge(Exception):
    pass


class Guard:
    def __init__(self, app: ASGIApp, config: GuardConfig) -> None:
        self.app = app
        self.config = config

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        send = _with_headers(send)
        problem = self._refuse(scope, headers)
        if problem is not None:
            await _reply(scope, send, *problem)
            return
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.config.max_body:
            await _reply(scope, send, 413, _too_large(self.config.max_body))
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, _limited(receive, self.config.max_body), tracking_send)
        except _TooLarge:
            if not started:
                await _reply(scope, send, 413, _too_large(self.config.max_body))

    def _refuse(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str] | None:
        # DNS rebinding: a loopback server answers only to loopback names
        if is_loopback(self.config.bind_host) and not is_loopback(_hostname(headers.get("host"))):
            return 403, "此服务器只允许通过 127.0.0.1 或 localhost 访问"
        path = scope.get("path", "")
        if path.startswith("/api/") and "x-rectify-client" not in headers:
            # CSRF: a cross-site form cannot add a header, and a cross-site fetch that adds one
            # needs a CORS preflight this server never grants
            return 403, "请求来源不明：请从本服务器的网页上传文件"
        client = (scope.get("client") or ("", 0))[0]
        if path.startswith(_PUBLIC) or not token_required(self.config.bind_host, client):
            return None
        if self.config.token is None:
            return 403, "此服务器只允许本机访问"
        if token_matches(self.config.token, presented_token(headers)):
            return None
        if session_valid(self.config.token, _cookie(headers, SESSION_COOKIE), time.time()):
            return None
        if path == "/" and scope.get("method") == "GET":
            # the link printed at start-up carries the token once; index() turns it into a cookie
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            if token_matches(self.config.token, (query.get("token") or [None])[0]):
                return None
            return 303, "/login"
        return 401, "缺少或错误的访问口令：请向服务器管理员索取"


def _cookie(headers: dict[str, str], name: str) -> str | None:
    try:
        morsel = SimpleCookie(headers.get("cookie", "")).get(name)
    except Exception:  # http.cookies.CookieError on a malformed header: no session then
        return None
    return morsel.value if morsel is not None else None


def _hostname(host: str | None) -> str:
    """The name part of a Host header: "[::1]:8765" → "::1", "127.0.0.1:8765" → "127.0.0.1"."""
    host = host or ""
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0]


def _too_large(limit: int) -> str:
    return f"上传的文件过大（超过 {limit // 1_000_000} MB），已拒绝"


def _limited(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise _TooLarge
        return message

    return wrapped


def _with_headers(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            present = {k.lower() for k, _ in message.get("headers", [])}
            message["headers"] = [*message.get("headers", []),
                                  *((k, v) for k, v in SECURITY_HEADERS if k not in present)]
        await send(message)

    return wrapped


async def _reply(scope: Scope, send: Send, status: int, text: str) -> None:
    """JSON for the page's fetch calls, a redirect for the browser, plain text for Excel."""
    path = scope.get("path", "")
    if status == 303:
        headers = [(b"location", text.encode()), (b"content-length", b"0")]
        body = b""
    elif path.startswith("/api/"):
        body = json.dumps({"error": text}, ensure_ascii=False).encode("utf-8")
        headers = [(b"content-type", b"application/json")]
    else:
        body = text.encode("utf-8")
        headers = [(b"content-type", b"text/plain; charset=utf-8")]
    if status != 303:
        headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
