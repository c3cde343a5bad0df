"""Print every sheet of workbooks to PDF, one PDF per sheet, as LibreOffice prints it.

Usage: /usr/bin/python3 print_sheets.py OUT_DIR WORKBOOK...
For each visible sheet the document is exported with calc_pdf_Export and the sheet as the
selection, so the PDF holds exactly that sheet's printed pages (its page style, print titles).
Answer: {workbook: {sheet: {"pdf": path, "page": {page style set-up}}}}.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import uno
from _office import emit, load, office, prop


def _page_style(doc: Any, sheet: Any) -> dict[str, Any]:
    style = doc.StyleFamilies.getByName("PageStyles").getByName(sheet.PageStyle)
    titles = sheet.getTitleRows()
    return {
        "width": style.Width, "height": style.Height, "landscape": bool(style.IsLandscape),
        "pages_x": style.ScaleToPagesX, "pages_y": style.ScaleToPagesY,
        "title_rows": [titles.StartRow, titles.EndRow] if sheet.PrintTitleRows else None,
    }


def print_book(desktop: Any, path: str, out_dir: str) -> dict[str, Any]:
    doc = load(desktop, path)
    try:
        sheets = doc.Sheets
        names = list(sheets.ElementNames)
        visible = [n for n in names if sheets.getByName(n).IsVisible]
        result: dict[str, Any] = {}
        stem = os.path.splitext(os.path.basename(path))[0]
        for i, name in enumerate(visible):
            pdf = os.path.join(out_dir, f"{stem}-{i:02d}.pdf")
            selection = uno.Any("[]com.sun.star.beans.PropertyValue",
                                (prop("Selection", sheets.getByName(name)), prop("ExportNotes", False)))
            uno.invoke(doc, "storeToURL", ("file://" + pdf, (
                prop("FilterName", "calc_pdf_Export"), prop("FilterData", selection))))
            result[name] = {"pdf": pdf, "page": _page_style(doc, sheets.getByName(name))}
        return result
    finally:
        doc.close(True)


def main(argv: list[str]) -> None:
    out_dir, paths = argv[0], argv[1:]
    with office() as desktop:
        emit({path: print_book(desktop, path, out_dir) for path in paths})


if __name__ == "__main__":
    main(sys.argv[1:])
