"""The package around the notice text: metadata, font table, language; nothing of python-docx's template.

python-docx starts every document from its own template, written by Word for Mac in 2013: its
core properties (created 2013-12-23), app.xml ("Microsoft Macintosh Word"), a thumbnail, an empty
bibliography part, a font table of Japanese MS fonts and the Japanese theme language. A 公文 file
carries its own title, issuing organ and time, the GB/T 9704 font names with the Windows faces
Word/WPS should use where those are missing, and Chinese (zh-CN) as its East-Asian language.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rectify_xl.adapters.fonts import role_of

if TYPE_CHECKING:
    from docx.document import Document

__all__ = ["clean_package", "set_font_table", "set_metadata"]

_THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
_CUSTOM_XML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
_EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"
_APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>rectify-xl</Application><DocSecurity>0</DocSecurity></Properties>"
)
# Families of the python-docx template's font table that no rectify-xl style uses.
_TEMPLATE_FONTS = {"ＭＳ 明朝", "ＭＳ ゴシック", "Cambria", "Calibri", "Courier", "Arial", "Symbol"}


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(f"w:{tag}")


def clean_package(doc: Document) -> None:
    """Drop the template's thumbnail and empty bibliography, neutral app.xml, zh-CN theme language."""
    from docx.oxml import OxmlElement

    package_rels = doc.part.package.rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype == _THUMBNAIL:
            package_rels.pop(rid)
        elif rel.reltype == _EXTENDED and not rel.is_external:
            rel.target_part._blob = _APP_XML.encode("utf-8")
    for rid, rel in list(doc.part.rels.items()):
        # python-docx's template has an empty <b:Sources/>: Word's bibliography store, nothing of ours
        if rel.reltype == _CUSTOM_XML and not rel.is_external and b"<b:Sources" in rel.target_part.blob \
                and b"<b:Source>" not in rel.target_part.blob:
            doc.part.rels.pop(rid)
    settings = doc.settings.element
    lang = settings.find(_w("themeFontLang"))
    if lang is None:
        lang = OxmlElement("w:themeFontLang")
        settings.append(lang)
    lang.set(_w("val"), "en-US")
    lang.set(_w("eastAsia"), "zh-CN")


def set_font_table(doc: Document, names: Iterable[str]) -> None:
    """Each font name in the font table once; a 公文 name with its Windows alternate and class.

    Entries the reference document already has are kept as they are (its author chose them);
    the template's unused Japanese/Office entries are removed.
    """
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml
    from lxml import etree

    try:
        part = doc.part.part_related_by(RT.FONT_TABLE)
    except KeyError:  # a reference document without one
        part = Part(PackURI("/word/fontTable.xml"),
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml",
                    f'<w:fonts xmlns:w="{_W_NS}"/>'.encode(), doc.part.package)
        doc.part.relate_to(part, RT.FONT_TABLE)
    fonts = parse_xml(part.blob)
    present = {f.get(_w("name")): f for f in fonts.findall(_w("font"))}
    for name, element in present.items():
        if name in _TEMPLATE_FONTS:
            fonts.remove(element)
    for name in dict.fromkeys(names):
        if name and name not in present:
            fonts.append(_font_entry(name))
    part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)


def _font_entry(name: str) -> Any:
    from docx.oxml import OxmlElement

    font = OxmlElement("w:font")
    font.set(_w("name"), name)
    role = role_of(name)
    if role is None:
        return font
    if role.alt and role.alt != name:
        font.append(_valued("w:altName", role.alt))
    if role.panose:
        font.append(_valued("w:panose1", role.panose))
    font.append(_valued("w:charset", "86"))  # GB2312_CHARSET: a simplified-Chinese face
    font.append(_valued("w:family", "modern" if role.label in ("仿宋", "楷体", "黑体") else "roman"))
    font.append(_valued("w:pitch", "variable"))
    return font


def _valued(tag: str, value: str) -> Any:
    from docx.oxml import OxmlElement

    element = OxmlElement(tag)
    element.set(_w("val"), value)
    return element


def set_metadata(doc: Document, *, title: str, author: str, when: datetime | None,
                 comments: str = "") -> None:
    """Core properties: the notice's title, the issuing organ, when it was made; nothing else.

    when=None leaves no date at all (the shipped reference document: reproducible byte for byte).
    """
    core = doc.core_properties
    core.title, core.author, core.last_modified_by = title, author, author
    core.subject = core.keywords = core.category = core.content_status = core.identifier = ""
    core.comments = comments
    core.language = "zh-CN"
    core.revision = 1
    element = core._element
    for tag in ("{http://purl.org/dc/terms/}created", "{http://purl.org/dc/terms/}modified",
                "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}lastPrinted"):
        for old in element.findall(tag):
            element.remove(old)
    if when is not None:
        stamp = when.replace(microsecond=0, tzinfo=None)
        core.created, core.modified = stamp, stamp
