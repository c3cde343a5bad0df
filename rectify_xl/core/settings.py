"""The settings object: what a unit may tune, read from the 设置 sheet, then the user's config
file, then these defaults (services.settings reads them; this module only checks values).

Mail settings keep their own reader (adapters.settings) because their password rules differ.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rectify_xl.core.schema import SETTINGS_FIELDS
from rectify_xl.errors import InputError

__all__ = ["DUE_DAYS_LIMIT", "Settings", "check_contacts", "settings_from"]

DUE_DAYS_LIMIT = 366  # a window beyond a year makes every measure "due soon"


@dataclass(frozen=True)
class Settings:
    due_days: int = 14  # a measure not yet closed is 临期 this many days before its deadline
    # 联系人 table of the 设置 sheet: (部门, 邮箱) pairs, checked by check_contacts
    contacts: tuple[tuple[str, str], ...] = ()


# one address, no whitespace (so no CR/LF reaches a mail header), no list separators
_ADDRESS = re.compile(r"^[^@\s,;，；<>\"]+@[^@\s,;，；<>\"]+\.[^@\s,;，；<>\"]+$")


def check_contacts(entries: Sequence[tuple[str, str, str]], where: str) -> tuple[tuple[str, str], ...]:
    """(部门, 邮箱, cell) rows → (部门, 邮箱) pairs; a malformed address is an error at its cell.
    A department listed without an address simply has none (its letter is not mailed)."""
    out: dict[str, str] = {}
    for dept, address, cell in entries:
        dept, address = " ".join(dept.split()), address.strip()
        if not dept:
            raise InputError(f"{where}{cell}的邮箱“{address}”没有对应的部门：请在左侧填写部门名称")
        if address and not _ADDRESS.match(address):
            raise InputError(f"{where}{cell}中“{dept}”的邮箱“{address}”不是有效的邮件地址")
        if address:
            out.setdefault(dept, address)
    return tuple(out.items())


_LABELS = {f.key: f.label for f in SETTINGS_FIELDS}


def _days(raw: object, where: str) -> int:
    text = str(raw).strip().removesuffix("天").strip()
    if isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    if not text.isdigit() or not 0 <= int(text) <= DUE_DAYS_LIMIT:
        label = _LABELS.get("due_days", "临期提醒天数")
        raise InputError(f"{where}的“{label}”应为 0–{DUE_DAYS_LIMIT} 的整数天数，而不是“{raw}”")
    return int(text)


def settings_from(layers: list[tuple[str, Mapping[str, object]]]) -> Settings:
    """The first layer that gives a value wins; each layer is (where, key → value) and ``where``
    names it in a message (e.g. "设置表", "用户配置文件 ~/.rectify-xl/config.toml")."""
    values: dict[str, tuple[str, object]] = {}
    for where, layer in reversed(layers):
        for key, value in layer.items():
            if value is not None and str(value).strip() != "":
                values[key] = (where, value)
    out = Settings()
    if "due_days" in values:
        where, raw = values["due_days"]
        out = Settings(due_days=_days(raw, where))
    return out
