"""The notice reader and checker on a corpus of real notices and feedback texts (issue 15).

Run: .venv/bin/python benchmarks/notice_corpus.py [-v]

For every text of benchmarks/notices/ (and the three published notices of tests/data/notices/,
annotated there too) it imports and checks the text as `import` and `check-notice` do, and
prints, for the whole corpus:
- structure recovered: aspects, problems, measures found / expected (texts that have a structure);
- errors found / annotated: an annotated error counts as found when a finding (any level) is
  at its paragraph and names its words;
- false findings at error and warning level: findings that match no annotation.
RX601 (half-width punctuation) is not scored: the copies lost their full-width marks when they
were copied, so the texts are checked after the import's 公文 normalisation.
Aims (issue 15): every aspect and problem recovered, >= 70% of the annotated errors found, zero
false errors, at most one false warning per text.
"""

from __future__ import annotations

import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rectify_xl.adapters.rulepacks import default_typos  # noqa: E402
from rectify_xl.core.findings import Finding, Severity  # noqa: E402
from rectify_xl.core.notice.importer import import_paragraphs, normalise  # noqa: E402
from rectify_xl.core.notice.rules import check_notice_text  # noqa: E402

CORPUS = ROOT / "benchmarks" / "notices"
UNSCORED = {"RX601"}


@dataclass
class Result:
    name: str
    kind: str
    structure: tuple[tuple[int, int], ...] = ()  # (found, expected) for aspects, problems, measures
    annotated: int = 0
    found: int = 0
    missed: list[str] = field(default_factory=list)
    false_errors: list[Finding] = field(default_factory=list)
    false_warnings: list[Finding] = field(default_factory=list)


def _text_of(toml: Path, spec: dict) -> str:
    path = ROOT / spec["text"] if "text" in spec else toml.with_suffix(".txt")
    return path.read_text("utf-8")


def score(toml: Path) -> Result:
    spec = tomllib.loads(toml.read_text("utf-8"))
    texts, _, _ = normalise(_text_of(toml, spec))
    result = Result(toml.stem, spec["kind"])
    if "structure" in spec:
        doc = import_paragraphs(texts, toml.stem).doc
        s = spec["structure"]
        result.structure = ((len(doc.aspects), s["aspects"]), (len(doc.problems), s["problems"]),
                            (doc.measure_count, s["measures"]))
    findings = [f for f in check_notice_text(texts, toml.stem, typos=default_typos())
                if f.code not in UNSCORED]
    errors = spec.get("error", [])
    result.annotated = len(errors)

    def matches(f: Finding, e: dict) -> bool:
        return f.row == e["para"] and e["found"] in f.message

    for e in errors:
        if any(matches(f, e) for f in findings):
            result.found += 1
        else:
            result.missed.append(f"第{e['para']}段“{e['found']}”（{e['what']}）")
    for f in findings:
        if any(matches(f, e) for e in errors):
            continue
        if f.severity is Severity.ERROR:
            result.false_errors.append(f)
        elif f.severity is Severity.WARNING:
            result.false_warnings.append(f)
    return result


def main(verbose: bool = False) -> int:
    results = [score(p) for p in sorted(CORPUS.glob("*.toml"))]
    print(f"{'text':32} {'kind':9} {'aspects':>8} {'problems':>9} {'measures':>9} "
          f"{'errors':>7} {'false E':>8} {'false W':>8}")
    for r in results:
        cells = [f"{a}/{b}" for a, b in r.structure] or ["-", "-", "-"]
        print(f"{r.name:32} {r.kind:9} {cells[0]:>8} {cells[1]:>9} {cells[2]:>9} "
              f"{r.found:>3}/{r.annotated:<3} {len(r.false_errors):>8} {len(r.false_warnings):>8}")
        if verbose:
            for m in r.missed:
                print("      missed:", m)
            for f in r.false_errors + r.false_warnings:
                print(f"      false {f.code} 第{f.row}段: {f.message[:90]}")
    n = len(results)
    structured = [r for r in results if r.structure]
    whole = sum(1 for r in structured for (got, want) in r.structure[:2] if got == want)
    annotated = sum(r.annotated for r in results)
    found = sum(r.found for r in results)
    false_e = sum(len(r.false_errors) for r in results)
    false_w = sum(len(r.false_warnings) for r in results)
    worst_w = max((len(r.false_warnings) for r in results), default=0)
    print()
    print(f"texts: {n} ({n - 3} in benchmarks/notices beyond the three published ones in tests/data)")
    print(f"structure: aspect and problem counts right in {whole} of {2 * len(structured)} "
          f"(texts with a structure: {len(structured)})                       aim: all")
    rate = found * 100 / annotated if annotated else 100.0
    print(f"errors found / annotated: {found}/{annotated} = {rate:.0f}%"
          f"                                            aim: >= 70%")
    print(f"false findings: errors {false_e}, warnings {false_w} "
          f"(at most {worst_w} in one text)                      aim: 0 errors, <= 1 warning a text")
    return 0


if __name__ == "__main__":
    raise SystemExit(main("-v" in sys.argv))
