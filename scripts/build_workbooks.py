"""Write the committed workbooks: workbook/整改台账.xlsx, workbook/整改台账.xlsm and the sample.

`make workbook` runs this after a change to core/schema.py, macros/*.bas or the builder;
tests/integration/test_workbook_builder.py fails when the committed files are out of date.
Usage: python scripts/build_workbooks.py [OUT_DIR]   (default: the repo's workbook/ folder)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BLANK_NAME = "整改台账"
SAMPLE_NAME = "samples/seed-notice-2021.xlsx"


def targets(out_dir: Path) -> dict[str, Path]:
    return {
        "blank_xlsx": out_dir / f"{BLANK_NAME}.xlsx",
        "blank_xlsm": out_dir / f"{BLANK_NAME}.xlsm",
        "sample_xlsx": out_dir / SAMPLE_NAME,
    }


def build_all(out_dir: Path) -> list[Path]:
    from rectify_xl.adapters.sample_data import sample_records
    from rectify_xl.adapters.workbook_builder import build_workbook

    paths = targets(out_dir)
    paths["sample_xlsx"].parent.mkdir(parents=True, exist_ok=True)
    return [
        build_workbook(paths["blank_xlsx"], overwrite=True),
        build_workbook(paths["blank_xlsm"], overwrite=True),
        build_workbook(paths["sample_xlsx"], sample_records(), overwrite=True),
    ]


def main(argv: list[str]) -> int:
    out_dir = Path(argv[1]) if len(argv) > 1 else ROOT / "workbook"
    for path in build_all(out_dir):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
