"""Render page 1 of the sample notice to docs/img/notice-page1.png (for the README).

Writes the sample ledger's notice as .docx and .pdf (LibreOffice, with tests/fonts/fonts.conf so
the official font names render with Noto CJK), then pdftoppm page 1 to PNG.
Usage: python scripts/render_notice_png.py [OUT.png] [--dpi 60]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from _png import first_page_png

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "docs" / "img" / "notice-page1.png"


def render(out: Path, dpi: int = 60) -> Path:
    from rectify_xl.adapters.sample_data import sample_ledger
    from rectify_xl.services.document import write_notice_document
    from rectify_xl.services.ledger import notice_text

    ledger = sample_ledger()
    with tempfile.TemporaryDirectory(prefix="rectify-png-") as tmp:
        pdf = Path(tmp) / "notice.pdf"
        write_notice_document(ledger, notice_text(ledger), pdf)
        return first_page_png(pdf, out, dpi=dpi)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--dpi", type=int, default=60)
    args = parser.parse_args()
    print(f"wrote {render(args.out, args.dpi)}")


if __name__ == "__main__":
    main()
