"""`rectify-xl merge` through click: exit codes, messages, inputs untouched."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from rectify_xl.adapters.xlsx_reader import read_grids
from rectify_xl.core.schema import SHEETS
from rectify_xl.entrypoints.cli import cli
from tests.conftest import sha256
from tests.merge_helpers import encrypt, make_eml, unit_records, write_ledger, xlsx_bytes


def _hashes(folder: Path) -> dict[Path, str]:
    return {p: sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def test_clean_round_exits_0_and_writes_the_workbook(tmp_path: Path) -> None:
    inbox = tmp_path / "收件"
    inbox.mkdir()
    write_ledger(inbox / "a.xlsx", unit_records("县委办", overdue=0))
    write_ledger(inbox / "b.xlsx", unit_records("县司法局", overdue=0))
    before = _hashes(inbox)
    out = tmp_path / "汇总.xlsx"
    result = CliRunner().invoke(cli, ["merge", str(inbox), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "已汇总 2 个单位" in result.output
    assert SHEETS.MERGE_SUMMARY in read_grids(out)
    assert _hashes(inbox) == before


def test_summary_row_equals_the_summary_command(tmp_path: Path) -> None:
    """The 汇总 row of a unit carries the numbers `rectify-xl summary --json` gives for its file."""
    import json

    ledger = write_ledger(tmp_path / "a.xlsx", unit_records("县委办", overdue=2, due_soon=1))
    before = sha256(ledger)
    runner = CliRunner()
    summary = json.loads(runner.invoke(cli, ["summary", str(ledger), "--json"]).output)
    out = tmp_path / "o.xlsx"
    assert runner.invoke(cli, ["merge", str(ledger), "-o", str(out)]).exit_code == 0
    row = read_grids(out)[SHEETS.MERGE_SUMMARY].rows[2]
    assert row[:9] == ["县委办", summary["problem_count"], summary["measure_count"],
                       summary["measures_done"], summary["measures_ongoing"],
                       summary["measures_basic"], summary["measures_in_progress"],
                       len(summary["overdue"]), len(summary["due_soon"])]
    assert sha256(ledger) == before


def test_broken_file_exits_1_and_is_named(tmp_path: Path) -> None:
    write_ledger(tmp_path / "a.xlsx", unit_records("县委办", overdue=0))
    (tmp_path / "坏.xlsx").write_bytes(b"not a workbook")
    before = _hashes(tmp_path)
    result = CliRunner().invoke(cli, ["merge", str(tmp_path / "a.xlsx"), str(tmp_path / "坏.xlsx"),
                                      "-o", str(tmp_path / "o.xlsx")])
    assert result.exit_code == 1
    assert "坏.xlsx" in result.output
    assert all(sha256(p) == h for p, h in before.items())


def test_nothing_readable_exits_2_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "x.xlsx").write_bytes(b"junk")
    before = sha256(tmp_path / "x.xlsx")
    result = CliRunner().invoke(cli, ["merge", str(tmp_path / "x.xlsx"), "-o", str(tmp_path / "o.xlsx")])
    assert result.exit_code == 2
    assert "没有可以读取的台账" in result.output and "Traceback" not in result.output
    assert sha256(tmp_path / "x.xlsx") == before


def test_password_comes_from_the_environment(tmp_path: Path) -> None:
    """A subprocess, as staff run it: RECTIFY_ATTACHMENT_PASSWORD opens the encrypted attachment."""
    secret = encrypt(xlsx_bytes(unit_records("县委办", overdue=0), tmp_path), "口令")
    plain = xlsx_bytes(unit_records("县司法局", overdue=0), tmp_path)
    mail = make_eml(tmp_path / "m.eml", [("台账.xlsx", secret), ("司法局.xlsx", plain)])
    before = sha256(mail)
    out = tmp_path / "o.xlsx"
    env = {**os.environ, "RECTIFY_ATTACHMENT_PASSWORD": "口令"}
    proc = subprocess.run([sys.executable, "-m", "rectify_xl", "merge", str(mail), "-o", str(out)],
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "已汇总 2 个单位" in proc.stdout
    assert "口令" not in proc.stdout + proc.stderr  # the password is never echoed
    assert "\r" not in proc.stderr  # no progress bar when not on a terminal
    assert sha256(mail) == before


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_progress_bar_is_shown_on_a_terminal(tmp_path: Path) -> None:
    """stderr on a terminal (a pty, 100 columns): the 读取台账 bar appears and is cleared."""
    import fcntl
    import pty
    import struct
    import termios

    for name in ("县委办", "县司法局", "县财政局"):
        write_ledger(tmp_path / f"{name}.xlsx", unit_records(name, overdue=0))
    before = _hashes(tmp_path)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    try:
        proc = subprocess.run([sys.executable, "-m", "rectify_xl", "merge", str(tmp_path),
                               "-o", str(tmp_path / "out.xlsx")],
                              stdout=subprocess.PIPE, stderr=slave, timeout=60)
        os.close(slave)
        shown = b""
        with contextlib.suppress(OSError):  # EIO once everything written has been read
            while chunk := os.read(master, 65536):
                shown += chunk
    finally:
        os.close(master)
    assert proc.returncode == 0
    text = shown.decode("utf-8", "replace")
    assert "读取台账" in text and "/3 [" in text  # e.g. 0/3 [00:00<?, ?个/s]
    assert text.rstrip(" \r").endswith("]")  # then the line is blanked (leave=False)
    assert "读取台账" not in proc.stdout.decode()  # the bar never mixes into the report
    assert _hashes(tmp_path) == {**before, tmp_path / "out.xlsx": sha256(tmp_path / "out.xlsx")}


def test_a_unit_with_ledger_errors_exits_1_and_is_named(tmp_path: Path) -> None:
    """The counts of a unit whose ledger has errors may be wrong: the command says which unit,
    and where the cells are listed."""
    write_ledger(tmp_path / "a.xlsx", unit_records("县委办", overdue=0))
    records = unit_records("县财政局", overdue=0)
    records.measures[0]["status"] = "差不多了"  # a status no table knows: RX401, a count error
    write_ledger(tmp_path / "b.xlsx", records)
    result = CliRunner().invoke(cli, ["merge", str(tmp_path / "a.xlsx"), str(tmp_path / "b.xlsx"),
                                      "-o", str(tmp_path / "o.xlsx")])
    assert result.exit_code == 1, result.output
    assert "台账有错误：县财政局（1项）" in result.output and "校验问题" in result.output
    assert "县委办（" not in result.output
