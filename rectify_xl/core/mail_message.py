"""The report mail to superiors as data: subject, body context, what changed. Pure, no I/O.

The body itself is rendered by a jinja2 template (templates/mail_body.txt.j2); everything that
is counted or compared is computed here, so the template never counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rectify_xl.core.dates import format_cn, parse_date
from rectify_xl.core.model import Ledger
from rectify_xl.core.parse import cell_text
from rectify_xl.core.schema import HISTORY_COLUMNS, INFO_BY_KEY
from rectify_xl.core.textcheck import shorten

if TYPE_CHECKING:
    from rectify_xl.core.diff import LedgerDiff
    from rectify_xl.core.progress import ItemRow, Summary

__all__ = [
    "MAX_LISTED",
    "Changes",
    "attachment_stem",
    "changes_from_diff",
    "changes_from_history",
    "history_snapshot",
    "mail_context",
    "mail_subject",
]

# A superior reads a mail, not a report: longer lists are cut with "等N项".
MAX_LISTED = 20
_HISTORY_HEADERS = dict(HISTORY_COLUMNS)
_HISTORY_DATE = _HISTORY_HEADERS["as_of"]
_HISTORY_SKIP = frozenset({_HISTORY_DATE, _HISTORY_HEADERS["generated"]})
_RATE_LABELS = frozenset({_HISTORY_HEADERS["completion_rate"]})
# already in the subject line
_HEADLINE_SKIP = frozenset({INFO_BY_KEY["unit"].label, INFO_BY_KEY["as_of"].label})


@dataclass(frozen=True, slots=True)
class Changes:
    """What changed since the previous report: `since` is that report's as-of date, if known."""

    since: date | None = None
    lines: tuple[str, ...] = ()
    source: str = ""  # 进度历史 | 上次台账 | "" (nothing to compare with)

    @property
    def known(self) -> bool:
        return bool(self.source)


def mail_subject(unit: str, as_of: date) -> str:
    """县委政法委巡察整改进展情况（截至2021年10月31日）."""
    return f"{unit or '本单位'}巡察整改进展情况（截至{format_cn(as_of)}）"


def attachment_stem(unit: str, as_of: date) -> str:
    """Short on purpose: some webmail clients mangle long Chinese attachment names."""
    return f"{unit or '本单位'}整改台账（截至{format_cn(as_of)}）"


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = cell_text(value)
    percent = text.endswith(("%", "％"))
    try:
        number = float(text.rstrip("%％"))
    except ValueError:
        return None
    return number / 100 if percent else number


def _fmt(value: float, rate: bool) -> str:
    if rate:
        return f"{value * 100:.1f}%"
    return str(int(value)) if value.is_integer() else f"{value:g}"


def history_snapshot(summary: Summary) -> dict[str, object]:
    """This report's values under the 进度历史 headers (the row the summary button appends)."""
    values = {
        "feedback": summary.feedback_count, "problems": summary.problem_count,
        "problems_closed": summary.problems_closed, "measures": summary.measure_count,
        "done": summary.measures_done, "ongoing": summary.measures_ongoing,
        "basic": summary.measures_basic,
        "in_progress": summary.measures_in_progress, "overdue": len(summary.overdue),
        "due_soon": len(summary.due_soon), "completion_rate": summary.completion_rate,
    }
    return {header: values[key] for key, header in HISTORY_COLUMNS if key in values}


def _history_rows(rows: Sequence[Sequence[object]]) -> tuple[list[str], list[Sequence[object]]]:
    for i, row in enumerate(rows):
        header = [cell_text(v) for v in row]
        if _HISTORY_DATE in header:
            return header, [r for r in rows[i + 1:] if any(cell_text(v) for v in r)]
    return [], []


def _previous_row(header: list[str], data: list[Sequence[object]], as_of: date
                  ) -> tuple[date, Sequence[object]] | None:
    col = header.index(_HISTORY_DATE)
    previous: tuple[date, Sequence[object]] | None = None
    for row in data:
        when = parse_date(row[col] if col < len(row) else None).value
        if when is not None and when < as_of and (previous is None or when >= previous[0]):
            previous = (when, row)
    return previous


def changes_from_history(rows: Sequence[Sequence[object]], current: Mapping[str, object],
                         as_of: date) -> Changes:
    """Compare this report with the last 进度历史 row dated before ``as_of``.

    ``current`` maps history headers to this report's values (``history_snapshot``). The
    summary button appends one row per run, so rows dated ``as_of`` itself are this report.
    """
    header, data = _history_rows(rows)
    previous = _previous_row(header, data, as_of) if header else None
    if previous is None:
        return Changes()
    since, row = previous
    lines: list[str] = []
    for i, label in enumerate(header):
        if not label or label in _HISTORY_SKIP or label not in current:
            continue
        old, new = _number(row[i] if i < len(row) else None), _number(current[label])
        if old is None or new is None or abs(old - new) < 1e-9:
            continue
        rate = label in _RATE_LABELS
        delta = new - old
        sign = "+" if delta > 0 else ("-" if rate else "")
        shown = _fmt(abs(delta) if rate else delta, rate)
        lines.append(f"{label}：{_fmt(old, rate)} → {_fmt(new, rate)}（{sign}{shown}）")
    if not lines:
        lines.append("各项统计数与上次相同，无变化。")
    return Changes(since, tuple(lines), "进度历史")


def changes_from_diff(diff: LedgerDiff) -> Changes:
    """From core.diff.diff_ledgers(previous, current): a count line, then one line per change."""
    if diff.is_empty:
        return Changes(diff.old_as_of, ("与上次报送的台账相比，整改措施无变化。",), "上次台账")
    lines = [f"共{len(diff.changes)}项措施有变化：{diff.summary_line()}。", *_cut(diff.lines(), "项变化")]
    return Changes(diff.old_as_of, tuple(lines), "上次台账")


def _cut(lines: list[str], what: str) -> list[str]:
    if len(lines) <= MAX_LISTED:
        return list(lines)
    return [*lines[:MAX_LISTED], f"……共{len(lines)}{what}，其余见附件台账。"]


def _deadline_text(value: object) -> str:
    parsed = parse_date(value)
    return format_cn(parsed.value) if parsed.value else cell_text(value)


def _overdue_rows(items: Sequence[ItemRow]) -> list[dict[str, object]]:
    return [
        {
            "seq": cell_text(i.seq), "problem": shorten(i.problem, 30), "measure": shorten(i.measure, 60),
            "leader": i.leader or "未填写", "department": i.department or "未填写",
            "deadline": _deadline_text(i.deadline), "days": i.days,
        }
        for i in items[:MAX_LISTED]
    ]


def _by_leader(items: Sequence[ItemRow]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for i in items:
        counts[i.leader or "未填写"] = counts.get(i.leader or "未填写", 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def mail_context(ledger: Ledger, *, as_of: date, today: date, headline: Sequence[tuple[str, object]],
                 overdue: Sequence[ItemRow], changes: Changes, sender_name: str = "",
                 attachments: Sequence[str] = (), encrypted: bool = False,
                 notes: Sequence[str] = ()) -> Mapping[str, object]:
    """Everything the body template shows, already counted, cut and formatted."""
    unit = ledger.info.unit or "本单位"
    return {
        "unit": unit,
        "group": ledger.info.group,
        "subject": mail_subject(ledger.info.unit, as_of),
        "as_of": format_cn(as_of),
        "today": format_cn(today),
        "headline": [(label, value) for label, value in headline if label not in _HEADLINE_SKIP],
        "overdue": _overdue_rows(overdue),
        "overdue_total": len(overdue),
        "overdue_more": max(0, len(overdue) - MAX_LISTED),
        "overdue_by_leader": _by_leader(overdue),
        "changes": list(changes.lines),
        "changes_known": changes.known,
        "changes_since": format_cn(changes.since) if changes.since else "",
        "changes_source": changes.source,
        "attachments": list(attachments),
        "encrypted": encrypted,
        "notes": list(notes),
        "sender_name": sender_name or unit,
    }
