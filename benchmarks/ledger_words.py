"""How well headers and status phrases no table lists are read by their words (issue 12).

Material: benchmarks/ledger_words/headers.toml (real header sets of rectification forms, ledgers
and systems, each header annotated by hand with the field it names) and statuses.toml (real status
values and phrases, each annotated with the state it states, or "unsure"). Both list their sources.

For headers it prints, current reader (core/header_guess behind core/parse.find_header) beside the
baseline (the exact alias table only: schema.HEADER_KEYS, guessing off): fields mapped correctly /
wrongly / missed, columns correctly left alone, and the header sets whose ledger header would be
found at all (a 整改措施 column and a 具体问题/反馈问题 column). For statuses: correct / wrong (counted
under another state — the serious error: a wrong figure) / refused (left unrecognised; for an
"unsure" phrase that is the correct answer), current (Status.parse: table, then core/status_words)
beside the baseline (the table only).

A third of the material is held out: a header set when crc32 of its source is divisible by 3, a
status phrase when crc32 of its text is. The rules were tuned on the rest only; the held-out
figures say something about material the rules never saw. ``-v`` lists the tuning part's errors
(never the held-out ones).

Usage: python benchmarks/ledger_words.py [-v]
"""

from __future__ import annotations

import sys
import tomllib
import zlib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rectify_xl.core.aliases import COMBINED_SEPARATORS, header_form, status_form  # noqa: E402
from rectify_xl.core.header_guess import guess_header_key  # noqa: E402
from rectify_xl.core.model import Grid  # noqa: E402
from rectify_xl.core.parse import find_header  # noqa: E402
from rectify_xl.core.schema import HEADER_KEYS, STATUS_SYNONYMS, Status  # noqa: E402
from rectify_xl.errors import InputError  # noqa: E402

DATA = Path(__file__).resolve().parent / "ledger_words"
_SECOND = {"leader2": "leader", "department2": "department"}
OTHER = "other"


def held_out(key: str) -> bool:
    return zlib.crc32(key.encode("utf-8")) % 3 == 0


# ---------------------------------------------------------------- headers

@dataclass
class HeaderScore:
    sets: int = 0
    headers: int = 0
    correct: int = 0  # a field, the right one
    wrong: int = 0  # a field where another field (or none) was meant
    missed: int = 0  # left alone where a field was meant
    left_alone: int = 0  # left alone, rightly
    should_find: int = 0
    found_right: int = 0  # found, and it should be
    found_wrong: int = 0  # found, and no reading of its headers names a ledger
    errors: list[str] = field(default_factory=list)


def _expected(answer: str) -> set[str]:
    return {"+".join(sorted(a.split("+"))) for a in answer.split("|")}


def _exact_key(text: str) -> str | None:
    return HEADER_KEYS.get(header_form(text))


def _exact_keys(text: str) -> str:
    """The baseline: the exact table only (a combined header split on its separators)."""
    key = _exact_key(text)
    if key:
        return key
    parts = [p for p in COMBINED_SEPARATORS.split(header_form(text)) if p]
    if len(parts) == 2:
        keys = [HEADER_KEYS.get(p) for p in parts]
        if keys[0] in ("department", "leader") and keys[1] == "person":
            return "+".join(sorted(k for k in keys if k))
    return OTHER


def _current(headers: list[str]) -> tuple[list[str], bool]:
    """What the reader makes of each column, and whether it finds a ledger header at all."""
    try:
        layout = find_header(Grid("表", [list(headers)]))
    except InputError:
        # no ledger header: still score each column as the reader would name it
        # (as find_header would: a guess never takes a field named exactly, nor one guessed
        # in an earlier column)
        got = [_exact_keys(h) for h in headers]
        taken = {k for g in got for k in g.split("+")}
        for i, h in enumerate(headers):
            if got[i] == OTHER and (guess := guess_header_key(header_form(h))):
                got[i] = OTHER if guess in taken else guess
                taken.add(guess)
        return got, False
    by_column: dict[int, set[str]] = {}
    for key, column in layout.columns.items():
        if key in layout.derived:
            continue  # e.g. 具体问题 read from the 反馈问题 column: not a header of its own
        by_column.setdefault(column, set()).add(_SECOND.get(key, key))
    return ["+".join(sorted(by_column.get(c, ()))) or OTHER
            for c in range(1, len(headers) + 1)], True


def _should_find(answers: list[set[str]], strict: bool = True) -> bool:
    """A ledger header must be found (strict: its 整改措施 and problem columns are unambiguous),
    or may be (some reading of the headers names both)."""
    named = [a for a in answers if len(a) == 1] if strict else answers
    keys = {k for a in named for k in a}
    return "measure" in keys and bool({"problem", "feedback"} & keys)


def score_headers(sets: list[dict[str, object]], current: bool) -> HeaderScore:
    s = HeaderScore()
    for entry in sets:
        pairs = entry["headers"]
        assert isinstance(pairs, list)
        headers = [h for h, _ in pairs]
        answers = [_expected(a) for _, a in pairs]
        if current:
            got, found = _current(headers)
        else:
            got = [_exact_keys(h) for h in headers]
            keys = {k for g in got for k in g.split("+")}
            found = "measure" in keys and bool(keys & {"problem", "feedback"})
        s.sets += 1
        should = _should_find(answers)
        s.should_find += should
        s.found_right += found and should
        s.found_wrong += found and not _should_find(answers, strict=False)
        if found != should:
            s.errors.append(f"{'FOUND  ' if found else 'unfound'} set {str(entry['source'])[:70]}")
        for header, answer, g in zip(headers, answers, got, strict=True):
            s.headers += 1
            if g in answer:
                if g == OTHER:
                    s.left_alone += 1
                else:
                    s.correct += 1
            elif g == OTHER:
                s.missed += 1
                s.errors.append(f"missed  {header!r}: {g} (meant {'|'.join(sorted(answer))})")
            else:
                s.wrong += 1
                s.errors.append(f"WRONG   {header!r}: {g} (meant {'|'.join(sorted(answer))})")
    return s


# ---------------------------------------------------------------- statuses

@dataclass
class StatusScore:
    phrases: int = 0
    stated: int = 0  # phrases that state a state
    correct: int = 0  # the right state, or (unsure) refused
    wrong: int = 0  # counted under another state: a wrong figure
    refused: int = 0  # a stated state left unrecognised
    unsure_refused: int = 0
    errors: list[str] = field(default_factory=list)


def _baseline_state(text: str) -> Status | None:
    return STATUS_SYNONYMS.get(status_form(text))


def score_statuses(items: list[tuple[str, str]], current: bool) -> StatusScore:
    s = StatusScore()
    for text, state in items:
        got = Status.parse(text) if current else _baseline_state(text)
        s.phrases += 1
        value = got.value if got else None
        if state == "unsure":
            if value is None:
                s.correct += 1
                s.unsure_refused += 1
            else:
                s.wrong += 1
                s.errors.append(f"WRONG   {text!r}: {value} (meant unsure)")
            continue
        s.stated += 1
        if value == state:
            s.correct += 1
        elif value is None:
            s.refused += 1
            s.errors.append(f"refused {text!r} (meant {state})")
        else:
            s.wrong += 1
            s.errors.append(f"WRONG   {text!r}: {value} (meant {state})")
    return s


# ---------------------------------------------------------------- material

def load() -> tuple[list[dict[str, object]], list[tuple[str, str, str]]]:
    headers = tomllib.loads((DATA / "headers.toml").read_text(encoding="utf-8"))["set"]
    statuses: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for entry in tomllib.loads((DATA / "statuses.toml").read_text(encoding="utf-8"))["list"]:
        for text, state in entry["values"]:
            if status_form(text) not in seen:  # distinct phrases only
                seen.add(status_form(text))
                statuses.append((text, state, entry["source"]))
    return headers, statuses


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    header_sets, statuses = load()
    parts = {
        "tuned on": ([h for h in header_sets if not held_out(str(h["source"]))],
                     [(t, s) for t, s, _ in statuses if not held_out(t)]),
        "held out": ([h for h in header_sets if held_out(str(h["source"]))],
                     [(t, s) for t, s, _ in statuses if held_out(t)]),
    }
    print(f"material: {len(header_sets)} header sets "
          f"({sum(len(h['headers']) for h in header_sets)} headers), "  # type: ignore[arg-type]
          f"{len(statuses)} distinct status phrases "
          f"({sum(1 for _, s, _ in statuses if s != 'unsure')} stating a state)")
    for name, (sets, items) in parts.items():
        cur, base = score_headers(sets, True), score_headers(sets, False)
        print(f"\n== {name}: {cur.sets} header sets, {cur.headers} headers ==")
        print(f"{'headers':32}{'current':>10}{'baseline':>10}")
        for label, attr in (("fields mapped correctly", "correct"),
                            ("fields mapped WRONGLY", "wrong"),
                            ("fields missed", "missed"),
                            ("other columns left alone", "left_alone")):
            print(f"  {label:30}{getattr(cur, attr):>10}{getattr(base, attr):>10}")
        print(f"  {'ledger header found':30}{cur.found_right:>7}/{cur.should_find:<2}"
              f"{base.found_right:>7}/{base.should_find:<2}")
        print(f"  {'found where none could be':30}{cur.found_wrong:>10}{base.found_wrong:>10}")
        scur, sbase = score_statuses(items, True), score_statuses(items, False)
        print(f"{'statuses':32}{'current':>10}{'baseline':>10}   "
              f"({scur.phrases} phrases, {scur.stated} stating a state)")
        for label, attr in (("correct", "correct"),
                            ("WRONG state (wrong figure)", "wrong"),
                            ("refused (a stated state)", "refused"),
                            ("unsure, rightly refused", "unsure_refused")):
            print(f"  {label:30}{getattr(scur, attr):>10}{getattr(sbase, attr):>10}")
        if verbose and name == "tuned on":
            for line in cur.errors + scur.errors:
                print("    " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
