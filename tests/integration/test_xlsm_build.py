"""The macro-enabled ledger (.xlsm), checked with independent readers: olevba, olefile, the zip."""

from __future__ import annotations

import importlib
import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from rectify_xl.adapters.vba_project import (
    MACROS_DIR,
    VbaModule,
    macro_modules,
    xlwings_module,
)
from rectify_xl.adapters.vba_server import vba_modules
from rectify_xl.adapters.workbook_builder import build_workbook, button_places, sheet_order
from rectify_xl.core.schema import BUTTONS, COLUMNS, SHEETS
from rectify_xl.errors import OutputError
from tests.conftest import ROOT, sample_records_copy

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # oletools' pyparsing usage

RUN_PYTHON = re.compile(r'RunPython\s+"import\s+([\w.]+)\s+as\s+(\w+);\s*\2\.(\w+)\(\)"')


COMMITTED = ROOT / "workbook" / "整改台账.xlsm"


@pytest.fixture(scope="module", params=["fresh", "committed"])
def xlsm(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A freshly built sample .xlsm, and the committed blank one staff download."""
    if request.param == "committed":
        return COMMITTED
    return build_workbook(tmp_path_factory.mktemp("xlsm") / "台账.xlsm", sample_records_copy())


def _code(module_source: str) -> list[str]:
    """A module's code lines: class headers and Attribute lines differ between writer and reader."""
    skip = ("VERSION ", "BEGIN", "END", "  MultiUse", "Attribute ")
    lines = module_source.replace("\r\n", "\n").split("\n")
    return [line for line in lines if line.strip() and not line.startswith(skip)]


def _olevba_name(module: VbaModule) -> str:
    return f"{module.name}.{'cls' if module.is_class else 'bas'}"


@pytest.fixture(scope="module")
def modules(xlsm: Path) -> dict[str, str]:
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(xlsm))
    try:
        return {name: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def _part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode("utf-8")


class TestVbaProject:
    def test_olevba_lists_every_module_with_its_exact_source(self, modules: dict[str, str]) -> None:
        for module in vba_modules():
            if module.is_class:  # the reader adds VB_Base and drops the export header
                assert _code(modules[_olevba_name(module)]) == _code(module.source), module.name
            else:
                assert modules[_olevba_name(module)] == module.source, module.name
        assert {f"{m.stem}.bas" for m in MACROS_DIR.glob("*.bas")} <= set(modules)

    def test_standalone_modules_are_what_xlwings_quickstart_embeds(self, modules: dict[str, str]
                                                                  ) -> None:
        """xlwings.bas and the Dictionary class it needs on macOS, from the pinned wheel."""
        import xlwings
        from oletools.olevba import VBA_Parser

        parser = VBA_Parser(str(Path(xlwings.__file__).with_name("quickstart_standalone.xlsm")))
        try:
            theirs = {name: code for _, _, name, code in parser.extract_macros()}
        finally:
            parser.close()
        for name in ("xlwings.bas", "Dictionary.cls"):  # the VBA editor re-cased some names there
            ours, reference = _code(modules[name]), _code(theirs[name])
            assert [line.casefold() for line in ours] == [line.casefold() for line in reference], name

    def test_xlwings_module_is_the_pinned_packages_own(self, modules: dict[str, str]) -> None:
        import xlwings

        bas = Path(xlwings.__file__).with_name("xlwings.bas").read_bytes().decode("ascii")
        assert modules["xlwings.bas"] == bas
        assert f"'Version: {xlwings.__version__}" in bas

    def test_every_sheet_code_name_has_a_document_module(self, xlsm: Path) -> None:
        import olefile

        workbook_xml = _part(xlsm, "xl/workbook.xml")
        assert 'codeName="ThisWorkbook"' in workbook_xml
        with zipfile.ZipFile(xlsm) as z:
            sheet_parts = sorted(n for n in z.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))
            code_names = [re.search(r'codeName="(\w+)"', z.read(n).decode()).group(1)  # type: ignore[union-attr]
                          for n in sheet_parts]
            ole = olefile.OleFileIO(io.BytesIO(z.read("xl/vbaProject.bin")))
        project = ole.openstream("PROJECT").read().decode("latin-1")
        ole.close()
        assert len(code_names) == len(sheet_order(macro_enabled=True))
        for name in ["ThisWorkbook", *code_names]:
            assert re.search(rf"^Document={name}/&H0+\r?$", project, re.M), name
        for module in vba_modules():
            kind = "Class" if module.is_class else "Module"
            assert re.search(rf"^{kind}={module.name}\r?$", project, re.M), module.name

    def test_package_is_macro_enabled(self, xlsm: Path) -> None:
        assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in _part(xlsm, "[Content_Types].xml")


class TestButtons:
    def test_each_button_is_bound_to_a_public_sub_that_exists(self, xlsm: Path,
                                                             modules: dict[str, str]) -> None:
        vml = _part(xlsm, "xl/drawings/vmlDrawing1.vml")
        assert re.findall(r"<x:FmlaMacro>\[0\]!(\w+)</x:FmlaMacro>", vml) == [b.macro for b in BUTTONS]
        for button in BUTTONS:
            assert f">{button.caption}</font>" in vml
        code = "\n".join(modules.values())
        for button in BUTTONS:
            assert re.search(rf"^Public Sub {button.macro}\(\)", code, re.M), button.macro

    def test_buttons_sit_in_the_toolbar_band_and_do_not_move_with_cells(self, xlsm: Path) -> None:
        vml = _part(xlsm, "xl/drawings/vmlDrawing1.vml")
        blocks = re.findall(r'<x:ClientData ObjectType="Button">(.*?)</x:ClientData>', vml, re.S)
        assert len(blocks) == len(BUTTONS)
        title_cols = [c.key for c in COLUMNS].index("problem")
        widths = set()
        for block in blocks:
            assert "<x:MoveWithCells/>" in block and "<x:SizeWithCells/>" in block
            col1, x1, row1, _, col2, x2, row2, _ = (
                int(v) for v in re.search(r"<x:Anchor>(.*?)</x:Anchor>", block).group(1).split(","))  # type: ignore[union-attr]
            assert row1 == row2 == 0 and col1 > title_cols  # row 1, right of the title
            # inside one column, so the width does not depend on how an application sizes columns
            assert col1 == col2
            widths.add(x2 - x1)
        assert len(widths) == 1
        assert [col for col, _ in button_places(title_cols + 1)] == [
            int(re.search(r"<x:Anchor>(\d+),", b).group(1)) for b in blocks]  # type: ignore[union-attr]

    def test_captions_use_a_chinese_font_small_enough_not_to_wrap(self, xlsm: Path) -> None:
        vml = _part(xlsm, "xl/drawings/vmlDrawing1.vml")
        fonts = re.findall(r'<font face="([^"]+)" size="(\d+)"[^>]*>([^<]+)</font>', vml)
        assert fonts == [("宋体", "180", b.caption) for b in BUTTONS]

    def test_plain_xlsx_has_no_macros_and_no_buttons(self, tmp_path: Path) -> None:
        path = build_workbook(tmp_path / "plain.xlsx", sample_records_copy())
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            vml = b"".join(z.read(n) for n in names if n.endswith(".vml"))
        assert "xl/vbaProject.bin" not in names and b"Button" not in vml
        assert "macroEnabled" not in _part(path, "[Content_Types].xml")
        assert SHEETS.XLWINGS_CONF not in load_workbook(path).sheetnames


class TestRunPythonTargets:
    def test_every_run_python_string_names_a_function_that_imports(self) -> None:
        calls = [m for mod in macro_modules() for m in RUN_PYTHON.findall(mod.source)]
        assert calls, "no RunPython call found in macros/*.bas"
        for module_name, _, function in calls:
            module = importlib.import_module(module_name)
            assert callable(getattr(module, function, None)), f"{module_name}.{function}"

    def test_each_button_function_is_called_by_its_macro(self) -> None:
        source = "\n".join(m.source for m in macro_modules())
        for button in BUTTONS:
            body = re.search(rf"Sub {button.macro}\(\)(.*?)End Sub", source, re.S)
            assert body and re.search(rf"\.{button.function}\(\)", body.group(1)), button.macro


class TestXlwingsConf:
    def test_config_sheet_keys_are_the_ones_xlwings_bas_reads(self, xlsm: Path) -> None:
        ws = load_workbook(xlsm, keep_vba=True)[SHEETS.XLWINGS_CONF]
        keys = []
        for row in ws.iter_rows(min_col=1, max_col=1, values_only=True):
            if row[0] is None:
                break  # xlwings reads A1 down to the first blank
            keys.append(row[0])
        bas = xlwings_module().source
        assert keys[:2] == ["Interpreter_Win", "Interpreter_Mac"]
        for key in keys:
            assert f'GetConfig("{key.upper()}"' in bas, key
        values = {row[0]: row[1] for row in ws.iter_rows(max_col=2, values_only=True) if row[0]}
        # the launcher keeps pandas out of a click (docs/dev/decisions.md)
        assert values["Use UDF Server"] is False
        assert values["Interpreter_Win"] == "rectify-xl-python"
        assert values["Interpreter_Mac"] is None  # macOS needs a full path: the user's
        assert ws["C1"].value  # a hint beside the interpreter


class TestMacroSources:
    def test_non_ascii_bas_is_refused_loudly(self, tmp_path: Path) -> None:
        (tmp_path / "Bad.bas").write_bytes('Attribute VB_Name = "Bad"\r\nMsgBox "校验"\r\n'.encode())
        with pytest.raises(OutputError, match=r"Bad\.bas.*第2行.*ASCII"):
            macro_modules(tmp_path)

    def test_module_name_from_vb_name_else_stem_and_crlf_endings(self, tmp_path: Path) -> None:
        (tmp_path / "a.bas").write_bytes(b'Attribute VB_Name = "Named"\nSub X()\nEnd Sub\n')
        (tmp_path / "Plain.bas").write_bytes(b"Sub Y()\r\nEnd Sub\r\n")
        got = {m.name: m.source for m in macro_modules(tmp_path)}
        assert got == {"Named": 'Attribute VB_Name = "Named"\r\nSub X()\r\nEnd Sub\r\n',
                       "Plain": "Sub Y()\r\nEnd Sub\r\n"}

    def test_server_variant_refuses_a_url_that_cannot_go_into_vba(self, tmp_path: Path) -> None:
        # issue 9 filled the hook (rectify_xl/adapters/vba_server.py; tests/integration/test_server_remote.py)
        with pytest.raises(OutputError, match="服务器地址"):
            build_workbook(tmp_path / "s.xlsm", server_url='https://example.invalid/"')
        assert not (tmp_path / "s.xlsm").exists()
