"""Write templates/reference.docx: the GB/T 9704 reference document, generated from the profile.

Users copy it, change styles / page set-up / footer in Word or WPS, and pass it with
``rectify-xl notice 台账.xlsx -o 公告.docx --reference 我的参考文档.docx``.
tests/integration/test_docx_reference.py fails when the committed file is out of date.
Usage: python scripts/build_reference_docx.py [OUT.docx] [--profile FILE.toml]
"""

from __future__ import annotations

import argparse
import io
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "templates" / "reference.docx"


def _reproducible(docx: bytes) -> bytes:
    """The same package with fixed zip timestamps, so a rebuild changes no byte of the file."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info))
    return out.getvalue()


def build(out: Path, profile: Path | None = None) -> Path:
    from rectify_xl.adapters.files import write_bytes_atomic
    from rectify_xl.adapters.profiles import load_profile
    from rectify_xl.adapters.reference_docx import build_reference

    doc = build_reference(load_profile(profile), samples=True)
    buffer = io.BytesIO()
    doc.save(buffer)
    data = _reproducible(buffer.getvalue())
    return write_bytes_atomic(out, data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--profile", type=Path, default=None)
    args = parser.parse_args()
    print(f"wrote {build(args.out, args.profile)}")


if __name__ == "__main__":
    main()
