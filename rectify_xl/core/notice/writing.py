"""check-notice: the general writing rules of core.textrules over a notice (RX605–RX623).

Pure. Each rule has its own code; a hit is reported at its paragraph with the words around it
and the suggested fix. The vocabulary comes from the rule pack (the default fixed phrases plus
a user's ``[vocabulary] words``): a user's pack adds words, the rules stay.
"""

from __future__ import annotations

import re

from rectify_xl.core.contact import PHONE_AFTER_LABEL, email_problems, phone_problems
from rectify_xl.core.findings import Finding, Severity
from rectify_xl.core.homophones import HOMOPHONE, TARGET_MIN, Lexicon, homophone_hits
from rectify_xl.core.notice.doc import NoticeDoc
from rectify_xl.core.notice.facts import mentions_contact
from rectify_xl.core.rules.registry import CodeSpec, code_registrar
from rectify_xl.core.structure import Structure
from rectify_xl.core.textcheck import Hit, TypoPack, snippet, typo_hits
from rectify_xl.core.textrules import (
    DATE_ASCII,
    DATE_IMPOSSIBLE,
    DATE_MISSING,
    DATE_REVERSED,
    DE_DI_DE,
    DOC_NUMBER,
    DOUBLED_CHAR,
    DOUBLED_WORD,
    INVERTED,
    JIEZHI,
    MISSING_CHAR,
    NEAR_MISS,
    NO_FULL_STOP,
    ORDINAL,
    PLACEHOLDER,
    REPORT_WORDING,
    XUNSHI_MIXED,
    ZUO,
    date_hits,
    doubled_hits,
    genre_hits,
    missing_chars,
    near_misses,
    particle_hits,
    punctuation_hits,
    usage_hits,
    vocabulary,
)

__all__ = ["WRITING_CODES", "general_writing_findings"]

_code = code_registrar("notice")
_AT = "第{para}段“{context}”："
STRAY_SPACE = "stray_space"
CONTACT_PHONE, CONTACT_EMAIL = "contact_phone", "contact_email"

WRITING_CODES: dict[str, CodeSpec] = {
    DATE_MISSING: _code("RX605", Severity.ERROR, "日期缺字",
                        _AT + "“{found}”{note}，应为“{suggestion}”"),
    DATE_IMPOSSIBLE: _code("RX606", Severity.ERROR, "日期不存在", _AT + "“{found}”是不存在的日期"),
    DATE_REVERSED: _code("RX607", Severity.ERROR, "日期起止颠倒", _AT + "“{found}”{note}"),
    DATE_ASCII: _code("RX608", Severity.WARNING, "日期写法不规范",
                      _AT + "“{found}”{note}，应写作“{suggestion}”"),
    JIEZHI: _code("RX609", Severity.WARNING, "“截止”应为“截至”",
                  _AT + "表示到某时为止用“截至”，“截止”指到期停止"),
    NEAR_MISS: _code("RX610", Severity.WARNING, "固定提法疑有错字",
                     _AT + "“{found}”疑为“{suggestion}”（{note}）"),
    MISSING_CHAR: _code("RX611", Severity.WARNING, "固定提法疑有漏字",
                        _AT + "“{found}”疑为“{suggestion}”（{note}）"),
    DE_DI_DE: _code("RX612", Severity.WARNING, "“的、地、得、了”用法",
                    _AT + "“{found}”疑为“{suggestion}”（{note}）"),
    DOUBLED_CHAR: _code("RX613", Severity.WARNING, "重复字", _AT + "“{found}”重复，应为“{suggestion}”"),
    DOUBLED_WORD: _code("RX614", Severity.WARNING, "重复词", _AT + "“{found}”重复，应为“{suggestion}”"),
    XUNSHI_MIXED: _code("RX615", Severity.WARNING, "巡视、巡察混用",
                        _AT + "本公告是巡察整改，“{found}”疑为“巡察”"),
    REPORT_WORDING: _code("RX616", Severity.WARNING, "公告中用了报告的说法",
                          _AT + "公开发布的公告宜写“现将……予以公布”，不用“报告如下”"),
    PLACEHOLDER: _code("RX617", Severity.ERROR, "占位符未替换",
                       _AT + "“{found}”是未替换的占位符，请填写实际内容"),
    INVERTED: _code("RX618", Severity.WARNING, "固定语序颠倒", _AT + "“{found}”应为“{suggestion}”"),
    NO_FULL_STOP: _code("RX619", Severity.WARNING, "段末缺少句号", "第{para}段“{context}”末尾缺少句号"),
    ZUO: _code("RX621", Severity.WARNING, "“作/做”“其间/期间”用法",
               _AT + "“{found}”应为“{suggestion}”（{note}）"),
    ORDINAL: _code("RX622", Severity.WARNING, "届次缺少序数",
                   _AT + "“{found}”前缺少届次序数（如“第十七届”）"),
    HOMOPHONE: _code("RX623", Severity.WARNING, "常用词疑有同音或形近错字",
                     _AT + "“{found}”疑为“{suggestion}”（{note}）"),
    STRAY_SPACE: _code("RX627", Severity.WARNING, "多余空格",
                       _AT + "“{found}”中有多余的空格（多为从 PDF 或网页复制留下），应为“{suggestion}”"),
    CONTACT_PHONE: _code("RX628", Severity.WARNING, "公布的电话号码写法有误",
                         _AT + "“{found}”不像电话号码（固定电话如 0913-3253456，手机11位），"
                         "群众将照此联系，请核对"),
    CONTACT_EMAIL: _code("RX629", Severity.WARNING, "公布的电子邮箱写法有误",
                         _AT + "“{found}”不是有效的邮件地址（应如 name@example.com），请核对"),
    DOC_NUMBER: _code("RX620", Severity.WARNING, "发文字号写法不规范",
                      _AT + "“{found}”应写作“{suggestion}”（年份用六角括号“〔〕”）"),
}


# a space between Chinese characters, or before a Chinese mark: 公文 text has none
_SPACE_RE = re.compile(r"(?<=[\u4e00-\u9fff])[ \u3000\xa0]+(?=[\u4e00-\u9fff，。；：、！？])")


def _stray_spaces(text: str, lexicon: Lexicon | None) -> list[Hit]:
    """Spaces a copy from a PDF or a web page left inside running text: before 。，；… (不充分 。),
    or splitting a common word (未定 期召开). A space between two words (a byline's 记者 张三,
    通讯员 李四) is layout and left alone."""
    hits = []
    for m in _SPACE_RE.finditer(text):
        a, b = text[m.start() - 1], text[m.end()]
        if not ("\u4e00" <= b <= "\u9fff") or (
                lexicon is not None and lexicon.counts.get(a + b, 0) >= TARGET_MIN):
            hits.append(Hit(m.start() - 1, m.end() + 1, text[m.start() - 1:m.end() + 1], a + b,
                            STRAY_SPACE))
    return hits


# the address after a mail label (not 邮政信箱: a post-office box), and any word with an @
_EMAIL_AFTER_RE = re.compile(r"(?<!邮政)(?:电子邮箱|电子信箱|邮箱)[：:]?\s*([A-Za-z0-9._%+\-@＠]+)")
_AT_SIGN_RE = re.compile(r"[A-Za-z0-9._%+\-]+[@＠][A-Za-z0-9.\-]*")


def _contact_hits(text: str) -> list[Hit]:
    """Telephone numbers and mail addresses of a contact line that no number or address has:
    the public would call or write to nowhere."""
    hits: list[Hit] = []
    for m in PHONE_AFTER_LABEL.finditer(text):
        for bad in phone_problems(m.group(1)):
            at = text.find(bad, m.start(1))
            if at < 0:  # the NFKC form differs (full-width digits): the whole run is named
                at, bad = m.start(1), m.group(1)
            hits.append(Hit(at, at + len(bad), bad, "", CONTACT_PHONE))
    spans = {(m.start(1), m.end(1)) for m in _EMAIL_AFTER_RE.finditer(text)}
    spans |= {m.span() for m in _AT_SIGN_RE.finditer(text)}
    for a, b in sorted(spans):
        value = text[a:b].rstrip(".")
        if value and email_problems(value) and not any(h.start < b and a < h.end for h in hits):
            hits.append(Hit(a, a + len(value), value, "", CONTACT_EMAIL))
    return hits


def _body_paragraphs(structure: Structure, doc: NoticeDoc) -> set[int]:
    """Paragraphs of running text (not headings, title, signature, addressee or contact lines)."""
    out = set()
    title = doc.info.get("title", "")
    for node in structure.walk():
        text = node.para.text
        if node.is_heading and not node.body:
            continue
        if node.no in doc.signature or (title and text in title) or text.endswith(("：", ":")):
            continue
        if not re.search(r"[，。；,;]", text):  # a title or a heading line, not running text
            continue
        if mentions_contact(text) and not text.startswith("欢迎"):
            continue
        out.add(node.no)
    return out


def _is_xuncha(doc: NoticeDoc, structure: Structure) -> bool:
    group = str(doc.info.get("group", ""))
    if group:
        return "巡察" in group
    head = "".join(p.text for p in structure.paras[:3])
    return "巡察组" in head and "巡视组" not in head


def _is_public(structure: Structure) -> bool:
    head = "".join(p.text for p in structure.paras[:4])
    return bool(re.search(r"公开|公布|公告|公示|通报|接受.{0,6}监督", head))


def _edge_word(text: str, hit: Hit, lexicon: Lexicon) -> bool:
    """A phrase's first or last character changed where that character and its neighbour
    outside the phrase make a common word: 巡察主要任务 reads 巡察 + 主要, not 巡察组 slipped."""
    diff = [i for i, (a, b) in enumerate(zip(hit.found, hit.suggestion, strict=False)) if a != b]
    if len(diff) != 1 or diff[0] not in (0, len(hit.found) - 1):
        return False
    at = hit.start + diff[0]
    word = text[at - 1:at + 1] if diff[0] == 0 else text[at:at + 2]
    return len(word) == 2 and at >= (1 if diff[0] == 0 else 0) and \
        lexicon.counts.get(word, 0) >= TARGET_MIN


_JOINED_MIN = 20  # 组织生活 is counted 59 times: a word, though not a common one


def _two_words(text: str, hit: Hit, lexicon: Lexicon) -> bool:
    """A word seen twice where the first ends a longer word and the second starts one:
    党组织组织生活 is 党组织 + 组织生活, not 组织 typed twice."""
    if hit.kind != DOUBLED_WORD:
        return False
    n, counts = len(hit.suggestion), lexicon.counts
    first, second = hit.start, hit.start + n
    before = any(counts.get(text[first - k:second], 0) >= _JOINED_MIN
                 for k in range(1, min(first, 3) + 1))
    after = any(counts.get(text[second:second + n + k], 0) >= _JOINED_MIN
                for k in range(1, 4) if second + n + k <= len(text))
    return before and after


def general_writing_findings(structure: Structure, doc: NoticeDoc, source: str,
                             typos: TypoPack | None) -> list[Finding]:
    """The rules of core.textrules over every paragraph; at most one finding per place."""
    vocab = vocabulary(typos.words) if typos is not None and typos.words else None
    body = _body_paragraphs(structure, doc)
    xuncha, public = _is_xuncha(doc, structure), _is_public(structure)
    lexicon = typos.lexicon() if typos is not None and typos.lexicon is not None else None
    out = []
    for para in structure.paras:
        text = para.text
        doubled = doubled_hits(text)
        if lexicon is not None:
            doubled = [h for h in doubled if not _two_words(text, h, lexicon)]
        hits: list[Hit] = date_hits(text) + particle_hits(text) + doubled
        hits += usage_hits(text)
        hits += genre_hits(text, xuncha=xuncha, public=public and para.no <= 3)
        hits += punctuation_hits(text, paragraph=para.no in body)
        if para.no in body:
            hits += _stray_spaces(text, lexicon)
        if vocab is not None:
            hits += [h for h in near_misses(text, vocab)
                     if lexicon is None or not _edge_word(text, h, lexicon)]
            hits += missing_chars(text, vocab)
        hits += _contact_hits(text)  # a number or address right after its label, anywhere
        if lexicon is not None and para.no not in doc.signature and not mentions_contact(text):
            hits += homophone_hits(text, lexicon)  # not the names of a signature or contact line
        # a slip the rule pack names is reported once, as the pack's RX603/RX604; two word-level
        # rules at one place report once; a wording rule over a whole clause (报告如下) does not
        # hide a slip inside it
        pack = [(h.start, h.end) for h in (typo_hits(text, typos) if typos is not None else [])]
        taken: list[tuple[int, int]] = []
        for hit in sorted(hits, key=lambda h: h.start):
            wide = hit.kind in (REPORT_WORDING, NO_FULL_STOP)
            if any(a < hit.end and hit.start < b for a, b in pack) or (
                    not wide and any(a < hit.end and hit.start < b for a, b in taken)):
                continue
            if not wide:
                taken.append((hit.start, hit.end))
            spec = WRITING_CODES[hit.kind]
            out.append(spec.finding(source, row=para.no, para=para.no, found=hit.found,
                                    suggestion=hit.suggestion, note=hit.note,
                                    context=snippet(text, hit)))
    return out
