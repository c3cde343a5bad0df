"""The units' addresses for 催报 (issue 18): a 名单 workbook or text file with 单位, 邮箱, 联系人.

The same 名单 `merge --units` reads (a column 单位 / 被巡察单位 / 单位名称); the mail address and
the contact person are taken from columns of their own when present. A text or .csv file has one
unit a line: 单位, 邮箱, 联系人 separated by commas or tabs.
"""

from __future__ import annotations

import re
from pathlib import Path

from rectify_xl.core.chase import Contact
from rectify_xl.errors import InputError

__all__ = ["read_contacts"]

_UNIT = ("单位", "被巡察单位", "单位名称", "被巡察党组织")
_MAIL = ("邮箱", "电子邮箱", "邮件地址", "电子邮件", "email", "e-mail", "联系邮箱", "邮箱地址")
_PERSON = ("联系人", "联络员", "联系人姓名", "经办人")
_SPLIT = re.compile(r"[,\t，]")
_ADDRESS = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")


def _index(row: list[object], names: tuple[str, ...]) -> int | None:
    from rectify_xl.core.parse import normalize_header

    for c, v in enumerate(row):
        if normalize_header(v).lower() in names:
            return c
    return None


def _contact(address: str, person: str, unit: str, where: str) -> Contact:
    address = address.strip()
    if address and not _ADDRESS.match(address):
        raise InputError(f"名单{where}中“{unit}”的邮箱“{address}”不是有效的邮件地址")
    return Contact(address, person.strip())


def read_contacts(path: Path) -> dict[str, Contact]:
    """unit name → Contact (address and person may be empty)."""
    if not path.is_file():
        raise InputError(f"找不到单位名单：{path}")
    from rectify_xl.core.parse import cell_text

    if path.suffix.lower() in (".txt", ".csv"):
        from rectify_xl.adapters.inputs import unit_list_text

        rows: list[list[object]] = [[p.strip() for p in _SPLIT.split(line)]
                                    for line in unit_list_text(path).splitlines() if line.strip()]
    else:
        from rectify_xl.adapters.xlsx_reader import read_grids

        grids = read_grids(path)
        rows = next(iter(grids.values())).rows if grids else []
    unit_c, start = 0, 0
    mail_c: int | None = 1
    person_c: int | None = 2
    for r, row in enumerate(rows[:5]):
        hit = _index(row, _UNIT)
        if hit is not None:
            unit_c, start = hit, r + 1
            mail_c, person_c = _index(row, _MAIL), _index(row, _PERSON)
            break
    out: dict[str, Contact] = {}
    for r, row in enumerate(rows[start:], start=start + 1):
        def get(c: int | None, row: list[object] = row) -> str:
            return cell_text(row[c]) if c is not None and c < len(row) else ""

        unit = get(unit_c)
        if unit:
            out[unit] = _contact(get(mail_c), get(person_c), unit, f"第{r}行")
    return out
