"""Build rectify_xl/data/lexicon.txt.gz: the word frequencies and character readings behind the
same-sound slip check (core/homophones.py).

Source: the dictionary of jieba 0.42.1 (dict.txt, MIT licence; word frequencies counted from
the People's Daily and other corpora), reduced to words of Chinese characters only, at most six
long, counted at least MIN_FREQ times (rarer entries are mostly odd segmentations, and a rare
"word" would hide a slip: 健立 is one). The readings (toneless pinyin, every reading of a
polyphone) come from pypinyin, so the check needs neither package at run time.

Regenerate (dev only): .venv/bin/pip install jieba==0.42.1 && .venv/bin/python scripts/build_lexicon.py
The output is deterministic (sorted; gzip without a time stamp).
"""

from __future__ import annotations

import gzip
import io
import re
from pathlib import Path

MIN_FREQ = 10
OUT = Path(__file__).resolve().parent.parent / "rectify_xl" / "data" / "lexicon.txt.gz"
_HAN = re.compile(r"[\u4e00-\u9fff]+")


def main() -> None:
    import jieba  # type: ignore[import-untyped]
    from pypinyin import Style, pinyin

    source = Path(jieba.__file__).with_name("dict.txt")
    freq: dict[str, int] = {}
    for line in source.read_text("utf-8").splitlines():
        word, count, *_ = line.split()
        if _HAN.fullmatch(word) and len(word) <= 6 and int(count) >= MIN_FREQ:
            freq[word] = max(freq.get(word, 0), int(count))
    chars = sorted({c for w in freq for c in w})
    readings = [" ".join(sorted({r for group in pinyin(c, style=Style.NORMAL, heteronym=True,
                                                      errors="ignore") for r in group}))
                for c in chars]
    words = sorted(freq)
    # five lines, each split once at load time (a line a word took 4× as long to read):
    # a comment, the words, their counts, the characters, their readings
    lines = [f"# jieba {jieba.__version__} dict.txt (MIT), words counted >= {MIN_FREQ} times; "
             "readings: pypinyin, toneless",
             "\t".join(words), "\t".join(str(freq[w]) for w in words),
             "\t".join(chars), "\t".join(readings)]
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9, mtime=0, filename="") as gz:
        gz.write(("\n".join(lines) + "\n").encode("utf-8"))
    OUT.write_bytes(buf.getvalue())
    print(f"{OUT}: {len(freq)} words, {len(chars)} characters, {len(buf.getvalue()) // 1024} KB")


if __name__ == "__main__":
    main()
