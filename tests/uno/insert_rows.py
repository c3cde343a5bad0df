"""Where the first sheet's form buttons are before and after rows are inserted (in memory only).

Usage (via tests/lo_helpers.run_uno): insert_rows.py FILE.xlsm
Prints {"before"|"data_rows"|"above": [[label, x, y, width, height], ...]} in 1/100 mm, after
inserting 3 rows below the header and then 2 rows above the toolbar row. The file is opened
read-only and closed unsaved.
"""

from __future__ import annotations

import sys
from typing import Any

from _office import emit, load, office


def _buttons(sheet: Any) -> list[list[Any]]:
    page = sheet.DrawPage
    shapes = (page.getByIndex(i) for i in range(page.Count))
    return [[s.Control.Label, s.Position.X, s.Position.Y, s.Size.Width, s.Size.Height]
            for s in shapes if hasattr(s, "Control")]


def main(path: str) -> None:
    with office() as desktop:
        doc = load(desktop, path)
        try:
            sheet = doc.Sheets.getByIndex(0)
            result = {"before": _buttons(sheet)}
            sheet.Rows.insertByIndex(5, 3)
            result["data_rows"] = _buttons(sheet)
            sheet.Rows.insertByIndex(0, 2)
            result["above"] = _buttons(sheet)
        finally:
            doc.close(True)
    emit(result)


if __name__ == "__main__":
    main(sys.argv[1])
