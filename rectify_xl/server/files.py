"""Where an upload lives while it is worked on: a private temp folder with generated names only.

Nothing from the request names a file: the upload is written as ``ledger.xlsx`` (or .xlsm/.xls,
picked from a fixed list by the claimed suffix) inside ``mkdtemp`` (mode 0700), and the folder
is removed when the work is done, unless the user asked to keep it, in which case it is moved
under the server's data folder as a random 32-hex-digit id. Kept results expire after
``KEPT_POLICY.hours`` and the oldest go first when all of them exceed ``KEPT_POLICY.quota_mb``:
pruned at start-up and at every keep, and an expired one is never served.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import sys
import tempfile
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rectify_xl.errors import OutputError, os_reason

__all__ = [
    "KEPT_ENV",
    "KEPT_POLICY",
    "KeptPolicy",
    "Upload",
    "display_name",
    "kept_dir",
    "kept_file",
    "prune_kept",
    "workspace",
]

KEPT_ENV = "RECTIFY_XL_SERVER_DATA"
_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".zip", ".eml")  # the last two: merge only
_KEPT_ID = re.compile(r"^[0-9a-f]{32}$")
_MAX_NAME = 80


@dataclass
class KeptPolicy:
    """Set once per server process (create_app); a forked job sees the same values."""

    hours: float = 72.0
    quota_mb: int = 500


KEPT_POLICY = KeptPolicy()


@dataclass(frozen=True)
class Upload:
    """One uploaded file: the name shown to the user (never used as a path) and its bytes."""

    name: str
    data: bytes

    @property
    def suffix(self) -> str:
        suffix = Path(self.name).suffix.lower()
        return suffix if suffix in _SUFFIXES else ".xlsx"

    @property
    def stem(self) -> str:
        return Path(self.name).stem or "台账"


def display_name(raw: str | None, default: str = "台账.xlsx") -> str:
    """A label for the user's file: last path part, no control characters, bounded length."""
    text = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C").strip(" .")
    if not text:
        return default
    if len(text) > _MAX_NAME:
        suffix = Path(text).suffix[:8]
        text = text[: _MAX_NAME - len(suffix)] + suffix
    return text


def user_path(override_env: str, kind: str, leaf: str) -> Path:
    """$override_env, else rectify-xl's folder in the user's config or data directory.

    Windows: %APPDATA% (config) / %LOCALAPPDATA% (data); elsewhere the XDG directories.
    """
    override = os.environ.get(override_env)
    if override:
        return Path(override)
    home = Path.home()
    if sys.platform == "win32":
        env, default = (("APPDATA", home / "AppData" / "Roaming") if kind == "config"
                        else ("LOCALAPPDATA", home / "AppData" / "Local"))
    else:
        env, default = (("XDG_CONFIG_HOME", home / ".config") if kind == "config"
                        else ("XDG_DATA_HOME", home / ".local" / "share"))
    return Path(os.environ.get(env) or default) / "rectify-xl" / leaf


def kept_dir() -> Path:
    """Where kept results go: $RECTIFY_XL_SERVER_DATA, else the user's data folder."""
    return user_path(KEPT_ENV, "data", "server-kept")


def kept_file(kept_id: str, name: str, allowed: set[str]) -> Path | None:
    """A kept file by id and generated name; None for anything not made by this server."""
    if not _KEPT_ID.match(kept_id) or name not in allowed:
        return None
    path = kept_dir() / kept_id / name
    try:
        fresh = time.time() - (kept_dir() / kept_id).stat().st_mtime < KEPT_POLICY.hours * 3600
    except OSError:
        return None
    return path if fresh and path.is_file() else None


def _size(folder: Path) -> int:
    total = 0
    for p in folder.rglob("*"):
        with contextlib.suppress(OSError):
            total += p.stat().st_size if p.is_file() else 0
    return total


def prune_kept(now: float | None = None) -> int:
    """Delete expired kept results, then the oldest while all of them exceed the quota."""
    root = kept_dir()
    now = time.time() if now is None else now
    try:
        entries = [(p.stat().st_mtime, p) for p in root.iterdir() if _KEPT_ID.match(p.name)]
    except OSError:
        return 0
    entries.sort()
    removed = 0
    live: list[tuple[float, Path, int]] = []
    for mtime, p in entries:
        if now - mtime >= KEPT_POLICY.hours * 3600:
            shutil.rmtree(p, ignore_errors=True)
            removed += 1
        else:
            live.append((mtime, p, _size(p)))
    total = sum(size for _, _, size in live)
    for _, p, size in live:  # oldest first
        if total <= KEPT_POLICY.quota_mb * 1_000_000:
            break
        shutil.rmtree(p, ignore_errors=True)
        total -= size
        removed += 1
    return removed


class Workspace:
    """The private folder of one request."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.kept_id: str | None = None
        self._count = 0

    def save(self, upload: Upload) -> Path:
        """Write the upload under a generated name; returns its path."""
        self._count += 1
        name = "ledger" if self._count == 1 else f"ledger{self._count:03d}"
        path = self.root / f"{name}{upload.suffix}"
        path.write_bytes(upload.data)
        return path

    def path(self, name: str) -> Path:
        """A generated output name inside the workspace (names come from code, not requests)."""
        return self.root / name

    def keep(self) -> str:
        """Move this folder to the kept area at the end of the request; returns its id."""
        self.kept_id = secrets.token_hex(16)
        return self.kept_id


@contextmanager
def workspace() -> Iterator[Workspace]:
    root = Path(tempfile.mkdtemp(prefix="rectify-server-"))  # mode 0700
    ws = Workspace(root)
    try:
        yield ws
    finally:
        try:
            if ws.kept_id:
                _move_kept(root, ws.kept_id)
        finally:  # the upload goes even when keeping it failed
            shutil.rmtree(root, ignore_errors=True)


def _move_kept(root: Path, kept_id: str) -> None:
    target = kept_dir() / kept_id
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        shutil.copytree(root, target)
        target.chmod(0o700)
        os.utime(target)  # its age counts from now
        prune_kept()
    except OSError as exc:
        shutil.rmtree(target, ignore_errors=True)
        raise OutputError(f"无法在服务器上保留本次结果：{os_reason(exc)}") from exc
