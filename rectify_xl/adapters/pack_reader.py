"""A received 报送包 (`rectify-xl pack`): its ledger member, and every member checked against the
manifest (size and SHA-256), so a superior's merge reports a file changed or missing per unit."""

from __future__ import annotations

import hashlib
import json
import zipfile
import zlib

from rectify_xl.core.evidence import EvidenceFile, ManifestProblem, verify_manifest
from rectify_xl.core.schema import PACK_MANIFEST

__all__ = ["MAX_MANIFEST_BYTES", "is_pack", "read_pack"]

MAX_MANIFEST_BYTES = 4 << 20


def is_pack(names: dict[str, zipfile.ZipInfo]) -> bool:
    return PACK_MANIFEST in names


def read_pack(z: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo], *, max_bytes: int
              ) -> tuple[str | None, list[ManifestProblem]]:
    """The ledger member the manifest names (None when it cannot be told) and the problems.
    ``names`` maps each member's decoded name to its entry; reading is bounded by the declared
    sizes (the caller has checked the archive against zip bombs) and by ``max_bytes`` in total."""
    info = names[PACK_MANIFEST]
    if info.file_size > MAX_MANIFEST_BYTES:
        return None, [ManifestProblem(PACK_MANIFEST, "清单过大，无法核对")]
    try:
        with z.open(info) as f:
            data = json.loads(f.read(MAX_MANIFEST_BYTES + 1).decode("utf-8"))
    except (ValueError, UnicodeDecodeError, zipfile.BadZipFile, OSError, RecursionError,
            zlib.error, EOFError, RuntimeError, NotImplementedError):
        return None, [ManifestProblem(PACK_MANIFEST, "清单格式无法识别")]
    present: dict[str, EvidenceFile] = {}
    total = 0
    for name, member in names.items():
        if name == PACK_MANIFEST:
            continue
        total += member.file_size
        if total > max_bytes:
            return None, [ManifestProblem(name, "压缩包解压后过大，未核对")]
        try:
            with z.open(member) as f:
                content = f.read(member.file_size + 1)
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, zlib.error,
                EOFError):
            continue  # unreadable: reported as 缺失 by the comparison
        present[name] = EvidenceFile(name, len(content), hashlib.sha256(content).hexdigest())
    problems = verify_manifest(data, present)
    files = data.get("files") if isinstance(data, dict) else None
    ledger = next((e.get("path") for e in files or () if isinstance(e, dict)
                   and e.get("kind") == "台账"), None)
    return (ledger if isinstance(ledger, str) and ledger in names else None), problems
