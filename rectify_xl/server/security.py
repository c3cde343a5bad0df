"""Access policy of the office server: who needs the token, where it lives, how it is compared.

A server bound to loopback serves only this PC and needs no token. Bound to anything else it
serves the office network, so every request must present the token, which is generated on the
first such start (``secrets.token_urlsafe``), printed once, and kept outside the web root in the
user's config folder with mode 0600. Comparison is constant-time (``hmac.compare_digest``).

The browser never keeps the token: logging in with it creates a session, a cookie holding a
random id, its expiry and an HMAC over both keyed from the token. Signed rather than stored, so
every worker process (``--workers N``) accepts it without shared state; a new token ends every
session. The cookie is HttpOnly, SameSite=Strict, and Secure when the server speaks HTTPS.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import secrets
from pathlib import Path

from rectify_xl.errors import OutputError, os_reason
from rectify_xl.server.files import user_path

__all__ = [
    "SESSION_COOKIE",
    "SESSION_HOURS",
    "TOKEN_COOKIE",
    "TOKEN_ENV",
    "is_loopback",
    "load_or_create_token",
    "new_session",
    "presented_token",
    "session_valid",
    "token_matches",
    "token_path",
    "token_required",
]

TOKEN_ENV = "RECTIFY_XL_SERVER_TOKEN_FILE"  # tests and services point the token file elsewhere
TOKEN_COOKIE = "rectify_xl_token"  # the old cookie that held the token itself: never accepted
SESSION_COOKIE = "rectify_xl_session"
SESSION_HOURS = 12.0  # a working day; then the token is asked for again
_TOKEN_BYTES = 32


def token_path() -> Path:
    """Where the token is stored: $RECTIFY_XL_SERVER_TOKEN_FILE, else the user's config folder."""
    return user_path(TOKEN_ENV, "config", "server-token")


def load_or_create_token(path: Path | None = None) -> tuple[str, bool]:
    """The stored token, or a new one written with mode 0600; returns (token, created)."""
    path = path or token_path()
    try:
        text = path.read_text(encoding="ascii").strip()
        if text:
            return text, False
    except FileNotFoundError:
        pass
    except (OSError, UnicodeDecodeError) as exc:
        reason = os_reason(exc) if isinstance(exc, OSError) else "文件内容不是口令"
        raise OutputError(f"无法读取访问口令文件“{path}”：{reason}") from exc
    token = secrets.token_urlsafe(_TOKEN_BYTES)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # O_EXCL: two servers starting at once must not overwrite each other's token
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return load_or_create_token(path)
    except OSError as exc:
        raise OutputError(f"无法保存访问口令文件“{path}”：{os_reason(exc)}") from exc
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(token + "\n")
    return token, True


def is_loopback(host: str | None) -> bool:
    """True for 127.0.0.0/8, ::1 and "localhost"; False for 0.0.0.0, LAN addresses, names."""
    if not host:
        return False
    host = host.strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def token_required(bind_host: str, client_host: str | None) -> bool:
    """Every request needs the token unless both the server and the client are on loopback.

    A loopback-bound server still checks the client: behind a reverse proxy or a port forward a
    request can arrive from elsewhere, and then it must prove it holds the token too.
    """
    return not (is_loopback(bind_host) and is_loopback(client_host))


def presented_token(headers: dict[str, str] | object, cookies: dict[str, str] | None = None
                    ) -> str | None:
    """The token a request carries: ``Authorization: Bearer T`` or ``Authorization: T``
    (xlwings' AUTH setting sends the raw value). Cookies never carry the token."""
    auth = headers.get("authorization") if hasattr(headers, "get") else None
    if auth:
        scheme, _, rest = auth.partition(" ")
        return rest.strip() if scheme.lower() == "bearer" and rest else auth.strip()
    return None


def _session_key(token: str) -> bytes:
    return hmac.new(token.encode("utf-8"), b"rectify-xl session v1", "sha256").digest()


def _signature(token: str, body: str) -> str:
    return hmac.new(_session_key(token), body.encode("ascii"), "sha256").hexdigest()


def new_session(token: str, now: float, hours: float = SESSION_HOURS) -> str:
    """A session cookie value: random id, expiry (Unix seconds), signature."""
    body = f"{secrets.token_urlsafe(24)}.{int(now + hours * 3600)}"
    return f"{body}.{_signature(token, body)}"


def session_valid(token: str | None, value: str | None, now: float) -> bool:
    if not token or not value or len(value) > 200:
        return False
    body, _, signature = value.rpartition(".")
    _, _, expiry = body.rpartition(".")
    if not expiry.isdigit() or int(expiry) < now:
        return False
    return hmac.compare_digest(_signature(token, body).encode(), signature.encode("ascii", "replace"))


def token_matches(expected: str | None, presented: str | None) -> bool:
    """Constant-time comparison; no token configured means nothing matches."""
    if not expected or not presented:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), presented.encode("utf-8"))
