"""Facts stated in the prose of a notice: dates, units, contact details and counts (issue 8).

Pure regular expressions over NFKC-normalised text, so full- and half-width punctuation read
the same. Used by the notice reader (opening, closing, signature) and by check-notice (counts).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from rectify_xl.core.numbering import parse_number
from rectify_xl.core.structure import Para

__all__ = [
    "FULL_DATE_RE",
    "StatedCount",
    "mentions_contact",
    "nfkc",
    "parse_cn_date",
    "read_contact",
    "read_info",
    "short_title",
    "stated_counts",
]

_CONTACT_RE = re.compile(r"联系方式|联系电话|电子邮箱|邮政信箱|通讯地址|来信地址")
_PHONE_RE = re.compile(r"电话\s*[：:]?\s*([0-9０-９][0-9０-９\-－—()（） ]{5,}[0-9０-９])")
_ADDRESS_RE = re.compile(r"(?:邮政信箱|通讯地址|来信地址|邮寄地址|地址)\s*[：:]\s*([^；;。]+)")
_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
_DATE = r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_RANGE_RE = re.compile(_DATE + r"\s*(?:至|到|—|-|－)\s*(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_FEEDBACK_DATE_RE = re.compile(_DATE + r"[^。；;]{0,30}?反馈")
_GROUP_RE = re.compile(
    r"([^，,。；;、]*?巡[察视]组)\s*(?:于[^，,。]*?)?对\s*([^，,。；;]+?)\s*(?:开展了|进行了|开展|进行)"
)
_DEPLOYER_RE = re.compile(r"^(?:根据|按照|据)([^，,。]{1,20}?)(?:的)?统一部署")
_CLAUSE_END = "，,；;。：:"
_SHORT_TITLE = 40

_N = r"\s*(\d+|[一二三四五六七八九十百两]+)\s*"
_COUNT_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("aspects", re.compile(r"(?:反馈|指出|发现)(?:的|了|出)?(?:意见)?(?:中的)?" + _N + "个方面")),
    ("feedback", re.compile(r"反馈(?:的|了)?(?:意见)?(?:中的)?(?:\s*\S{1,3}个方面(?:的)?)?"
                            + _N + "个(?:方面)?问题")),
    ("problems", re.compile(r"(?:细化分解|分解细化|细化|分解)(?:了|为|成)?" + _N + "个(?:具体)?问题")),
    ("measures", re.compile(r"(?:确定|制定|明确|形成|提出)(?:了|出)?" + _N
                            + "(?:条|项)(?:具体)?整改(?:措施|任务)")),
    ("done", re.compile(r"(?:已完成(?:整改)?|已整改(?:完成)?|完成整改)" + _N + "(?:个|项|条)")),
    ("in_progress", re.compile(r"(?:正在整改|正在推进|正在落实|持续整改|整改中)" + _N + "(?:个|项|条)")),
    ("rate", re.compile(r"完成率(?:为|达到|达)?\s*(\d+(?:\.\d+)?)\s*[%％]")),
)


FULL_DATE_RE = re.compile(r"^" + _DATE + r"$")



def nfkc(text: str) -> str:
    """Compare texts across full/half-width punctuation and stray spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True, slots=True)
class StatedCount:
    kind: str  # aspects | feedback | problems | measures | done | in_progress | rate
    value: float
    para: int
    text: str  # the matched words, e.g. 细化分解了9个问题


def stated_counts(paras: list[Para]) -> list[StatedCount]:
    """Counts stated in prose: 细化分解了9个问题, 确定了23条整改措施, 已完成9个, 完成率76%."""
    out = []
    for para in paras:
        text = unicodedata.normalize("NFKC", para.text)
        for kind, pattern in _COUNT_PATTERNS:
            for m in pattern.finditer(text):
                value = float(m.group(1)) if kind == "rate" else parse_number(m.group(1))
                if value is not None:
                    out.append(StatedCount(kind, value, para.no, m.group(0)))
    return out


def mentions_contact(text: str) -> bool:
    return bool(_CONTACT_RE.search(text))


def short_title(narrative: str) -> str:
    """整改措施 from a narrative: its first clause, at most 40 characters."""
    for i, ch in enumerate(narrative):
        if ch in _CLAUSE_END:
            return narrative[:i][:_SHORT_TITLE]
    return narrative[:_SHORT_TITLE]


def parse_cn_date(y: str, m: str, d: str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def read_info(opening: str) -> dict[str, Any]:
    """被巡察单位, 巡察组, 部署机关 and the three dates from the opening paragraph."""
    text = unicodedata.normalize("NFKC", opening)
    info: dict[str, Any] = {}
    if m := _DEPLOYER_RE.search(text):
        info["deployer"] = m.group(1)
    if m := _RANGE_RE.search(text):
        info["start"] = parse_cn_date(m[1], m[2], m[3])
        info["end"] = parse_cn_date(m[4] or m[1], m[5], m[6])
    if m := _GROUP_RE.search(text):
        info["group"] = m.group(1).strip()
        info["unit"] = m.group(2).strip()
    rest = text[m.end():] if (m := _RANGE_RE.search(text)) else text
    if f := _FEEDBACK_DATE_RE.search(rest):
        info["feedback_date"] = parse_cn_date(f[1], f[2], f[3])
    return {k: v for k, v in info.items() if v}


def read_contact(text: str) -> dict[str, str]:
    norm = unicodedata.normalize("NFKC", text)
    info = {}
    if m := _PHONE_RE.search(norm):
        info["phone"] = m.group(1).strip()
    if m := _ADDRESS_RE.search(norm):
        info["address"] = m.group(1).strip()
    if m := _EMAIL_RE.search(norm):
        info["email"] = m.group(0)
    return info
