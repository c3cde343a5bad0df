"""The report sheets the ledger workbook builder adds, described once (core.sheet_spec).

``report_sheet``: a table whose first row is its header (导入报告 of ``rectify-xl import`` and
``rectify-xl adopt``), in the ledger workbook's own look (styles ``ledger_*``: 黑体 headers on
blue, 宋体 body cells wrapped, dates as yyyy-mm-dd), each column as wide as its longest value
(CJK characters count two), the header frozen and ruled for printing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rectify_xl.core.model import col_letter
from rectify_xl.core.sheet_spec import Block, SheetSpec, Styled

__all__ = ["REPORT_MAX_WIDTH", "REPORT_MIN_WIDTH", "report_sheet"]

REPORT_MIN_WIDTH, REPORT_MAX_WIDTH = 8, 60


def _width(value: object) -> int:
    """A column wide enough for ``value``: two per character (CJK is two wide), bounded."""
    return min(REPORT_MAX_WIDTH, max(REPORT_MIN_WIDTH, len(str(value or "")) * 2))


def _body_styles(rows: Sequence[Sequence[object]]) -> list[Styled]:
    """Each body cell's style: dates get the date style, every other cell wraps. Runs of one
    kind along a row become one rectangle, and equal runs of consecutive rows grow it down."""
    out: list[Styled] = []
    previous: dict[tuple[int, int, str], int] = {}  # a run of the row above → its index in out
    for r, row in enumerate(rows[1:], start=2):
        runs: list[tuple[int, int, str]] = []  # (left, right, style)
        for c, value in enumerate(row, start=1):
            style = "ledger_date" if isinstance(value, date) else "ledger_wrap"
            if runs and runs[-1][2] == style:
                runs[-1] = (runs[-1][0], c, style)
            else:
                runs.append((c, c, style))
        current: dict[tuple[int, int, str], int] = {}
        for run in runs:
            above = previous.get(run)
            if above is not None:
                s = out[above]
                out[above] = Styled(s.top, s.left, r, s.right, s.style)
                current[run] = above
            else:
                current[run] = len(out)
                out.append(Styled(r, run[0], r, run[1], run[2]))
        previous = current
    return out


def report_sheet(name: str, rows: Sequence[Sequence[object]]) -> SheetSpec:
    """A report table: ``rows[0]`` is the header. Values are written as they are (text always
    as text, never a formula)."""
    table = tuple(tuple(row) for row in rows)
    widths: dict[int, int] = {}
    for row in table:
        for c, value in enumerate(row, start=1):
            widths[c] = max(widths.get(c, REPORT_MIN_WIDTH), _width(value))
    styles: list[Styled] = []
    if table and table[0]:  # "header" starts the ruled, repeated table; ledger_header: its look
        styles += [Styled(1, 1, 1, len(table[0]), "header"),
                   Styled(1, 1, 1, len(table[0]), "ledger_header")]
    styles += _body_styles(table)
    return SheetSpec(
        name, (Block(1, 1, table),) if table else (), styles=tuple(styles),
        widths=tuple((col_letter(c), float(w)) for c, w in sorted(widths.items())),
        freeze="A2" if table else None,
    )
