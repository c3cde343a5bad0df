"""The evidence folder on disk: list it (bounded, no links followed) and hash its files."""

from __future__ import annotations

import os
from pathlib import Path

from rectify_xl.core.evidence import EvidenceFile, EvidenceListing, folder_name

__all__ = ["MAX_FILES", "evidence_folder", "file_entry", "list_evidence", "sha256_of"]

MAX_FILES = 20_000  # a unit's evidence for one round; beyond this the listing says it stopped
MAX_DEPTH = 6
_NOISE = ("~$", ".~lock", ".")  # Office lock files and hidden files (.DS_Store …)
_NOISE_NAMES = frozenset({"thumbs.db", "desktop.ini"})


def evidence_folder(ledger: Path) -> Path:
    return ledger.parent / folder_name(ledger.stem)


def sha256_of(path: Path) -> str:
    import hashlib  # only when there are files to hash (OpenSSL takes ≈ 3 ms to load)

    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_entry(path: Path, shown: str, *, hashes: bool) -> EvidenceFile:
    return EvidenceFile(shown, path.stat().st_size, sha256_of(path) if hashes else "")


def list_evidence(ledger: Path, *, hashes: bool = False) -> EvidenceListing:
    """The files under ``<ledger name>-佐证材料/``. Symbolic links are never followed (a link
    could point anywhere on the machine and would be packed and sent upward)."""
    folder = evidence_folder(ledger)
    if not folder.is_dir() or folder.is_symlink():
        return EvidenceListing(folder.name, False)
    files: list[EvidenceFile] = []
    truncated = False
    for root, dirs, names in os.walk(folder, followlinks=False):
        here = Path(root)
        depth = len(here.relative_to(folder).parts)
        dirs[:] = sorted(d for d in dirs if not d.startswith(_NOISE) and depth < MAX_DEPTH
                         and not (here / d).is_symlink())
        for name in sorted(names):
            path = here / name
            if name.startswith(_NOISE) or name.lower() in _NOISE_NAMES or path.is_symlink() \
                    or not path.is_file():
                continue
            if len(files) >= MAX_FILES:
                truncated = True
                break
            files.append(file_entry(path, path.relative_to(folder).as_posix(), hashes=hashes))
        if truncated:
            break
    return EvidenceListing(folder.name, True, tuple(files), truncated)
