"""The notice .docx as a package: its metadata, font table and language (issue 16 items 1 and 2)."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from rectify_xl.adapters.sample_data import sample_ledger
from rectify_xl.core.document import document_issuer, document_title
from rectify_xl.core.records import ledger_from_records
from rectify_xl.services.document import write_notice_document
from rectify_xl.services.ledger import notice_text
from tests.document_helpers import long_records

GBT9704_NAMES = {"方正小标宋简体", "仿宋_GB2312", "楷体_GB2312", "黑体", "宋体"}


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, datetime, datetime]:
    ledger = sample_ledger()
    out = tmp_path_factory.mktemp("package") / "公告.docx"
    before = datetime.now(UTC).replace(microsecond=0)
    write_notice_document(ledger, notice_text(ledger), out)
    return out, before, datetime.now(UTC)


def _part(docx: Path, name: str) -> bytes:
    with zipfile.ZipFile(docx) as package:
        return package.read(name)


class TestMetadata:
    def test_title_and_author_are_the_notice_title_and_the_issuing_organ(self, made: tuple) -> None:
        docx, _, _ = made
        info = sample_ledger().info
        core = Document(str(docx)).core_properties
        assert core.title == document_title(info) and core.title.endswith("公告")
        assert core.author == document_issuer(info) == core.last_modified_by
        assert core.language == "zh-CN"

    def test_created_and_modified_are_now(self, made: tuple) -> None:
        docx, before, after = made
        core = Document(str(docx)).core_properties
        for stamp in (core.created, core.modified):
            stamp = stamp.replace(tzinfo=UTC)
            assert before - timedelta(seconds=1) <= stamp <= after

    def test_nothing_left_of_the_python_docx_template(self, made: tuple) -> None:
        docx, _, _ = made
        with zipfile.ZipFile(docx) as package:
            names = set(package.namelist())
            # the theme maps every script to a face (Jpan → ＭＳ 明朝 as in Word's own theme): not ours
            everything = b"".join(package.read(n) for n in names
                                  if n.endswith((".xml", ".rels")) and not n.startswith("word/theme/"))
        assert not any(n.startswith(("customXml/", "docProps/thumbnail")) for n in names)
        for leftover in ("公告参考文档", "2013-12-23", "Macintosh", "ja-JP", "ＭＳ 明朝", "ＭＳ ゴシック",
                         "Normal.dotm", "版式："):
            assert leftover.encode() not in everything, leftover
        assert b"<Application>rectify-xl</Application>" in _part(docx, "docProps/app.xml")

    def test_a_different_ledger_gives_its_own_title_and_organ(self, tmp_path: Path) -> None:
        ledger = ledger_from_records(long_records(2))
        out = tmp_path / "公告.docx"
        write_notice_document(ledger, notice_text(ledger), out)
        core = Document(str(out)).core_properties
        assert core.author == "中共××县委政法委员会"
        assert core.title == document_title(ledger.info)


class TestFontsAndLanguage:
    def test_east_asian_language_is_simplified_chinese(self, made: tuple) -> None:
        docx, _, _ = made
        settings = parse_xml(_part(docx, "word/settings.xml"))
        lang = settings.find(qn("w:themeFontLang"))
        assert lang.get(qn("w:eastAsia")) == "zh-CN"
        styles = parse_xml(_part(docx, "word/styles.xml"))
        langs = {el.get(qn("w:eastAsia")) for el in styles.iter(qn("w:lang"))}
        assert langs == {"zh-CN"}

    def test_font_table_has_the_gbt9704_names_with_windows_alternates(self, made: tuple) -> None:
        docx, _, _ = made
        table = parse_xml(_part(docx, "word/fontTable.xml"))
        fonts = {f.get(qn("w:name")): f for f in table.findall(qn("w:font"))}
        assert set(fonts) >= GBT9704_NAMES
        alternates = {}
        for name in GBT9704_NAMES:
            font = fonts[name]
            assert font.find(qn("w:charset")).get(qn("w:val")) == "86"  # GB2312 character set
            alt = font.find(qn("w:altName"))
            alternates[name] = alt.get(qn("w:val")) if alt is not None else None
        assert alternates == {"方正小标宋简体": "宋体", "仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体",
                              "黑体": "SimHei", "宋体": "SimSun"}

    def test_styles_keep_the_gbt9704_names(self, made: tuple) -> None:
        docx, _, _ = made
        styles = parse_xml(_part(docx, "word/styles.xml"))
        used = {el.get(qn("w:eastAsia")) for el in styles.iter(qn("w:rFonts"))} - {None}
        assert used == GBT9704_NAMES
