"""One private temporary folder per run, removed at its end, and swept at the next start if the
run was killed.

Everything a run writes temporarily — XlsxWriter's worksheet files (ledger data), private copies
of merge inputs, the server's uploads, LibreOffice profiles — goes through ``tempfile``, so the
run points ``tempfile.tempdir`` at its own folder under ``<temp>/rectify-xl-runs-<user>/``.
The temp files an atomic write puts beside its target (``.~rectify-*``) cannot live there (a
rename works only within one file system), so the run notes each in its folder's journal first.

A live run holds a lock on its folder (flock on POSIX, msvcrt.locking on Windows; the OS drops it
when the process dies, however it dies). Each start takes every folder whose lock it can get —
a run that was killed — deletes the ``.~rectify-*`` files its journal names and then the folder.
"""

from __future__ import annotations

import contextlib
import os  # os.urandom(n).hex() is secrets.token_hex(n) without loading hashlib (OpenSSL, ≈ 3 ms)
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

__all__ = ["TEMP_PREFIX", "active_run", "journal", "run_folder", "start_run", "sweep_stale_runs"]

TEMP_PREFIX = ".~rectify-"  # beside targets: hidden in Explorer's default view and in ls
_LOCK, _JOURNAL = ".lock", "journal"
_STALE_UNLOCKED_SECONDS = 60  # a folder without a lock file: a run killed while starting

_active: Path | None = None
_lock_file: IO[bytes] | None = None


def _system_temp() -> str:
    """The temp folder tempfile would choose, without its probe: ``gettempdir()`` first creates
    and deletes a randomly named file in each candidate folder, which a run killed at that
    moment leaves behind in the user's temp folder, outside any run folder a sweep could clear.
    The candidates are tempfile's own (TMPDIR, TEMP, TMP, then the platform's folders; the
    function is private but has kept its name and meaning since Python 2)."""
    if tempfile.tempdir is not None:
        return tempfile.tempdir
    for folder in tempfile._candidate_tempdir_list():  # type: ignore[attr-defined]
        if folder and os.path.isdir(folder) and os.access(folder, os.W_OK | os.X_OK):
            return os.path.abspath(folder)
    return tempfile.gettempdir()


def runs_dir() -> Path:
    suffix = f"-{os.getuid()}" if hasattr(os, "getuid") else ""
    return Path(_system_temp()) / f"rectify-xl-runs{suffix}"


def active_run() -> Path | None:
    return _active


def _ours(folder: Path) -> bool:
    """The runs folder is a real directory of this user (not a symlink another user planted)."""
    try:
        st = folder.lstat()
    except OSError:
        return False
    import stat

    if not stat.S_ISDIR(st.st_mode):
        return False
    return not hasattr(os, "getuid") or st.st_uid == os.getuid()


def _try_lock(f: IO[bytes]) -> bool:
    try:
        if os.name == "posix":
            import fcntl

            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            import msvcrt

            msvcrt.locking(f.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
    except OSError:
        return False
    return True


def _remove_journaled(folder: Path) -> None:
    with contextlib.suppress(OSError):
        for line in (folder / _JOURNAL).read_text(encoding="utf-8").splitlines():
            path = Path(line)
            if path.name.startswith(TEMP_PREFIX):  # only ever our own temp files
                with contextlib.suppress(OSError):
                    path.unlink()


def sweep_stale_runs(root: Path | None = None) -> int:
    """Remove the folders (and journaled temp files) of runs that are gone; returns how many."""
    root = root or runs_dir()
    if not _ours(root):
        return 0
    swept = 0
    for folder in sorted(root.glob("run-*")):
        if folder == _active:
            continue
        try:
            f = (folder / _LOCK).open("rb")
        except FileNotFoundError:
            with contextlib.suppress(OSError):
                if time.time() - folder.stat().st_mtime > _STALE_UNLOCKED_SECONDS:
                    _remove_journaled(folder)
                    shutil.rmtree(folder, ignore_errors=True)
                    swept += 1
            continue
        except OSError:
            continue
        with f:
            if not _try_lock(f):
                continue  # a live run
            _remove_journaled(folder)
            shutil.rmtree(folder, ignore_errors=True)
            swept += 1
    return swept


def _locked_lock_file(folder: Path) -> IO[bytes]:
    """The folder's lock file, already locked when it appears under its name.

    Another process's sweep takes any ``.lock`` it can lock for a dead run's: a lock file created
    under its final name and locked a moment later could be taken in between, and the folder of
    this live run deleted under it (its temp files then fail with FileNotFoundError). So the file
    is locked under a name no sweep opens and then renamed; the lock goes with the open file.
    Windows cannot rename an open file: there it is created under its name, as before.
    """
    if os.name != "posix":
        f = (folder / _LOCK).open("wb")
        _try_lock(f)
        return f
    pending = folder / f"{_LOCK}-{os.urandom(4).hex()}"
    f = pending.open("wb")
    _try_lock(f)
    try:
        pending.replace(folder / _LOCK)
    except OSError:
        f.close()
        raise
    return f


def start_run() -> Path:
    """Make this process's run folder (once), point tempfile at it, sweep killed runs' folders."""
    global _active, _lock_file
    if _active is not None:
        return _active
    root = runs_dir()
    with contextlib.suppress(OSError):
        root.mkdir(mode=0o700, exist_ok=True)
    if _ours(root):
        sweep_stale_runs(root)
        folder = root / f"run-{os.getpid()}-{os.urandom(4).hex()}"
        folder.mkdir(mode=0o700)
    else:  # somebody else's or unusable: a private folder all the same, without the sweep
        folder = Path(tempfile.mkdtemp(prefix="rectify-xl-run-"))
    _lock_file = _locked_lock_file(folder)
    _active = folder
    tempfile.tempdir = str(folder)
    return folder


def end_run() -> None:
    """Remove this run's folder and give tempfile its default back."""
    global _active, _lock_file
    folder, _active = _active, None
    tempfile.tempdir = None
    if _lock_file is not None:
        with contextlib.suppress(OSError):
            _lock_file.close()
        _lock_file = None
    if folder is not None:
        _remove_journaled(folder)  # a normal end leaves none; an exception path may
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def run_folder() -> Iterator[Path | None]:
    """A run folder for the duration of one command; nested uses share the outer one. Never
    fails the command: without a usable temp folder the run goes on as before."""
    if _active is not None:
        yield _active
        return
    saved = tempfile.tempdir
    try:
        folder: Path | None = start_run()
    except OSError:
        folder = None
    try:
        yield folder
    finally:
        if folder is not None:
            end_run()
            tempfile.tempdir = saved


def journal(path: Path) -> None:
    """Note a temp file about to be created beside a target, so a sweep can remove it."""
    if _active is None:
        return
    try:
        with (_active / _JOURNAL).open("a", encoding="utf-8") as f:
            f.write(f"{path.resolve()}\n")
    except OSError:  # the write itself will say what is wrong with the disk
        pass
