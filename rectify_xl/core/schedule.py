"""序时进度: is a measure behind schedule before its deadline?

The rule (documented in docs/dev/validation.md and the README):

- the time share is ``(as_of − start) / (deadline − start)``, where ``start`` is the measure's own
  开始日期 when filled, else the 反馈日期 of 基本信息;
- the progress is the 完成进度 percentage when filled, else a default by status: blank (not
  started) 0%, 正在推进 and its synonyms 50%, 基本完成 80%, 已完成 / 长期坚持 100%;
- the measure is behind schedule when it is not done, its deadline has not passed (an overdue
  measure is reported as overdue instead) and ``time share − progress > margin``; the margin is
  the setting 序时进度容差 (core.settings: 设置 sheet, user config, default 20%).

The same formula drives the amber conditional formatting of the template
(adapters.workbook_sheets), so Excel, WPS and LibreOffice colour the rows without Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from rectify_xl.core.model import Ledger, Measure
from rectify_xl.core.schema import COLUMN_BY_KEY, SETTINGS_FIELDS, Status

__all__ = [
    "DEFAULT_MARGIN",
    "DEFAULT_PROGRESS",
    "UNKNOWN_STATUS_PROGRESS",
    "Lag",
    "behind_schedule",
    "lag_of",
    "parse_percent",
]

# Progress assumed from the status when no 完成进度 is filled (blank status = not started).
DEFAULT_PROGRESS: dict[Status | None, float] = {
    None: 0.0,
    Status.IN_PROGRESS: 0.5,
    Status.BASIC: 0.8,  # 基本完成: mostly done, stage results reached
    Status.DONE: 1.0,
    Status.ONGOING: 1.0,
}
UNKNOWN_STATUS_PROGRESS = 0.5  # a status word the schema maps elsewhere but not done
_MARGIN_FIELD = next(f for f in SETTINGS_FIELDS if f.key == "schedule_margin")
_PERCENT_RE = re.compile(r"^(\d+(?:\.\d+)?)\s*[%％]?$")


def parse_percent(value: object) -> tuple[float | None, str]:
    """A cell of 完成进度 → (fraction 0..1, ""), or (None, raw text) when it is not a percentage.

    Excel stores 60% as 0.6; staff also type 60, "60%" or "60％". A number above 1 is read as
    percent points (60 → 0.6); 1 is 100%.
    """
    if value is None or value == "":
        return None, ""
    if isinstance(value, bool):
        return None, str(value)
    if isinstance(value, int | float):
        number = float(value)
        if 1 < number < 2 and not number.is_integer():
            # 1.2 is what a cell formatted as a percentage holds for 120% (1.2 percent points
            # would be typed as 1.2% or 0.012): over 100%, shown as Excel shows it
            return None, f"{number:.0%}"
        fraction = number if number <= 1 else number / 100
    else:
        text = str(value).strip()
        if not text:
            return None, ""
        match = _PERCENT_RE.match(text)
        if not match:
            return None, text
        number = float(match.group(1))
        fraction = number / 100 if text[-1] in "%％" or number > 1 else number
    if not 0 <= fraction <= 1:
        return None, str(value).strip()
    return fraction, ""


DEFAULT_MARGIN = parse_percent(_MARGIN_FIELD.default)[0] or 0.2


@dataclass(frozen=True, slots=True)
class Lag:
    """How far a measure is behind: both shares as fractions, and the start used."""

    elapsed: float
    progress: float
    start: date
    progress_source: str  # the column header (完成进度) or the status word the default came from

    @property
    def gap(self) -> float:
        return self.elapsed - self.progress


def lag_of(m: Measure, feedback_date: date | None, as_of: date) -> Lag | None:
    """Elapsed share and progress of an open measure between its start and its deadline."""
    if m.is_done or m.deadline is None or m.deadline < as_of:
        return None
    start = m.start_date or feedback_date
    if start is None or m.deadline <= start or as_of < start:
        return None
    elapsed = (as_of - start).days / (m.deadline - start).days
    if m.percent is not None:
        return Lag(elapsed, m.percent, start, COLUMN_BY_KEY["percent"].header)
    progress = DEFAULT_PROGRESS.get(m.status, UNKNOWN_STATUS_PROGRESS)
    return Lag(elapsed, progress, start, m.status_raw or "未填写状态")


def behind_schedule(ledger: Ledger, as_of: date, margin: float = DEFAULT_MARGIN
                    ) -> list[tuple[Measure, Lag]]:
    """The measures behind schedule on ``as_of`` by more than ``margin`` (the 序时进度容差 of
    core.settings.Settings), in sheet order."""
    found = []
    for m in ledger.measures:
        lag = lag_of(m, ledger.info.feedback_date, as_of)
        if lag is not None and lag.gap > margin + 1e-9:
            found.append((m, lag))
    return found
