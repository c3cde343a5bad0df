"""Render the README picture of the ledger sheet and its buttons: docs/img/ledger-buttons.png.

Builds the sample ledger .xlsm with the project's own builder, opens it read-only in LibreOffice
headless (UNO, under Debian's /usr/bin/python3 with a private profile and pipe), makes the
buttons printable (they are non-printing by default), prints the top rows of 整改清单 to PDF
and converts page 1 to PNG with pdftoppm.

Usage: .venv/bin/python scripts/render_ledger_png.py [--workbook X.xlsm] [--out PNG] [--rows 9]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from _png import first_page_png

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Runs under /usr/bin/python3 (python3-uno); argv: workbook, pdf, sheet, rows, columns, profile.
_UNO = r'''
import os, subprocess, sys, time
import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException
from com.sun.star.table import CellRangeAddress

src, pdf, sheet_name, rows, cols, profile = sys.argv[1:7]
rows, cols = int(rows), int(cols)

def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p

pipe = f"rxshot{os.getpid()}"
proc = subprocess.Popen(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                         "--norestore", "--nodefault", f"--accept=pipe,name={pipe};urp;"],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
local = uno.getComponentContext()
resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
ctx = None
for _ in range(150):
    try:
        ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        break
    except NoConnectException:
        time.sleep(0.2)
if ctx is None:
    proc.kill()
    sys.exit("LibreOffice did not start")
desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
try:
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0,
                                       (prop("Hidden", True), prop("ReadOnly", True),
                                        prop("MacroExecutionMode", 0)))
    if doc is None:
        sys.exit(f"LibreOffice could not load {src}")
    sheet = doc.Sheets.getByName(sheet_name)
    page = sheet.DrawPage
    for i in range(page.Count):
        shape = page.getByIndex(i)
        if hasattr(shape, "Control"):
            shape.Control.Printable = True
    area = CellRangeAddress()
    area.Sheet, area.StartColumn, area.StartRow = sheet.RangeAddress.Sheet, 0, 0
    area.EndColumn, area.EndRow = cols - 1, rows - 1
    sheet.setPrintAreas((area,))
    sheet.setTitleRows(CellRangeAddress())
    style = doc.StyleFamilies.getByName("PageStyles").getByName(sheet.PageStyle)
    style.IsLandscape = True
    w, h = style.Width, style.Height
    style.Width, style.Height = max(w, h), min(w, h)
    style.ScaleToPagesX, style.ScaleToPagesY = 1, 1
    style.HeaderIsOn = style.FooterIsOn = False
    # header notes would print as annotation icons over the headers
    data = uno.Any("[]com.sun.star.beans.PropertyValue",
                   (prop("Selection", sheet), prop("ExportNotes", False),
                    prop("ExportNotesInMargin", False)))
    doc.storeToURL(uno.systemPathToFileUrl(pdf),
                   (prop("FilterName", "calc_pdf_Export"), prop("FilterData", data)))
    doc.close(True)
finally:
    try:
        desktop.terminate()
    except Exception:
        pass
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
'''


def render(workbook: Path, out: Path, *, rows: int, cols: int, dpi: int = 110) -> Path:
    from rectify_xl.core.schema import SHEETS

    with tempfile.TemporaryDirectory(prefix="rx-render-") as tmp:
        tmpdir = Path(tmp)
        script, pdf = tmpdir / "shot.py", tmpdir / "ledger.pdf"
        script.write_text(_UNO, "utf-8")
        profile = tmpdir / "profile"
        subprocess.run(["/usr/bin/python3", str(script), str(workbook.resolve()), str(pdf),
                        SHEETS.LEDGER, str(rows), str(cols), str(profile)],
                       check=True, timeout=180)
        return first_page_png(pdf, out, dpi=dpi)


def main() -> None:
    parser = argparse.ArgumentParser(description="README 配图：台账表和按钮")
    parser.add_argument("--workbook", type=Path, help="要截图的 .xlsm（默认用示例台账现建一个）")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img" / "ledger-buttons.png")
    parser.add_argument("--rows", type=int, default=7, help="截取的行数（从第1行起）")
    parser.add_argument("--cols", type=int, default=9, help="截取的列数（从A列起）")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rx-book-") as tmp:
        workbook = args.workbook
        if workbook is None:
            from rectify_xl.adapters.sample_data import sample_records
            from rectify_xl.adapters.workbook_builder import build_workbook

            workbook = build_workbook(Path(tmp) / "整改台账.xlsm", sample_records())
        print("wrote", render(workbook, args.out, rows=args.rows, cols=args.cols))


if __name__ == "__main__":
    main()
