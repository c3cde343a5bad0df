"""Read a notice or feedback document as paragraphs: .txt in any common encoding, or .docx.

Chinese offices save text as UTF-8 (with or without BOM), GBK/GB18030 (Notepad before Windows
10 1903, WPS defaults) or UTF-16 (Notepad's "Unicode"). A strict decode cascade settles the
usual cases; charset-normalizer only breaks ties. Empty files, binary files and disguised
packages are refused with one clear line (InputError). Files are opened read-only.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from rectify_xl.adapters.files import zip_member_names
from rectify_xl.errors import InputError

__all__ = ["MAX_PARAGRAPHS", "MAX_TEXT_BYTES", "MAX_TEXT_CHARS", "TextSource", "decode_text",
           "read_paragraphs"]

MAX_TEXT_BYTES = 20_000_000  # a notice is a few dozen KB; anything this large is not one
# A 100-page 公文 (22 lines of 28 characters a page) is ≈ 62,000 characters in ≈ 1,000
# paragraphs; five times that is still read, anything beyond is refused before the checks
# (check-notice costs ≈ 1 ms a paragraph: 400,000 one-character paragraphs ran for minutes).
MAX_PARAGRAPHS = 5_000
MAX_TEXT_CHARS = 300_000
MAX_DOCUMENT_XML = 50_000_000  # word/document.xml unpacked: megabytes for a long notice
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)


@dataclass(frozen=True, slots=True)
class TextSource:
    paragraphs: list[str]
    encoding: str  # for the import report: UTF-8, GBK/GB18030, UTF-16, Word 文档


def read_paragraphs(path: str | Path) -> TextSource:
    """The paragraphs of a .txt or .docx file; InputError if it is not a usable text."""
    path = Path(path)
    if path.name.startswith("~$") and path.is_file():
        raise InputError(f"“{path.name}”是 Word/WPS 打开文档时生成的锁定文件，不是文档本身；"
                         f"请选“{path.name[2:]}”（或同名的原文件）")
    raw = _read_bytes(path)
    if path.suffix.lower() == ".docx" or raw.startswith(b"PK"):
        return TextSource(_docx_paragraphs(path), "Word 文档")
    if raw.startswith(_OLE_MAGIC):
        raise InputError(f"“{path.name}”是旧版 Word（.doc）或加密文件，请另存为 .docx 或 .txt 后再试")
    if raw.startswith(b"%PDF"):
        raise InputError(f"“{path.name}”是 PDF 文件，无法可靠读出段落；"
                         "请用 Word 原稿（.docx）或另存为 .txt 后再试")
    text, encoding = decode_text(raw, path.name)
    if not text.strip(" \t\r\n\u3000\ufeff"):
        raise InputError(f"“{path.name}”是空文件，没有可读取的文字")
    return TextSource(_bounded(text.splitlines(), path.name), encoding)


def _too_many_paragraphs(name: str, count: int) -> InputError:
    return InputError(f"“{name}”有 {count:,} 段，远超一份公告或反馈意见（上限 {MAX_PARAGRAPHS:,} 段），"
                      "已拒绝读取；请只保留公告或反馈意见的正文后再试")


def _bounded(paragraphs: list[str], name: str) -> list[str]:
    """The paragraphs, or InputError when there are more, or more text, than any notice has."""
    if len(paragraphs) > MAX_PARAGRAPHS:
        raise _too_many_paragraphs(name, len(paragraphs))
    chars = sum(map(len, paragraphs))
    if chars > MAX_TEXT_CHARS:
        raise InputError(f"“{name}”有 {chars:,} 个字，远超一份公告或反馈意见（上限 {MAX_TEXT_CHARS:,} 字），"
                         "已拒绝读取；请只保留公告或反馈意见的正文后再试")
    return paragraphs


def _read_bytes(path: Path) -> bytes:
    from rectify_xl.adapters.files import path_kind

    kind = path_kind(path)
    if kind == "missing":
        raise InputError(f"找不到文件：{path}")
    if kind == "dir":
        raise InputError(f"“{path.name}”是文件夹，不是文本或 Word 文件")
    if kind == "other":  # a pipe or a device: reading it could wait for ever or never end
        raise InputError(f"“{path.name}”不是普通文件（是管道或设备），不是文本或 Word 文件")
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            raise InputError(f"“{path.name}”过大（{size // 1_000_000} MB），不像是一份公告或反馈意见")
        with path.open("rb") as f:
            raw = f.read()
    except OSError as exc:
        from rectify_xl.adapters.files import read_failure  # Chinese, not the system's English

        raise InputError(f"无法读取“{path.name}”：{read_failure(exc)}") from exc
    if not raw.strip():
        raise InputError(f"“{path.name}”是空文件，没有可读取的文字")
    return raw


def decode_text(raw: bytes, name: str = "文件") -> tuple[str, str]:
    """Bytes → (text, encoding label). BOM first, then strict UTF-8, then strict GB18030."""
    for bom, codec, label in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(codec), label
            except UnicodeDecodeError as exc:
                raise InputError(f"“{name}”的编码有误，无法按 {label} 读取") from exc
    if b"\x00" in raw[:8192]:
        raise InputError(f"“{name}”是二进制文件，不是文本文件（.txt）或 Word 文档（.docx）")
    candidates = []
    for codec, label in (("utf-8", "UTF-8"), ("gb18030", "GBK/GB18030")):
        try:
            candidates.append((raw.decode(codec), label))
        except UnicodeDecodeError:
            continue
    candidates = [(t, label) for t, label in candidates if _looks_like_text(t)]
    if not candidates:
        guess = _guess(raw)
        if guess is None:
            raise InputError(f"“{name}”无法识别文字编码，请用记事本另存为 UTF-8 编码的 .txt 后再试")
        return guess
    return candidates[0]


def _looks_like_text(text: str) -> bool:
    """Few control characters: binary data decoded by a lenient codec fails this."""
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t\f")
    return controls <= max(2, len(text) // 1000)


def _guess(raw: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes  # lazy: only for files the cascade cannot settle

    best = from_bytes(raw).best()
    if best is None or best.encoding is None:
        return None
    text = str(best)
    return (text, best.encoding.upper()) if _looks_like_text(text) else None


def _docx_paragraphs(path: Path) -> list[str]:
    _check_docx(path)
    from docx import Document  # lazy: python-docx pulls in lxml

    try:
        document = Document(str(path))
        numbering = _Numbering(document)
        paragraphs = _bounded(_body_texts(document, numbering), path.name)
    except InputError:
        raise
    except Exception as exc:  # python-docx raises several kinds for broken parts, also late
        # (a relationship loop: RecursionError at the first style looked up)
        raise InputError(f"“{path.name}”无法读取：文件已损坏或不是有效的 Word 文档") from exc
    if not any(p.strip() for p in paragraphs):
        raise InputError(f"“{path.name}”中没有文字段落")
    return paragraphs


def _body_texts(document: object, numbering: _Numbering) -> list[str]:
    """Paragraphs and tables in the order of the body: a table of problems (问题 | 整改情况 | …)
    becomes labelled paragraphs (core.notice.tables), so its problems are not skipped."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    from rectify_xl.core.notice.tables import table_paragraphs

    out: list[str] = []
    body = document.element.body  # type: ignore[attr-defined]
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)  # type: ignore[arg-type]
            out.append(numbering.label(paragraph) + paragraph.text)
        elif tag == "tbl":
            table = Table(child, document)  # type: ignore[arg-type]
            rows = [[str(getattr(cell, "text", "")) for cell in _distinct(row.cells)]
                    for row in table.rows]
            out += table_paragraphs(rows)
    return out


def _distinct(cells: tuple[object, ...]) -> list[object]:
    """A row's cells with a horizontally merged cell once (python-docx repeats it)."""
    seen: list[object] = []
    for cell in cells:
        if not any(cell is s or getattr(cell, "_tc", None) is getattr(s, "_tc", 0) for s in seen):
            seen.append(cell)
    return seen


def _check_docx(path: Path) -> None:
    """An unencrypted OOXML word-processing package within the shared zip-bomb limits, whose
    body is not larger, nor in more paragraphs, than a notice could be (counted in its bytes
    before python-docx builds a tree of it)."""
    name = path.name
    if not zipfile.is_zipfile(path):
        raise InputError(f"“{name}”不是 Word 文档（.docx），可能是改了扩展名的其他文件")
    if "word/document.xml" not in zip_member_names(path, f"“{name}”"):
        raise InputError(f"“{name}”不是 Word 文档（压缩包中没有 word/document.xml）")
    try:
        paragraphs = _count_paragraphs(path)
    except InputError:
        raise
    except Exception as exc:  # a damaged member: zlib.error, a bad CRC, a cut-off file
        raise InputError(f"“{name}”无法读取：文件已损坏或不是有效的 Word 文档") from exc
    if paragraphs > MAX_PARAGRAPHS:
        raise _too_many_paragraphs(name, paragraphs)


_PARAGRAPH = re.compile(rb"<(?:[\w.-]+:)?p[\s/>]")


def _count_paragraphs(path: Path) -> int:
    """Paragraph start tags in word/document.xml (an upper bound: any prefix counts), streamed
    in pieces; the body's unpacked size is bounded whatever its header claims."""
    count, total, carry = 0, 0, b""
    with zipfile.ZipFile(path) as z, z.open("word/document.xml") as f:
        while block := f.read(1 << 20):
            total += len(block)
            if total > MAX_DOCUMENT_XML:
                raise InputError(f"“{path.name}”的正文部分过大（超过 {MAX_DOCUMENT_XML // 1_000_000} MB），"
                                 "不像是一份公告或反馈意见，已拒绝读取")
            data = carry + block
            count += len(_PARAGRAPH.findall(data, 0, len(data) - 16))
            carry = data[len(data) - 16:]
    return count + len(_PARAGRAPH.findall(carry))


# --- Word automatic numbering --------------------------------------------------------------
# Word's AutoFormat turns a typed "1." or "（一）" into a numbered list: the number is then not
# part of paragraph.text. Render it from numbering.xml so the structure reader sees it.

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_FULL = str.maketrans("0123456789", "０１２３４５６７８９")
_NO_LABEL = ("bullet", "none")


def format_number(n: int, fmt: str) -> str:
    """One counter in a Word number format (w:numFmt)."""
    from rectify_xl.core.numbering import cn_numeral

    if fmt.startswith("chinese") or fmt in ("ideographTraditional", "japaneseCounting"):
        return cn_numeral(n)
    if fmt == "ideographDigital":
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(n))
    if fmt.startswith("decimalFullWidth"):
        return str(n).translate(_FULL)
    if fmt.startswith("decimalEnclosedCircle") and n <= len(_CIRCLED):
        return _CIRCLED[n - 1]
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(64 + (n - 1) % 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


def _val(el: object, tag: str) -> str | None:
    child = el.find(_W + tag) if el is not None else None  # type: ignore[attr-defined]
    return child.get(_W + "val") if child is not None else None


class _Numbering:
    """Counters of the document's lists, advanced paragraph by paragraph."""

    def __init__(self, document: object) -> None:
        self.levels: dict[tuple[str, int], tuple[int, str, str]] = {}
        self.nums: dict[str, str] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.styles: dict[object, tuple[str | None, int]] = {}  # style id → its chain's numPr
        try:
            root = document.part.numbering_part.element  # type: ignore[attr-defined]
        except (KeyError, NotImplementedError, AttributeError):
            return
        for abstract in root.findall(_W + "abstractNum"):
            aid = abstract.get(_W + "abstractNumId")
            for lvl in abstract.findall(_W + "lvl"):
                start = int(_val(lvl, "start") or 1)
                self.levels[(aid, int(lvl.get(_W + "ilvl") or 0))] = (
                    start, _val(lvl, "numFmt") or "decimal", _val(lvl, "lvlText") or "")
        for num in root.findall(_W + "num"):
            self.nums[num.get(_W + "numId")] = _val(num, "abstractNumId") or ""

    def label(self, paragraph: object) -> str:
        num_id, ilvl = _num_pr(paragraph, self.styles)
        aid = self.nums.get(num_id or "")
        if not aid or (aid, ilvl) not in self.levels:
            return ""
        start, fmt, text = self.levels[(aid, ilvl)]
        counters = self.counters.setdefault(aid, {})
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if fmt in _NO_LABEL:
            return ""
        for k in range(9):
            if f"%{k + 1}" in text:
                lvl_fmt = self.levels.get((aid, k), (1, "decimal", ""))[1]
                value = counters.get(k, self.levels.get((aid, k), (1, "", ""))[0])
                text = text.replace(f"%{k + 1}", format_number(value, lvl_fmt))
        return text


def _num_pr(paragraph: object, styles: dict[object, tuple[str | None, int]]
            ) -> tuple[str | None, int]:
    """numId and level from the paragraph, else from its style chain (resolved once per style:
    python-docx looks a style up by an XPath search of the styles part, ≈ 0.5 ms a paragraph)."""
    p_pr = paragraph._p.pPr  # type: ignore[attr-defined]
    own = _numbered(p_pr.numPr if p_pr is not None else None)
    if own is not None:
        return own
    style_id = p_pr.style if p_pr is not None else None
    if style_id not in styles:
        styles[style_id] = _style_num_pr(getattr(paragraph, "style", None))
    return styles[style_id]


def _numbered(num_pr: object) -> tuple[str, int] | None:
    if num_pr is None or num_pr.numId is None:  # type: ignore[attr-defined]
        return None
    ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0  # type: ignore[attr-defined]
    return str(num_pr.numId.val), int(ilvl)  # type: ignore[attr-defined]


def _style_num_pr(style: object) -> tuple[str | None, int]:
    """The first numPr up a style's chain; a chain that loops (a style based on itself, or on
    one based on it) ends where it repeats."""
    seen: set[object] = set()
    while style is not None and style.style_id not in seen:  # type: ignore[attr-defined]
        seen.add(style.style_id)  # type: ignore[attr-defined]
        s_pr = style.element.pPr  # type: ignore[attr-defined]
        found = _numbered(s_pr.numPr if s_pr is not None else None)
        if found is not None:
            return found
        style = style.base_style  # type: ignore[attr-defined]
    return None, 0
