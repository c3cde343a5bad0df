"""The fill LibreOffice's own conditional formatting gives each data row of the ledger sheet.

Usage (via tests/lo_helpers.run_uno): highlight_colours.py FILE ROW [ROW ...]
Prints {"ROW": "RRGGBB" | null, ...}: for each 1-based row, the background colour of the style of
the first conditional-format entry whose formula LibreOffice evaluates to true there (honouring
the order of the entries), or null. Each entry's formula is evaluated by LibreOffice itself in a
scratch cell of the row asked about, its row-relative references moved to that row. The file
is opened read-only and closed unsaved.
"""

from __future__ import annotations

import re
import sys
from typing import Any

import uno  # noqa: F401  (registers the com.sun.star types)
from _office import emit, load, office

SCRATCH_COL = 300  # a column far right of the table


def _entries(sheet: Any) -> list[tuple[int, str, str]]:
    """(first row 0-based, formula, style name) of every formula entry, in priority order."""
    out = []
    formats = sheet.ConditionalFormats
    for cf in formats.ConditionalFormats:
        ranges = cf.Range.RangeAddresses
        top = ranges[0].StartRow
        for i in range(cf.Count):
            entry = cf.getByIndex(i)
            if hasattr(entry, "Formula1") and entry.Formula1:
                out.append((top, entry.Formula1, entry.StyleName))
    return out


def _api_syntax(formula: str) -> str:
    """The entry reports Excel-style "," separators; XCell.setFormula wants ";"."""
    parts = formula.split('"')
    return '"'.join(p.replace(",", ";") if i % 2 == 0 else p for i, p in enumerate(parts))


def _moved(formula: str, first: int, row: int) -> str:
    """The formula as it applies to ``row``: row-relative references ($H4) move with the row
    (the template's rules use column-absolute, row-relative references only)."""
    return re.sub(rf"(\$[A-Z]{{1,3}}){first}(?!\d)", lambda m: f"{m.group(1)}{row}", formula)


def main(path: str, rows: list[int]) -> None:
    result: dict[str, Any] = {}
    with office() as desktop:
        doc = load(desktop, path)
        try:
            sheet = doc.Sheets.getByIndex(0)
            styles = doc.StyleFamilies.getByName("CellStyles")
            entries = _entries(sheet)
            for r in rows:
                colour = None
                for n, (top, formula, style) in enumerate(entries):
                    col = SCRATCH_COL + n
                    cell = sheet.getCellByPosition(col, r - 1)
                    cell.setFormula("=" + _api_syntax(_moved(formula, top + 1, r)))
                    if cell.getValue() != 0 and not cell.getError():
                        colour = f"{styles.getByName(style).CellBackColor & 0xFFFFFF:06X}"
                        break
                result[str(r)] = colour
        finally:
            doc.close(True)
    emit(result)


if __name__ == "__main__":
    main(sys.argv[1], [int(a) for a in sys.argv[2:]])
