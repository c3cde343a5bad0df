"""The Rx* helper Subs of macros/Buttons.bas run in a real VBA engine: LibreOffice's VBA mode.

A syntax error anywhere in Buttons.bas would stop every button in Excel (VBA compiles the whole
module), and the helpers cannot run through the remote tests' replayer. LibreOffice executes
VBA: a test module calls each helper on a workbook built with the project's own VBA builder.
LibreOffice's Excel object model is partial (AddComment, ColumnWidth, WrapText and chart names
have no effect there), so only what it does implement is asserted.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.libreoffice

_TEST_MODULE = """Attribute VB_Name = "RxTest"
Public Sub RxTestAll()
    Dim wb As Workbook, s1 As String, s2 As String
    Set wb = ThisWorkbook
    s1 = wb.Worksheets(1).Name
    s2 = wb.Worksheets(2).Name
    wb.Worksheets(1).Range("A1").Interior.Color = RGB(255, 199, 206)
    RxClearFill wb, s1, "A1"
    RxSetNote wb, s1, "B2", "[rx] first"
    RxSetNote wb, s1, "B2", "[rx] second"
    RxClearNote wb, s1, "B2", "[rx]"
    RxFormatText wb, s2, "A1:A3", 90
    RxChart wb, s1, "rx_c", "A1:C4", "F2", 52, "t"
    wb.Worksheets(1).Range("Z1").Value = "done"
End Sub
"""

_UNO = r'''
import json, os, subprocess, sys, time
import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

src, profile = sys.argv[1], sys.argv[2]
def prop(n, v):
    p = PropertyValue(); p.Name, p.Value = n, v; return p
pipe = f"rxvba{os.getpid()}"
proc = subprocess.Popen(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                         "--norestore", "--nodefault", f"--accept=pipe,name={pipe};urp;"],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
local = uno.getComponentContext()
resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
ctx = None
for _ in range(150):
    try:
        ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext"); break
    except NoConnectException:
        time.sleep(0.2)
if ctx is None:
    proc.kill(); sys.exit("LibreOffice did not start")
desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
out = {}
try:
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0,
        (prop("Hidden", True), prop("ReadOnly", True), prop("MacroExecutionMode", 4)))
    script = doc.getScriptProvider().getScript(
        "vnd.sun.star.script:VBAProject.RxTest.RxTestAll?language=Basic&location=document")
    script.invoke((), (), ())
    sheet = doc.Sheets.getByIndex(0)
    out["z1"] = sheet.getCellRangeByName("Z1").String
    out["a1_back"] = sheet.getCellRangeByName("A1").CellBackColor
    out["charts"] = len(sheet.Charts.ElementNames)
    out["print"] = [[a.StartRow, a.EndRow] for a in doc.Sheets.getByIndex(1).getPrintAreas()]
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
print(json.dumps(out))
'''


def _build(path: Path) -> Path:
    import xlsxwriter

    from rectify_xl.adapters.vba_project import VbaModule, build_vba_bin, macro_modules

    modules = [*macro_modules(), VbaModule("RxTest", _TEST_MODULE.replace("\n", "\r\n"))]
    wb = xlsxwriter.Workbook(str(path))
    ledger, notice = wb.add_worksheet("整改清单"), wb.add_worksheet("公告")
    for r in range(5):
        ledger.write_row(r, 0, ["方面", "已完成", "长期坚持"] if r == 0 else [f"方面{r}", r, 2 * r])
    for r in range(3):
        notice.write_string(r, 0, "整改进展情况" * 30)
    wb.add_vba_project(io.BytesIO(build_vba_bin(2, modules)), is_stream=True)
    wb.close()
    return path


@pytest.mark.skipif(not (Path("/usr/bin/python3").exists() and shutil.which("soffice")),
                    reason="needs LibreOffice and python3-uno")
def test_helper_subs_compile_and_run_in_a_vba_engine(tmp_path: Path) -> None:
    book = _build(tmp_path / "helpers.xlsm")
    script = tmp_path / "run_helpers.py"
    script.write_text(_UNO, "utf-8")
    done = subprocess.run(["/usr/bin/python3", str(script), str(book), str(tmp_path / "profile")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["z1"] == "done"  # every helper ran to the end without a VBA error
    assert result["a1_back"] == -1  # RxClearFill: no fill (not white)
    assert result["charts"] == 1  # RxChart made a chart from the range
    assert result["print"] == [[0, 2]]  # RxFormatText: print area A1:A3
