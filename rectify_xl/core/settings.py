"""The settings object: what a unit may tune, read from the 设置 sheet, then the user's config
file, then these defaults (services.settings reads the layers; this module checks the values).

Every setting is defined once: its name, label and description in ``schema.SETTINGS_FIELDS``
(the 设置 sheet's rows), its default, parser and warning code in ``RUN_SETTINGS`` below.
设置 is an optional sheet, so a value that cannot be used never stops a command: it becomes a
warning finding at its cell (``Settings.problems``) and the next layer's value (or the default)
is used. Mail settings keep their own reader (adapters.settings): a mail cannot go out with a
wrong server or address, so those stop the mail action only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rectify_xl.core.contact import is_email
from rectify_xl.core.schedule import DEFAULT_MARGIN, parse_percent
from rectify_xl.core.schema import SETTINGS_FIELDS
from rectify_xl.errors import InputError

__all__ = ["DEFAULT_DUE_DAYS", "DUE_DAYS_LIMIT", "RUN_SETTINGS", "Layer", "SettingDef",
           "SettingProblem", "Settings", "check_contacts", "settings_from"]

DUE_DAYS_LIMIT = 366  # a window beyond a year makes every measure "due soon"
DEFAULT_DUE_DAYS = 14


def _days(raw: object) -> int:
    text = str(raw).strip().removesuffix("天").strip()
    if isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    if not text.isdigit() or not 0 <= int(text) <= DUE_DAYS_LIMIT:
        raise ValueError(f"不是 0–{DUE_DAYS_LIMIT} 的整数天数")
    return int(text)


def _margin(raw: object) -> float:
    fraction, _ = parse_percent(raw)
    if fraction is None:
        raise ValueError("不是百分比（如 20%）")
    return fraction


def _pct(fraction: float) -> str:
    return f"{fraction * 100:.0f}%"


@dataclass(frozen=True)
class SettingDef:
    """One run setting: the Settings attribute (= the schema field's key), its default, how a
    cell or config value is read (ValueError with a Chinese reason when it cannot be), how a
    value is shown in a message, and the warning code of an unusable value."""

    key: str
    default: Any
    parse: Callable[[object], Any]
    show: Callable[[Any], str]
    code: str

    @property
    def label(self) -> str:
        return next(f.label for f in SETTINGS_FIELDS if f.key == self.key)


RUN_SETTINGS: tuple[SettingDef, ...] = (
    SettingDef("due_days", DEFAULT_DUE_DAYS, _days, lambda d: f"{d}天", "RX970"),
    SettingDef("schedule_margin", DEFAULT_MARGIN, _margin, _pct, "RX327"),
)

@dataclass(frozen=True)
class SettingProblem:
    """A value that could not be used: where it is, and what the warning says
    (core.rules.settings_values turns it into a finding with ``code``)."""

    code: str
    sheet: str  # the 设置 sheet's name, or the config file's layer name
    cell: str | None
    label: str
    value: str
    reason: str  # Chinese: what is wrong with it
    used: str  # the value used instead, as shown to the user


@dataclass(frozen=True)
class Settings:
    due_days: int = DEFAULT_DUE_DAYS  # a measure not yet closed is 临期 this many days before its deadline
    schedule_margin: float = DEFAULT_MARGIN  # 序时进度 lag beyond this fraction is reported
    # 联系人 table of the 设置 sheet: (部门, 邮箱) pairs, checked by check_contacts
    contacts: tuple[tuple[str, str], ...] = ()
    problems: tuple[SettingProblem, ...] = ()  # warnings: values that could not be used (see above)


@dataclass(frozen=True)
class Layer:
    """One source of values: ``sheet`` names it in a finding (the 设置 sheet's name, or
    "用户配置文件"), ``cells`` gives each key's cell where it has one."""

    sheet: str
    values: Mapping[str, object]
    cells: Mapping[str, str] | None = None


def settings_from(layers: Sequence[Layer]) -> Settings:
    """The first layer that gives a usable value wins; an unusable one is a warning and the
    next layer (or the default) decides."""
    chosen: dict[str, Any] = {}
    problems: list[SettingProblem] = []
    for definition in RUN_SETTINGS:
        bad: list[tuple[Layer, object, str]] = []
        for layer in layers:
            raw = layer.values.get(definition.key)
            if raw is None or str(raw).strip() == "":
                continue
            try:
                chosen[definition.key] = definition.parse(raw)
                break
            except ValueError as exc:
                bad.append((layer, raw, str(exc)))
        used = definition.show(chosen.get(definition.key, definition.default))
        for layer, raw, reason in bad:
            cell = (layer.cells or {}).get(definition.key)
            problems.append(SettingProblem(definition.code, layer.sheet, cell, definition.label,
                                           str(raw).strip(), reason, used))
    return Settings(**chosen, problems=tuple(problems))


# one address, no whitespace (so no CR/LF reaches a mail header), no list separators; compiled
# when there are contacts to check (≈ 2 ms: \s in a negated class)


def check_contacts(entries: Sequence[tuple[str, str, str]], where: str) -> tuple[tuple[str, str], ...]:
    """(部门, 邮箱, cell) rows → (部门, 邮箱) pairs; a malformed address is an error at its cell.
    A department listed without an address simply has none (its letter is not mailed)."""
    out: dict[str, str] = {}
    for dept, address, cell in entries:
        dept, address = " ".join(dept.split()), address.strip()
        if not dept:
            raise InputError(f"{where}{cell}的邮箱“{address}”没有对应的部门：请在左侧填写部门名称")
        if address and not is_email(address):
            raise InputError(f"{where}{cell}中“{dept}”的邮箱“{address}”不是有效的邮件地址")
        if address:
            out.setdefault(dept, address)
    return tuple(out.items())
