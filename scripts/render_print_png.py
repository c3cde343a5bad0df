"""Render the README pictures of printed pages: docs/img/print-*.png, one per workbook the tool writes.

Builds the blank and sample ledgers, the annotated copy (validate --annotate), the mailed copy and
the consolidated workbook (merge), prints each sheet with LibreOffice exactly as the tests do
(tests/uno/print_sheets.py: the sheet's own page set-up, to PDF), and converts page 1 of the sheet
shown in the README to PNG. The 公文 font names are mapped as the tool maps them for its PDFs.

Usage: .venv/bin/python scripts/render_print_png.py [--dpi 45]
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
import tempfile
from pathlib import Path

from _png import first_page_png

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
IMG = ROOT / "docs" / "img"

# README picture → (workbook kind, sheet)
PICTURES = {
    "print-blank.png": ("blank", "整改清单"),
    "print-sample.png": ("sample", "整改清单"),
    "print-annotated.png": ("annotated", "校验结果"),
    "print-mailed.png": ("mailed", "进度汇总"),
    "print-merged.png": ("merged", "汇总"),
}


def workbooks(folder: Path) -> dict[str, Path]:
    from click.testing import CliRunner

    from rectify_xl.adapters.sample_data import sample_records
    from rectify_xl.adapters.workbook_builder import build_workbook
    from rectify_xl.entrypoints.cli import cli
    from rectify_xl.services.mail import prepare_mail

    blank = build_workbook(folder / "空白台账.xlsx")
    sample = build_workbook(folder / "示例台账.xlsx", copy.deepcopy(sample_records()))
    second = build_workbook(folder / "示例台账二.xlsx", copy.deepcopy(sample_records()))
    annotated, merged, mailed = folder / "标注.xlsx", folder / "汇总.xlsx", folder / "报送.xlsx"
    for args in (["validate", str(sample), "--annotate", str(annotated)],
                 ["merge", str(sample), str(second), "-o", str(merged)]):
        CliRunner().invoke(cli, args)
    mail = prepare_mail(sample, encrypt=False, to=("a@example.com",), sender="b@example.com")
    mailed.write_bytes(next(a.data for a in mail.attachments if a.filename.endswith(".xlsx")))
    return {"blank": blank, "sample": sample, "annotated": annotated, "mailed": mailed, "merged": merged}


def render(dpi: int) -> list[Path]:
    from rectify_xl.adapters.fonts import write_fontconfig
    from tests.lo_helpers import UNO_DIR, run_uno

    written = []
    with tempfile.TemporaryDirectory(prefix="rectify-print-") as tmp:
        folder = Path(tmp)
        books = workbooks(folder)
        os.environ["FONTCONFIG_FILE"] = str(write_fontconfig(folder))
        pdfs = folder / "pdf"
        pdfs.mkdir()
        printed = run_uno(UNO_DIR / "print_sheets.py", str(pdfs), *map(str, books.values()), timeout=300)
        for name, (kind, sheet) in PICTURES.items():
            pdf = Path(printed[str(books[kind])][sheet]["pdf"])
            written.append(first_page_png(pdf, IMG / name, dpi=dpi))
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dpi", type=int, default=45)
    for path in render(parser.parse_args().dpi):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
