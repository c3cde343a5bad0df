"""Time the notice .docx (and, with --pdf, the LibreOffice PDF) beside a baseline in the same run.

Baseline: python-docx writing the same paragraphs with no styles, page set-up or footers — what
any .docx costs; the difference is what GB/T 9704 styling and the reference handling add.
Usage: python benchmarks/bench_document.py [--problems 200] [--pdf] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--problems", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pdf", action="store_true")
    args = parser.parse_args()

    from docx import Document

    from rectify_xl.core.records import ledger_from_records
    from rectify_xl.services.document import write_notice_document
    from rectify_xl.services.ledger import notice_text
    from tests.document_helpers import long_records

    ledger = ledger_from_records(long_records(args.problems))
    text = notice_text(ledger)
    lines = [line for line in text.splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)

        def baseline() -> None:
            doc = Document()
            for line in lines:
                doc.add_paragraph(line)
            doc.save(str(folder / "plain.docx"))

        def notice_docx() -> None:
            write_notice_document(ledger, text, folder / "公告.docx")

        rows = [("baseline: plain python-docx", _best(baseline, args.repeat)),
                ("notice .docx (GB/T 9704)", _best(notice_docx, args.repeat))]
        if args.pdf:
            rows.append(("notice .docx + .pdf (LibreOffice)",
                         _best(lambda: write_notice_document(ledger, text, folder / "公告.pdf"), 1)))
    print(f"{args.problems} problems, {len(lines)} paragraphs, best of {args.repeat}")
    for name, seconds in rows:
        print(f"  {name:38s} {seconds * 1000:8.0f} ms")


if __name__ == "__main__":
    main()
