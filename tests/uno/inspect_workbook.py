#!/usr/bin/python3
"""Inspect workbooks with LibreOffice: sheets, code names, buttons and their macros, validations.

usage: /usr/bin/python3 inspect_workbook.py [--cells SHEET!A1,SHEET!B2] FILE...
Prints one JSON object: {FILE: {"sheets": [...], "code_names": {...}, "controls": {sheet: [...]},
"basic": {library: [modules]}, "validation": {"SHEET!A1": {...}}, "names": {name: content},
"header": {first sheet: row 3 values}}}. One soffice for all files.
"""

from __future__ import annotations

import sys

from _office import emit, load, office

VALIDATION_TYPES = {0: "ANY", 1: "WHOLE", 2: "DECIMAL", 3: "DATE", 4: "TIME", 5: "TEXT_LEN",
                    6: "LIST", 7: "CUSTOM"}


def controls(sheet) -> list[dict]:
    found = []
    forms = sheet.DrawPage.Forms
    for fi in range(forms.Count):
        form = forms.getByIndex(fi)
        for ci in range(form.Count):
            control = form.getByIndex(ci)
            scripts = [ev.ScriptCode for ev in form.getScriptEvents(ci)
                       if ev.EventMethod == "actionPerformed"]
            found.append({"name": control.Name, "label": getattr(control, "Label", None),
                          "macro": scripts[0] if scripts else None})
    return found


def validation(doc, ref: str) -> dict:
    sheet_name, cell = ref.rsplit("!", 1)
    v = doc.Sheets.getByName(sheet_name).getCellRangeByName(cell).Validation
    return {"type": VALIDATION_TYPES.get(v.Type.value if hasattr(v.Type, "value") else v.Type,
                                         str(v.Type.value)),
            "formula1": v.getFormula1(), "show_list": int(v.ShowList),
            "error_style": str(v.ErrorAlertStyle.value)}


def inspect(desktop, path: str, cells: list[str]) -> dict:
    doc = load(desktop, path)
    try:
        sheets = doc.Sheets
        names = list(sheets.ElementNames)
        libs = doc.BasicLibraries
        basic = {}
        for lib in libs.ElementNames:
            if not libs.isLibraryLoaded(lib):
                libs.loadLibrary(lib)
            basic[lib] = sorted(libs.getByName(lib).ElementNames)
        return {
            "sheets": names,
            "code_names": {n: sheets.getByName(n).CodeName for n in names},
            "controls": {n: controls(sheets.getByName(n)) for n in names},
            "basic": basic,
            "validation": {ref: validation(doc, ref) for ref in cells},
            "names": {n: doc.NamedRanges.getByName(n).Content for n in doc.NamedRanges.ElementNames},
            "header": {n: [c for c in sheets.getByName(n).getCellRangeByName("A1:Z3").DataArray[2]
                           if c != ""] for n in names[:1]},
        }
    finally:
        doc.close(True)


def main(argv: list[str]) -> None:
    cells: list[str] = []
    if len(argv) > 1 and argv[0] == "--cells":
        cells = [c for c in argv[1].split(",") if c]
        argv = argv[2:]
    with office() as desktop:
        emit({path: inspect(desktop, path, cells) for path in argv})


if __name__ == "__main__":
    main(sys.argv[1:])
