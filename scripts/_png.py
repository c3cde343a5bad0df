"""Shared by the README picture scripts: page 1 of a PDF as a PNG (poppler's pdftoppm)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


def first_page_png(pdf: Path, out: Path, *, dpi: int) -> Path:
    with tempfile.TemporaryDirectory(prefix="rectify-png-") as tmp:
        stem = Path(tmp) / "page"
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile",
                        str(pdf), str(stem)], check=True, timeout=60)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(stem.with_suffix(".png"), out)
    return out
