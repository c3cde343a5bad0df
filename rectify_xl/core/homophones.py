"""Slips in any common word typed with a character read alike or shaped alike: 问体 for 问题,
完乘 for 完成, 己经 for 已经, 自已 for 自己.

Pinyin input turns a wrong choice among characters read alike into a slip no word list can
foresee. A word-frequency lexicon can: a stretch of two characters that is no word, but becomes
a common word when one of its characters is swapped for one read the same (or one of the shape
groups of core.textrules), is a suspect; it is reported when the swap makes the words around it
much more likely than the text as written (best segmentation by word frequencies, as jieba
segments), so that 对该 (two words) or 立行立改 (a fixed phrase of the rule pack) stay quiet.
A slip whose gain is small stays unreported too (办里 for 办理: 里 is a common word alone):
a false warning costs the user's trust, a missed slip only a warning.

Pure: the lexicon (word → count, character → toneless readings) is read by
adapters.rulepacks and passed in. Numerals and what follows a title (组长王昭进) are not
compared: numbers combine freely and names are no words.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from rectify_xl.core.lazy_re import lazy_compile
from rectify_xl.core.textcheck import Hit
from rectify_xl.core.textrules import SHAPE_OF

__all__ = ["HOMOPHONE", "Lexicon", "homophone_hits"]

HOMOPHONE = "homophone"  # Hit.kind

TARGET_MIN = 300  # a slip is reported only for a common word (counted at least this often)
MARGIN = 8.5  # natural-log likelihood gain the swap must bring to be reported
_SIZE = 2  # windows of three characters as well found no more planted slips, at twice the time
_SLIP_RATIO = 100  # a rare lexicon word is a slip of a word alike in shape this much commoner
_RARE_MARGIN = 6.0  # and then needs less help from the words around it
_CONTEXT = 4  # characters on either side scored with the window
_LONGEST = 6  # longest lexicon word the scorer looks for

_HAN_RE = lazy_compile(r"[\u4e00-\u9fff]{2,}")
_NUMERALS = frozenset("〇零一二三四五六七八九十百千万亿两廿卅")
_TITLE_RE = lazy_compile(
    r"(?:书记|主任|组长|局长|主席|部长|县长|市长|区长|镇长|乡长|校长|院长|同志|委员|秘书长|组员|"
    r"厅长|处长|科长|所长|经理|董事长|主持人|负责人|队长|站长|社长|行长|干部|专员|巡察员|联络员)$")


# the commonest surnames (about 85 % of the population); a name begins with one
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤")
_AFTER_NAME_RE = lazy_compile(
    r"[\u4e00-\u9fff]?副?(?:同志|书记|主任|组长|局长|主席|部长|县长|市长|区长|镇长|乡长|校长|院长|委员|"
    r"提出|强调|指出|表示|主持|讲话|介绍|要求|通报|传达|宣读|作了|出席|参加|代表)")


# a place: a name right before the administrative unit it names (晁家社区, 东屯村委会, 新渭村,
# 天宁区, 天宁经济开发区) is a proper noun, however it reads
_PLACE_AFTER_RE = lazy_compile(
    r"[\u4e00-\u9fff]?(?:村委会|居委会|社区|街道|村|镇|乡)|(?:经济技术|经济|高新)?开发区|[县区市州]")


class Lexicon:
    """Word counts, character readings, and the index of common words by all-but-one character."""

    def __init__(self, counts: Mapping[str, int], readings: Mapping[str, Iterable[str]],
                 phrases: Iterable[str] = ()) -> None:
        self.counts = dict(counts)
        total = sum(self.counts.values()) or 1
        # a fixed phrase of the rule pack counts as a common word: 立行立改 is not 立行为改
        for p in phrases:
            self.counts[p] = max(self.counts.get(p, 0), TARGET_MIN)
        self._log_total = math.log(total)
        self._unknown = -self._log_total  # a character the lexicon lacks: counted once
        self.readings = {c: frozenset(r) for c, r in readings.items()}
        self._index: dict[str, list[str]] | None = None

    def targets(self) -> dict[str, list[str]]:
        """Common words of ``_SIZE`` characters by the others and the reading of the one left
        out (``发?`` + ``xian`` → 发现, 发限…): a lookup gives only same-sound swaps. Built on
        first use (≈ 20 ms; a warm worker builds it before the click)."""
        if self._index is None:
            index: dict[str, list[str]] = {}
            empty: frozenset[str] = frozenset()
            for w, n in self.counts.items():
                if n >= TARGET_MIN and len(w) == _SIZE:
                    for j in range(_SIZE):
                        for reading in self.readings.get(w[j], empty):
                            index.setdefault(f"{w[:j]}?{w[j + 1:]}{reading}", []).append(w)
            self._index = index
        return self._index

    def score(self, text: str, ignore: str = "") -> float:
        """Log-likelihood of the best segmentation of ``text`` into lexicon words, not using
        the word ``ignore`` (of two characters or more)."""
        counts, log_total, unknown = self.counts, self._log_total, self._unknown
        best = [0.0]
        for end in range(1, len(text) + 1):
            n = counts.get(text[end - 1])
            top = best[end - 1] + (math.log(n) - log_total if n else unknown)
            for size in range(2, min(_LONGEST, end) + 1):
                word = text[end - size:end]
                n = counts.get(word)
                if n is not None and word != ignore \
                        and (value := best[end - size] + math.log(n) - log_total) > top:
                    top = value
            best.append(top)
        return best[-1]


def _name_like(run: str, i: int) -> bool:
    """The window at ``i`` follows a title, or a surname that follows one (组长王昭进), or
    starts with a common surname or follows one, and is followed, after at most one more
    character, by a title or a verb of speaking (王昭进提出, 张海俊同志, 董立均副校长): a name,
    however it reads. So is a place: a window right before 村, 社区, 镇, 县… (晁家社区)."""
    if _TITLE_RE.search(run[max(0, i - 5):i]) or _TITLE_RE.search(run[max(0, i - 6):i - 1]):
        return True
    # 王昭|进提出 (the window starts the name) or 张|海俊|同志 (the window is its given name)
    starts = run[i] in _SURNAMES or (i > 0 and run[i - 1] in _SURNAMES)
    if starts and _AFTER_NAME_RE.match(run, i + _SIZE):
        return True
    return bool(_PLACE_AFTER_RE.match(run, i + _SIZE))


def homophone_hits(text: str, lexicon: Lexicon) -> list[Hit]:
    """Same-sound slips in ``text``, at most one per place, the likeliest fix first."""
    index, counts, readings = lexicon.targets(), lexicon.counts, lexicon.readings
    empty: frozenset[str] = frozenset()
    found: list[tuple[float, Hit]] = []
    for m in _HAN_RE.finditer(text):
        run, base = m.group(), m.start()
        for i in range(len(run) - _SIZE + 1):
            window = run[i:i + _SIZE]
            seen = counts.get(window, 0)
            if seen >= TARGET_MIN or not _NUMERALS.isdisjoint(window):
                continue
            words = {w for j in range(_SIZE) for reading in readings.get(window[j], empty)
                     for w in index.get(f"{window[:j]}?{window[j + 1:]}{reading}", ())}
            # and characters alike in shape (自已 for 自己): the groups textrules keeps
            shaped = {w for j in range(_SIZE) for c in SHAPE_OF.get(window[j], ())
                      if counts.get(w := f"{window[:j]}{c}{window[j + 1:]}", 0) >= TARGET_MIN}
            words |= shaped
            if seen:
                # a rare "word" of the lexicon that is a slip of a far commoner one alike in
                # shape (自已, 263 times, for 自己, 90,933): the corpus behind the lexicon had
                # the slip too. Same-sound pairs are left: rare words read like common ones
                # are many and real (设区, 从实)
                words = {w for w in shaped if counts[w] >= _SLIP_RATIO * seen}
            if not words or _name_like(run, i):
                continue
            a, b = max(0, i - _CONTEXT), i + _SIZE + _CONTEXT
            as_written = lexicon.score(run[a:b], ignore=window)
            for word in sorted(words):
                if not _NUMERALS.isdisjoint(word):
                    continue
                gain = lexicon.score(run[a:i] + word + run[i + _SIZE:b]) - as_written
                if gain > (_RARE_MARGIN if seen else MARGIN):
                    found.append((gain, Hit(base + i, base + i + _SIZE, window, word,
                                            HOMOPHONE, "形近" if word in shaped else "同音")))
    out: list[Hit] = []
    for _, hit in sorted(found, key=lambda g: -g[0]):
        if not any(h.start < hit.end and hit.start < h.end for h in out):
            out.append(hit)
    return sorted(out, key=lambda h: h.start)
