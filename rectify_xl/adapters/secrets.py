"""The SMTP password: from the environment, the OS keyring or a prompt; never stored.

The value travels wrapped in ``Secret`` so that a repr, an f-string, a log record or an
exception message shows ``******`` instead of it; only the SMTP login calls ``reveal()``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping

__all__ = [
    "ENV_PASSWORD",
    "KEYRING_SERVICE",
    "Secret",
    "keyring_account",
    "keyring_password",
    "smtp_password",
]

ENV_PASSWORD = "RECTIFY_SMTP_PASSWORD"
KEYRING_SERVICE = "rectify-xl-smtp"
_log = logging.getLogger(__name__)


class Secret:
    """A string that does not print itself."""

    __slots__ = ("_value", "source")

    def __init__(self, value: str, source: str = "") -> None:
        self._value = value
        self.source = source  # 环境变量 | 系统钥匙串 | 输入 (for messages; never the value)

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "Secret('******')"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return "******"

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("Secret cannot be pickled")


def keyring_account(user: str, host: str) -> str:
    return f"{user}@{host}"


def keyring_password(user: str, host: str) -> Secret | None:
    """The password saved with ``keyring set rectify-xl-smtp USER@HOST``, if any backend has it."""
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        return None
    try:
        value = keyring.get_password(KEYRING_SERVICE, keyring_account(user, host))
    except KeyringError as exc:
        # No backend on a headless machine is normal; the exception never carries the value.
        _log.debug("keyring unavailable: %s", type(exc).__name__)
        return None
    except Exception as exc:  # third-party backends raise anything (dbus, locked wallet)
        _log.debug("keyring failed: %s", type(exc).__name__)
        return None
    return Secret(value, "系统钥匙串") if value else None


def smtp_password(user: str, host: str, *, env: Mapping[str, str] | None = None,
                  use_keyring: bool = True,
                  prompt: Callable[[str], str | None] | None = None) -> Secret | None:
    """Environment variable, then keyring, then ``prompt(question)``; None when none has it."""
    env = os.environ if env is None else env
    value = env.get(ENV_PASSWORD, "")
    if value:
        return Secret(value, "环境变量")
    if use_keyring and user and host:
        found = keyring_password(user, host)
        if found:
            return found
    if prompt is not None:
        typed = prompt(f"请输入邮箱 {user} 的密码（或授权码）")
        if typed:
            return Secret(typed, "输入")
    return None
