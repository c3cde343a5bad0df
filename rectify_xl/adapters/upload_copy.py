"""Uploaded bytes as a file for the readers, in a private folder removed afterwards."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["private_copy"]


@contextmanager
def private_copy(data: bytes, suffix: str,
                 allowed: tuple[str, ...] = (".xlsx", ".xlsm")) -> Iterator[Path]:
    """The bytes as ``upload<suffix>`` in a folder only this user can read (0700), then gone;
    a suffix not ``allowed`` becomes the first allowed one."""
    safe = suffix.lower() if suffix.lower() in allowed else allowed[0]
    with tempfile.TemporaryDirectory(prefix="rectify-xl-") as folder:
        path = Path(folder) / f"upload{safe}"
        path.write_bytes(data)
        yield path
