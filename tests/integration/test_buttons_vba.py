"""The Rx* helper Subs of macros/Buttons.bas run in a real VBA engine: LibreOffice's VBA mode.

A syntax error anywhere in Buttons.bas would stop every button in Excel (VBA compiles the whole
module), and the helpers cannot run through the remote tests' replayer. LibreOffice executes
VBA: a test module calls each helper on a workbook built with the project's own VBA builder.
LibreOffice's Excel object model is partial (AddComment, ColumnWidth, WrapText and chart names
have no effect there), so only what it does implement is asserted.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.lo_helpers import UNO_DIR, run_uno, soffice_available

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(not soffice_available(), reason="LibreOffice/python3-uno not installed"),
]

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


def _build(path: Path) -> Path:
    import xlsxwriter

    from rectify_xl.adapters.vba_project import VbaModule, build_vba_bin, macro_modules
    from rectify_xl.core.schema import SHEETS

    modules = [*macro_modules(), VbaModule("RxTest", _TEST_MODULE.replace("\n", "\r\n"))]
    wb = xlsxwriter.Workbook(str(path))
    ledger, notice = wb.add_worksheet(SHEETS.LEDGER), wb.add_worksheet(SHEETS.NOTICE)
    for r in range(5):
        ledger.write_row(r, 0, ["方面", "已完成", "长期坚持"] if r == 0 else [f"方面{r}", r, 2 * r])
    for r in range(3):
        notice.write_string(r, 0, "整改进展情况" * 30)
    wb.add_vba_project(io.BytesIO(build_vba_bin(2, modules)), is_stream=True)
    wb.close()
    return path


def test_helper_subs_compile_and_run_in_a_vba_engine(tmp_path: Path) -> None:
    book = _build(tmp_path / "helpers.xlsm")
    result = run_uno(UNO_DIR / "run_vba_helpers.py", str(book), timeout=120)
    assert result["z1"] == "done"  # every helper ran to the end without a VBA error
    assert result["a1_back"] == -1  # RxClearFill: no fill (not white)
    assert result["charts"] == 1  # RxChart made a chart from the range
    assert result["print"] == [[0, 2]]  # RxFormatText: print area A1:A3
