"""`rectify-xl adopt`: a unit's own ledger becomes the template, nothing lost (issue 14)."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from rectify_xl.adapters.xlsx_reader import read_grids, read_ledger
from rectify_xl.core.adopt import REPORT_HEADER
from rectify_xl.core.parse import cell_text
from rectify_xl.core.progress import summarize
from rectify_xl.core.schema import COLUMNS, SHEETS
from rectify_xl.entrypoints.cli import cli
from tests.conftest import sha256
from tests.ledger_corpus import CORPUS, Shape, build

AS_OF = date(2021, 10, 31)


def adopt(src: Path, out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["adopt", str(src), "-o", str(out)])
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output


@pytest.mark.parametrize("shape", CORPUS, ids=[s.name for s in CORPUS])
def test_every_row_and_column_is_carried_over_and_counted_alike(shape: Shape, tmp_path: Path
                                                               ) -> None:
    src = build(shape, tmp_path)
    before = sha256(src)
    out = tmp_path / "整改台账.xlsx"
    code, output = adopt(src, out)
    assert code == 0, output
    assert sha256(src) == before  # the original untouched
    theirs, ours = read_ledger(src), read_ledger(out)
    assert ours.ledger_sheet == SHEETS.LEDGER and ours.layout.header_row == 3
    assert len(ours.measures) == len(theirs.measures) == shape.expected.measures
    e, s = shape.expected, summarize(ours, as_of=AS_OF)
    assert (s.measures_done, s.measures_ongoing, s.measures_basic, s.measures_in_progress,
            s.measures_unset, s.problem_count) == (e.done, e.ongoing, e.basic, e.in_progress,
                                                   e.unset, e.problems)
    # every header of the original is either read into a template column or kept as extra
    grid = read_grids(out)[SHEETS.LEDGER]
    adopted = [cell_text(v) for v in grid.rows[2]]
    kept = set(adopted[len(COLUMNS):])
    assert set(theirs.layout.extra) <= kept | {h[1:] for h in kept if h.startswith("原")}
    for key in ("person", "leader2", "department2"):
        if key in theirs.layout.columns:
            assert [getattr(m, key) for m in ours.measures] == [getattr(m, key)
                                                                 for m in theirs.measures]
    report = read_grids(out)[SHEETS.IMPORT_REPORT].rows
    assert tuple(report[0][:4]) == REPORT_HEADER
    assert any(r[0] == "台账工作表" and r[1] == shape.expected.sheet for r in report)


def test_unknown_status_is_kept_and_needs_a_decision(tmp_path: Path) -> None:
    shape = next(s for s in CORPUS if s.name == "unknown_status")
    out = tmp_path / "新.xlsx"
    code, output = adopt(build(shape, tmp_path), out)
    assert code == 0 and "需要人工确认" in output
    report = read_grids(out)[SHEETS.IMPORT_REPORT].rows
    assert ["需人工确认", "差不多了", "差不多了"] in [r[:3] for r in report]
    assert any(m.status_raw == "差不多了" and m.status is None for m in read_ledger(out).measures)


def test_xlsm_target_gets_the_buttons(tmp_path: Path) -> None:
    shape = next(s for s in CORPUS if s.name == "s1_system_export")
    out = tmp_path / "整改台账.xlsm"
    code, output = adopt(build(shape, tmp_path), out)
    assert code == 0, output
    with zipfile.ZipFile(out) as z:
        assert "xl/vbaProject.bin" in z.namelist()
    assert [m.status for m in read_ledger(out).measures].count(None) == 0


def test_the_original_cannot_be_the_target(tmp_path: Path) -> None:
    src = build(CORPUS[0], tmp_path)
    before = sha256(src)
    code, output = adopt(src, src)
    assert code == 2 and "不能与原台账相同" in output
    assert sha256(src) == before
