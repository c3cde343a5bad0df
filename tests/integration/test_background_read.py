"""A file read in the background (FileSource.prefetch) gives what a plain read gives, says what a
plain read says when the file is broken, and leaves no thread behind; the CLI's exit skips the
interpreter's teardown but keeps exit handlers, output and exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest

from rectify_xl.adapters.xlsx_reader import read_grids
from rectify_xl.errors import InputError
from rectify_xl.services.source import FileSource, ledger_of
from tests.conftest import sha256


def _truncated(good: Path, name: str) -> Path:
    """The ledger with its sheet part cut in half: the extent check passes, calamine fails."""
    broken = good.with_name(name)
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(broken, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            cut = info.filename == "xl/worksheets/sheet1.xml"
            out.writestr(info, data[: len(data) // 2] if cut else data)
    return broken


def test_prefetched_grids_equal_a_plain_read(make_ledger_xlsx) -> None:
    path = make_ledger_xlsx(merge_problems=True, title_rows=1)
    source = FileSource(path)
    source.prefetch()
    source.prefetch()  # a second call starts nothing new
    grids = source.grids()
    plain = read_grids(path)
    assert list(grids) == list(plain)
    for name, grid in plain.items():
        assert grids[name].rows == grid.rows and grids[name].merges == grid.merges
    assert ledger_of(FileSource(path)).measures == ledger_of(source).measures


def test_no_reading_thread_is_left_behind(make_ledger_xlsx) -> None:
    before = set(threading.enumerate())
    source = FileSource(make_ledger_xlsx())
    source.prefetch()
    source.grids()
    assert set(threading.enumerate()) == before


def test_a_sheet_broken_in_the_background_is_one_chinese_message(make_ledger_xlsx) -> None:
    broken = _truncated(make_ledger_xlsx(), "坏.xlsx")
    before = sha256(broken)
    with pytest.raises(InputError) as plain:
        read_grids(broken)
    source = FileSource(broken)
    source.prefetch()  # the failure happens in the thread: it is raised when the grids are asked for
    with pytest.raises(InputError) as background:
        source.grids()
    assert str(background.value) == str(plain.value)
    assert str(background.value).startswith("“坏.xlsx”无法读取：工作表“")  # the sheet is named
    assert "另存" in str(background.value)
    assert sha256(broken) == before


def test_an_uploads_copy_is_named_as_the_user_knows_it(make_ledger_xlsx) -> None:
    broken = _truncated(make_ledger_xlsx(), "tmp-copy-123.xlsx")
    source = FileSource(broken, shown="三季度台账.xlsx")
    source.prefetch()
    with pytest.raises(InputError, match=r"“三季度台账\.xlsx”无法读取") as caught:
        source.grids()
    assert "tmp-copy-123" not in str(caught.value)


def test_a_missing_file_is_refused_at_once(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="找不到文件"):
        FileSource(tmp_path / "没有.xlsx").prefetch()


def _run(code: str) -> subprocess.CompletedProcess[str]:
    # buffered as a user's pipe is (a test runner may set PYTHONUNBUFFERED)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=False, env=env)


def test_leave_runs_exit_handlers_and_flushes_everything() -> None:
    done = _run(
        "import atexit, sys\n"
        "from rectify_xl.entrypoints.cli import leave\n"
        "atexit.register(lambda: print('handler ran'))\n"
        "sys.stdout.write('行\\n' * 200_000)\n"  # far more than a pipe holds: flushed at the end
        "sys.stderr.write('错误输出')\n"
        "leave(3)\n")
    assert done.returncode == 3
    assert done.stdout.count("行\n") == 200_000 and done.stdout.endswith("handler ran\n")
    assert done.stderr == "错误输出"


def test_leave_with_a_message_or_a_live_thread_exits_the_ordinary_way() -> None:
    message = _run("from rectify_xl.entrypoints.cli import leave\nleave('停止')\n")
    assert (message.returncode, message.stderr.strip()) == (1, "停止")
    waited = _run(
        "import threading, time\n"
        "from rectify_xl.entrypoints.cli import leave\n"
        "threading.Thread(target=lambda: (time.sleep(0.3), print('thread finished'))).start()\n"
        "leave(None)\n")
    assert (waited.returncode, waited.stdout) == (0, "thread finished\n")


@pytest.mark.parametrize("prefix", ["", "x:"])
def test_shared_strings_are_counted_across_pieces(tmp_path: Path, prefix: str) -> None:
    """The <si> count behind the uniqueCount bound (adapters/xlsx_extent), by bytes.count for
    the usual form and by the regex for a prefixed one, over a part of several 1 MB pieces."""
    from rectify_xl.adapters.xlsx_extent import _shared_strings_claim

    n = 150_000
    body = "".join(f"<{prefix}si><{prefix}t>第{i}条</{prefix}t></{prefix}si>" for i in range(n))
    xml = (f'<{prefix}sst xmlns:x="urn:x" count="{n}" uniqueCount="{n}">{body}</{prefix}sst>')
    path = tmp_path / "s.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/sharedStrings.xml", xml.encode())
    with zipfile.ZipFile(path) as z:
        claim, present = _shared_strings_claim(z, "xl/sharedStrings.xml")
    assert len(xml.encode()) > 3 * (1 << 20)
    assert claim == n and n - 4 <= present <= n  # at most one cut off a piece is lost
