"""General writing rules for Chinese official documents (issue 15): dates, fixed phrases,
particles, doubled words, genre, punctuation. Pure; each rule takes a text and returns ``Hit``s
(core.textcheck) with offsets, a suggestion and the rule's kind.

Every rule is a pattern of the language or of the 公文 genre, never a list of slips seen in one
document: a fixed phrase of the vocabulary written with one character of the same or a similar
sound or shape (``near_misses``) or with one character left out (``missing_chars``), a date that
cannot exist, an adverb joined to its verb with 的, and so on. The vocabulary is data
(rectify_xl/data/vocabulary.txt plus the user's rule pack) handed in by the caller.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from functools import cache
from typing import TYPE_CHECKING

from rectify_xl.core.lazy_re import lazy_compile
from rectify_xl.core.textcheck import TYPO, Hit, is_cjk

if TYPE_CHECKING:
    from rectify_xl.core.homophones import Lexicon

__all__ = [
    "DATE_ASCII",
    "DATE_IMPOSSIBLE",
    "DATE_MISSING",
    "DATE_REVERSED",
    "DE_DI_DE",
    "DOC_NUMBER",
    "DOUBLED_CHAR",
    "DOUBLED_WORD",
    "INVERTED",
    "JIEZHI",
    "MISSING_CHAR",
    "NEAR_MISS",
    "NO_FULL_STOP",
    "NUMERALS",
    "ORDINAL",
    "PLACEHOLDER",
    "REPORT_WORDING",
    "SHAPE_OF",
    "XUNSHI_MIXED",
    "ZUO",
    "Vocabulary",
    "date_hits",
    "doubled_hits",
    "genre_hits",
    "missing_chars",
    "near_misses",
    "particle_hits",
    "punctuation_hits",
    "slips",
    "usage_hits",
    "vocabulary",
]

# Hit.kind of each rule (the check-notice codes are assigned in core.notice.writing)
DATE_MISSING, DATE_IMPOSSIBLE, DATE_REVERSED, DATE_ASCII, JIEZHI = (
    "date_missing", "date_impossible", "date_reversed", "date_ascii", "jiezhi")
NEAR_MISS, MISSING_CHAR, DE_DI_DE, DOUBLED_CHAR, DOUBLED_WORD = (
    "near_miss", "missing_char", "de_di_de", "doubled_char", "doubled_word")
XUNSHI_MIXED, REPORT_WORDING, PLACEHOLDER, INVERTED = (
    "xunshi_mixed", "report_wording", "placeholder", "inverted")
NO_FULL_STOP, DOC_NUMBER = "no_full_stop", "doc_number"
ZUO, ORDINAL = "zuo", "ordinal"

NUMERALS = frozenset("〇零一二三四五六七八九十百千万两0123456789")  # a swap here is another number


# --- dates -----------------------------------------------------------------------------------

_Y, _M, _D = r"(\d{4})", r"(\d{1,2})", r"(\d{1,2})"
_FULL_RE = lazy_compile(_Y + r"年" + _M + r"月" + _D + r"日")
# a day count run into the year and month: 20211228日, 2021915日 (the 年 and 月 lost)
_RUN_RE = lazy_compile(r"(?<![\d.])((?:19|20)\d{2})(\d{1,2}?)(\d{1,2})日")
# 2021年3月11至… / 2021年3月11，… : the 日 dropped after a day number
# (3月11—12日 is a range written the short way, not a lost 日)
_NO_DAY_RE = lazy_compile(_Y + r"年" + _M + r"月" + r"(\d{1,2})(?=[至到，,、。；;）)]|$)(?!\d)")
# 2021年311日 / 2021年3 11日: the 月 dropped
_NO_MONTH_RE = lazy_compile(_Y + r"年(\d{3,4})日")
# the same range the 公文 way: 2021年3月11日至4月25日 / 至2022年1月5日 / 至25日
_RANGE_RE = lazy_compile(_Y + r"年" + _M + r"月" + _D + r"日\s*(?:起)?\s*(?:至|到|—|－|~|～)\s*"
                       r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日")
# 2021.3.11 / 2021-03-11 / 2021/3/11 written in Chinese text
_ASCII_DATE_RE = lazy_compile(r"(?<![\d.])((?:19|20)\d{2})([./\-])(\d{1,2})\2(\d{1,2})(?![\d.])")
# 截止 before a point in time is 截至 (截止 = the deadline itself: 截止日期, 于…截止)
_JIEZHI_RE = lazy_compile(r"截止(?=目前|当前|现在|今年|今天|日前|本月|本年|年底|月底|上半年|下半年|去年"
                        r"|\d|[一二三四五六七八九十]{1,3}月|[一二三四五六七八九十]{1,3}[日号])")


def _valid(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


def date_hits(text: str) -> list[Hit]:
    """Dates written wrongly: a lost 年/月/日, a date that cannot exist, a range that ends
    before it starts, a date in ASCII form (2021.3.11), 截止 used for 截至. Spaces (also
    non-breaking ones) and zero padding inside a date are check-notice's RX716."""
    hits: list[Hit] = []
    for m in _RUN_RE.finditer(text):
        y, mm, dd = m[1], m[2], m[3]
        if mm and _valid(int(y), int(mm), int(dd)):
            hits.append(Hit(m.start(), m.end(), m[0], f"{y}年{int(mm)}月{int(dd)}日", DATE_MISSING,
                            "缺少“年”“月”"))
    for m in _NO_MONTH_RE.finditer(text):
        digits = m[2]
        for cut in (1, 2):
            mm, dd = digits[:cut], digits[cut:]
            if 1 <= len(dd) <= 2 and _valid(int(m[1]), int(mm), int(dd)):
                hits.append(Hit(m.start(), m.end(), m[0], f"{m[1]}年{int(mm)}月{int(dd)}日",
                                DATE_MISSING, "缺少“月”"))
                break
    for m in _NO_DAY_RE.finditer(text):
        if _valid(int(m[1]), int(m[2]), int(m[3])):
            hits.append(Hit(m.start(), m.end(), m[0], m[0] + "日", DATE_MISSING, "缺少“日”"))
    for m in _FULL_RE.finditer(text):
        if not _valid(int(m[1]), int(m[2]), int(m[3])):
            hits.append(Hit(m.start(), m.end(), m[0], "", DATE_IMPOSSIBLE, "不存在的日期"))
    for m in _RANGE_RE.finditer(text):
        y1, m1, d1 = int(m[1]), int(m[2]), int(m[3])
        y2 = int(m[4]) if m[4] else y1
        m2 = int(m[5]) if m[5] else m1
        d2 = int(m[6])
        if _valid(y1, m1, d1) and _valid(y2, m2, d2) and date(y2, m2, d2) < date(y1, m1, d1):
            # 12月20日至1月5日 may run into the next year: then its year must be written
            note = "结束日期早于开始日期" + ("（如跨年，结束日期须写明年份）" if not m[4] else "")
            hits.append(Hit(m.start(), m.end(), m[0], "", DATE_REVERSED, note))
    for m in _ASCII_DATE_RE.finditer(text):
        y, mm, dd = int(m[1]), int(m[3]), int(m[4])
        near_cjk = (m.start() > 0 and is_cjk(text[m.start() - 1])) or (
            m.end() < len(text) and is_cjk(text[m.end()]))
        if near_cjk and _valid(y, mm, dd):
            hits.append(Hit(m.start(), m.end(), m[0], f"{y}年{mm}月{dd}日", DATE_ASCII,
                            "公文日期用“年月日”"))
    for m in _JIEZHI_RE.finditer(text):
        hits.append(Hit(m.start(), m.end(), m[0], "截至", JIEZHI, "表示“到某时为止”用“截至”"))
    return _dedupe(hits)


def _dedupe(hits: Iterable[Hit]) -> list[Hit]:
    out: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start, -(h.end - h.start))):
        if not any(o.start <= hit.start < o.end for o in out):
            out.append(hit)
    return out


# --- the vocabulary of fixed phrases ----------------------------------------------------------

# Groups of characters often confused by shape (形近字); a pair inside one group is "similar".
_SHAPES = (
    "己已巳", "未末", "戊戌戍", "候侯", "治冶", "贴帖", "辨辩辫瓣", "拔拨", "券卷", "即既",
    "侯喉猴", "祟崇", "栗粟", "汩汨", "赢羸嬴", "恃持", "曰日", "刺剌", "盲肓", "彻沏砌",
    "建健键", "责债绩积", "督睿", "贯惯", "决诀块", "深探", "级极", "措错借", "施旋", "规观现",
    "察擦", "巡迅", "监鉴", "纪记", "律津", "廉谦", "政正证", "制治", "领预", "导异", "部剖",
    "落洛络", "实宝", "问间", "题提", "压庄", "抓爪", "真直", "务各", "作昨怍", "风凤",
)
# character → the others alike in shape (the fixed-phrase rule and core.homophones use them)
SHAPE_OF = {ch: set(group) - {ch} for group in _SHAPES for ch in group}
# initials and finals heard alike in many dialects: zh/z, ch/c, sh/s, n/l, -ng/-n, f/h
_SOUND_FOLD = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("ang", "an"), ("eng", "en"),
               ("ing", "in"), ("ong", "on"))


@cache
def _readings(ch: str) -> frozenset[str]:
    """The pinyin readings of a character, without tones (pypinyin; imported here only)."""
    from pypinyin import Style, pinyin

    out = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")
    return frozenset(out[0]) if out else frozenset()


def _fold(reading: str) -> str:
    for a, b in _SOUND_FOLD:
        if reading.startswith(a):
            reading = b + reading[len(a):]
        if reading.endswith(a) and a[0] != reading[0]:
            reading = reading[: -len(a)] + b
    return "n" + reading[1:] if reading.startswith("l") else reading


def _alike(wrong: str, right: str) -> str:
    """'同音' / '近音' / '形近' when ``wrong`` may be a slip for ``right``, else ''."""
    a, b = _readings(wrong), _readings(right)
    if a & b:
        return "同音"
    if {_fold(x) for x in a} & {_fold(x) for x in b}:
        return "近音"
    if wrong in SHAPE_OF.get(right, ()):
        return "形近"
    return ""


class Vocabulary:
    """Fixed phrases (three characters or more) and the indexes the two phrase rules need.

    Both rules look a text up by the two characters at a place (one dict lookup per character):
    a phrase with one character changed still has its first two or its last two characters
    (a three-character phrase: its first and last), and a phrase with one interior character
    dropped still starts as the short form does.
    """

    def __init__(self, words: Iterable[str]) -> None:
        clean = {unicodedata.normalize("NFKC", w).strip() for w in words}
        self.words = frozenset(w for w in clean if len(w) >= 3 and all(is_cjk(c) for c in w))
        self.lengths = sorted({len(w) for w in self.words})
        # two characters → (phrase, offset of those two in the phrase)
        self._anchors: dict[str, list[tuple[str, int]]] = {}
        # first and third character of a three-character phrase → the phrase
        self._ends: dict[str, list[str]] = {}
        # short form (one interior character dropped) by its first two characters
        self._dropped: dict[str, list[tuple[str, str]]] = {}
        # a free word: the start of several phrases that go on differently (基层 in 基层治理,
        # 基层党组织, 基层减负): 基层组织建设 may be 基层 + 组织建设, no slip for 基层党组织建设
        nexts: dict[str, set[str]] = {}
        for w in self.words:
            for k in range(2, len(w)):
                nexts.setdefault(w[:k], set()).add(w[k])
        free = {p for p, after in nexts.items() if len(after) >= 2}
        for w in self.words:
            self._anchors.setdefault(w[:2], []).append((w, 0))
            self._anchors.setdefault(w[-2:], []).append((w, len(w) - 2))
            if len(w) == 3:
                self._ends.setdefault(w[0] + w[2], []).append(w)
            if len(w) >= 6:
                for i in range(1, len(w) - 1):
                    short = w[:i] + w[i + 1:]
                    # 互联网意识形态 is no slip for 网络意识形态: when what is left on either side
                    # of the gap is a phrase itself, the short form may be two words
                    if short not in self.words and short[:i] not in self.words \
                            and short[i:] not in self.words and short[:i] not in free:
                        self._dropped.setdefault(short[:2], []).append((short, w))

        self._anchor_keys = frozenset(self._anchors)
        self._end_keys = frozenset(self._ends)
        self._dropped_keys = frozenset(self._dropped)
        self._dropped_scan: re.Pattern[str] | None = None

    def dropped_places(self, text: str) -> list[tuple[int, str]]:
        """Every place (in order) where a short form of ``_dropped`` starts: its offset and its
        first two characters. One C-speed scan for a first character of a key followed by a
        second one (a superset: each match is checked against the keys and its short forms),
        instead of a set of all the text's character pairs (issue 12, item 8)."""
        dropped = self._dropped
        if not dropped:
            return []
        scan = self._dropped_scan
        if scan is None:  # compiled on first use: most commands never look for a dropped one
            firsts = "".join(sorted({k[0] for k in dropped}))
            seconds = "".join(sorted({k[1] for k in dropped}))
            scan = self._dropped_scan = re.compile(f"[{re.escape(firsts)}][{re.escape(seconds)}]")
        places = []
        startswith = text.startswith
        for m in scan.finditer(text):
            at = m.start()
            # the scan goes on after the match's two characters: the pair starting at its
            # second character is looked at here, every other pair by the scan itself
            for s in (at, at + 1):
                shorts = dropped.get(text[s:s + 2])
                if shorts is not None and any(startswith(short, s) for short, _ in shorts):
                    places.append((s, text[s:s + 2]))
        return places

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: object) -> bool:
        return word in self.words


_HAN_RE = lazy_compile(r"[\u3400-\u9fff]+")


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def _positions(text: str, key: str) -> list[int]:
    out, at = [], text.find(key)
    while at >= 0:
        out.append(at)
        at = text.find(key, at + 1)
    return out


@cache
def vocabulary(words: tuple[str, ...]) -> Vocabulary:
    """The Vocabulary of a rule pack's words, built once per pack."""
    return Vocabulary(words)


def slips(text: str, words: tuple[str, ...], *, sounds: bool = False,
          places: list[tuple[int, str]] | None = None,
          lexicon: Lexicon | None = None) -> list[Hit]:
    """The word-level slips (missing characters of fixed phrases, 的/地/得/了 and, with
    ``sounds``, near misses by sound or shape) as kind ``typo`` hits, for the ledger's RX603:
    the same rules check-notice reports apart. ``validate`` leaves ``sounds`` off: the pinyin
    tables take half a second to load, too long for a button click. ``places``: see
    ``missing_chars``. With ``lexicon``, same-sound slips in any common word (core.homophones:
    its readings are precomputed, no pinyin tables are loaded)."""
    found = particle_hits(text)
    if words:
        vocab = vocabulary(words)
        found += missing_chars(text, vocab, places)
        if sounds:
            found += near_misses(text, vocab)
    if lexicon is not None:  # same-sound slips in any common word (整该 for 整改)
        from rectify_xl.core.homophones import homophone_hits

        found += homophone_hits(text, lexicon)
    return [replace(h, kind=TYPO) for h in _dedupe(found)]


def _covered(text: str, start: int, end: int, vocab: Vocabulary) -> bool:
    """The span lies inside a correctly written phrase of the vocabulary."""
    for length in vocab.lengths:
        for s in range(max(0, end - length), min(start, len(text) - length) + 1):
            if s <= start and s + length >= end and text[s:s + length] in vocab.words:
                return True
    return False


def near_misses(text: str, vocab: Vocabulary) -> list[Hit]:
    """A fixed phrase written with one character changed to one of the same or a similar sound
    (pypinyin, tones ignored) or a similar shape: 全面从严治当 for 全面从严治党. Numerals are not
    compared (五中全会 and 六中全会 are both phrases), and a span that is itself a phrase, or lies
    in one, is never flagged."""
    hits: list[Hit] = []
    # only the two-character keys the text has at all (a set intersection), then where
    found = [(p, at - off) for key in _bigrams(text) & vocab._anchor_keys
             for at in _positions(text, key) for p, off in vocab._anchors[key]]
    gapped = {text[i] + text[i + 2] for i in range(len(text) - 2)} & vocab._end_keys
    found += [(p, i) for key in gapped for i in range(len(text) - 2)
              if text[i] == key[0] and text[i + 2] == key[1] for p in vocab._ends[key]]
    seen: set[tuple[int, str]] = set()
    for phrase, start in found:
        if start < 0 or (start, phrase) in seen or start + len(phrase) > len(text):
            continue
        seen.add((start, phrase))
        window = text[start:start + len(phrase)]
        if window == phrase or not _HAN_RE.fullmatch(window):
            continue
        diff = [i for i, (a, b) in enumerate(zip(window, phrase, strict=True)) if a != b]
        if len(diff) != 1:
            continue
        i = diff[0]
        wrong, right = window[i], phrase[i]
        if wrong in NUMERALS or right in NUMERALS or window in vocab.words:
            continue
        how = _alike(wrong, right)
        if how and not _covered(text, start + i, start + i + 1, vocab):
            hits.append(Hit(start, start + len(phrase), window, phrase, NEAR_MISS,
                            f"“{wrong}”与“{right}”{how}"))
    return _dedupe(hits)


def missing_chars(text: str, vocab: Vocabulary,
                  places: list[tuple[int, str]] | None = None) -> list[Hit]:
    """A fixed phrase with one interior character left out: 三中全精神 for 三中全会精神.
    ``places`` are ``vocab.dropped_places(text)`` when the caller found them already (one
    scan of many texts joined)."""
    hits: list[Hit] = []
    for s, key in vocab.dropped_places(text) if places is None else places:
        for short, phrase in vocab._dropped[key]:
            if not text.startswith(short, s):
                continue
            # written in full here after all
            if any(text.startswith(phrase, s - k) for k in range(0, len(phrase) - len(short) + 1)
                   if s - k >= 0):
                continue
            if _covered(text, s, s + len(short), vocab):
                continue
            missing = next(phrase[i] for i in range(len(phrase))
                           if phrase[:i] + phrase[i + 1:] == short)
            hits.append(Hit(s, s + len(short), short, phrase, MISSING_CHAR, f"疑漏“{missing}”字"))
    return _dedupe(hits)


# --- 的/地/得, 了 -----------------------------------------------------------------------------

# adverbs of manner that take 地 before a verb; words that are as often adjectives before a
# noun (有效的整改合力, 深入的调研) are left out
_ADVERBS = ("认真", "切实", "及时", "主动", "坚决", "努力", "稳步", "逐步", "大力", "不断", "格外",
            "迅速", "尽快", "妥善", "扎扎实实", "认认真真", "实实在在", "不折不扣", "自觉", "牢牢",
            "全力", "积极主动", "严肃认真", "扎实有效", "深入细致")
_VERBS = ("开展", "推进", "落实", "加强", "学习", "整改", "抓好", "解决", "执行", "贯彻", "完成",
          "推动", "做好", "提升", "发挥", "改进", "研究", "部署", "组织", "检查", "督促", "查处",
          "处理", "纠正", "重视", "参与", "配合", "履行", "承担", "抓", "做", "改", "查", "建立",
          "健全", "完善", "规范", "防范", "化解", "整治", "反思", "剖析", "认识", "领会", "把握",
          "宣传", "传达", "对照", "梳理", "排查", "核查", "清理", "制定", "召开", "总结")
# a verb, 的, then a complement of degree: 学习贯彻的不够到位 → 得
_COMPLEMENT = ("不够", "不到位", "不深", "不实", "不细", "不严", "不好", "很好", "较好", "更好",
               "扎实", "有声有色", "井井有条")
# nouns a verb often forms a compound with (学习态度, 工作作风): then 的 is right
_NOUN_AFTER_RE = lazy_compile(r"态度|精神|作风|氛围|习惯|计划|方案|情况|机制|制度|意识|成效|效果|能力"
                            r"|水平|质量")
# 勒 for the particle 了 (same sound): not in a word that has 勒
_LE_RE = lazy_compile(r"(?<=[\u4e00-\u9fff])勒(?![令索紧住死马石逼停痕克])")
_LE_WORDS = ("勾勒", "弥勒", "马勒", "崖勒")


_ADVERBS_LONGEST = tuple(sorted(_ADVERBS, key=len, reverse=True))
_VERBS_LONGEST = tuple(sorted(_VERBS, key=len, reverse=True))
_COMPLEMENT_TUPLE = tuple(_COMPLEMENT)


def particle_hits(text: str) -> list[Hit]:
    """的 for 地 before a verb (认真的开展 → 认真地开展), 的 for 得 before a complement
    (落实的不够到位 → 落实得不够到位), 勒 for 了. Each 的 is looked at where it is (str.find):
    a narrative has few of them, and a ledger has thousands of narratives."""
    hits = []
    at = text.find("的")
    while at >= 0:
        verb = next((v for v in _VERBS_LONGEST if text.startswith(v, at + 1)), None)
        adverb = next((a for a in _ADVERBS_LONGEST if text.endswith(a, 0, at)), None)
        if verb and adverb:
            rest = text[at + 1:at + 1 + len(verb) + 2]
            # 认真的学习态度: the verb is part of a noun phrase
            if not (rest.endswith("的", 0, len(verb) + 1) or _NOUN_AFTER_RE.match(rest, len(verb))):
                hits.append(Hit(at, at + 1, "的", "地", DE_DI_DE,
                                f"“{adverb}”修饰动词“{verb}”，应用“地”"))
        elif text.startswith(_COMPLEMENT_TUPLE, at + 1):
            verb = next((v for v in _VERBS_LONGEST if text.endswith(v, 0, at)), None)
            if verb:
                hits.append(Hit(at, at + 1, "的", "得", DE_DI_DE, f"“{verb}”后补充程度，应用“得”"))
        at = text.find("的", at + 1)
    if "勒" in text:
        for m in _LE_RE.finditer(text):
            before = text[max(0, m.start() - 1):m.start() + 1]
            if before in _LE_WORDS:
                continue
            hits.append(Hit(m.start(), m.end(), "勒", "了", DE_DI_DE, "“勒”疑为助词“了”"))
    return _dedupe(hits)


# --- fixed usages ----------------------------------------------------------------------------

# 作 (not 做) with abstract objects of speech and decision: 作报告, 作了重要讲话, 作出部署
_ZUO_RE = lazy_compile(r"做(?=(?:了|过)?(?:重要|专题|全面|工作|总结|表态|典型|交流)?"
                     r"(?:讲话|报告|发言|部署|批示|指示|说明|检讨|检查|交流发言|表态))"
                     r"|做(?![好实细到足强大完成])(?=[^，。；、：\s]{1,6}?(?:报告|讲话|发言)(?:[，。；、]|$))"
                     r"|做出(?=[了过]?"
                     r"(?:重要|专门|全面|具体)?(?:部署|批示|指示|决定|决策|安排|规定|贡献|承诺|处理|处分|评价|判断))")
# 第十七届 / 十九届: a 届 right after the name of a place has lost its ordinal (市届人大常委会)
_ORDINAL_RE = lazy_compile(r"(?<=[省市县区州旗镇乡])届(?=[\u4e00-\u9fff]{0,4}?"
                         r"(?:人大|政协|人民代表大会|党代会|委员会|全会|市委|县委|区委|省委))")


# 期间 follows the time it belongs to (巡察期间); at the head of a clause it is 其间
_QIJIAN_RE = lazy_compile(r"(?:(?<=[，。；,;])|^)期间(?=[，,]?[\u4e00-\u9fff])")


def usage_hits(text: str) -> list[Hit]:
    """做 where the 公文 writes 作 (作报告, 作重要讲话, 作出部署), a 届 without its ordinal
    (市届人大常委会 for 市第十七届人大常委会), 期间 opening a clause (其间)."""
    hits = [Hit(m.start(), m.end(), m[0], "作" + m[0][1:], ZUO,
                "“作报告、作讲话、作出部署”用“作”") for m in _ZUO_RE.finditer(text)]
    hits += [Hit(m.start(), m.end(), "期间", "其间", ZUO, "“期间”须跟在时间词后，单用作“其间”")
             for m in _QIJIAN_RE.finditer(text)]
    hits += [Hit(m.start(), m.end(), "届", "第…届", ORDINAL, "届次缺少序数")
             for m in _ORDINAL_RE.finditer(text)]
    return _dedupe(hits)


# --- doubled characters and words --------------------------------------------------------------

_FUNCTION = "的了在是和与及对把被将为从就也都并向按于之"
_DOUBLE_OK_RE = lazy_compile("|".join(map(re.escape, ("的的确", "不了了之", "实实在在", "是是非非",
                                                       "自由自在", "明明白白", "干干净净"))))
_DOUBLE_CHAR_RE = lazy_compile(f"([{_FUNCTION}])\\1")
_DOUBLE_WORD_RE = lazy_compile(r"([\u4e00-\u9fff]{2,4})\1")
# AB AB that is correct: counting (一项一项), reduplicated verbs of speech, onomatopoeia
_REDUP_OK = lazy_compile(r"^(?:[一两几每各逐]|[\u4e00-\u9fff](?:[一]))|^(?:研究|讨论|商量|学习|"
                       r"考虑|看看|想想|试试|谢谢|哈哈|嘻嘻|呵呵|轰隆|叮咚|滴答)$")


def doubled_hits(text: str) -> list[Hit]:
    """A function character typed twice (的的, 在在) and a word typed twice (加强加强)."""
    ok = [m.span() for m in _DOUBLE_OK_RE.finditer(text)]
    hits = []
    for m in _DOUBLE_CHAR_RE.finditer(text):
        if any(a <= m.start() < b for a, b in ok):
            continue
        hits.append(Hit(m.start(), m.end(), m[0], m[1], DOUBLED_CHAR, "重复字"))
    for m in _DOUBLE_WORD_RE.finditer(text):
        word = m[1]
        if len(set(word)) == 1 or _REDUP_OK.match(word) or any(a <= m.start() < b for a, b in ok):
            continue
        if len(word) == 2 and word[1] in "个项条次件名人":
            continue
        hits.append(Hit(m.start(), m.end(), m[0], word, DOUBLED_WORD, "重复词"))
    return _dedupe(hits)


# --- genre ---------------------------------------------------------------------------------

# 巡视 in a 巡察 notice where the unit's own inspection is meant; the central and provincial
# 巡视, the 条例 and Xi's remarks on 巡视工作 are right
_XUNSHI_RE = lazy_compile(r"(?<![中省上央委轮])巡视(?!巡察|工作条例|工作的|工作重要|工作领导小组)"
                        r"(?=整改|反馈|意见|组|发现|期间|工作|问题|情况)")
_REPORT_RE = lazy_compile(r"(?:现将|特将|兹将)[^。；]{0,30}?报告如下")
# (not ○○: 二○○九年 is a date in Chinese numerals)
_PLACEHOLDER_RE = lazy_compile(r"(?<![A-Za-z])(?:[Xx]{2,}|×{2,}|[Xx×]+年[Xx×]+月)(?![A-Za-z])")
_INVERTED = (("批示指示", "指示批示"),)


def genre_hits(text: str, *, xuncha: bool = False, public: bool = False) -> list[Hit]:
    """Slips of the genre: 巡视 in a 巡察 notice (``xuncha``), report wording in a public
    notice (``public``), an anonymised placeholder left in (XX, ××), 批示指示 for 指示批示."""
    hits = []
    if xuncha:
        for m in _XUNSHI_RE.finditer(text):
            hits.append(Hit(m.start(), m.end(), m[0], "巡察", XUNSHI_MIXED, "本单位接受的是巡察"))
    if public:
        for m in _REPORT_RE.finditer(text):
            hits.append(Hit(m.start(), m.end(), m[0], "现将……予以公布", REPORT_WORDING,
                            "公开发布的公告不用“报告如下”"))
    for m in _PLACEHOLDER_RE.finditer(text):
        hits.append(Hit(m.start(), m.end(), m[0], "", PLACEHOLDER, "占位符未替换"))
    for wrong, right in _INVERTED:
        for m in re.finditer(wrong, text):
            hits.append(Hit(m.start(), m.end(), wrong, right, INVERTED, "固定语序"))
    return _dedupe(hits)


# --- punctuation ----------------------------------------------------------------------------

_END_OK = "。！？；…”’）》：:.!?;)"
# a document number: 陕政法发〔2021〕1号; wrong brackets or none around the year
_DOCNO_RE = lazy_compile(r"(?<=[\u4e00-\u9fff])(?:([(（\[【〈<{［])((?:19|20)\d{2})([)）\]】〉>}］])"
                       r"|((?:19|20)\d{2})(?:年|-|—|\s))(第?)(\d{1,4})号")


_DOCNO_NTH_RE = lazy_compile(r"〔((?:19|20)\d{2})〕第(\d{1,4})号")


def punctuation_hits(text: str, *, paragraph: bool = False) -> list[Hit]:
    """A body paragraph without its closing full stop (``paragraph``: the text is a whole body
    paragraph, not a heading or a title), and a document number whose year is not in 〔〕."""
    hits = []
    stripped = text.rstrip()
    if paragraph and len(stripped) >= 15 and stripped[-1] not in _END_OK and (
            is_cjk(stripped[-1]) or stripped[-1].isdigit()):
        hits.append(Hit(len(stripped) - 1, len(stripped), stripped[-1], stripped[-1] + "。",
                        NO_FULL_STOP, "段末缺少句号"))
    for m in _DOCNO_RE.finditer(text):
        year = m[2] or m[4]
        if m[4] and text[max(0, m.start() - 1):m.start()] not in ("发", "字", "函", "办"):
            continue  # 2021年1号 without a 发文字号 prefix is no file number
        hits.append(Hit(m.start(), m.end(), m[0], f"〔{year}〕{m[6]}号", DOC_NUMBER,
                        "发文字号的年份用六角括号“〔〕”，序号不加“第”"))
    for m in _DOCNO_NTH_RE.finditer(text):
        hits.append(Hit(m.start(), m.end(), m[0], f"〔{m[1]}〕{m[2]}号", DOC_NUMBER,
                        "发文字号的序号不加“第”"))
    return _dedupe(hits)
