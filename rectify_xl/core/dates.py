"""Dates as staff type them, and dates as official documents write them.

Pure functions; "today" is always passed in.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

__all__ = [
    "DateParse",
    "format_cn",
    "format_cn_range",
    "is_plausible",
    "parse_date",
    "parse_period",
]

_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01, with Excel's 1900 leap-year bug
# Serials between 1982 and 2118: outside that a number in a date cell is not a date.
_SERIAL_MIN, _SERIAL_MAX = 30000, 80000

_PATTERNS = (
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$"),  # 31号: spoken form
    re.compile(r"^(\d{4})[./\-](\d{1,2})[./\-](\d{1,2})"
               r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９．／－", "0123456789./-")


class DateParse:
    """The outcome of reading one cell: a date, nothing, or text that is not a date."""

    __slots__ = ("raw", "value")

    def __init__(self, value: date | None, raw: str = "") -> None:
        self.value = value
        self.raw = raw

    @property
    def ok(self) -> bool:
        return self.value is not None or not self.raw

    @property
    def empty(self) -> bool:
        return self.value is None and not self.raw

    def __repr__(self) -> str:
        return f"DateParse({self.value!r}, raw={self.raw!r})"


def parse_date(value: object) -> DateParse:
    """Read a date from a cell value: date objects, Excel serials, or text in common forms.

    Accepted text: 2021年7月31日 (or 31号), 2021.7.31, 2021/7/31, 2021-07-31, 20210731, and ISO date-times
    as the xlwings client sends them. Anything else is returned as raw text with no value.
    """
    if value is None:
        return DateParse(None)
    if isinstance(value, datetime):
        return DateParse(value.date())
    if isinstance(value, date):
        return DateParse(value)
    if isinstance(value, bool):
        return DateParse(None, str(value))
    if isinstance(value, int | float):
        return _from_serial(value)
    text = str(value).strip().translate(_FULLWIDTH_DIGITS)
    if not text:
        return DateParse(None)
    for pattern in _PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                return DateParse(date(int(m[1]), int(m[2]), int(m[3])))
            except ValueError:
                return DateParse(None, str(value).strip())
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return _from_serial(float(text))
    return DateParse(None, str(value).strip())


def _from_serial(number: float) -> DateParse:
    if _SERIAL_MIN <= number <= _SERIAL_MAX:
        return DateParse(_EXCEL_EPOCH + timedelta(days=int(number)))
    if float(number).is_integer() and 19000101 <= number <= 21001231:
        # 20210731 typed into a number cell: Excel stores it as a number, not as text
        return parse_date(str(int(number)))
    return DateParse(None, _number_text(number))


def _number_text(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def is_plausible(d: date) -> bool:
    """Dates in a rectification ledger lie in this century; 1900 or 2201 is a typing slip."""
    return 2000 <= d.year <= 2100


def format_cn(d: date, *, with_year: bool = True) -> str:
    """2021年3月11日 (no leading zeros, GB/T 9704 7.3.5.4 style Arabic numerals)."""
    return f"{d.year}年{d.month}月{d.day}日" if with_year else f"{d.month}月{d.day}日"


def format_cn_range(start: date, end: date) -> str:
    """2021年3月11日至4月25日: the year is dropped the second time within one year."""
    return f"{format_cn(start)}至{format_cn(end, with_year=start.year != end.year)}"


_DAY = r"(?:(\d{4})\s*[年./\-]\s*)?(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*[日号]?"
_PERIOD = re.compile(rf"^\s*{_DAY}\s*(?:至|到|—+|–|-|~|～|－)\s*{_DAY}\s*$")


def parse_period(value: object) -> tuple[date, date] | None:
    """'2021年3月11日至4月25日' (or 2021.3.11-2021.4.25, 3月11日至4月25日 after a year) → the
    two days; None unless both ends are whole days in order (2021年3月至4月 is not: no day)."""
    if not isinstance(value, str):
        return None
    m = _PERIOD.match(value.translate(_FULLWIDTH_DIGITS))
    if not m or m.group(1) is None:
        return None
    y1, m1, d1, y2, m2, d2 = m.groups()
    year2 = int(y2) if y2 else int(y1) + (int(m2) < int(m1))  # 12月1日至1月15日: the next year
    try:
        start, end = date(int(y1), int(m1), int(d1)), date(year2, int(m2), int(d2))
    except ValueError:
        return None
    return (start, end) if start <= end and is_plausible(start) and is_plausible(end) else None
