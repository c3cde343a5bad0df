"""Mail settings: the workbook's 设置 sheet (labels in column A, values in B), then CLI options.

No password is read from here, ever (see adapters.secrets); a 密码/授权码 row in the sheet is
ignored and dropped from every copy that leaves the machine (adapters.xlsx_copy).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from rectify_xl.core.model import Grid
from rectify_xl.core.parse import cell_text
from rectify_xl.core.schema import SETTINGS_FIELDS, SETTINGS_SECURITY, SHEETS
from rectify_xl.errors import InputError

__all__ = [
    "SECURITY_NONE",
    "SECURITY_SSL",
    "SECURITY_STARTTLS",
    "MailSettings",
    "is_sensitive_label",
    "load_settings",
    "parse_security",
    "settings_from_grid",
    "split_addresses",
]

SECURITY_SSL, SECURITY_STARTTLS, SECURITY_NONE = SETTINGS_SECURITY
_DEFAULT_PORTS = {SECURITY_SSL: 465, SECURITY_STARTTLS: 587, SECURITY_NONE: 25}
_ADDRESS_SPLIT = re.compile(r"[;,；，、\s]+")
_SENSITIVE = re.compile(r"密码|口令|授权码|密钥|pass|pwd|secret|token|api.?key", re.IGNORECASE)
_YES = frozenset({"是", "y", "yes", "true", "1", "加密", "√"})


def is_sensitive_label(label: object) -> bool:
    """A 设置 row that holds a credential by its label (授权码 is what QQ/163 mail call it)."""
    return bool(_SENSITIVE.search(cell_text(label)))


def split_addresses(text: object) -> tuple[str, ...]:
    """'a@x.cn; b@y.cn，c@z.cn' → three addresses (staff type Chinese separators too)."""
    return tuple(a for a in _ADDRESS_SPLIT.split(cell_text(text)) if a)


def parse_security(text: object) -> str:
    raw = cell_text(text).upper().replace(" ", "")
    if raw in {"", SECURITY_SSL, "SSL/TLS", "TLS"}:
        return SECURITY_SSL
    if raw in {SECURITY_STARTTLS, "START-TLS"}:
        return SECURITY_STARTTLS
    if raw in {SECURITY_NONE, "NONE", "否", "不加密", "PLAIN"}:
        return SECURITY_NONE
    raise InputError(f"“加密方式”应为 {' / '.join(SETTINGS_SECURITY)}，而不是“{cell_text(text)}”")


@dataclass(frozen=True)
class MailSettings:
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    sender_name: str = ""
    sender: str = ""
    smtp_host: str = ""
    smtp_port: int | None = None
    security: str = SECURITY_SSL
    user: str = ""
    encrypt: bool = False

    @property
    def port(self) -> int:
        return self.smtp_port or _DEFAULT_PORTS[self.security]

    @property
    def can_send(self) -> bool:
        return bool(self.smtp_host)

    @property
    def from_address(self) -> str:
        return self.sender or self.user

    def with_overrides(self, **overrides: Any) -> MailSettings:
        """CLI options win over the sheet; None and empty tuples mean "not given"."""
        known = {f.name for f in fields(self)}
        given = {k: v for k, v in overrides.items() if k in known and v not in (None, ())}
        if "smtp_host" in given and ":" in str(given["smtp_host"]):
            host, port = _host_port(str(given["smtp_host"]))
            given["smtp_host"] = host
            given.setdefault("smtp_port", port)
        return replace(self, **given)


def _host_port(text: str) -> tuple[str, int | None]:
    host, colon, port = text.strip().rpartition(":")
    if not colon:
        return port, None
    if not host.strip():
        raise InputError(f"SMTP服务器“{text.strip()}”缺少服务器地址，应类似 smtp.163.com:465")
    return host.strip().strip("[]"), _port(port)  # [::1]:25 → ::1


def _port(text: object) -> int | None:
    raw = cell_text(text)
    if not raw:
        return None
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise InputError(f"SMTP端口“{raw}”不是有效的端口号（1–65535）")
    return int(raw)


def _values(grid: Grid) -> dict[str, str]:
    by_label = {f.label: f.key for f in SETTINGS_FIELDS}
    values: dict[str, str] = {}
    for row in grid.rows:
        if not row:
            continue
        key = by_label.get(cell_text(row[0]).rstrip("：:*＊"))
        if key and len(row) > 1:
            values[key] = cell_text(row[1])
    return values


def settings_from_grid(grid: Grid | None) -> MailSettings:
    """The 设置 sheet as MailSettings; a missing sheet gives the defaults."""
    values = {f.key: f.default for f in SETTINGS_FIELDS}
    if grid is not None:
        values.update({k: v for k, v in _values(grid).items() if v})
    host, port = values.get("smtp_host", ""), _port(values.get("smtp_port"))
    if ":" in host:
        host, host_port = _host_port(host)
        port = port or host_port
    return MailSettings(
        to=split_addresses(values.get("to")),
        cc=split_addresses(values.get("cc")),
        sender_name=values.get("sender_name", ""),
        sender=values.get("sender", ""),
        smtp_host=host,
        smtp_port=port,
        security=parse_security(values.get("security")),
        user=values.get("user", ""),
        encrypt=cell_text(values.get("encrypt")).lower() in _YES,
    )


def load_settings(path: str | Path | None = None, grids: Mapping[str, Grid] | None = None,
                  **overrides: Any) -> MailSettings:
    """Read 设置 from the workbook (or already-read grids), then apply CLI overrides."""
    if grids is None and path is not None:
        from rectify_xl.adapters.xlsx_reader import read_grids

        grids = read_grids(path, {SHEETS.SETTINGS})
    base = settings_from_grid((grids or {}).get(SHEETS.SETTINGS))
    return base.with_overrides(**overrides)
