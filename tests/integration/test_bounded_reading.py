"""Issue 13, item 1: a sheet's real extent is checked before anything dense is built.

One value in XFD1048576 made python-calamine ask for 512 GiB and abort the process (exit 134):
every command that reads a workbook now refuses such a file with one Chinese message (exit 2),
and reads files whose only oddity is harmless (a huge declared dimension, formatting far away).
"""

from __future__ import annotations

import resource
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from rectify_xl.adapters.xlsx_extent import (
    MAX_GRID_CELLS,
    _beyond,
    _greater,
    scan_sheet,
    sheet_extents,
)
from rectify_xl.adapters.xlsx_reader import read_grids, read_ledger
from rectify_xl.core.schema import SHEETS
from rectify_xl.errors import InputError
from tests.conftest import sha256
from tests.hostile_files import (
    FAR_CELLS,
    READABLE_ODD,
    far_cell,
    far_rows_without_refs,
    ledger_sheet_part,
    sample_ledger,
    with_cells,
)


@pytest.mark.parametrize("kind", sorted(FAR_CELLS))
def test_far_cells_are_refused_naming_sheet_and_cell(tmp_path: Path, kind: str) -> None:
    path = FAR_CELLS[kind](tmp_path)
    with pytest.raises(InputError) as info:
        read_grids(path)
    message = info.value.message
    assert f"“{SHEETS.LEDGER}”" in message and path.name in message
    assert any(ch.isdigit() for ch in message)  # names a cell, e.g. XFD1048576


def test_the_message_names_the_far_cell(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="XFD1048576"):
        read_grids(far_cell(tmp_path))
    with pytest.raises(InputError, match="Z200000"):
        read_grids(far_cell(tmp_path, "Z200000"))


def test_rows_and_cells_without_references_are_placed_like_calamine_does(tmp_path: Path) -> None:
    path = far_rows_without_refs(tmp_path)
    with pytest.raises(InputError, match=r"相距过远|过大"):
        read_grids(path)


@pytest.mark.parametrize("kind", sorted(READABLE_ODD))
def test_harmless_oddities_still_read(tmp_path: Path, kind: str) -> None:
    ledger = read_ledger(READABLE_ODD[kind](tmp_path))
    assert len(ledger.measures) == 23


def test_fast_bound_and_exact_scan_agree_on_a_real_ledger(tmp_path: Path) -> None:
    path = sample_ledger(tmp_path)
    fast = {e.name: (e.rows, e.columns) for e in sheet_extents(path, exact=False)}
    exact = {e.name: (e.rows, e.columns) for e in sheet_extents(path, exact=True)}
    assert fast == exact
    grids = read_grids(path)
    for name, (rows, columns) in exact.items():
        assert len(grids[name].rows) == rows
        assert max(map(len, grids[name].rows)) == columns


def test_the_exact_scan_skips_formatting_only_cells(tmp_path: Path) -> None:
    path = with_cells(tmp_path, '<row r="40"><c r="Z40" s="1"/></row>')
    with zipfile.ZipFile(path) as z:
        extent = scan_sheet(z, SHEETS.LEDGER, ledger_sheet_part(path))
    assert extent.columns < 26 and extent.rows < 40


@pytest.mark.parametrize("value", [1, 9, 10, 99, 100002, 1048575, 899999])
def test_greater_than_numbers(value: int) -> None:
    import re

    pattern = re.compile(_greater(str(value), "0-9", "1-9"))
    for n in (value - 1, value, value + 1, value * 10, 1, 10_000_000):
        if n > 0:
            assert bool(pattern.fullmatch(str(n))) == (n > value), n


@pytest.mark.parametrize("letters", ["A", "M", "Z", "AA", "AZ", "XFD", "ZZ"])
def test_greater_than_columns(letters: str) -> None:
    from rectify_xl.adapters.xlsx_extent import _column_number, column_letters

    pattern = _beyond(1, letters)
    n = _column_number(letters)
    for m in (1, n - 1, n, n + 1, 27, 702, 703, 16384):
        if m > 0:
            cell = f'<c r="{column_letters(m)}1"'.encode()
            assert bool(pattern.match(cell)) == (m > n), column_letters(m)


def test_many_sheets_add_up_to_the_grid_limit(tmp_path: Path) -> None:
    """Each sheet small enough, all together too large: refused before calamine starts."""
    path = sample_ledger(tmp_path)
    rows_per_sheet = 200_000
    sheet_xml = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns='
                 '"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                 + "".join(f'<row r="{r}"><c r="J{r}"><v>1</v></c></row>'
                           for r in range(1, rows_per_sheet + 1, 40))
                 + f'<row r="{rows_per_sheet}"><c r="J{rows_per_sheet}"><v>1</v></c></row>'
                 "</sheetData></worksheet>").encode()
    sheets = MAX_GRID_CELLS // (rows_per_sheet * 10) + 1
    extra = {f"xl/worksheets/extra{i}.xml": sheet_xml for i in range(sheets)}
    from tests.hostile_files import rewrite_member

    rewrite_member(path, "xl/workbook.xml", lambda d: d, extra=extra)
    with pytest.raises(InputError, match=r"过大|相距过远"):
        read_grids(path)


def _run_cli(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The real command in a process of its own, its address space capped at 4 GiB: before the
    fix the reader asked for 512 GiB and died with SIGABRT (exit 134)."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

    return subprocess.run([sys.executable, "-m", "rectify_xl", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=120, preexec_fn=cap)


COMMANDS: dict[str, Callable[[Path, Path], list[object]]] = {
    "validate": lambda bad, good: ["validate", bad],
    "summary": lambda bad, good: ["summary", bad],
    "notice": lambda bad, good: ["notice", bad, "-o", bad.parent / "公告.txt"],
    "mail": lambda bad, good: ["mail", bad, "--to", "a@example.com", "--eml",
                               bad.parent / "草稿.eml"],
    "diff": lambda bad, good: ["diff", good, bad],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_refuses_the_far_cell_with_exit_2(tmp_path: Path, command: str) -> None:
    good = sample_ledger(tmp_path, "好.xlsx")
    bad = far_cell(tmp_path)
    before = sha256(bad)
    proc = _run_cli(*COMMANDS[command](bad, good), cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "XFD1048576" in proc.stderr and "Traceback" not in proc.stderr
    assert sha256(bad) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([good.name, bad.name])


def test_merge_lists_the_far_cell_file_and_merges_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "收件"
    folder.mkdir()
    sample_ledger(folder, "好.xlsx")
    far_cell(folder)
    proc = _run_cli("merge", folder, "-o", tmp_path / "汇总.xlsx", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "XFD1048576" in proc.stdout + proc.stderr
    assert (tmp_path / "汇总.xlsx").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["收件", "汇总.xlsx"])
