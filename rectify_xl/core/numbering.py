"""Chinese numerals and the numbering of official documents (GB/T 9704-2012, 7.3.3).

Level 1 一、 level 2 （一） level 3 1. level 4 （1）; enumerations in a paragraph 一是…二是….
"""

from __future__ import annotations

import re

__all__ = [
    "cn_numeral",
    "enumeration",
    "heading_marker",
    "parse_cn_numeral",
    "parse_number",
]

_DIGITS = "零一二三四五六七八九"
_UNITS = ((1000, "千"), (100, "百"), (10, "十"))


_MAX = 10**12 - 1  # 九千九百九十九亿…: beyond any count a ledger can hold


def cn_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 105 → 一百零五, 110 → 一百一十, 100000 → 十万,
    up to 999999999999 (九千九百九十九亿九千九百九十九万九千九百九十九)."""
    if n < 0 or n > _MAX:
        raise ValueError(f"out of range: {n}")
    if n == 0:
        return "零"
    return _grouped(n, inner=False)


def _grouped(n: int, *, inner: bool) -> str:
    """n > 0 in 亿 and 万 groups; a group below its leading digit place gets one 零."""
    for size, unit in ((10**8, "亿"), (10**4, "万")):
        if n >= size:
            high, low = divmod(n, size)
            rest = "" if low == 0 else ("零" if low < size // 10 else "") + _grouped(low, inner=True)
            return _grouped(high, inner=inner) + unit + rest
    return _below_10000(n, inner=inner)


def _below_10000(n: int, *, inner: bool) -> str:
    out: list[str] = []
    zero_pending = False
    for value, unit in _UNITS:
        digit, n = divmod(n, value)
        if digit:
            if zero_pending:
                out.append("零")
                zero_pending = False
            # 十一, not 一十一, when 十 leads the whole number
            if not (value == 10 and digit == 1 and not out and not inner):
                out.append(_DIGITS[digit])
            out.append(unit)
        elif out:
            zero_pending = True
    if n:
        if zero_pending:
            out.append("零")
        out.append(_DIGITS[n])
    return "".join(out)


_PARSE_DIGITS = {ch: i for i, ch in enumerate(_DIGITS)} | {"两": 2, "〇": 0}
_PARSE_UNITS = {"十": 10, "百": 100, "千": 1000}


def parse_cn_numeral(text: str) -> int | None:
    """Inverse of cn_numeral: '二十三' → 23, '十' → 10, '十万' → 100000; None if not a numeral.

    Also reads 两 and 〇 and a leading 一十 ('一十五'); malformed strings such as '十十', '一二'
    or '二〇二一' (digit by digit) are None rather than a wrong number.
    """
    value = _parse_cn(text)
    if value is None or value > _MAX:
        return None
    canonical = text.replace("两", "二").replace("〇", "零")
    if canonical.startswith("一十"):
        canonical = canonical[1:]
    return value if cn_numeral(value) == canonical else None


def _parse_cn(text: str) -> int | None:
    if not text or any(ch not in _PARSE_DIGITS and ch not in _PARSE_UNITS and ch not in "万亿"
                       for ch in text):
        return None
    for unit, size in (("亿", 10**8), ("万", 10**4)):
        if unit in text:
            high, _, low = text.partition(unit)
            h = _parse_cn(high)
            lo = _parse_cn(low) if low else 0
            return None if h is None or lo is None else h * size + lo
    total, digit = 0, None
    for ch in text:
        if ch in _PARSE_DIGITS:
            digit = _PARSE_DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _PARSE_UNITS[ch]
            digit = None
    return total + (digit or 0)


_NUMBER_RE = re.compile(r"^\d+$")


def parse_number(text: str) -> int | None:
    """An Arabic or Chinese number as written in prose: '23', '２３', '二十三'."""
    text = text.strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if _NUMBER_RE.match(text):
        return int(text)
    return parse_cn_numeral(text)


def heading_marker(level: int, n: int) -> str:
    """The marker of the n-th heading at a level: 一、 （一） 1. （1）."""
    if level == 1:
        return f"{cn_numeral(n)}、"
    if level == 2:
        return f"（{cn_numeral(n)}）"
    if level == 3:
        return f"{n}."
    if level == 4:
        return f"（{n}）"
    raise ValueError(f"no marker for level {level}")


def enumeration(n: int) -> str:
    """一是, 二是, … 十一是."""
    return f"{cn_numeral(n)}是"
