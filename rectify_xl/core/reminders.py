"""催办 (issue 17): which department is reminded of what, the document's text, and the 催办记录.

Practice (docs/dev/remind.md): commissions and 督查 offices send a 提醒 before a deadline (the
"蓝色督办单" of a three-colour system) and a 督办 after it has passed (the "红色督办单"); each
letter goes to the responsible department, lists its items with their deadlines, and the sending
is recorded so that repeated chasing is visible. Here a department with any overdue measure gets
a 督办函 (its due-soon measures are listed in it too); otherwise a 提醒函.

Pure: the service writes the .docx (adapters.docx_writer) and appends the 催办记录 sheet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from rectify_xl.core.dates import format_cn, parse_date
from rectify_xl.core.document import Block, Kind, document_issuer
from rectify_xl.core.model import Grid, Info, Ledger, Measure
from rectify_xl.core.schema import COLUMN_BY_KEY, REMIND_COLUMNS, SHEETS

if TYPE_CHECKING:
    from rectify_xl.core.sheet_spec import SheetSpec

__all__ = [
    "BLANK_DEPARTMENT",
    "DepartmentReminder",
    "Kind",
    "ReminderKind",
    "log_rows",
    "log_sheet",
    "measure_label",
    "plan_reminders",
    "reminder_blocks",
    "reminder_counts",
    "reminder_mail",
]

BLANK_DEPARTMENT = "（未填写责任部门）"
_SEP = re.compile(r"[、，,；;\s]+")


class ReminderKind(StrEnum):
    REMIND = "提醒"  # due within the window
    URGE = "督办"  # overdue


@dataclass(frozen=True, slots=True)
class Item:
    measure: Measure
    days: int  # days left (提醒) or days overdue (督办)
    overdue: bool


@dataclass(frozen=True, slots=True)
class DepartmentReminder:
    department: str
    kind: ReminderKind
    items: tuple[Item, ...]

    @property
    def title(self) -> str:
        if self.kind is ReminderKind.URGE:
            return "关于逾期未完成巡察整改任务的督办函"
        return "关于抓紧推进巡察整改任务的提醒函"


def measure_label(m: Measure) -> str:
    """How the 催办记录 names a measure: its 序号, else its row ("第5行")."""
    return m.seq or f"第{m.row}行"


def plan_reminders(ledger: Ledger, as_of: date, days: int) -> list[DepartmentReminder]:
    """Open measures with a date deadline that is past (督办) or within ``days`` (提醒), grouped
    by responsible department in sheet order; most overdue first within a department."""
    groups: dict[str, list[Item]] = {}
    for m in ledger.measures:
        if m.is_done or m.deadline is None:
            continue
        if m.deadline < as_of:
            item = Item(m, (as_of - m.deadline).days, True)
        elif (m.deadline - as_of).days <= days:
            item = Item(m, (m.deadline - as_of).days, False)
        else:
            continue
        groups.setdefault(m.department or BLANK_DEPARTMENT, []).append(item)
    out = []
    for department, items in groups.items():
        items.sort(key=lambda i: (not i.overdue, -i.days if i.overdue else i.days, i.measure.row))
        kind = ReminderKind.URGE if any(i.overdue for i in items) else ReminderKind.REMIND
        out.append(DepartmentReminder(department, kind, tuple(items)))
    return out


def reminder_mail(r: DepartmentReminder, info: Info, as_of: date, *, attachment: str,
                  sender_name: str = "") -> tuple[str, str]:
    """(subject, body) of the mail that carries a letter; the letter itself is the attachment."""
    overdue = sum(1 for i in r.items if i.overdue)
    parts = [f"逾期未完成{overdue}项" if overdue else "",
             f"{len(r.items) - overdue}项即将到期" if len(r.items) > overdue else ""]
    issuer = sender_name or document_issuer(info)
    subject = f"{r.title}（{r.department}）"
    lines = [f"{r.department}：", "",
             f"截至{format_cn(as_of)}，由你部门（单位）负责的整改任务中，{'、'.join(p for p in parts if p)}。"
             f"详见附件《{attachment}》，请按要求办理。", ""]
    if issuer:
        lines.append(issuer)
    return subject, "\n".join(lines)


def reminder_blocks(r: DepartmentReminder, info: Info, as_of: date, *, dated: date,
                    reply_days: int = 5) -> tuple[Block, ...]:
    """The letter in 公文 form: title, 主送, body, one paragraph per measure, requirement,
    signature and the date it is sent (the notice's page and styles, adapters.docx_writer)."""
    source = f"{info.group}反馈意见" if info.group else "巡察反馈意见"
    overdue = sum(1 for i in r.items if i.overdue)
    due = len(r.items) - overdue
    parts = [f"逾期未完成{overdue}项" if overdue else "", f"{due}项即将到期" if due else ""]
    summary = "、".join(p for p in parts if p)
    lines = [
        f"根据{source}整改工作安排，截至{format_cn(as_of)}，由你部门（单位）负责的整改任务中，"
        f"{summary}。现将有关事项{'督办' if r.kind is ReminderKind.URGE else '提醒'}如下：",
    ]
    for n, i in enumerate(r.items, start=1):
        m = i.measure
        when = (f"已逾期{i.days}天" if i.overdue else
                ("今天到期" if i.days == 0 else f"距完成时限还有{i.days}天"))
        leader = f"；责任领导：{m.leader}" if m.leader else ""
        deadline = format_cn(m.deadline) if m.deadline else ""
        seq = f"（序号{m.seq}）" if m.seq else ""
        lines.append(f"{n}.{m.text}{seq}。对应问题：{m.problem}；完成时限：{deadline}，"
                     f"{when}{leader}。")
    if r.kind is ReminderKind.URGE:
        lines.append(f"请于收到本函后{reply_days}个工作日内书面说明逾期原因和下一步整改措施，明确完成时间，"
                     "加快推进整改；已完成的，请及时报送整改落实情况和佐证材料。")
    else:
        lines.append("请对照整改措施和完成时限，抓紧推进，确保按期完成；完成后请及时报送整改落实情况和佐证材料。")
    blocks = [Block(Kind.TITLE, r.title), Block(Kind.ADDRESSEE, f"{r.department}："),
              *(Block(Kind.BODY, line) for line in lines)]
    issuer = document_issuer(info)
    if issuer:
        blocks.append(Block(Kind.SIGNATURE, issuer))
    blocks.append(Block(Kind.DATE, format_cn(dated)))
    return tuple(blocks)


def log_rows(reminders: Sequence[DepartmentReminder], when: date, how: str,
             files: Mapping[str, str]) -> list[tuple[object, ...]]:
    """New 催办记录 rows, one per letter (REMIND_COLUMNS order); ``files`` department → file."""
    return [(when, r.department, r.kind.value, "、".join(measure_label(i.measure) for i in r.items),
             len(r.items), how, files.get(r.department, "")) for r in reminders]


def log_header() -> tuple[str, ...]:
    return REMIND_COLUMNS


_LOG_WIDTHS = (("A", 12), ("B", 16), ("C", 8), ("D", 24), ("E", 8), ("F", 14), ("G", 40))


def log_sheet(rows: Sequence[Sequence[object]], ledger_sheet: str) -> SheetSpec:
    """催办记录: the header and every row, old and new (rewritten whole, never duplicated)."""
    from rectify_xl.core.sheet_spec import Block as SheetBlock
    from rectify_xl.core.sheet_spec import SheetSpec, Styled  # here: parse imports this module

    return SheetSpec(SHEETS.REMIND_LOG, (SheetBlock(1, 1, (REMIND_COLUMNS, *map(tuple, rows))),),
                     styles=(Styled(1, 1, 1, len(REMIND_COLUMNS), "header"),),
                     widths=_LOG_WIDTHS, after=None)


def read_log(grid: Grid | None) -> list[tuple[object, ...]]:
    """The rows of an existing 催办记录 (header dropped), as written; [] when there is none."""
    if grid is None or not grid.rows:
        return []
    header = [str(v).strip() if v is not None else "" for v in grid.rows[0]]
    if tuple(header[:len(REMIND_COLUMNS)]) != REMIND_COLUMNS:
        return [tuple(r) for r in grid.rows]  # not ours: kept whole, below our header
    return [tuple(r) for r in grid.rows[1:] if any(v not in (None, "") for v in r)]


def reminder_counts(rows: Iterable[Sequence[object]]) -> dict[str, int]:
    """催办次数 per measure label over the 催办记录 rows."""
    i = REMIND_COLUMNS.index(COLUMN_BY_KEY["seq"].header)
    counts: dict[str, int] = {}
    for row in rows:
        if i < len(row) and row[i] not in (None, ""):
            for label in _SEP.split(str(row[i]).strip()):
                if label:
                    counts[label] = counts.get(label, 0) + 1
    return counts


def log_dates(rows: Iterable[Sequence[object]]) -> list[date]:
    return [d for row in rows if row and (d := parse_date(row[0]).value) is not None]


DEPARTMENT_HEADER = COLUMN_BY_KEY["department"].header
