"""佐证材料 (issue 17): validate's evidence checks, `evidence`, `pack`, and merge of packs."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from rectify_xl.adapters.workbook_builder import build_workbook
from rectify_xl.adapters.xlsx_reader import read_grids
from rectify_xl.core.evidence import EvidenceFile, references, verify_manifest
from rectify_xl.core.records import LedgerRecords
from rectify_xl.core.schema import PACK_MANIFEST, SHEETS
from rectify_xl.entrypoints.cli import cli
from rectify_xl.services.ledger import validate_workbook
from tests.conftest import BASE_INFO, measure_row, open_row, sha256

ROWS = [
    measure_row(seq="1", measure="制定学习计划"),
    measure_row(seq="2", measure="修订议事规则", evidence="议事规则.pdf；会议记录"),
    measure_row(seq="3", measure="开展专项检查", evidence="3/检查报告.docx"),
    open_row(seq="4", measure="建立长效机制", deadline=date(2022, 6, 30)),
]


def _ledger(folder: Path, rows: list[dict[str, object]] | None = None, *,
            name: str = "台账.xlsm") -> Path:
    records = LedgerRecords(info=dict(BASE_INFO), measures=rows or ROWS, texts=[])
    return build_workbook(folder / name, records)


def _evidence(ledger: Path, files: dict[str, bytes]) -> Path:
    folder = ledger.parent / f"{ledger.stem}-佐证材料"
    for rel, data in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder


def _codes(path: Path) -> list[tuple[str, str | None]]:
    report = validate_workbook(path)
    return [(f.code, f.cell) for f in report.findings if f.code.startswith("RX44")]


def test_references_are_file_names_not_descriptions() -> None:
    assert references("议事规则.pdf；会议记录、3\\检查报告.DOCX\n《通知》") == [
        "议事规则.pdf", "3/检查报告.DOCX"]


class TestValidate:
    def test_a_ledger_without_evidence_practice_gets_no_evidence_findings(self, tmp_path: Path) -> None:
        rows = [dict(r, evidence="") for r in ROWS]
        assert _codes(_ledger(tmp_path, rows)) == []

    def test_closed_measures_without_files_and_missing_references(self, tmp_path: Path) -> None:
        ledger = _ledger(tmp_path)
        _evidence(ledger, {"1-学习计划/计划.pdf": b"plan", "3/检查报告.docx": b"report",
                           "7/无主文件.txt": b"?"})
        codes = _codes(ledger)
        # row 4: 序号1 has its folder; row 5: 议事规则.pdf is nowhere; row 6 found; row 7 is open
        assert ("RX441", "L5") in codes and ("RX440", "L5") in codes
        assert not any(cell in ("L4", "L6", "L7") for _, cell in codes)
        assert ("RX442", None) in codes  # the folder "7" belongs to no measure

    def test_a_referenced_file_is_found_by_its_unique_name(self, tmp_path: Path) -> None:
        ledger = _ledger(tmp_path)
        _evidence(ledger, {"1/计划.pdf": b"p", "杂项/议事规则.pdf": b"r", "3/检查报告.docx": b"c"})
        assert [c for c in _codes(ledger) if c[0] != "RX442"] == []

    def test_links_in_the_folder_are_not_followed(self, tmp_path: Path) -> None:
        ledger = _ledger(tmp_path)
        folder = _evidence(ledger, {"3/检查报告.docx": b"c"})
        secret = tmp_path / "secret.txt"
        secret.write_text("not evidence")
        (folder / "1").mkdir()
        os.symlink(secret, folder / "1" / "计划.pdf")
        assert ("RX440", "L4") in _codes(ledger)


class TestEvidenceCommand:
    def test_lists_hashes_and_writes_manifest_and_sheet(self, tmp_path: Path) -> None:
        ledger = _ledger(tmp_path)
        _evidence(ledger, {"1/计划.pdf": b"plan", "3/检查报告.docx": b"report"})
        before = sha256(ledger)
        out = tmp_path / "副本.xlsx"
        result = CliRunner().invoke(cli, ["evidence", str(ledger), "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert hashlib.sha256(b"plan").hexdigest() in result.output
        assert sha256(ledger) == before  # the ledger is only read
        data = json.loads((tmp_path / "台账-佐证材料清单.json").read_text("utf-8"))
        files = {f["path"]: f for f in data["files"]}
        assert files["台账-佐证材料/1/计划.pdf"]["sha256"] == hashlib.sha256(b"plan").hexdigest()
        assert files["台账-佐证材料/3/检查报告.docx"]["seq"] == "3"
        assert files["台账.xlsm"]["sha256"] == before
        ws = load_workbook(out)[SHEETS.EVIDENCE]
        rows = [r for r in ws.iter_rows(min_row=5, values_only=True)]
        assert (rows[0][4], rows[0][5]) == ("1/计划.pdf", 4)
        assert any(r[1] == "2" and "不存在" in (r[7] or "") for r in rows)


class TestPack:
    def _pack(self, tmp_path: Path) -> tuple[Path, Path]:
        ledger = _ledger(tmp_path, [dict(r, evidence="") for r in ROWS])
        _evidence(ledger, {"1/计划.pdf": b"plan", "2/议事规则.pdf": b"rules",
                           "3/检查报告.docx": b"report"})
        out = tmp_path / "报送包.zip"
        result = CliRunner().invoke(cli, ["pack", str(ledger), "-o", str(out)])
        assert result.exit_code == 0, result.output
        return ledger, out

    def test_pack_holds_a_macro_free_ledger_the_notice_evidence_and_a_true_manifest(
            self, tmp_path: Path) -> None:
        _, out = self._pack(tmp_path)
        with zipfile.ZipFile(out) as z:
            infos = z.infolist()
            assert all(i.flag_bits & 0x800 for i in infos)  # UTF-8 names for Explorer
            names = [i.filename for i in infos]
            assert {"台账.xlsx", "台账-公告.docx", "台账-佐证材料/1/计划.pdf", PACK_MANIFEST} <= set(names)
            with z.open("台账.xlsx") as f, zipfile.ZipFile(f) as book:
                assert not any("vbaProject" in n for n in book.namelist())
            with z.open("台账-公告.docx") as f, zipfile.ZipFile(f) as doc:
                assert "word/document.xml" in doc.namelist()
            manifest = json.loads(z.read(PACK_MANIFEST))
            present = {n: EvidenceFile(n, len(d := z.read(n)), hashlib.sha256(d).hexdigest())
                       for n in names if n != PACK_MANIFEST}
        assert verify_manifest(manifest, present) == []
        tampered = dict(present, **{"台账-佐证材料/1/计划.pdf": EvidenceFile("x", 4, "0" * 64)})
        del tampered["台账-公告.docx"]
        assert {(p.path, p.problem) for p in verify_manifest(manifest, tampered)} == {
            ("台账-佐证材料/1/计划.pdf", "内容被修改"), ("台账-公告.docx", "缺失")}

    def test_a_ledger_with_errors_is_not_packed(self, tmp_path: Path) -> None:
        ledger = _ledger(tmp_path, [measure_row(seq="1", status="搞定了")])
        out = tmp_path / "报送包.zip"
        result = CliRunner().invoke(cli, ["pack", str(ledger), "-o", str(out)])
        assert result.exit_code == 1 and "RX401" in result.output
        assert not out.exists()

    def test_merge_verifies_packs_per_unit(self, tmp_path: Path) -> None:
        _, out = self._pack(tmp_path)
        good = tmp_path / "汇总.xlsx"
        result = CliRunner().invoke(cli, ["merge", str(out), "-o", str(good)])
        assert result.exit_code == 0, result.output
        grids = read_grids(good)
        assert grids[SHEETS.MERGE_SUMMARY].rows[2][0] == "县委政法委"
        assert not any("RX443" in str(r) for r in grids[SHEETS.MERGE_FINDINGS].rows)
        bad = tmp_path / "篡改.zip"
        with zipfile.ZipFile(out) as src, zipfile.ZipFile(bad, "w") as dst:
            for info in src.infolist():
                data = src.read(info)
                if info.filename.endswith("计划.pdf"):
                    data = b"changed"
                if not info.filename.endswith("议事规则.pdf"):
                    dst.writestr(info, data)
        merged = tmp_path / "汇总2.xlsx"
        result = CliRunner().invoke(cli, ["merge", str(bad), "-o", str(merged)])
        assert result.exit_code == 1
        rows = [r for r in read_grids(merged)[SHEETS.MERGE_FINDINGS].rows if "RX443" in r]
        assert [(r[0], r[5].split("”")[0].lstrip("报送包中的“")) for r in rows] == [
            ("县委政法委", "台账-佐证材料/1/计划.pdf"), ("县委政法委", "台账-佐证材料/2/议事规则.pdf")]


def test_verify_manifest_rejects_an_unknown_format() -> None:
    assert verify_manifest({"format": "别的"}, {})[0].problem == "清单格式无法识别"
    assert verify_manifest([], {})[0].problem == "清单格式无法识别"
