"""LibreOffice (headless, UNO) opens the built .xlsx and .xlsm: an independent Excel-like client."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from rectify_xl.adapters.workbook_builder import build_workbook, sheet_order
from rectify_xl.core.model import col_letter
from rectify_xl.core.schema import BUTTONS, COLUMNS, SHEETS, STATUS_CHOICES, TEXT_SECTIONS
from tests.conftest import ROOT, sample_records_copy, sha256
from tests.lo_helpers import UNO_DIR, run_uno, soffice_available

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(not soffice_available(), reason="LibreOffice/python3-uno not installed"),
]


def _cell(key: str, row: int = 4) -> str:
    return f"{SHEETS.LEDGER}!{col_letter([c.key for c in COLUMNS].index(key) + 1)}{row}"


CELLS = {"status": _cell("status"), "aspect": _cell("aspect"), "deadline": _cell("deadline"),
         "section": f"{SHEETS.TEXT}!A2"}


@pytest.fixture(scope="module")
def seen(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One soffice launch inspects fresh builds and the committed .xlsm; inputs stay unchanged."""
    out = tmp_path_factory.mktemp("lo")
    xlsx = build_workbook(out / "sample.xlsx", sample_records_copy())
    xlsm = build_workbook(out / "blank.xlsm")
    committed = ROOT / "workbook" / "整改台账.xlsm"
    files = (xlsx, xlsm, committed)
    before = {p: sha256(p) for p in files}
    result = run_uno(UNO_DIR / "inspect_workbook.py", "--cells", ",".join(CELLS.values()),
                     *map(str, files), timeout=90)
    assert {p: sha256(p) for p in files} == before
    return {"xlsx": result[str(xlsx)], "xlsm": result[str(xlsm)], "committed": result[str(committed)]}


def _quoted_list(values: Any) -> str:
    return ";".join(f'"{v}"' for v in values)


class TestLibreOfficeOpensTheWorkbooks:
    def test_sheets_and_the_ledger_header(self, seen: dict[str, Any]) -> None:
        assert seen["xlsx"]["sheets"] == sheet_order(macro_enabled=False)
        assert seen["xlsm"]["sheets"] == sheet_order(macro_enabled=True)
        for kind in ("xlsx", "xlsm"):
            assert seen[kind]["header"][SHEETS.LEDGER] == [c.header for c in COLUMNS]

    @pytest.mark.parametrize("kind", ["xlsx", "xlsm", "committed"])
    def test_dropdown_lists(self, seen: dict[str, Any], kind: str) -> None:
        v = seen[kind]["validation"]
        assert v[CELLS["status"]]["type"] == "LIST"
        assert v[CELLS["status"]]["formula1"] == _quoted_list(STATUS_CHOICES)
        assert (v[CELLS["aspect"]]["type"], v[CELLS["aspect"]]["formula1"]) == ("LIST", "rx_aspects")
        assert v[CELLS["aspect"]]["error_style"] == "WARNING"
        assert v[CELLS["deadline"]]["type"] == "CUSTOM"
        assert v[CELLS["section"]]["formula1"] == _quoted_list(TEXT_SECTIONS)
        assert seen[kind]["names"]["rx_aspects"].startswith(f"${SHEETS.OPTIONS}.$B$2:$B$")

    @pytest.mark.parametrize("kind", ["xlsm", "committed"])
    def test_each_button_is_bound_to_its_macro(self, seen: dict[str, Any], kind: str) -> None:
        controls = seen[kind]["controls"][SHEETS.LEDGER]
        assert [(c["label"], c["macro"]) for c in controls] == [
            (b.caption, f"vnd.sun.star.script:VBAProject.Buttons.{b.macro}?language=Basic&location=document")
            for b in BUTTONS]
        assert not any(seen["xlsx"]["controls"].values())

    def test_vba_project_has_the_document_and_standard_modules(self, seen: dict[str, Any]) -> None:
        code_names = seen["xlsm"]["code_names"]
        assert list(code_names.values()) == [f"Sheet{i}" for i in range(1, len(code_names) + 1)]
        modules = set(seen["xlsm"]["basic"]["VBAProject"])
        assert {"ThisWorkbook", "Buttons", "xlwings", *code_names.values()} <= modules
        assert "VBAProject" not in seen["xlsx"]["basic"]


def test_buttons_keep_place_and_size_when_rows_are_inserted() -> None:
    """The committed .xlsm in LibreOffice: four equal buttons that inserted rows leave in place.

    LibreOffice keeps form buttons in place with or without the MoveWithCells/SizeWithCells pin,
    so this shows the layout, not the pin; the pin Excel reads is checked in test_xlsm_build.
    """
    committed = ROOT / "workbook" / "整改台账.xlsm"
    before = sha256(committed)
    seen = run_uno(UNO_DIR / "insert_rows.py", str(committed), timeout=90)
    assert sha256(committed) == before
    assert [b[0] for b in seen["before"]] == [b.caption for b in BUTTONS]
    assert len({(b[3], b[4]) for b in seen["before"]}) == 1  # one width and height for all
    xs = [b[1] for b in seen["before"]]
    assert xs == sorted(xs) and all(b - a > seen["before"][0][3] for a, b in itertools.pairwise(xs))
    assert seen["data_rows"] == seen["before"]
    assert seen["above"] == seen["before"]
