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

from rectify_xl.core.contact import PHONE_AFTER_LABEL
from rectify_xl.core.numbering import parse_number
from rectify_xl.core.structure import Para

__all__ = [
    "CONTACT_START_RE",
    "FULL_DATE_RE",
    "StatedCount",
    "mentions_contact",
    "nfkc",
    "parse_cn_date",
    "parse_full_date",
    "read_contact",
    "read_info",
    "short_title",
    "stated_as_of",
    "stated_counts",
]

_CONTACT_RE = re.compile(r"联系方式|联系电话|电子邮箱|邮政信箱|通讯地址|来信地址")
# a contact detail on its own line: 联系人：… / 监督电话：… / 地址：… / 邮编：… / 邮箱：…
_CONTACT_LINE_RE = re.compile(
    r"^(?:联系人|(?:联系|监督|举报|值班)?电话|传真|(?:通讯|通信|联系|来信|邮寄)?地址|邮编|邮政编码"
    r"|(?:电子)?邮箱|电子信箱|邮政信箱)\s*[：:]")
# where the contact details start in a closing paragraph
CONTACT_START_RE = re.compile(
    r"联系方式|联系人|联系电话|(?:监督|举报|值班)?电话\s*[：:]?\s*\d|电子邮箱|电子信箱|邮政信箱"
    r"|(?:通讯|通信|来信|邮寄)地址|邮编|邮政编码")
_POSTCODE_RE = re.compile(r"(?:邮编|邮政编码)\s*[：:]?\s*(\d{6})")
_ADDRESS_RE = re.compile(
    r"(?:邮政信箱|通讯地址|通信地址|来信地址|邮寄地址|联系地址|地址)\s*[：:]\s*([^；;。\n]+)")
_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
_DATE = r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_RANGE_RE = re.compile(_DATE + r"\s*(?:起)?\s*(?:至|到|—|-|－|~|～)"
                       r"\s*(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_FEEDBACK_DATE_RE = re.compile(_DATE + r"[^。；;]{0,60}?反馈")
# 3月14日，区委巡察组向…反馈了巡察意见 (the year is the inspection's)
_FEEDBACK_DAY_RE = re.compile(r"(?<![\d年])(\d{1,2})\s*月\s*(\d{1,2})\s*日[^。；;]{0,60}?反馈")
_GROUP_RE = re.compile(
    r"([^，,。；;、]*?巡[察视]组)\s*(?:于[^，,。]*?)?对\s*([^，,。；;]+?)\s*(?:开展了|进行了|开展|进行)"
)
_DEPLOYER_RE = re.compile(r"^(?:根据|按照|据)([^，,。]{1,20}?)(?:的)?统一(?:安排)?部署")
_CLAUSE_END = "，,；;。：:"
_SHORT_TITLE = 40

_N = r"\s*(\d+|[一二三四五六七八九十百两]+)\s*"
_COUNT_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("aspects", re.compile(r"(?:反馈|指出|发现)(?:的|了|出)?(?:意见)?(?:中的)?(?:问题)?(?:涉及)?"
                           + _N + "个方面")),
    # 反馈的6个问题 / 反馈问题6个 (not 反馈问题2个大方面4个大项)
    ("feedback", re.compile(r"反馈(?:的|了)?(?:意见)?(?:中的)?(?:\s*\S{1,3}个方面(?:的)?)?"
                            + _N + "个问题|反馈(?:的)?问题(?:共)?"
                            + _N.replace("(", "(?P<n2>", 1) + "个(?![大小]?(?:方面|项|类))")),
    # 细化分解了9个问题 / 梳理出10个具体问题 / 细化分解问题10个 / 梳理出具体问题10个
    ("problems", re.compile(r"(?:细化分解|分解细化|细化|分解|梳理)(?:了|为|成|出)?" + _N
                            + "个(?:具体)?问题|(?:细化分解|分解细化|细化|分解|梳理)(?:了|为|成|出)?"
                            "(?:具体)?问题(?:共)?" + _N.replace("(", "(?P<n2>", 1) + "(?:个|项|条)")),
    ("measures", re.compile(r"(?:确定|制定|明确|形成|提出)(?:了|出)?" + _N
                            + "(?:条|项)(?:具体)?整改(?:措施|任务)|(?:确定|制定|明确)(?:了|出)?(?:具体)?"
                            "整改措施" + _N.replace("(", "(?P<n2>", 1) + "(?:条|项)")),
    ("tasks", re.compile(r"(?:梳理|分解|细化|形成|明确|确定)(?:了|出|为|成)?(?:具体)?整改任务" + _N
                         + "(?:个|项|条)|" + _N.replace("(", "(?P<n2>", 1)
                         + "(?:个|项|条)(?:具体)?整改任务")),
    ("done", re.compile(r"(?:已完成(?:整改)?|已整改(?:完成|到位|完毕)?|完成整改|整改完成|已销号)"
                        r"(?:任务|问题)?" + _N + "(?:个|项|条)"
                        # the number first: 其中35个已整改 / 20项已完成整改
                        r"|(?<![\d.])" + _N.replace("(", "(?P<n2>", 1)
                        + r"(?:个|项|条)(?:问题)?已(?:经)?(?:完成|整改|销号)"
                        # (not 反馈的4个问题已完成整改3个: the done count is the one after)
                        r"(?![^，,。；;]*?(?:\d|[一二三四五六七八九十两]+\s*[个项条]))")),
    # the whole a done count may be part of: 指出具体问题41个 / 发现问题189个 (read only as the
    # total of 已完成/已整改 in the same paragraph, never against the problems a notice lists)
    ("found", re.compile(r"(?:指出|发现)(?:了|出)?(?:具体)?问题(?:共)?" + _N + "个"
                         r"|(?:指出|发现)(?:了|出)?" + _N.replace("(", "(?P<n2>", 1) + "个(?:具体)?问题")),
    # 基本完成并持续整改问题4个 — a third part beside done and not done (not 其中…阶段性成效2个)
    ("partly", re.compile(r"(?:基本完成|阶段性(?:成效|成果|进展))[^，,。；;\d]{0,20}?" + _N
                          + "(?:个|项|条)")),
    ("not_done", re.compile(r"(?:未完成|尚未完成|未整改)(?:整改)?(?:任务|问题)?" + _N + "(?:个|项|条)")),
    ("in_progress", re.compile(r"(?:正在整改|正在推进|正在落实|持续整改|整改中)" + _N + "(?:个|项|条)")),
    ("rate", re.compile(r"完成率(?:为|达到|达)?\s*(\d+(?:\.\d+)?)\s*[%％]")),
)


FULL_DATE_RE = re.compile(r"^" + _DATE + r"$")
# 落款 in Chinese numerals: 二〇二一年十月二十日
_CN_DATE_RE = re.compile(
    r"^([〇零○Ｏ一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$")
_CN_DIGITS = str.maketrans("〇零○Ｏ一二三四五六七八九", "0000123456789")


def parse_full_date(text: str) -> date | None:
    """A paragraph that is only a date: 2021年11月5日 or 二〇二一年十一月五日."""
    from rectify_xl.core.numbering import parse_cn_numeral

    text = unicodedata.normalize("NFKC", text).replace(" ", "")
    if m := FULL_DATE_RE.match(text):
        return parse_cn_date(m[1], m[2], m[3])
    if m := _CN_DATE_RE.match(text):
        month, day = parse_cn_numeral(m[2]), parse_cn_numeral(m[3])
        if month and day:
            return parse_cn_date(m[1].translate(_CN_DIGITS), str(month), str(day))
    return None



# 截至2021年10月31日 / 截止到2023年6月底 / 截至2022年12月: the day a notice's figures and
# statuses hold at (截止, the common slip for 截至, is read the same; check-notice reports it)
_AS_OF_RE = re.compile(r"截[至止]到?\s*(\d{4})\s*年\s*(\d{1,2})\s*月"
                       r"(?:\s*(\d{1,2})\s*日|\s*[底末])?")


def stated_as_of(text: str) -> list[tuple[date, str]]:
    """Every 截至 date in a paragraph with the words as written; a month without a day means
    its last day (截至6月底 = 6月30日)."""
    import calendar

    out = []
    for m in _AS_OF_RE.finditer(unicodedata.normalize("NFKC", text)):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            continue
        day = m[3] or str(calendar.monthrange(year, month)[1])
        if (d := parse_cn_date(m[1], m[2], day)) is not None:
            out.append((d, m[0]))
    return out


def nfkc(text: str) -> str:
    """Compare texts across full/half-width punctuation and stray spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True, slots=True)
class StatedCount:
    kind: str  # aspects | feedback | problems | measures | tasks | done | found | in_progress |
    # partly | not_done | rate
    value: float
    para: int
    text: str  # the matched words, e.g. 细化分解了9个问题


def stated_counts(paras: list[Para]) -> list[StatedCount]:
    """Counts stated in prose: 细化分解了9个问题, 确定了23条整改措施, 已完成9个, 完成率76%."""
    out = []
    for para in paras:
        text = unicodedata.normalize("NFKC", para.text)
        partly: list[tuple[int, int]] = []
        for kind, pattern in _COUNT_PATTERNS:
            for m in pattern.finditer(text):
                clause = re.split(r"[，,；;。]", text[: m.start()])[-1]
                if kind == "partly" and "其中" in clause:
                    continue  # a subset of the done ones, not a third part
                if kind in ("not_done", "in_progress") and any(
                        a < m.end() and m.start() < b for a, b in partly):
                    continue  # 基本完成、取得阶段性成果并持续整改2个: the 持续整改 of the third part
                if kind == "partly":
                    partly.append(m.span())
                raw = m.group(1) or m.groupdict().get("n2") or ""
                value = float(raw) if kind == "rate" else parse_number(raw)
                if value is not None:
                    out.append(StatedCount(kind, value, para.no, m.group(0)))
    return out


def mentions_contact(text: str) -> bool:
    return bool(_CONTACT_RE.search(text) or _CONTACT_LINE_RE.match(unicodedata.normalize("NFKC", text)))


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
    elif (f := _FEEDBACK_DAY_RE.search(rest)) and info.get("end"):
        end = info["end"]
        day = parse_cn_date(str(end.year), f[1], f[2])
        if day is not None and day < end:  # fed back in the next year (12月 → 1月)
            day = parse_cn_date(str(end.year + 1), f[1], f[2])
        info["feedback_date"] = day
    return {k: v for k, v in info.items() if v}


def read_contact(text: str) -> dict[str, str]:
    norm = unicodedata.normalize("NFKC", text)
    info = {}
    if m := PHONE_AFTER_LABEL.search(norm):
        info["phone"] = m.group(1).strip()
    if m := _ADDRESS_RE.search(text):  # as written, full-width marks kept
        info["address"] = m.group(1).strip().rstrip(",，、")
    if (pc := _POSTCODE_RE.search(norm)) and pc[1] not in nfkc(info.get("address", pc[1])):
        info["address"] += f"（邮编：{pc[1]}）"
    if m := _EMAIL_RE.search(norm):
        info["email"] = m.group(0)
    return info
