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
Texts whose .toml says `heldout = true` (marked *) are reported on their own: no rule was
changed while looking at them.
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
    heldout: bool = False  # never looked at while rules were changed; reported on its own
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
    result = Result(toml.stem, spec["kind"], heldout=bool(spec.get("heldout")))
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


def _totals(results: list[Result], label: str) -> None:
    structured = [r for r in results if r.structure]
    whole = sum(1 for r in structured for (got, want) in r.structure[:2] if got == want)
    annotated = sum(r.annotated for r in results)
    found = sum(r.found for r in results)
    false_e = sum(len(r.false_errors) for r in results)
    false_w = sum(len(r.false_warnings) for r in results)
    worst_w = max((len(r.false_warnings) for r in results), default=0)
    rate = found * 100 / annotated if annotated else 100.0
    print(f"[{label}: {len(results)} texts]")
    print(f"  structure: aspect and problem counts right in {whole} of {2 * len(structured)} "
          f"(texts with a structure: {len(structured)})                     aim: all")
    print(f"  errors found / annotated: {found}/{annotated} = {rate:.0f}%"
          f"                                          aim: >= 70%")
    print(f"  false findings: errors {false_e}, warnings {false_w} "
          f"(at most {worst_w} in one text)                    aim: 0 errors, <= 1 warning a text")


def main(verbose: bool = False) -> int:
    results = [score(p) for p in sorted(CORPUS.glob("*.toml"))]
    print(f"{'text':32} {'kind':9} {'aspects':>8} {'problems':>9} {'measures':>9} "
          f"{'errors':>7} {'false E':>8} {'false W':>8}")
    for r in results:
        cells = [f"{a}/{b}" for a, b in r.structure] or ["-", "-", "-"]
        name = r.name + (" *" if r.heldout else "")
        print(f"{name:32} {r.kind:9} {cells[0]:>8} {cells[1]:>9} {cells[2]:>9} "
              f"{r.found:>3}/{r.annotated:<3} {len(r.false_errors):>8} {len(r.false_warnings):>8}")
        if verbose:
            for m in r.missed:
                print("      missed:", m)
            for f in r.false_errors + r.false_warnings:
                print(f"      false {f.code} 第{f.row}段: {f.message[:90]}")
    print()
    print(f"texts: {len(results)} ({len(results) - 3} in benchmarks/notices beyond the three "
          "published ones in tests/data)")
    for heldout, label in ((False, "tuned"), (True, "held-out")):
        _totals([r for r in results if r.heldout is heldout], label)
    return 0




# --- planted slips --------------------------------------------------------------------------

# common characters, most frequent first: what a homophone slip is typed as
_COMMON = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自"
    "二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变"
    "条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指"
    "几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安"
    "场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连"
    "断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属"
    "圆包火住调满县局照参红细引听该铁价严"
)


def _homophone(ch: str, avoid: set[str]) -> str | None:
    """Another common character read the same (pypinyin, tones ignored), for planting."""
    from pypinyin import Style, lazy_pinyin

    reading = lazy_pinyin(ch, style=Style.NORMAL)[0]
    for other in _COMMON:
        if other != ch and other not in avoid and other not in "一二三四五六七八九十百千万两" \
                and lazy_pinyin(other, style=Style.NORMAL)[0] == reading:
            return other
    return None


def _word_slip(text: str, vocab: object, rng: object) -> tuple[str, str] | None:
    """A two-character word of the lexicon counted >= 300 times (no numeral, not inside a fixed
    phrase of the pack) and the same word with one character typed as a homophone."""
    import re

    from rectify_xl.adapters.rulepacks import default_lexicon

    counts = default_lexicon().counts
    phrases = [w for w in vocab.words if w in text]  # type: ignore[attr-defined]
    words = sorted({w for w in re.findall(r"(?=([\u4e00-\u9fff]{2}))", text)
                    if counts.get(w, 0) >= 300 and text.count(w) == 1
                    and not set(w) & set("一二三四五六七八九十百千万两")
                    and not any(w in p for p in phrases)})
    rng.shuffle(words)  # type: ignore[attr-defined]
    for w in words:
        j = rng.randrange(2)  # type: ignore[attr-defined]
        if sub := _homophone(w[j], set(w)):
            return w, w[:j] + sub + w[j + 1:]
    return None


def planted(verbose: bool = False) -> None:
    """Slips planted one at a time in the corpus texts (which the rules were not written from
    for these slips): a fixed phrase with a homophone or with an interior character dropped, a
    date made impossible, 截至 made 截止, a doubled 的. Found = a finding of the expected code at
    the planted paragraph; new false findings = error/warning findings the clean text lacks."""
    import random
    import re

    from rectify_xl.core.textrules import vocabulary

    pack = default_typos()
    vocab = vocabulary(pack.words)
    rng = random.Random(623)
    tally: dict[str, list[int]] = {}
    new_false = 0
    for toml in sorted(CORPUS.glob("*.toml")):
        spec = tomllib.loads(toml.read_text("utf-8"))
        clean, _, _ = normalise(_text_of(toml, spec))
        base = {(f.code, f.row) for f in check_notice_text(clean, toml.stem, typos=pack)}
        plants: list[tuple[str, int, str, str]] = []  # code, paragraph, old, new
        for no, text in enumerate(clean, start=1):
            phrase = next((w for w in sorted(vocab.words, key=lambda w: (-len(w), w))
                           if len(w) >= 4 and w in text), None)
            if phrase and not any(p[0] == "RX610" for p in plants):
                # a numeral is never compared (五中全会 / 六中全会): plant elsewhere
                i = next((k for k in range(len(phrase) // 2, len(phrase))
                          if phrase[k] not in "一二三四五六七八九十百千万两"), len(phrase) // 2)
                sub = _homophone(phrase[i], set(phrase))
                if sub:
                    plants.append(("RX610", no, phrase, phrase[:i] + sub + phrase[i + 1:]))
            long = next((w for w in sorted(vocab.words, key=lambda w: (-len(w), w))
                         if len(w) >= 6 and w in text and any(
                             s == w for shorts in vocab._dropped.values() for _, s in shorts)), None)
            if long and not any(p[0] == "RX611" for p in plants):
                for i in range(len(long) - 2, 0, -1):
                    short = long[:i] + long[i + 1:]
                    if any(s == short for s, _ in vocab._dropped.get(short[:2], ())):
                        plants.append(("RX611", no, long, short))
                        break
            if (m := re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text)) and not any(
                    p[0] == "RX606" for p in plants):
                plants.append(("RX606", no, m[0], f"{m[1]}年{m[2]}月3{2 + int(m[3]) % 8}日"))
            if "截至" in text and not any(p[0] == "RX609" for p in plants):
                plants.append(("RX609", no, "截至", "截止"))
            if "的" in text and not any(p[0] == "RX613" for p in plants):
                plants.append(("RX613", no, "的", "的的"))
            # a common word of any kind (not a fixed phrase) typed with a same-sound character:
            # up to three a text, each in another paragraph, the word and the place by lot
            if sum(p[0] == "RX623" for p in plants) < 3 and (plant := _word_slip(text, vocab, rng)):
                plants.append(("RX623", no, *plant))
        for code, no, old, new in plants:
            texts = list(clean)
            texts[no - 1] = texts[no - 1].replace(old, new, 1)
            found = [(f.code, f.row, f.severity) for f in check_notice_text(texts, toml.stem, typos=pack)]
            # the pack's own entries (截止目前, 的的) report the same slip as RX603/RX604
            same = {code, {"RX609": "RX603", "RX613": "RX604", "RX610": "RX603"}.get(code, code)}
            if code == "RX623":  # a slip in a fixed phrase's word may be named by the phrase rule
                same |= {"RX603", "RX610"}
            hit = any(c in same and r == no for c, r, _ in found)
            tally.setdefault(code, []).append(int(hit))
            extra = [(c, r) for c, r, s in found if (c, r) not in base and r != no
                     and s in (Severity.ERROR, Severity.WARNING)]
            new_false += len(extra)
            if verbose and not hit:
                print(f"      planted {code} missed: {toml.stem} 第{no}段 {old}→{new}")
    print()
    print("planted slips (one at a time, in the corpus texts): found / planted")
    for code, hits in sorted(tally.items()):
        print(f"  {code}: {sum(hits)}/{len(hits)}")
    total = [h for hits in tally.values() for h in hits]
    print(f"  all: {sum(total)}/{len(total)}; new false findings elsewhere: {new_false}")
    words = {w for w in vocab.words}
    corpus = "\n".join("\n".join(normalise(_text_of(t, tomllib.loads(t.read_text("utf-8"))))[0])
                       for t in CORPUS.glob("*.toml"))
    seen = sum(1 for w in words if w in corpus)
    print(f"vocabulary: {len(words)} fixed phrases; {seen} of them occur in the corpus texts")


# --- planted slips of figures, dates, numbering and genre (issue 14) ------------------------

# Each slip is planted alone into one real text: (text, old, new, codes that name it, what).
# The paragraph is the first one holding ``old`` (after the import's normalisation). Found = a
# finding of one of the codes at that paragraph; new false findings = error/warning findings the
# clean text lacks, at any other paragraph. The list is fixed: the rules were not written from it.
NOTICE_SLIPS: tuple[tuple[str, str, str, tuple[str, ...], str], ...] = (
    # figures that do not add up
    ("seed-2021", "已完成9个", "已完成11个", ("RX713",), "done above the stated and listed total"),
    ("wucheng-2023-partial", "已完成整改19个", "已完成整改27个", ("RX713",), "done above the total"),
    ("km-2023-round", "完成整改688个", "完成整改698个", ("RX713",), "done above the total"),
    ("xiangtan-2018-special", "其中35个已整改", "其中45个已整改", ("RX713",), "done above the total"),
    ("wucheng-2023-partial", "整改完成率76%", "整改完成率67%", ("RX714",), "rate is not done/total"),
    ("km-2023-round", "总体完成率98.71%", "总体完成率97.71%", ("RX714",), "rate is not done/total"),
    ("wucheng-2023-partial", "整改完成率76%", "整改完成率176%", ("RX714", "RX624"), "rate above 100%"),
    ("ycit-2021-briefing", "大部分问题已经整改到位", "整改完成率达105%，大部分问题已经整改到位",
     ("RX624",), "a rate above 100% with no figures beside it"),
    # contact lines the public is to use
    ("wuhu-2020-announcement", "0553-2595762", "0553-259576", ("RX628",), "a digit dropped"),
    ("wuhu-2020-announcement", "whxwxcz3@outlook.com", "whxwxcz3@outlookcom", ("RX629",),
     "an address without its dot"),
    ("nllz-2023-entry", "19955367438", "1995536743", ("RX628",), "a mobile number one short"),
    # dates
    ("km-2023-round", "2022年1月27日", "2022年2月30日", ("RX606",), "impossible date"),
    ("seed-2021", "2021年3月11日至4月25日", "2021年4月25日至3月11日", ("RX607",), "reversed range"),
    ("wucheng-2023-partial", "2022年9月16日至10月18日", "2022年10月16日至9月18日", ("RX607",),
     "reversed range"),
    ("trade-union-2024-partial", "2024年8月13日", "2024年5月13日", ("RX607", "RX625"),
     "feedback dated before the inspection ended"),
    # one number written two ways in one place
    ("seed-2021", "细化分解了9个问题", "细化分解了九个问题", ("RX626",), "digits and Chinese numerals"),
    ("wucheng-2023-partial", "正在整改6个", "正在整改六个", ("RX626",), "digits and Chinese numerals"),
    ("km-2023-round", "未完成5个", "未完成五个", ("RX626",), "digits and Chinese numerals"),
    # doubled words
    ("seed-2021", "整改工作还需继续努力", "整改工作工作还需继续努力", ("RX614",), "doubled word"),
    ("wucheng-2023-partial", "切实做好整改工作", "切实做好整改整改工作", ("RX614",), "doubled word"),
    ("km-2023-round", "进行评估", "进行评估评估", ("RX614",), "doubled word"),
    # heading numbers
    ("seed-2021", "三、下一步打算", "四、下一步打算", ("RX702",), "一、二、四、"),
    ("trade-union-2024-partial", "二、整改进展情况及成效", "三、整改进展情况及成效", ("RX702",),
     "一、三、"),
    ("wuhu-2020-announcement", "三、受理信访方式", "四、受理信访方式", ("RX702",), "一、二、四、"),
    ("seed-2021", "（四）进一步健全长效机制", "（五）进一步健全长效机制", ("RX702",), "（三）（五）"),
    # 巡视 in a 巡察 notice
    ("seed-2021", "努力通过巡察问题", "努力通过巡视问题", ("RX615",), "巡视 for 巡察"),
    ("wucheng-2023-partial", "把巡察整改作为", "把巡视整改作为", ("RX615",), "巡视 for 巡察"),
    ("km-2023-round", "巡察反馈的697个问题", "巡视反馈的697个问题", ("RX615",), "巡视 for 巡察"),
    # half-width punctuation
    ("seed-2021", "高度重视县委第一巡察组指出的问题，", "高度重视县委第一巡察组指出的问题,",
     ("RX601",), "half-width comma"),
    ("wucheng-2023-partial", "给予政务处分0人；", "给予政务处分0人;", ("RX601",), "half-width semicolon"),
    ("km-2023-round", "总体完成率98.71%。", "总体完成率98.71%.", ("RX601",), "half-width full stop"),
    ("ycit-2021-briefing", "对12个方面32个问题认真进行了整改。", "对12个方面32个问题认真进行了整改.",
     ("RX601",), "half-width full stop"),
    # spaces a PDF or web copy leaves
    ("seed-2021", "推动全县政法工作高质量发展", "推动全县政法工作高质 量发展", ("RX627",),
     "a space inside a word"),
    ("wucheng-2023-partial", "切实做好整改工作。", "切实做好整改工作 。", ("RX627",), "a space before 。"),
    # held-out texts (heldout = true): planted once, reported on their own, never tuned on
    ("whu-2023-revisit", "2022年12月5日至12月13日", "2022年12月15日至12月13日", ("RX607",),
     "reversed range"),
    ("whu-2023-revisit", "并作表态发言。", "并作表态发言.", ("RX601",), "half-width full stop"),
    ("group-2024-feedback", "三是加强日常监督", "四是加强日常监督", ("RX706",), "一是、二是、四是"),
    ("group-2024-feedback", "反馈了巡察意见", "反馈了巡察巡察意见", ("RX614",), "doubled word"),
    ("taihu-2024-assessment", "巡察反馈问题227个。", "巡察反馈问题227个,", ("RX601",),
     "half-width comma"),
    ("taihu-2024-assessment", "2023年全年开展专项整治18次", "2023年全年开展专项整治18次次", ("RX613",),
     "doubled character"),
)


def _texts_by_name() -> dict[str, tuple[list[str], bool]]:
    out = {}
    for toml in sorted(CORPUS.glob("*.toml")):
        spec = tomllib.loads(toml.read_text("utf-8"))
        out[toml.stem] = (normalise(_text_of(toml, spec))[0], bool(spec.get("heldout")))
    return out


def planted_notice_slips(verbose: bool = False) -> None:
    pack = default_typos()
    texts = _texts_by_name()
    tally: dict[bool, list[int]] = {False: [], True: []}
    new_false = {False: 0, True: 0}
    for name, old, new, codes, what in NOTICE_SLIPS:
        clean, heldout = texts[name]
        no = next(i for i, t in enumerate(clean, start=1) if old in t)
        base = {(f.code, f.row) for f in check_notice_text(clean, name, typos=pack)}
        planted = list(clean)
        planted[no - 1] = planted[no - 1].replace(old, new, 1)
        found = check_notice_text(planted, name, typos=pack)
        hit = any(f.code in codes and f.row == no for f in found)
        extra = [f for f in found if (f.code, f.row) not in base and f.row != no
                 and f.severity in (Severity.ERROR, Severity.WARNING)]
        tally[heldout].append(int(hit))
        new_false[heldout] += len(extra)
        if verbose and (not hit or extra):
            print(f"      {'found' if hit else 'MISSED'} {'/'.join(codes)} {name} 第{no}段 "
                  f"{old}→{new} ({what})" + "".join(f"; false {f.code} 第{f.row}段" for f in extra))
    print()
    print("planted slips of figures, dates, numbering, wording (one at a time, NOTICE_SLIPS):")
    for heldout, label in ((False, "tuned"), (True, "held-out")):
        hits = tally[heldout]
        print(f"  {label}: found {sum(hits)}/{len(hits)}; new false findings elsewhere: {new_false[heldout]}")


if __name__ == "__main__":
    code = main("-v" in sys.argv)
    planted("-v" in sys.argv)
    planted_notice_slips("-v" in sys.argv)
    raise SystemExit(code)
