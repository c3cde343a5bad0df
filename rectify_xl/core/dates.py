"""Dates as staff type them, and dates as official documents write them.

Pure functions; "today" is always passed in.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from rectify_xl.core.lazy_re import lazy_compile
from rectify_xl.core.numbering import parse_cn_numeral

__all__ = [
    "DateParse",
    "format_cn",
    "format_cn_range",
    "is_plausible",
    "parse_date",
    "parse_period",
    "read_deadline_words",
    "read_relative_deadline",
    "read_yearless_deadline",
]

_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01, with Excel's 1900 leap-year bug
# Serials between 1982 and 2118: outside that a number in a date cell is not a date.
_SERIAL_MIN, _SERIAL_MAX = 30000, 80000

_PATTERNS = (
    lazy_compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$"),  # 31号: spoken form
    lazy_compile(r"^(\d{4})[./\-](\d{1,2})[./\-](\d{1,2})"
               r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"),
    lazy_compile(r"^(\d{4})(\d{2})(\d{2})$"),
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
_PERIOD = lazy_compile(rf"^\s*{_DAY}\s*(?:至|到|—+|–|-|~|～|－)\s*{_DAY}\s*$")


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


# 完成时限 as units write it when it is not one day: 2024年6月底前, 2024年底, 2024年上半年,
# 2024年第三季度, 2024年6月30日前, 持续推进. The planned date is the last day the words allow.
_LASTING_WORDS = lazy_compile(r"^(长期坚持|长期|长期整改|持续推进|持续整改|持续|常态化|常态长效|长期推进)"
                            r"(推进|开展|落实)?$")
IMMEDIATE_WORDS = ("立行立改", "立即整改", "即知即改", "立即")
# a task done again and again (每季度开展一次, 每年, 定期) has no last day: it is kept up
_RECURRING = lazy_compile(r"^(?:每(?:一)?(?:年|半年|季度?|个?月|周|星期)|定期)")
# one range of dates, by its first separator after a date (2021年9月—12月, 2021.9-2021.12)
_RANGE = lazy_compile(r"^(\d{4}[年./\-]\d{1,2}(?:[月./\-]\d{1,2}[日号]?|月)?)"
                      r"\s*(?:—+|–|－|-|~|～|至|到)\s*(.+)$")
_BEFORE = r"(?:之前|以前|前)?(?:完成|办结|整改到位|整改完成)?"
_YMD = lazy_compile(r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*[日号]?" + _BEFORE + "$")
_YM = lazy_compile(r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*月?\s*(底|末|份|上旬|中旬|下旬)?" + _BEFORE + "$")
_Y_END = lazy_compile(r"^(\d{4})\s*(?:年|年底|年末|年年底|年内|全年|底|末)" + _BEFORE + "$")
_TEN_DAYS = {"上旬": 10, "中旬": 20}
_HALF = lazy_compile(r"^(\d{4})\s*年?\s*(上|下)半年(?:底|末)?" + _BEFORE + "$")
_QUARTER = lazy_compile(r"^(\d{4})\s*年?\s*(?:第)?([一二三四1-4])\s*季度(?:末|底)?" + _BEFORE + "$")
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _month_end(year: int, month: int) -> date:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def read_deadline_words(text: str) -> tuple[date | None, bool] | None:
    """(last day, lasting) for a 完成时限 in words; None when the words say no date.

    2024年6月底前 → 2024-06-30; 2024年6月30日前 → 2024-06-30; 2024年底 → 2024-12-31;
    2024年上半年 → 2024-06-30; 2024年第三季度 → 2024-09-30; 持续推进 → (None, True).
    立行立改 is left to the caller (it means "at once": the feedback date, when known).
    """
    s = "".join(text.translate(_FULLWIDTH_DIGITS).split())
    if _LASTING_WORDS.match(s) or _RECURRING.match(s):
        return None, True
    if (said := _one_deadline(s)) is not None or (m := _RANGE.match(s)) is None:
        return said
    # 2021年9月—12月, 2021.9-2021.12, 2021年9月至2022年3月: due at the end of the range
    start = _one_deadline(m[1])
    if start is None or start[0] is None:
        return None
    year = start[0].year
    if m[2][:4].isdigit():  # 2021.9-2021.12: the end says its year
        end = _one_deadline(m[2])
    else:  # 2021年9月—12月; 2021年11月—2月 runs into the next year
        end = _one_deadline(f"{year}年{m[2]}")
        if end is not None and end[0] is not None and end[0] < start[0]:
            end = _one_deadline(f"{year + 1}年{m[2]}")
    return end if end is not None and end[0] is not None and end[0] >= start[0] else None


def _one_deadline(s: str) -> tuple[date | None, bool] | None:
    try:
        if m := _YMD.match(s):
            day = date(int(m[1]), int(m[2]), int(m[3]))
        elif (m := _YM.match(s)) and 1 <= int(m[2]) <= 12:
            day = (date(int(m[1]), int(m[2]), _TEN_DAYS[m[3]]) if m[3] in _TEN_DAYS
                   else _month_end(int(m[1]), int(m[2])))
        elif m := _HALF.match(s):
            day = date(int(m[1]), 6, 30) if m[2] == "上" else date(int(m[1]), 12, 31)
        elif m := _QUARTER.match(s):
            day = _month_end(int(m[1]), _QUARTERS[m[2]] * 3)
        elif m := _Y_END.match(s):
            day = date(int(m[1]), 12, 31)
        else:
            return None
    except ValueError:  # 2024年13月, 2月30日
        return None
    return (day, False) if is_plausible(day) else None


# 月 is required: "6.30" may be the number 6.3 as the cell shows it
_MD = re.compile(r"^(\d{1,2})\s*月\s*(?:(\d{1,2})\s*[日号]|(底|末|份|上旬|中旬|下旬))?" + _BEFORE + "$")


# 个 is required before 月: 3月内 may be "within March"
_WITHIN = lazy_compile(r"^(?:反馈后|巡察反馈后|自反馈之日起|之后)?"
                       r"(\d{1,3}|[一两二三四五六七八九十百〇零]{1,4}|半)"
                       r"(个月|天|日|周|个?星期|个?工作日)(?:内|之内|以内)" + _BEFORE + "$")
_THIS_YEAR = lazy_compile(r"^(?:今年|本年|当年)?(?:年底|年末|年内|年前)" + _BEFORE + "$")


def read_relative_deadline(text: str, after: date) -> date | None:
    """3个月内, 两个月内完成, 30天内, 年底前 — a 完成时限 counted from the feedback on ``after``."""
    s = "".join(text.translate(_FULLWIDTH_DIGITS).split())
    if _THIS_YEAR.match(s):
        return date(after.year, 12, 31)
    m = _WITHIN.match(s)
    if not m:
        return None
    unit = m[2].lstrip("个")
    if m[1] == "半":  # 半个月; 半天, 半周 are no deadline
        return after + timedelta(days=15) if unit == "月" else None
    n = int(m[1]) if m[1].isdigit() else parse_cn_numeral(m[1])
    if not n:
        return None
    if unit == "月":  # the same day n months on, or that month's last day (1月31日 + 1个月)
        month = after.month - 1 + n
        year, month = after.year + month // 12, month % 12 + 1
        return date(year, month, min(after.day, _month_end(year, month).day))
    days = {"天": n, "日": n, "周": 7 * n, "星期": 7 * n, "工作日": n * 7 // 5}[unit]
    return after + timedelta(days=days)


def read_yearless_deadline(text: str, after: date) -> date | None:
    """6月底前, 6月30日前, 6月 — a 完成时限 without a year, in the ledger of a feedback given on
    ``after``: the first such day on or after it (the plan is made after the feedback)."""
    m = _MD.match("".join(text.translate(_FULLWIDTH_DIGITS).split()))
    if not m or not 1 <= int(m[1]) <= 12:
        return None
    month = int(m[1])
    for year in (after.year, after.year + 1):
        try:
            if m[2]:
                day = date(year, month, int(m[2]))
            elif m[3] in _TEN_DAYS:
                day = date(year, month, _TEN_DAYS[m[3]])
            else:
                day = _month_end(year, month)
        except ValueError:
            return None
        if day >= after:
            return day
    return None
