"""Run the RxTest.RxTestAll Sub of a workbook in LibreOffice's VBA mode; report what it changed.

Usage (via tests/lo_helpers.run_uno): run_vba_helpers.py FILE.xlsm
"""

from __future__ import annotations

import sys

from _office import emit, load, office

TEST_SUB = "vnd.sun.star.script:VBAProject.RxTest.RxTestAll?language=Basic&location=document"


def main(path: str) -> None:
    with office() as desktop:
        doc = load(desktop, path, macros=True)
        try:
            doc.getScriptProvider().getScript(TEST_SUB).invoke((), (), ())
            sheet = doc.Sheets.getByIndex(0)
            emit({
                "z1": sheet.getCellRangeByName("Z1").String,
                "a1_back": sheet.getCellRangeByName("A1").CellBackColor,
                "charts": len(sheet.Charts.ElementNames),
                "print": [[a.StartRow, a.EndRow] for a in doc.Sheets.getByIndex(1).getPrintAreas()],
            })
        finally:
            doc.close(True)


if __name__ == "__main__":
    main(sys.argv[1])
