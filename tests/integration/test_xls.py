"""Old .xls ledgers (BIFF8 in an OLE2 file) are read like .xlsx, within the same bounds.

Real .xls files: the bundled sample and every shape of tests/ledger_corpus.py, converted once per
session by LibreOffice (the MS Excel 97 filter, what WPS and old Excel save). Each must give the
same grids, findings and summary as its .xlsx. Hostile .xls are those real files with one crafted
record planted (tests/xls_helpers.py), or a broken compound file: each is one Chinese line, exit 2,
the input unchanged.
"""

from __future__ import annotations

import json
import shutil
import struct
from pathlib import Path

import pytest
from click.testing import CliRunner

from rectify_xl.adapters.xlsx_reader import read_grids
from rectify_xl.entrypoints.cli import cli
from tests.conftest import sha256
from tests.ledger_corpus import CORPUS, build
from tests.merge_helpers import make_eml
from tests.xls_helpers import (
    BOF,
    HOSTILE,
    Record,
    build_xls,
    records,
    sheet_range,
    to_xls,
)

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")

AS_OF = "2021-10-31"


@pytest.fixture(scope="session")
def xls_pairs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """name → (.xlsx, .xls made from it by LibreOffice), converted in one soffice run."""
    from rectify_xl.services.workbook import new_workbook

    folder = tmp_path_factory.mktemp("xls")
    xlsx = [new_workbook(folder / "sample.xlsx", sample=True, overwrite=True)]
    xlsx += [build(shape, folder) for shape in CORPUS]
    out = folder / "xls"
    out.mkdir()
    return {p.stem: (p, x) for p, x in zip(xlsx, to_xls(xlsx, out), strict=True)}


def run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.stdout, result.stderr


def _json(out: str) -> dict[str, object]:
    data = json.loads(out[:out.rindex("}") + 1])
    data.pop("source", None)
    return data


NAMES = ["sample", *(s.name for s in CORPUS)]


@pytest.mark.parametrize("name", NAMES)
def test_xls_gives_the_same_grids_findings_and_summary(
        name: str, xls_pairs: dict[str, tuple[Path, Path]]) -> None:
    xlsx, xls = xls_pairs[name]
    before = sha256(xls)
    a, b = read_grids(xlsx), read_grids(xls)
    assert list(a) == list(b)
    for sheet in a:
        # LibreOffice writes formatted blank cells below the table; values and merges are equal
        rows_a = [r for r in a[sheet].rows if any(v is not None for v in r)]
        rows_b = [r for r in b[sheet].rows if any(v is not None for v in r)]
        assert [[v for v in r if v is not None] for r in rows_a] == \
               [[v for v in r if v is not None] for r in rows_b], sheet
        assert set(a[sheet].merges) == set(b[sheet].merges), sheet
    for command in (["validate", "--json"], ["summary", "--json"]):
        code_a, out_a, _ = run(*command[:1], xlsx, *command[1:], "--as-of", AS_OF)
        code_b, out_b, _ = run(*command[:1], xls, *command[1:], "--as-of", AS_OF)
        assert code_a == code_b
        assert _json(out_a) == _json(out_b)
    assert sha256(xls) == before


def test_sample_xls_notice_and_diff(xls_pairs: dict[str, tuple[Path, Path]], tmp_path: Path) -> None:
    xlsx, xls = xls_pairs["sample"]
    code_a, _, _ = run("notice", xlsx, "-o", tmp_path / "a.txt")
    code_b, _, _ = run("notice", xls, "-o", tmp_path / "b.txt")
    assert code_a == code_b == 0
    assert (tmp_path / "a.txt").read_text("utf-8") == (tmp_path / "b.txt").read_text("utf-8")
    code, _, err = run("diff", xlsx, xls)
    assert code == 0, err


def test_check_notice_against_an_xls_and_adopt_from_one(
        xls_pairs: dict[str, tuple[Path, Path]], tmp_path: Path) -> None:
    """check-notice --ledger reads the .xls like the .xlsx; adopt turns an .xls (a unit's own
    old ledger, here the two-row-header shape) into the template, the .xls only read."""
    xlsx, xls = xls_pairs["sample"]
    notice = tmp_path / "公告.txt"
    assert run("notice", xlsx, "-o", notice)[0] == 0
    code_a, out_a, _ = run("check-notice", notice, "--ledger", xlsx)
    code_b, out_b, _ = run("check-notice", notice, "--ledger", xls)
    assert code_a == code_b
    assert out_a.replace(xlsx.name, "台账") == out_b.replace(xls.name, "台账")
    theirs = xls_pairs["two_row_header"][1]
    before = sha256(theirs)
    results = {}
    for source in (xls_pairs["two_row_header"][0], theirs):
        out = tmp_path / f"模板{source.suffix}.xlsx"
        code, _, err = run("adopt", source, "-o", out)
        assert code in (0, 1), err
        results[source.suffix] = _json(run("summary", out, "--json", "--as-of", AS_OF)[1])
    assert results[".xls"] == results[".xlsx"]
    assert sha256(theirs) == before


def test_renamed_files_are_read_by_content(xls_pairs: dict[str, tuple[Path, Path]],
                                           tmp_path: Path) -> None:
    xlsx, xls = xls_pairs["sample"]
    xls_named_xlsx = shutil.copy(xls, tmp_path / "其实是xls.xlsx")
    xlsx_named_xls = shutil.copy(xlsx, tmp_path / "其实是xlsx.xls")
    expected = _json(run("summary", xlsx, "--json", "--as-of", AS_OF)[1])
    for path in (xls_named_xlsx, xlsx_named_xls):
        code, out, err = run("summary", path, "--json", "--as-of", AS_OF)
        assert code == 0, err
        assert _json(out) == expected


def test_merge_counts_an_xls_among_xlsx_submissions(xls_pairs: dict[str, tuple[Path, Path]],
                                                    tmp_path: Path) -> None:
    import zipfile

    inbox = tmp_path / "收件"
    inbox.mkdir()
    names = ["template", "two_row_header", "weekly_percent"]
    shutil.copy(xls_pairs[names[0]][1], inbox / "甲.xls")
    shutil.copy(xls_pairs[names[1]][0], inbox / "乙.xlsx")
    with zipfile.ZipFile(inbox / "丙.zip", "w") as z:
        z.write(xls_pairs[names[2]][1], "丙.xls")
    make_eml(inbox / "丁.eml", [("丁.xls", xls_pairs["two_leaders"][1].read_bytes())])
    out = tmp_path / "汇总.xlsx"
    code, stdout, err = run("merge", inbox, "-o", out, "--as-of", AS_OF)
    assert code in (0, 1), err
    assert "读取 4 个台账文件" in stdout, stdout
    summary = read_grids(out)["汇总"].rows
    sources = {Path(row[17]).relative_to(tmp_path).as_posix() for row in summary[2:]
               if len(row) > 17 and str(row[17]).startswith(str(tmp_path))}
    assert sources == {"收件/甲.xls", "收件/乙.xlsx", "收件/丙.zip/丙.xls", "收件/丁.eml/丁.xls"}, sources


# --- hostile .xls: one crafted record in a real file, or a broken container ------------------

def _sample_records(xls_pairs: dict[str, tuple[Path, Path]]) -> list[Record]:
    return records(xls_pairs["sample"][1].read_bytes())


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_xls_is_one_chinese_line_exit_2(kind: str, xls_pairs: dict[str, tuple[Path, Path]],
                                                 tmp_path: Path) -> None:
    craft, words = HOSTILE[kind]
    path = tmp_path / "台账.xls"
    path.write_bytes(craft(_sample_records(xls_pairs)))
    before = sha256(path)
    for command in ("validate", "summary", "notice"):
        code, out, err = run(command, path)
        assert code == 2, (command, out, err)
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("错误：") and words in lines[0], lines
        assert "台账.xls" in lines[0]
    assert sha256(path) == before


def test_planted_records_are_really_read_by_the_reader(xls_pairs: dict[str, tuple[Path, Path]],
                                                       tmp_path: Path) -> None:
    """The crafting writes a valid file: a near cell planted the same way is read."""
    recs = _sample_records(xls_pairs)
    _, end = sheet_range(recs, 1)  # 基本信息
    path = tmp_path / "近.xls"
    path.write_bytes(build_xls([*recs[:end], (0x0203, struct.pack("<HHHd", 20, 6, 0, 42.5)),
                                *recs[end:]]))
    grids = read_grids(path)
    assert grids["基本信息"].rows[20][6] == 42.5
    assert [r for r, _ in recs].count(BOF) == len(grids) + 1


def test_merge_skips_a_hostile_xls_and_counts_the_rest(xls_pairs: dict[str, tuple[Path, Path]],
                                                       tmp_path: Path) -> None:
    inbox = tmp_path / "收件"
    inbox.mkdir()
    shutil.copy(xls_pairs["template"][1], inbox / "甲.xls")
    (inbox / "乙.xls").write_bytes(HOSTILE["FAT loop"][0](_sample_records(xls_pairs)))
    code, out, err = run("merge", inbox, "-o", tmp_path / "汇总.xlsx", "--as-of", AS_OF)
    assert code in (0, 1), err
    assert "乙.xls" in out + err and "已损坏" in out + err


def test_web_check_of_an_uploaded_xls(xls_pairs: dict[str, tuple[Path, Path]]) -> None:
    """The workbench checks an .xls like its .xlsx: the same verdict, findings and summary, the
    notice files; only the marked-up copy is not offered (it would be a copy of the .xls)."""
    from datetime import date

    from rectify_xl.server.files import Upload
    from rectify_xl.server.work import check_upload

    xlsx, xls = xls_pairs["sample"]
    today = date(2021, 10, 31)
    a = check_upload(Upload("台账.xlsx", xlsx.read_bytes()), today=today)
    b = check_upload(Upload("台账.xls", xls.read_bytes()), today=today)
    for key in ("verdict", "counts", "findings", "summary", "notice", "final"):
        assert a[key] == b[key], key
    assert next(f["kind"] for f in a["files"]) == "annotated"
    assert "annotated" not in [f["kind"] for f in b["files"]]
    assert {f["kind"] for f in b["files"]} >= {"notice_txt", "notice_docx"}


# --- writing: an .xls is read, never written --------------------------------------------------

def test_commands_that_write_into_the_ledger_refuse_an_xls(xls_pairs: dict[str, tuple[Path, Path]],
                                                           tmp_path: Path) -> None:
    xls = shutil.copy(xls_pairs["sample"][1], tmp_path / "台账.xls")
    before = sha256(xls)
    for args in (["validate", xls, "--annotate", tmp_path / "标注.xlsx"], ["record", xls],
                 ["mail", xls, "--eml", tmp_path / "草稿.eml"],
                 ["pack", xls, "-o", tmp_path / "报送包.zip"],
                 ["evidence", xls, "-o", tmp_path / "副本.xlsx"]):
        code, out, err = run(*args)
        assert code == 2, (args, out, err)
        lines = err.strip().splitlines()
        assert len(lines) == 1 and "另存为 .xlsx" in lines[0], lines
    assert sha256(xls) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["台账.xls"]


def test_buttons_on_an_xls_open_in_excel_refuse_and_write_nothing(tmp_path: Path) -> None:
    """A book opened from an .xls (COM): each button says to save it as .xlsx; no cell written."""
    import openpyxl

    from rectify_xl.entrypoints import buttons
    from tests.buttons_helpers import FakeComBook
    from tests.conftest import sample_records_copy, write_xlsx_openpyxl

    path = write_xlsx_openpyxl(tmp_path / "台账.xlsx", sample_records_copy())
    wb = openpyxl.load_workbook(path)
    sheets = {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb}
    book = FakeComBook(wb, str(tmp_path / "台账.xls"))
    for click in (buttons.validate, buttons.summary):
        click(book)
        assert "另存为 .xlsx" in book.alerts[-1]["prompt"]
    assert {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb} == sheets


def test_a_calamine_panic_is_one_line_in_a_real_process(xls_pairs: dict[str, tuple[Path, Path]],
                                                        tmp_path: Path) -> None:
    """Rust's panic hook writes to file descriptor 2 itself: only a real process shows it."""
    import subprocess
    import sys

    path = tmp_path / "公式.xls"
    path.write_bytes(HOSTILE["formula cut short (calamine panics)"][0](_sample_records(xls_pairs)))
    done = subprocess.run([sys.executable, "-m", "rectify_xl", "validate", str(path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        "错误：“公式.xls”无法读取：文件已损坏或不是有效的 Excel 工作簿"], done.stderr


def test_evidence_manifest_of_an_xls(xls_pairs: dict[str, tuple[Path, Path]], tmp_path: Path) -> None:
    """The manifest only hashes the ledger: an .xls is listed like an .xlsx, and left as it was."""
    xls = shutil.copy(xls_pairs["sample"][1], tmp_path / "台账.xls")
    before = sha256(xls)
    code, _, err = run("evidence", xls, "--json")
    assert code in (0, 1), err
    manifest = json.loads((tmp_path / "台账-佐证材料清单.json").read_text("utf-8"))
    assert [(f["path"], f["sha256"], f["kind"]) for f in manifest["files"]] == [
        ("台账.xls", before, "台账")]
    assert sha256(xls) == before
