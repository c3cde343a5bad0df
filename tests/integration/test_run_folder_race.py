"""A run's temp folder is never swept while the run lives, and a failure the adapters did not
foresee still ends in one Chinese line (a flaky `adopt … -o x.xlsm` under `pytest -n 2`).

The cause was a window in start_run: the folder's ``.lock`` appeared under its name a moment
before it was locked, and another process's sweep could lock it first and delete the live run's
folder. The macro build's TemporaryDirectory then failed with FileNotFoundError, which reached
the CLI as exit 1 with no message at all.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from rectify_xl.adapters import runfolder, vba_project
from rectify_xl.entrypoints.cli import EXIT_UNUSABLE, cli
from tests.ledger_corpus import CORPUS, build

posix_only = pytest.mark.skipif(runfolder.os.name != "posix", reason="flock is POSIX")


@posix_only
def test_a_sweep_at_the_moment_a_run_locks_its_folder_leaves_it_alone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    real_lock, swept = runfolder._try_lock, []

    def sweep_first(f: object) -> bool:
        # what another process's start may do just before this run takes its lock
        if not swept:
            swept.append(runfolder.sweep_stale_runs(tmp_path / runfolder.runs_dir().name))
        return real_lock(f)  # type: ignore[arg-type]

    monkeypatch.setattr(runfolder, "_try_lock", sweep_first)
    with runfolder.run_folder() as run:
        assert swept == [0]
        assert run is not None and run.is_dir() and (run / ".lock").is_file()
        with tempfile.TemporaryDirectory() as inside:  # what the macro build does
            assert Path(inside).parent == run
        assert runfolder.sweep_stale_runs() == 0 and run.is_dir()  # still locked
    assert not run.exists()


def _adopt(tmp_path: Path, name: str) -> tuple[int, str, BaseException | None]:
    shape = next(s for s in CORPUS if s.name == "s1_system_export")
    src = build(shape, tmp_path)
    result = CliRunner().invoke(cli, ["adopt", str(src), "-o", str(tmp_path / name)])
    return result.exit_code, result.output, result.exception


def test_a_vanished_temp_folder_is_a_chinese_message_not_a_silent_exit_1(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    start = runfolder.start_run

    def start_then_lose_it() -> Path:
        folder = start()
        shutil.rmtree(folder)
        return folder

    monkeypatch.setattr(runfolder, "start_run", start_then_lose_it)
    monkeypatch.setattr(vba_project, "_cache", {})  # the macro build uses the temp folder
    code, output, exc = _adopt(tmp_path, "整改台账.xlsm")
    assert code == EXIT_UNUSABLE and isinstance(exc, SystemExit), (output, exc)
    assert output.startswith("错误：") and "不存在" in output
    assert not (tmp_path / "整改台账.xlsm").exists()


def test_a_bug_in_a_command_is_one_chinese_line(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from rectify_xl.services import adopt

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("a bug")

    monkeypatch.setattr(adopt, "adopt", broken)
    code, output, exc = _adopt(tmp_path, "整改台账.xlsx")
    assert code == EXIT_UNUSABLE and isinstance(exc, SystemExit), (output, exc)
    assert output.startswith("错误：程序内部错误（ValueError）") and "Traceback" not in output


def test_finding_the_temp_folder_writes_nothing_into_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # tempfile's own search probes each folder with a randomly named file; a run killed between
    # its creation and deletion left that file in the user's temp folder (CI: test_leftovers)
    monkeypatch.setattr(tempfile, "tempdir", None)
    for name in ("TMPDIR", "TEMP", "TMP"):
        monkeypatch.setenv(name, str(tmp_path))

    def probe() -> str:
        raise AssertionError("tempfile's probing search was used")

    monkeypatch.setattr(tempfile, "_get_default_tempdir", probe)
    assert runfolder.runs_dir().parent == tmp_path
    with runfolder.run_folder() as run:
        assert run is not None and run.parent.parent == tmp_path
    assert [p.name for p in tmp_path.iterdir()] == [runfolder.runs_dir().name]
