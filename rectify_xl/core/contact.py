"""Telephone numbers and mail addresses as a notice publishes them for the public's feedback.

A 公告 ends with 联系电话 and 电子邮箱 taken from 基本信息: a digit dropped, an O typed for a 0 or
an address without its dot is published as it is, and nobody can reach the unit. The forms
accepted are those Chinese offices publish: a landline with its area code (0913-3253456,
010-12345678, （0913）3253456) or without (3253456), a mobile number (11 digits, 1[3-9]…),
a five-digit public service line (12388 纪检监察举报, 12345, 12380), a 400/800 number, an
extension after 转 or 分机; several numbers separated by 、，；/ or words (或、和、及), each
optionally after a label (县纪委监委：12388). Pure: no I/O.
"""

from __future__ import annotations

import re
import unicodedata

from rectify_xl.core.lazy_re import lazy_compile

__all__ = ["PHONE_AFTER_LABEL", "email_problems", "is_email", "phone_problems"]

# a run of a number as written: digits with the separators people put inside one number
_NUMBER_RUN = lazy_compile(r"[0-9][0-9\s\-–—()（）]*[0-9]|[0-9]")
_EXTENSION = lazy_compile(r"(?:转|分机|ext\.?)\s*$", re.IGNORECASE)
_VALID = lazy_compile(
    r"1[3-9]\d{9}"  # mobile
    r"|0\d{10,11}"  # area code + local number: 010/02x + 8 digits, 0xxx + 7 or 8 digits
    r"|[2-9]\d{6,7}"  # local number without area code
    r"|1[0-2]\d{3}"  # five-digit public service lines: 12388, 12345, 12380 …
    r"|[48]00\d{7}")  # 400 / 800 numbers
_LETTERED = lazy_compile(r"[0-9][0-9A-Za-z\-–—]*[A-Za-z][0-9A-Za-z\-–—]*[0-9]")  # 32534O6
_ADDRESS = lazy_compile(r"^[^@\s,;，；、<>\"]+@([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+"
                      r"[A-Za-z]{2,}$")
# the numbers right after a telephone label, as a contact line writes them (电话：0913-3253456、
# 12388; 举报电话为12388; 手机号码 138…), a letter typed for a digit included: group 1
PHONE_AFTER_LABEL = lazy_compile(
    r"(?:电话|热线|手机|传真)(?:号码)?(?:为|是)?[：:]?\s*"
    r"([0-9０-９（(][0-9０-９OolI（）()\-－—–\s、，,/或和及转]*[0-9０-９])")
_EMAIL_SPLIT = lazy_compile(r"[、，,；;/\s]+|或|和|及")


def phone_problems(text: str) -> list[str]:
    """The numbers in a 联系电话 cell that no telephone number has (as written); [] when every
    one is well formed (or the cell holds none: a missing phone is RX202's or nobody's)."""
    text = unicodedata.normalize("NFKC", text)
    bad = [m.group() for m in _LETTERED.finditer(text)]  # a letter typed for a digit
    lettered = [m.span() for m in _LETTERED.finditer(text)]
    for m in _NUMBER_RUN.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in lettered):
            continue
        if _EXTENSION.search(text[:m.start()]):
            continue  # 转8001: an extension of the number before it
        if not _numbers(m.group().split()):
            bad.append(m.group().strip())
    return list(dict.fromkeys(bad))


def _numbers(pieces: list[str]) -> bool:
    """The space-separated pieces of a run are one or more whole numbers (0913 3253456 is one,
    0913-3253456 13812345678 two), the longest first."""
    if not pieces:
        return True
    for end in range(len(pieces), 0, -1):
        if _VALID.fullmatch(re.sub(r"\D", "", "".join(pieces[:end]))) and _numbers(pieces[end:]):
            return True
    return False


def is_email(address: str) -> bool:
    """One mail address: local part, @, a domain of dotted labels ending in letters."""
    return bool(_ADDRESS.match(address))


def email_problems(text: str) -> list[str]:
    """The addresses in an 电子邮箱 cell that are not well formed (several may be listed)."""
    text = unicodedata.normalize("NFKC", text).strip()
    parts = [p for p in _EMAIL_SPLIT.split(text) if p]
    return [p for p in parts if not is_email(p)]
