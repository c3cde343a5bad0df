"""The reference document: styles, page set-up and footers of the notice .docx (like pandoc's).

``build_reference(profile)`` makes it from a Profile with python-docx (templates/reference.docx
is this, written by scripts/build_reference_docx.py). ``base_document(profile, reference)``
returns the document the writer fills: the profile's, or a user's reference .docx emptied of
its body, keeping its styles, page set-up, headers and footers and adding only what it lacks.
python-docx is imported inside the functions: every button click is a fresh process.
"""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rectify_xl.adapters.docx_package import clean_package, set_font_table, set_metadata
from rectify_xl.adapters.files import path_kind, zip_member_names
from rectify_xl.core.document import STYLE_NAMES
from rectify_xl.core.profile import FONT_ROLES, Font, Profile, mm_to_twips
from rectify_xl.errors import InputError

if TYPE_CHECKING:
    from docx.document import Document

__all__ = ["REFERENCE_SAMPLES", "STYLE_IDS", "base_document", "build_reference", "font_names",
           "open_reference"]

# ASCII style ids (Word shows the names); the reference document is matched by name.
STYLE_IDS = {
    "title": "GwTitle", "heading1": "GwHeading1", "heading2": "GwHeading2",
    "heading3": "GwHeading3", "heading4": "GwHeading4", "signature": "GwSignature",
    "date": "GwDate", "footer": "GwPageNumber", "run_in_rest": "GwRunInRest",
}
# Sample paragraphs of the shipped reference.docx, one per style, so a user sees what to edit.
REFERENCE_SAMPLES = (
    ("title", "××单位关于巡察整改进展情况的公告"),
    ("body", "本文件是公告的参考文档（样式模板）。可在 Word 或 WPS 中修改各样式（正文、公文标题、"
             "一级标题至四级标题、发文机关署名、成文日期、页码）、页面设置和页脚，保存后用"
             " --reference 指定；生成公告时只使用样式、页面设置和页眉页脚，本页文字不会出现在公告中。"),
    ("heading1", "一、一级标题（黑体）"),
    ("heading2", "（一）二级标题（楷体）。标题句后的文字使用“标题后正文”字符样式（仿宋）。"),
    ("heading3", "1.三级标题（仿宋）"),
    ("heading4", "（1）四级标题（仿宋）"),
    ("signature", "××单位"),
    ("date", "2021年11月5日"),
)
MAX_REFERENCE_BYTES = 50_000_000
_HEADING_OUTLINE = {"heading1": 0, "heading2": 1, "heading3": 2, "heading4": 3}


def _w(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(f"w:{tag}")


# Schema order of the children we touch (ECMA-376): Word rejects a file whose order is wrong.
_ORDER = {
    "pPr": ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
            "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
            "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
            "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap",
            "jc", "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId",
            "cnfStyle", "rPr", "sectPr", "pPrChange"),
    "rPr": ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
            "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden",
            "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect",
            "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout",
            "specVanish", "oMath"),
    "docDefaults": ("rPrDefault", "pPrDefault"),
}


def _child(parent: Any, tag: str, *, first: bool = False) -> Any:
    """The w:tag child of parent, created in schema order if missing (or first / last)."""
    from docx.oxml import OxmlElement

    found = parent.find(_w(tag))
    if found is not None:
        return found
    found = OxmlElement(f"w:{tag}")
    order = _ORDER.get(parent.tag.rsplit("}", 1)[-1])
    if order and tag in order:
        later = {_w(t) for t in order[order.index(tag) + 1:]}
        for i, sibling in enumerate(parent):
            if sibling.tag in later:
                parent.insert(i, found)
                return found
        parent.append(found)
    elif first:
        parent.insert(0, found)
    else:
        parent.append(found)
    return found


def _set(el: Any, **attrs: object) -> Any:
    for key, value in attrs.items():
        el.set(_w(key), str(value))
    return el


def _set_fonts(rpr: Any, font: Font, spacing: int = 0) -> None:
    rfonts = _child(rpr, "rFonts", first=True)
    for attr in list(rfonts.attrib):
        del rfonts.attrib[attr]  # theme fonts (asciiTheme …) would win over named fonts
    _set(rfonts, ascii=font.ascii, hAnsi=font.ascii, eastAsia=font.east_asia, cs=font.ascii)
    half_points = round(font.size_pt * 2)
    _set(_child(rpr, "sz"), val=half_points)
    _set(_child(rpr, "szCs"), val=half_points)
    _set(_child(rpr, "b"), val=1 if font.bold else 0)
    _set(_child(rpr, "spacing"), val=spacing)


def _paragraph_props(ppr: Any, profile: Profile, *, jc: str, first_chars: float = 0,
                     right_chars: float = 0, snap: bool = True, outline: int | None = None,
                     line_twips: int | None = None) -> None:
    if not snap:
        _set(_child(ppr, "snapToGrid"), val=0)
    _set(_child(ppr, "widowControl"), val=0)  # 撑满版心: a full page keeps all 22 lines
    # LibreOffice 7.4 reads w:overflowPunct inverted: "1" turns its hanging punctuation off, and
    # a hanging 、 at a line end vanishes from its PDF (measured). Word: "1" is its default.
    _set(_child(ppr, "overflowPunct"), val=1)
    # No automatic space between Chinese and Latin/digits in Word (on by default there). LibreOffice
    # 7.4 ignores both flags and keeps its own small Asian/Western distance (measured: same 28).
    _set(_child(ppr, "autoSpaceDE"), val=0)
    _set(_child(ppr, "autoSpaceDN"), val=0)
    _set(_child(ppr, "spacing"), before=0, after=0, line=line_twips or profile.line_pitch_twips,
         lineRule="exact")
    ind = _child(ppr, "ind")
    _set(ind, firstLineChars=round(first_chars * 100), firstLine=profile.chars_twips(first_chars))
    if right_chars:
        _set(ind, rightChars=round(right_chars * 100), right=profile.chars_twips(right_chars))
    _set(_child(ppr, "jc"), val=jc)
    if outline is not None:
        _set(_child(ppr, "outlineLvl"), val=outline)


def _define_styles(doc: Document, profile: Profile) -> None:
    from docx.enum.style import WD_STYLE_TYPE

    styles = doc.styles
    _set_defaults(doc, profile)
    normal = styles["Normal"]
    justify = "both" if profile.paragraphs.justify else "left"
    indent = profile.paragraphs.first_line_indent_chars
    _set_fonts(normal.element.get_or_add_rPr(), profile.font("body"), profile.char_spacing_twips)
    _paragraph_props(normal.element.get_or_add_pPr(), profile, jc=justify, first_chars=indent)
    specs: dict[str, dict[str, Any]] = {
        "title": {"font": "title", "jc": "center", "snap": False},
        "signature": {"font": "body", "jc": "right"},
        "date": {"font": "body", "jc": "right", "right_chars": profile.paragraphs.date_right_chars},
        # A footer line lower than the bottom margin, so the footer never pushes the body up.
        "footer": {"font": None, "jc": "right", "snap": False,
                   "line": round(profile.footer.font.size_pt * 1.3 * 20)},
    }
    for role, outline in _HEADING_OUTLINE.items():
        specs[role] = {"font": role, "jc": justify, "first_chars": indent, "outline": outline}
    for role, spec in specs.items():
        style = _add_style(styles, role, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        font = profile.footer.font if spec["font"] is None else profile.font(spec["font"])
        spacing = profile.char_spacing_twips if spec["font"] not in (None, "title") else 0
        _set_fonts(style.element.get_or_add_rPr(), font, spacing)
        _paragraph_props(style.element.get_or_add_pPr(), profile, jc=spec["jc"],
                         first_chars=spec.get("first_chars", 0), right_chars=spec.get("right_chars", 0),
                         snap=spec.get("snap", True), outline=spec.get("outline"),
                         line_twips=spec.get("line"))
    rest = _add_style(styles, "run_in_rest", WD_STYLE_TYPE.CHARACTER)
    _set_fonts(rest.element.get_or_add_rPr(), profile.font("body"), profile.char_spacing_twips)


def _add_style(styles: Any, role: str, kind: Any) -> Any:
    style = styles.add_style(STYLE_NAMES[role], kind)
    style.style_id = STYLE_IDS[role]
    style.hidden = False
    style.quick_style = True
    return style


def _set_defaults(doc: Document, profile: Profile) -> None:
    """docDefaults: named fonts instead of theme fonts, Chinese language for line breaking."""
    styles_el = doc.styles.element
    doc_defaults = _child(styles_el, "docDefaults", first=True)
    rpr = _child(_child(doc_defaults, "rPrDefault"), "rPr")
    _set_fonts(rpr, profile.font("body"))
    _set(_child(rpr, "lang"), val="en-US", eastAsia="zh-CN", bidi="ar-SA")
    ppr = _child(_child(doc_defaults, "pPrDefault"), "pPr")
    _set(_child(ppr, "spacing"), before=0, after=0)


def _page_setup(doc: Document, profile: Profile) -> None:
    from docx.shared import Mm

    page = profile.page
    section = doc.sections[-1]
    section.page_width, section.page_height = Mm(page.width_mm), Mm(page.height_mm)
    section.top_margin, section.bottom_margin = Mm(page.top_mm), Mm(page.bottom_mm)
    section.left_margin, section.right_margin = Mm(page.left_mm), Mm(page.right_mm)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(profile.footer_distance_mm)
    section.gutter = 0
    sect = section._sectPr
    # Exact twips so the text block is exactly 8845 × 12756 twips (156 × 225 mm) in both apps.
    _set(sect.find(_w("pgSz")), w=mm_to_twips(page.width_mm), h=mm_to_twips(page.height_mm))
    grid = _child(sect, "docGrid")
    for attr in list(grid.attrib):
        del grid.attrib[attr]
    if profile.grid.type == "linesAndChars":
        _set(grid, type="linesAndChars", linePitch=profile.line_pitch_twips, charSpace=profile.char_space)
    elif profile.grid.type == "lines":
        _set(grid, type="lines", linePitch=profile.line_pitch_twips)
    else:
        _set(grid, linePitch=profile.line_pitch_twips)


def add_page_number_footers(doc: Document, profile: Profile) -> None:
    """7.5: — n — on every page; odd pages right, even pages left, one character in."""
    footer = profile.footer
    if not footer.enabled:
        return
    section = doc.sections[-1]
    doc.settings.odd_and_even_pages_header_footer = footer.odd_even
    if footer.odd_even:
        sides = [(section.footer, "right"), (section.even_page_footer, "left")]
    else:
        sides = [(section.footer, "center")]
    for part, side in sides:
        part.is_linked_to_previous = False
        paragraph = part.paragraphs[0] if part.paragraphs else part.add_paragraph()
        paragraph.style = doc.styles[STYLE_NAMES["footer"]]
        ppr = paragraph._p.get_or_add_pPr()
        if side != "center":
            chars = footer.indent_chars
            _set(_child(ppr, "ind"), **{f"{side}Chars": round(chars * 100), side: profile.chars_twips(chars)})
        _set(_child(ppr, "jc"), val=side)
        _add_page_field(paragraph, footer.text)


def _add_page_field(paragraph: Any, template: str) -> None:
    from docx.oxml import OxmlElement

    before, _, after = template.partition("{page}")
    if before:
        paragraph.add_run(before)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        if kind:
            run._r.append(_set(OxmlElement("w:fldChar"), fldCharType=kind))
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text or ""
    if after:
        paragraph.add_run(after)


def build_reference(profile: Profile, *, samples: bool = False) -> Document:
    """A new document carrying the profile: styles, page set-up, document grid, footers."""
    from docx import Document as new_document

    doc = new_document()
    body = doc.element.body
    for child in list(body):
        if child.tag != _w("sectPr"):
            body.remove(child)
    _define_styles(doc, profile)
    _page_setup(doc, profile)
    add_page_number_footers(doc, profile)
    clean_package(doc)
    set_font_table(doc, font_names(profile))
    # no date: the committed templates/reference.docx is rebuilt byte for byte
    set_metadata(doc, title="公告参考文档", author="rectify-xl", when=None, comments=f"版式：{profile.name}")
    if samples:
        for role, text in REFERENCE_SAMPLES:
            paragraph = doc.add_paragraph(style=doc.styles[STYLE_NAMES[role]])
            paragraph.add_run(text)
    return doc


def font_names(profile: Profile) -> list[str]:
    """Every font name the profile's styles use (Chinese faces first), each once."""
    fonts = [profile.font(role) for role in FONT_ROLES] + [profile.footer.font]
    return list(dict.fromkeys([f.east_asia for f in fonts] + [f.ascii for f in fonts]))


def open_reference(path: Path) -> Document:
    """A user's reference .docx, read-only (loaded into memory), refused if not a sane package."""
    from docx import Document as open_document

    name = path.name
    if path_kind(path, "参考文档") != "file":
        raise InputError(f"找不到参考文档：{path}")
    if not zipfile.is_zipfile(path):
        raise InputError(f"参考文档“{name}”不是 Word 文档（.docx），旧版 .doc 请先另存为 .docx")
    members = zip_member_names(path, f"参考文档“{name}”", max_unpacked=MAX_REFERENCE_BYTES)
    if "word/document.xml" not in members:
        raise InputError(f"参考文档“{name}”不是 Word 文档（缺少 word/document.xml）")
    try:
        document = open_document(str(path))
        # the parts used later, reached now: a relationship loop recurses without end in them
        document.styles, document.sections, document.settings  # noqa: B018
        return document
    except Exception as exc:  # python-docx raises several kinds for broken parts
        raise InputError(f"参考文档“{name}”无法读取：文件已损坏或不是有效的 Word 文档") from exc


def base_document(profile: Profile, reference: Path | None = None) -> Document:
    """The empty document to fill: from the profile, or from a user's reference document."""
    if reference is None:
        return build_reference(profile)
    doc = open_reference(Path(reference))
    body = doc.element.body
    for child in list(body)[:-1]:  # keep only the final w:sectPr: page set-up, headers, footers
        body.remove(child)
    if len(body) and body[-1].tag != _w("sectPr"):
        body.remove(body[-1])
    body.get_or_add_sectPr()  # a reference without page set-up gets Word's defaults
    clean_package(doc)
    _adopt_missing_styles(doc, build_reference(profile))
    if not _has_footer_content(doc):
        add_page_number_footers(doc, profile)
    return doc


def _adopt_missing_styles(doc: Document, ours: Document) -> None:
    """Copy our styles the reference lacks (matched by name), re-based on its Normal."""
    names = {s.name for s in doc.styles}
    normal_id = doc.styles["Normal"].style_id
    for name in STYLE_NAMES.values():
        if name in names:
            continue
        element = copy.deepcopy(ours.styles[name].element)
        based = element.find(_w("basedOn"))
        if based is not None:
            based.set(_w("val"), normal_id)
        doc.styles.element.append(element)


def _has_footer_content(doc: Document) -> bool:
    section = doc.sections[-1]
    parts = [section.footer, section.even_page_footer, section.first_page_footer]
    for part in parts:
        if part.is_linked_to_previous:
            continue
        xml = part._element.xml
        if "PAGE" in xml or any(p.text.strip() for p in part.paragraphs):
            return True
    return False

