"""The use cases of issue 12 item 1 on every kind of source: a file, uploaded bytes, an in-memory
source (the seam: a fake passed in, no module swapped), and a live book where it cannot work."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from rectify_xl.core.model import Grid
from rectify_xl.core.records import LedgerRecords, grids_from_records
from rectify_xl.core.textcheck import TypoPack
from rectify_xl.errors import InputError, OutputError
from rectify_xl.services.source import BytesSource, FileSource, TextBytes, TextFile
from tests.conftest import sample_records_copy, write_xlsx_openpyxl

AS_OF = date(2021, 10, 31)


@dataclass
class MemorySource:
    """A workbook held in memory: what a use case sees of any source."""

    name: str
    sheets: dict[str, Grid] = field(default_factory=dict)

    def grids(self) -> dict[str, Grid]:
        return dict(self.sheets)

    def fills(self, cells: list[tuple[str, str]]) -> dict[tuple[str, str], str | None]:
        return {}


def _memory(name: str, records: LedgerRecords) -> MemorySource:
    return MemorySource(name, grids_from_records(records))


def _changed(records: LedgerRecords) -> LedgerRecords:
    """Another version: the first measure reopened."""
    newer = copy.deepcopy(records)
    newer.measures[0]["status"], newer.measures[0]["done_date"] = "正在推进", ""
    return newer


class TestDiff:
    def test_in_memory_versions_give_what_the_files_give(self, tmp_path: Path) -> None:
        from rectify_xl.services.diff import diff

        old, new = sample_records_copy(), _changed(sample_records_copy())
        in_memory = diff(_memory("9月.xlsx", old), _memory("10月.xlsx", new))
        files = diff(FileSource(write_xlsx_openpyxl(tmp_path / "9月.xlsx", old)),
                     FileSource(write_xlsx_openpyxl(tmp_path / "10月.xlsx", new)))
        assert (in_memory.old, in_memory.new) == ("9月.xlsx", "10月.xlsx")
        assert in_memory.diff.lines() == files.diff.lines() != []
        assert in_memory.edits is None  # neither version keeps a 修改记录

    def test_a_consolidated_workbook_is_refused_by_its_name(self) -> None:
        from rectify_xl.core.schema import SHEETS
        from rectify_xl.services.diff import diff

        merged = MemorySource("汇总.xlsx", {SHEETS.MERGE_DETAIL: Grid(SHEETS.MERGE_DETAIL, [["x"]])})
        with pytest.raises(InputError, match=r"“汇总\.xlsx”是汇总表"):
            diff(merged, _memory("台账.xlsx", sample_records_copy()))


@pytest.fixture
def notice_text() -> str:
    from rectify_xl.core.records import ledger_from_records
    from rectify_xl.services.ledger import notice_text as render

    return render(ledger_from_records(sample_records_copy()), today=AS_OF)


class TestCheckNotice:
    def test_uploaded_text_and_in_memory_ledger_give_what_the_files_give(
            self, tmp_path: Path, notice_text: str) -> None:
        from rectify_xl.services.notice_import import check_notice

        wrong = notice_text.replace("已完成", "已全部完成", 1)  # a sentence the ledger does not back
        text = tmp_path / "公告.txt"
        text.write_text(wrong, encoding="utf-8")
        ledger = write_xlsx_openpyxl(tmp_path / "台账.xlsx", sample_records_copy())
        pack = TypoPack()
        from_files = check_notice(TextFile(text), ledger=FileSource(ledger), pack=pack)
        uploaded = check_notice(TextBytes("公告.txt", wrong.encode("utf-8")),
                                ledger=_memory("台账.xlsx", sample_records_copy()), pack=pack)
        assert uploaded.source == from_files.source == "公告.txt"
        assert [(f.code, f.row, f.message) for f in uploaded.findings] == \
            [(f.code, f.row, f.message) for f in from_files.findings]

    def test_an_unusable_upload_is_named_as_the_user_named_it(self) -> None:
        from rectify_xl.services.notice_import import check_notice

        with pytest.raises(InputError) as caught:
            check_notice(TextBytes("我的公告.pdf", b"%PDF-1.7\n..."), pack=TypoPack())
        assert "我的公告.pdf" in caught.value.message and "upload" not in caught.value.message


class TestImport:
    def test_uploaded_bytes_need_an_output_and_then_import_as_a_file_does(
            self, tmp_path: Path, notice_text: str) -> None:
        from rectify_xl.services.notice_import import import_notice
        from rectify_xl.services.source import ledger_of

        with pytest.raises(InputError, match=r"请指定“公告\.txt”导入后生成的台账文件名"):
            import_notice(TextBytes("公告.txt", notice_text.encode("gb18030")))
        outcome = import_notice(TextBytes("公告.txt", notice_text.encode("gb18030")),
                                tmp_path / "台账.xlsx")
        assert outcome.report.source == "公告.txt" and outcome.encoding.startswith("GB")
        source = tmp_path / "公告.txt"
        source.write_text(notice_text, encoding="utf-8")
        from_file = import_notice(TextFile(source))  # beside the file by default
        assert from_file.output == tmp_path / "公告-台账.xlsx"
        assert [m.text for m in ledger_of(FileSource(outcome.output)).measures] == \
            [m.text for m in ledger_of(FileSource(from_file.output)).measures] != []


class TestMail:
    def test_a_live_book_is_refused_in_chinese_before_any_work(self) -> None:
        from rectify_xl.services.mail import prepare_mail

        with pytest.raises(InputError) as caught:
            prepare_mail(_memory("整改台账.xlsm", sample_records_copy()), draft_path="x.eml")
        assert caught.value.message.startswith("发送上级需要已保存的台账文件")
        assert "“整改台账.xlsm”" in caught.value.message and "请先保存工作簿" in caught.value.message

    def test_uploaded_bytes_are_mailed_from_a_private_copy(self, tmp_path: Path) -> None:
        from rectify_xl.adapters.settings import MailSettings
        from rectify_xl.services.mail import prepare_mail

        data = write_xlsx_openpyxl(tmp_path / "台账.xlsx", sample_records_copy()).read_bytes()
        upload = BytesSource("政法委台账.xlsx", data)
        settings = MailSettings(to=("xcb@example.gov.cn",))
        with pytest.raises(OutputError, match=r"请指定“政法委台账\.xlsx”的邮件草稿保存位置"):
            prepare_mail(upload, settings, today=AS_OF)
        prepared = prepare_mail(upload, settings, today=AS_OF, draft_path=tmp_path / "d.eml")
        assert prepared.source == "政法委台账.xlsx"
        assert [a.filename.rsplit(".", 1)[1] for a in prepared.attachments] == ["xlsx", "txt", "docx"]
        assert sorted(p.name for p in tmp_path.iterdir()) == ["台账.xlsx"]  # nothing left behind


def test_the_notice_file_of_uploaded_bytes_is_the_notice_of_the_file(tmp_path: Path) -> None:
    from rectify_xl.services.document import write_notice
    from rectify_xl.services.ledger import notice

    path = write_xlsx_openpyxl(tmp_path / "台账.xlsx", sample_records_copy())
    written = write_notice(BytesSource("台账.xlsx", path.read_bytes()), tmp_path / "公告.txt",
                           today=AS_OF)
    assert written.files == (tmp_path / "公告.txt",)
    assert (tmp_path / "公告.txt").read_text(encoding="utf-8") == \
        notice(FileSource(path), today=AS_OF).text == written.noticed.text
    template = tmp_path / "模板.txt"
    template.write_text("{{ unit }}", encoding="utf-8")
    with pytest.raises(OutputError, match=r"不能与输入文件“模板\.txt”相同"):
        write_notice(FileSource(path), template, template=template)
    assert template.read_text(encoding="utf-8") == "{{ unit }}"


class TestRemind:
    def test_the_window_comes_from_the_settings_and_only_a_file_is_recorded_in(
            self, tmp_path: Path) -> None:
        from rectify_xl.services.remind import remind

        source = _memory("台账.xlsx", sample_records_copy())
        source.sheets["设置"] = Grid("设置", [["项目", "内容"], ["临期提醒天数", 30]])
        result = remind(source, today=AS_OF, out_dir=tmp_path / "催办")
        assert result.days == 30 and result.backup is None
        assert remind(source, today=AS_OF, out_dir=tmp_path / "b", days=7).days == 7
        with pytest.raises(InputError, match=r"“台账\.xlsx”不是台账文件，无法直接写入“催办记录”"):
            remind(source, today=AS_OF, out_dir=tmp_path / "催办", record=True)


def _apply(source: MemorySource, writes: object) -> None:
    """What a writer does to the book, in memory: each described sheet's values as its grid."""
    for spec in writes.sheets:  # type: ignore[attr-defined]
        values = spec.values()
        height = max((r for r, _ in values), default=0)
        width = max((c for _, c in values), default=0)
        rows = [[values.get((r, c)) for c in range(1, width + 1)] for r in range(1, height + 1)]
        source.sheets[spec.name] = Grid(spec.name, rows)


class TestRecord:
    def test_an_open_book_gets_the_sheets_a_file_gets_written(self, tmp_path: Path) -> None:
        from datetime import datetime

        from rectify_xl.services.record import record

        records = sample_records_copy()
        path = write_xlsx_openpyxl(tmp_path / "台账.xlsx", records)
        memory = _memory("台账.xlsx", records)
        first_file = record(FileSource(path), now=datetime(2021, 11, 1, 9), who="张三")
        first = record(memory, now=datetime(2021, 11, 1, 9), who="张三")
        assert first.first and first.backup is None and first_file.backup is not None
        assert [s.name for s in first.writes.sheets] == ["修改记录", "修改记录快照"]
        assert [s.values() for s in first.writes.sheets] == [
            s.values() for s in first_file.writes.sheets]
        _apply(memory, first.writes)
        edited = copy.deepcopy(memory.sheets["整改清单"])
        edited.rows[3][8] = "新的状态"
        memory.sheets["整改清单"] = edited
        second = record(memory, now=datetime(2021, 11, 2, 9), who="李四")
        assert [(c.sheet, c.cell, c.new) for c in second.changes] == [("整改清单", "I4", "新的状态")]
        assert second.writes.sheets[0].values()[(3, 3)] == "李四"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["台账.xlsx", "台账.xlsx.备份"]

    def test_uploaded_bytes_are_never_written(self, tmp_path: Path) -> None:
        from datetime import datetime

        from rectify_xl.services.record import record

        data = write_xlsx_openpyxl(tmp_path / "台账.xlsx", sample_records_copy()).read_bytes()
        result = record(BytesSource("台账.xlsx", data), now=datetime(2021, 11, 1, 9), who="张三")
        assert result.first and result.backup is None and len(result.writes.sheets) == 2
        assert sorted(p.name for p in tmp_path.iterdir()) == ["台账.xlsx"]
        assert (tmp_path / "台账.xlsx").read_bytes() == data


@dataclass
class MemoryEvidence:
    """Evidence files held in memory (the seam of evidence and pack: no folder on disk)."""

    folder: str
    files: dict[str, bytes]

    def listing(self, *, hashes: bool) -> object:
        import hashlib

        from rectify_xl.core.evidence import EvidenceFile, EvidenceListing

        return EvidenceListing(self.folder, True, tuple(
            EvidenceFile(p, len(d), hashlib.sha256(d).hexdigest() if hashes else "")
            for p, d in sorted(self.files.items())))

    def read(self, path: str) -> bytes:
        return self.files[path]


_EVIDENCE = {"1/学习计划.pdf": b"%PDF-1.4 plan", "2/议事规则.pdf": b"%PDF-1.4 rules"}


def _on_disk(ledger: Path) -> None:
    folder = ledger.with_name(f"{ledger.stem}-佐证材料")
    for rel, data in _EVIDENCE.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)


class TestEvidence:
    def test_an_upload_with_its_files_given_lists_what_the_folder_gives(self, tmp_path: Path
                                                                        ) -> None:
        import json
        from datetime import datetime

        from rectify_xl.services.evidence import evidence

        now = datetime(2021, 11, 1, 9)
        path = write_xlsx_openpyxl(tmp_path / "台账.xlsx", sample_records_copy())
        _on_disk(path)
        from_file = evidence(FileSource(path), now=now)
        upload = BytesSource("台账.xlsx", path.read_bytes())
        with pytest.raises(InputError, match=r"请指定“台账\.xlsx”的佐证材料清单文件名"):
            evidence(upload, now=now)
        given = evidence(upload, now=now, manifest_out=tmp_path / "清单.json",
                         files=MemoryEvidence("台账-佐证材料", dict(_EVIDENCE)))
        assert given.manifest == from_file.manifest
        assert json.loads((tmp_path / "清单.json").read_text(encoding="utf-8")) == given.manifest
        assert given.report.findings == from_file.report.findings
        without = evidence(BytesSource("台账.xlsx", path.read_bytes()), now=now,
                           manifest_out=tmp_path / "无.json")  # no folder beside an upload
        assert not without.listing.exists and without.listing.folder == "台账-佐证材料"

    def test_an_open_book_is_refused_in_chinese(self, tmp_path: Path) -> None:
        from datetime import datetime

        from rectify_xl.services.evidence import evidence

        with pytest.raises(InputError, match="生成佐证材料清单需要已保存的台账文件"):
            evidence(_memory("台账.xlsm", sample_records_copy()), now=datetime(2021, 11, 1),
                     manifest_out=tmp_path / "清单.json")
        assert list(tmp_path.iterdir()) == []


class TestPack:
    def test_an_upload_packs_what_the_file_packs(self, tmp_path: Path) -> None:
        import json
        import zipfile
        from datetime import datetime

        from rectify_xl.core.schema import PACK_MANIFEST
        from rectify_xl.services.evidence import pack

        now = datetime(2021, 11, 1, 9)
        records = sample_records_copy()
        path = write_xlsx_openpyxl(tmp_path / "台账.xlsx", records)
        _on_disk(path)
        from_file = pack(FileSource(path), out=tmp_path / "a.zip", today=AS_OF, now=now,
                         as_of=AS_OF)
        upload = pack(BytesSource("台账.xlsx", path.read_bytes()), out=tmp_path / "b.zip",
                      today=AS_OF, now=now, as_of=AS_OF,
                      files=MemoryEvidence("台账-佐证材料", dict(_EVIDENCE)))
        assert from_file.written and upload.written and upload.members == from_file.members
        with zipfile.ZipFile(tmp_path / "a.zip") as a, zipfile.ZipFile(tmp_path / "b.zip") as b:
            want, got = (json.loads(z.read(PACK_MANIFEST)) for z in (a, b))
            assert b.read("台账-佐证材料/2/议事规则.pdf") == _EVIDENCE["2/议事规则.pdf"]

        def fixed(files: list[dict[str, object]]) -> list[dict[str, object]]:
            """The entries that do not depend on the second the copies were saved in."""
            return [f if f["kind"] == "佐证材料" else {"path": f["path"], "kind": f["kind"]}
                    for f in files]

        assert fixed(got.pop("files")) == fixed(want.pop("files")) and got == want
        assert [f["path"] for f in fixed(json.loads(zipfile.ZipFile(tmp_path / "b.zip").read(
            PACK_MANIFEST))["files"]) if f["kind"] == "佐证材料"] == [
            "台账-佐证材料/1/学习计划.pdf", "台账-佐证材料/2/议事规则.pdf"]

    def test_errors_in_an_in_memory_ledger_write_nothing(self, tmp_path: Path) -> None:
        from datetime import datetime

        from rectify_xl.services.evidence import pack

        records = sample_records_copy()
        records.measures[0]["leader"] = ""  # a required cell left empty: an error
        result = pack(_memory("台账.xlsx", records), out=tmp_path / "包.zip", today=AS_OF,
                      now=datetime(2021, 11, 1), files=MemoryEvidence("台账-佐证材料", {}))
        assert result.written is None and result.report.has_errors()
        assert list(tmp_path.iterdir()) == []


class TestChase:
    def test_an_uploaded_round_is_chased_and_its_log_returned_not_written(
            self, tmp_path: Path) -> None:
        from datetime import datetime, timedelta

        from rectify_xl.services.merge import merge_ledgers
        from rectify_xl.services.round import chase
        from tests.merge_helpers import AS_OF as ROUND_AS_OF
        from tests.merge_helpers import write_ledger
        from tests.round_helpers import ROUND, round_records, write_round

        inbox = tmp_path / "收到"
        write_round(inbox, [u for u in ROUND if u != "县教育局"])
        stale = round_records("县教育局")
        stale.info["as_of"] = ROUND_AS_OF - timedelta(days=31)
        write_ledger(inbox / "县教育局.xlsx", stale)
        book = merge_ledgers([inbox], tmp_path / "汇总.xlsx", as_of=ROUND_AS_OF).output
        data = book.read_bytes()
        upload = BytesSource("汇总.xlsx", data)
        now = datetime(2021, 11, 3, 9, 30)
        with pytest.raises(InputError, match=r"请指定“汇总\.xlsx”催报邮件草稿保存的文件夹"):
            chase(upload, now=now)
        result = chase(upload, now=now, drafts=tmp_path / "草稿", draft_only=True)
        assert [(o.unit, o.state, o.sent) for o in result.outcomes] == [("县教育局", "未更新", False)]
        assert result.log is None and result.sheet is not None
        assert result.sheet.values()[(2, 2)] == "县教育局"
        assert book.read_bytes() == data  # the upload's file is never written
        assert sorted(p.name for p in (tmp_path / "草稿").iterdir()) == ["催报-县教育局.eml"]
