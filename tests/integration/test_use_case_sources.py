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
