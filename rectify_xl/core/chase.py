"""催报: who to chase in a round, what to tell them, and the 催报记录 log (issue 18). Pure.

The units to chase are the consolidated workbook's 未报送 and 未更新 units (core.round_figures):
a unit that has reported since disappears from those lists when the round is merged again, so
it is not chased again. A unit already chased today is skipped (a second run the same day sends
nothing twice). Every chase — mailed, drafted or failed — is a row of 催报记录.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from rectify_xl.core.consolidate import normalize_unit
from rectify_xl.core.dates import format_cn, parse_date
from rectify_xl.core.model import col_letter
from rectify_xl.core.round_figures import RoundFigures
from rectify_xl.core.schema import SHEETS
from rectify_xl.core.sheet_spec import Block, SheetSpec, Styled

__all__ = [
    "CHASE_LOG_COLUMNS",
    "CHASE_LOG_WIDTHS",
    "ChaseTarget",
    "Contact",
    "chase_message",
    "chase_targets",
    "log_rows",
]

CHASE_LOG_COLUMNS = ("催报时间", "单位", "情况", "第几次", "方式", "收件人", "结果", "本轮统计截止日期")
CHASE_LOG_WIDTHS = (18, 22, 10, 8, 10, 30, 40, 16)
MISSING, STALE = "未报送", "未更新"


@dataclass(frozen=True, slots=True)
class Contact:
    """A unit's address from the 名单 (单位, 邮箱, 联系人 columns)."""

    address: str = ""
    person: str = ""


@dataclass(frozen=True, slots=True)
class ChaseTarget:
    unit: str
    state: str  # 未报送 | 未更新
    reported_as_of: date | None  # the stale date a 未更新 unit reported
    contact: Contact
    times: int  # this is the unit's n-th chase in the log (1 for the first)


def _key(name: str) -> str:
    return normalize_unit(name)


def _past(log: Sequence[Sequence[object]]) -> tuple[dict[str, int], set[str]]:
    """Per unit: chases so far, and the units chased on each day (key "unit|YYYY-MM-DD")."""
    counts: dict[str, int] = {}
    days: set[str] = set()
    header = [str(v or "") for v in log[0]] if log else []
    if not header or "单位" not in header or "催报时间" not in header:
        return counts, days
    unit_c, when_c = header.index("单位"), header.index("催报时间")
    for row in log[1:]:
        unit = str(row[unit_c] or "").strip() if unit_c < len(row) else ""
        if not unit:
            continue
        counts[_key(unit)] = counts.get(_key(unit), 0) + 1
        when = parse_date(str(row[when_c] or "")[:10] if when_c < len(row) else None).value
        if when:
            days.add(f"{_key(unit)}|{when.isoformat()}")
    return counts, days


def chase_targets(figures: RoundFigures, contacts: Mapping[str, Contact],
                  log: Sequence[Sequence[object]], today: date
                  ) -> tuple[list[ChaseTarget], list[str]]:
    """(units to chase, units skipped because they were chased today already)."""
    counts, days = _past(log)
    by_key = {_key(k): v for k, v in contacts.items()}
    wanted: list[tuple[str, str, date | None]] = [(u, MISSING, None) for u in figures.missing]
    wanted += [(u, STALE, when) for u, when in figures.stale]
    # a 名单 given to chase but not to merge: its units the workbook does not have are 未报送 too
    known = {_key(u.name) for u in figures.units} | {_key(u) for u, _, _ in wanted}
    wanted += [(name, MISSING, None) for name in contacts if _key(name) not in known]
    targets: list[ChaseTarget] = []
    skipped: list[str] = []
    for unit, state, when in wanted:
        key = _key(unit)
        if f"{key}|{today.isoformat()}" in days:
            skipped.append(unit)
            continue
        targets.append(ChaseTarget(unit, state, when, by_key.get(key, Contact()),
                                   counts.get(key, 0) + 1))
    return targets, skipped


def chase_message(target: ChaseTarget, *, round_as_of: date | None, deadline: date | None,
                  sender_name: str, today: date) -> tuple[str, str]:
    """(subject, body) of the 催报 for one unit."""
    as_of = format_cn(round_as_of) if round_as_of else "本轮统计截止日期"
    subject = f"【催报】请报送截至{as_of}的巡察整改台账（{target.unit}）"
    greeting = f"{target.contact.person}同志：" if target.contact.person else f"{target.unit}："
    if target.state == MISSING:
        fact = f"截至{format_cn(today)}，尚未收到贵单位截至{as_of}的巡察整改台账（整改进展情况）。"
    else:
        reported = format_cn(target.reported_as_of) if target.reported_as_of else "（未填写）"
        fact = (f"贵单位报送的巡察整改台账统计截止日期为{reported}，未更新到本轮统计截止日期"
                f"{as_of}。")
    ask = f"请于{format_cn(deadline)}前" if deadline else "请尽快"
    nth = f"（第{target.times}次催报）" if target.times > 1 else ""
    lines = [
        greeting, "",
        f"　　{fact}{ask}按要求更新“整改清单”和“基本信息”中的统计截止日期后报送。{nth}",
        "　　如已报送，请忽略本邮件；如有困难，请及时与我们联系。", "",
        sender_name or "",
        format_cn(today),
    ]
    return subject, "\n".join(lines).rstrip("\n") + "\n"


def log_rows(previous: Sequence[Sequence[object]], entries: Sequence[Sequence[object]]
             ) -> list[list[object]]:
    """The whole 催报记录 sheet: the previous rows kept as they were (columns a user added
    included), then the new entries; the header is written when the sheet is new."""
    rows = [list(r) for r in previous if any(v not in (None, "") for v in r)]
    if not rows or [str(v or "") for v in rows[0][:len(CHASE_LOG_COLUMNS)]] != list(
            CHASE_LOG_COLUMNS):
        rows.insert(0, list(CHASE_LOG_COLUMNS))
    return rows + [list(e) for e in entries]


def chase_log_sheet(previous: Sequence[Sequence[object]], entries: Sequence[Sequence[object]]
                    ) -> SheetSpec:
    """催报记录 described (core.sheet_spec): the log rows, header styled, columns sized."""
    rows = log_rows(previous, entries)
    width = max(len(r) for r in rows)
    return SheetSpec(SHEETS.CHASE_LOG, (Block(1, 1, tuple(tuple(r) for r in rows)),),
                     styles=(Styled(1, 1, 1, len(CHASE_LOG_COLUMNS), "header"),),
                     widths=tuple((col_letter(i), w) for i, w in enumerate(CHASE_LOG_WIDTHS, 1)
                                  if i <= width), freeze="A2")


def log_entry(target: ChaseTarget, *, when: datetime, how: str, to: str, result: str,
              round_as_of: date | None) -> list[object]:
    return [when.strftime("%Y-%m-%d %H:%M"), target.unit, target.state, target.times, how, to,
            result, round_as_of.isoformat() if round_as_of else ""]


__all__ += ["MISSING", "STALE", "chase_log_sheet", "log_entry"]
