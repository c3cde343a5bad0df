"""Findings and the report: validation results are data, never exceptions."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Finding", "Report", "Severity", "cell_sort_key"]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
_CELL_RE = re.compile(r"^([A-Z]+)(\d+)$")


def cell_sort_key(cell: str | None) -> tuple[int, int]:
    """Row first, then column, so findings read top to bottom like the sheet."""
    if not cell:
        return (0, 0)
    m = _CELL_RE.match(cell)
    if not m:
        return (0, 0)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return (int(m.group(2)), col)


@dataclass(frozen=True, slots=True)
class Finding:
    code: str  # stable, e.g. "RX301"; listed in docs/dev/codes.md, never reused
    severity: Severity
    sheet: str  # e.g. "整改清单"
    cell: str | None  # e.g. "H12"; None for sheet- or book-level findings
    message: str  # plain Chinese for the user
    row: int | None = None  # sheet row (1-based) or paragraph number for text findings
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def location(self) -> str:
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["severity"] = self.severity.value
        d["location"] = self.location
        if not self.extra:
            d.pop("extra")
        return d


@dataclass(frozen=True)
class Report:
    source: str
    findings: tuple[Finding, ...]

    @classmethod
    def build(cls, source: str, findings: Iterable[Finding]) -> Report:
        ordered = sorted(
            set(findings),
            key=lambda f: (f.sheet, cell_sort_key(f.cell), f.row or 0, f.code, f.message),
        )
        return cls(source, tuple(ordered))

    @property
    def valid(self) -> bool:
        return not self.has_errors()

    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    def flatten(self, *fields: str) -> list[tuple[Any, ...]]:
        """Findings as tuples of the given attributes, for terse assertions in tests."""
        return [tuple(getattr(f, name) for name in fields) for f in self.findings]

    def by_severity(self) -> list[Finding]:
        return sorted(self.findings, key=lambda f: _ORDER[f.severity])

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "valid": self.valid,
            "stats": {s.value: self.count(s) for s in Severity},
            "findings": [f.to_dict() for f in self.findings],
        }

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd  # lazy: the validate click must not pay for pandas

        return pd.DataFrame(
            [(f.severity.label, f.code, f.location, f.message) for f in self.findings],
            columns=["级别", "代码", "位置", "说明"],
        )
