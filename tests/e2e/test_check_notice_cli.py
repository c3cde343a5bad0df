"""`rectify-xl check-notice`: findings with code and paragraph; exit 0 / 1 / 2 as validate."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from rectify_xl.entrypoints.cli import cli
from tests.conftest import sha256
from tests.notice_helpers import seed_path, standard_notice


def run(*args: object) -> Result:
    return CliRunner().invoke(cli, ["check-notice", *map(str, args)])


def findings(result: Result) -> list[tuple[str, int | None]]:
    return [(f["code"], f["paragraph"]) for f in json.loads(result.output)["findings"]]


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    path = tmp_path / "公告.txt"
    path.write_text(standard_notice(), "utf-8")
    return path


def test_seed_reports_repeated_heading_count_and_three_slips(tmp_path: Path) -> None:
    """The published notice: （二） twice, 9 problems stated but 10 listed, 制定勒/健立/五中全精神."""
    path = seed_path()
    before = sha256(path)
    result = run(path, "--json")
    assert result.exit_code == 1, result.output
    found = findings(result)
    assert ("RX701", 27) in found and ("RX709", 27) in found  # （二） again, and no 。
    assert ("RX711", 9) in found
    # by general rules, no word list: 五中全会精神 with 会 left out, 勒 for 了 (健立 is not found)
    assert ("RX611", 12) in found and ("RX612", 19) in found
    assert not [f for f in found if f[0] == "RX603"]
    assert not [f for f in found if f[0] in ("RX702", "RX703", "RX704", "RX706", "RX707", "RX712")]
    assert sha256(path) == before


def test_word_document_gives_the_same_findings_as_its_text(tmp_path: Path) -> None:
    """The seed as a .docx (blank paragraphs included): same codes, same paragraph numbers."""
    from docx import Document

    path = seed_path()
    doc = Document()
    for line in path.read_text("utf-8").splitlines():
        doc.add_paragraph(line)
        doc.add_paragraph("")
    docx = tmp_path / "公告（定稿）.docx"
    doc.save(docx)
    before = sha256(docx)
    from_docx, from_text = run(docx, "--json"), run(path, "--json")
    assert from_docx.exit_code == 1, from_docx.output
    assert findings(from_docx) == findings(from_text)
    assert sha256(docx) == before


def test_clean_notice_exits_0(clean: Path) -> None:
    before = sha256(clean)
    result = run(clean)
    assert result.exit_code == 0, result.output
    assert "未发现问题" in result.output
    assert sha256(clean) == before


def test_warnings_alone_exit_0_unless_strict(tmp_path: Path) -> None:
    """As validate: a warning (here RX705, 1、 beside 1.) fails only with --strict."""
    path = tmp_path / "n.txt"
    path.write_text(standard_notice().replace("2.关于", "2、关于"), "utf-8")
    assert findings(run(path, "--json")) == [("RX705", 11)]
    assert run(path).exit_code == 0
    assert run(path, "--strict").exit_code == 1


def test_text_output_names_code_and_paragraph(tmp_path: Path) -> None:
    path = tmp_path / "n.txt"
    path.write_text(standard_notice().replace("（二）作风建设方面", "（一）作风建设方面"), "utf-8")
    result = run(path)
    assert result.exit_code == 1
    assert "错误 RX701：第13段" in result.output


def test_against_a_ledger(clean: Path, tmp_path: Path) -> None:
    """The ledger imported from the notice (all closed) matches; a changed narrative does not."""
    from rectify_xl.adapters.workbook_builder import build_workbook
    from rectify_xl.core.notice.importer import import_paragraphs

    records = copy.deepcopy(import_paragraphs(standard_notice(), "n.txt").records)
    for m in records.measures:
        m.update(status="已完成", feedback="反馈甲" if m["aspect"] == "理论学习方面" else "反馈乙")
    good = build_workbook(tmp_path / "good.xlsx", records)
    records.measures[3]["progress"] = "补齐了会议记录。"
    bad = build_workbook(tmp_path / "bad.xlsx", records)
    before = (sha256(clean), sha256(good), sha256(bad))
    assert run(clean, "--ledger", good).exit_code == 0
    result = run(clean, "--ledger", bad, "--json")
    assert result.exit_code == 0  # a differing narrative is a warning
    assert findings(result) == [("RX804", 15)]
    assert (sha256(clean), sha256(good), sha256(bad)) == before


def test_user_typo_pack_is_merged(clean: Path, tmp_path: Path) -> None:
    pack = tmp_path / "typos.toml"
    pack.write_text('[typos]\n"按月组织" = "按月组织开展"\n', "utf-8")
    result = run(clean, "--typos", pack, "--json")
    assert findings(result) == [("RX603", 10)]


@pytest.mark.parametrize("content, words", [(b"", "空文件"), (b"\x00\x01\x02" * 50, "二进制")])
def test_unusable_input_exits_2(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    result = run(path)
    assert result.exit_code == 2 and words in result.output


@pytest.mark.parametrize("name, content, words", [
    ("旧公告.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "另存为 .docx"),
    ("假的.docx", b"PK\x03\x04 not a zip", "不是 Word"),
    ("公告.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "是 PDF 文件"),
    ("~$公告.docx", b"\x05admin" + bytes(50), "锁定文件，不是文档本身"),
])
def test_old_word_and_fake_docx_exit_2_with_one_chinese_line(tmp_path: Path, name: str,
                                                             content: bytes, words: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = run(path)
    assert result.exit_code == 2 and words in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_huge_file_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rectify_xl.adapters import text_input

    monkeypatch.setattr(text_input, "MAX_TEXT_BYTES", 1000)  # the real limit is 20 MB
    path = tmp_path / "巨大.txt"
    path.write_text(standard_notice() * 3, "utf-8")
    result = run(path)
    assert result.exit_code == 2 and "过大" in result.output and "巨大.txt" in result.output


def test_unreadable_file_is_one_chinese_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file the user may not read (simulated: the tests may run as root)."""
    path = tmp_path / "公告.txt"
    path.write_text(standard_notice(), "utf-8")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    result = run(path)
    assert result.exit_code == 2 and "无法读取“公告.txt”：没有读取权限" in result.output
    assert "Permission" not in result.output


def test_folder_is_refused_in_chinese(tmp_path: Path) -> None:
    result = run(tmp_path)
    assert result.exit_code == 2 and "是文件夹" in result.output and "Error" not in result.output


@pytest.mark.parametrize("encoding, label", [("gbk", "GBK"), ("utf-16", "UTF-16")])
def test_gbk_and_utf16_texts_are_read(tmp_path: Path, encoding: str, label: str) -> None:
    from rectify_xl.adapters.text_input import read_paragraphs

    path = tmp_path / "公告.txt"
    path.write_bytes(standard_notice().encode(encoding))
    assert label in read_paragraphs(path).encoding
    result = run(path)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("option, name, content, words", [
    ("--ledger", "台账.xlsx", b"not a workbook", "不是 Excel 工作簿"),
    ("--typos", "错字.toml", b"a = = b", "错别字表“错字.toml”第 1 行第 5 列格式有误：请按 TOML 格式书写"),
])
def test_unusable_ledger_or_typo_pack_exits_2(clean: Path, tmp_path: Path, option: str, name: str,
                                              content: bytes, words: str) -> None:
    other = tmp_path / name
    other.write_bytes(content)
    result = run(clean, option, other)
    assert result.exit_code == 2 and words in result.output, result.output


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = run(tmp_path / "none.txt")
    assert result.exit_code == 2 and "找不到文件" in result.output


@pytest.mark.parametrize("name, expected", [
    ("province_run_in", []),
    ("town_tasks", []),
    ("district_unnumbered", []),
    ("union_flat", [("RX616", 1), ("RX704", 5)]),  # 报告如下 in a public notice, as the original
])
def test_real_shapes_exit_0_without_false_errors(tmp_path: Path, name: str,
                                                 expected: list[tuple[str, int]]) -> None:
    from tests.notice_shapes import SHAPES

    path = tmp_path / f"{name}.txt"
    path.write_text(SHAPES[name], "utf-8")
    result = run(path, "--json")
    assert result.exit_code == 0, result.output
    assert sorted(findings(result)) == expected


def test_planted_count_error_in_a_real_shape_exits_1(tmp_path: Path) -> None:
    from tests.notice_shapes import DISTRICT_UNNUMBERED

    path = tmp_path / "planted.txt"
    path.write_text(DISTRICT_UNNUMBERED.replace("总体完成率71.43%", "总体完成率80%"), "utf-8")
    result = run(path, "--json")
    assert result.exit_code == 1
    assert findings(result) == [("RX714", 3)]
