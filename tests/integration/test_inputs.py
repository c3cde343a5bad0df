"""expand_inputs: folders, .zip, .eml (Chinese names in every encoding), encrypted attachments."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from rectify_xl.adapters.inputs import expand_inputs, read_unit_list
from rectify_xl.adapters.xlsx_reader import read_ledger
from tests.conftest import sha256
from tests.merge_helpers import encrypt, make_eml, make_zip, unit_records, write_ledger, xlsx_bytes


def _names(exp) -> list[str]:
    return [Path(s.name).name for s in exp.sources]


@pytest.fixture
def ledger_bytes(tmp_path: Path) -> bytes:
    return xlsx_bytes(unit_records("县委办"), tmp_path)


class TestFolders:
    def test_folder_is_searched_recursively_and_lock_files_are_ignored(self, tmp_path: Path) -> None:
        root = tmp_path / "收件"
        (root / "一组").mkdir(parents=True)
        write_ledger(root / "a.xlsx", unit_records("甲"))
        write_ledger(root / "一组" / "b.xlsm", unit_records("乙"))
        (root / "~$a.xlsx").write_bytes(b"owner")
        (root / "说明.docx").write_bytes(b"x")
        with expand_inputs([root]) as exp:
            assert sorted(_names(exp)) == ["a.xlsx", "b.xlsm"]
            assert exp.sources[0].path.parent == root  # read in place, never copied
            assert exp.skipped == []

    def test_owner_files_named_directly_are_ignored(self, tmp_path: Path) -> None:
        """`rectify-xl merge 收件/*.xlsx` while a ledger is open in Excel also names ~$a.xlsx."""
        write_ledger(tmp_path / "a.xlsx", unit_records("甲"))
        (tmp_path / "~$a.xlsx").write_bytes(b"owner")
        (tmp_path / ".~lock.a.xlsx#").write_bytes(b"lock")
        with expand_inputs(sorted(tmp_path.iterdir())) as exp:
            assert _names(exp) == ["a.xlsx"]
            assert exp.skipped == []

    def test_output_file_inside_the_folder_is_excluded(self, tmp_path: Path) -> None:
        write_ledger(tmp_path / "a.xlsx", unit_records("甲"))
        write_ledger(tmp_path / "汇总.xlsx", unit_records("乙"))
        with expand_inputs([tmp_path], exclude=[tmp_path / "汇总.xlsx"]) as exp:
            assert _names(exp) == ["a.xlsx"]

    def test_missing_input_and_old_xls_are_skipped_with_reasons(self, tmp_path: Path) -> None:
        (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
        with expand_inputs([tmp_path / "none.xlsx", tmp_path / "old.xls"]) as exp:
            assert exp.sources == []
            assert [Path(s.name).name for s in exp.skipped] == ["none.xlsx", "old.xls"]
            assert "找不到" in exp.skipped[0].reason


    def test_unreadable_file_and_subfolder_are_reported_in_chinese(
            self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Permission denied (as a non-root user would get it) is one Chinese reason, and a
        subfolder that cannot be opened is listed instead of silently left out."""
        import os

        root = tmp_path / "收件"
        (root / "锁住").mkdir(parents=True)
        write_ledger(root / "a.xlsx", unit_records("甲"))
        write_ledger(root / "b.xlsx", unit_records("乙"))
        write_ledger(root / "锁住" / "c.xlsx", unit_records("丙"))
        real_scandir, real_open = os.scandir, Path.open

        def scandir(path: object = ".") -> object:
            if Path(str(path)).name == "锁住":
                raise PermissionError(13, "Permission denied", str(path))
            return real_scandir(path)  # type: ignore[arg-type]

        def open_(self: Path, *args: object, **kwargs: object) -> object:
            if self.name == "b.xlsx":
                raise PermissionError(13, "Permission denied", str(self))
            return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "scandir", scandir)
        monkeypatch.setattr(Path, "open", open_)
        with expand_inputs([root]) as exp:
            assert _names(exp) == ["a.xlsx"]
            assert [(Path(s.name).name, s.reason) for s in exp.skipped] == [
                ("锁住", "文件夹无法打开：没有读取权限（或文件正被其他程序独占打开）"),
                ("b.xlsx", "没有读取权限（或文件正被其他程序独占打开）"),
            ]


class TestArchives:
    def test_zip_members_are_private_copies_that_vanish_afterwards(
            self, tmp_path: Path, ledger_bytes: bytes) -> None:
        z = make_zip(tmp_path / "round.zip", {"县委办.xlsx": ledger_bytes, "sub/x.txt": b"x"})
        before = sha256(z)
        with expand_inputs([z]) as exp:
            assert [s.name for s in exp.sources] == [f"{z}/县委办.xlsx"]
            copy = exp.sources[0].path
            assert read_ledger(copy).info.unit == "县委办"
            assert copy.parent.stat().st_mode & 0o077 == 0  # private temp dir
        assert not copy.exists()
        assert sha256(z) == before

    def test_gbk_member_names_from_chinese_windows_are_decoded(
            self, tmp_path: Path, ledger_bytes: bytes) -> None:
        z = make_zip(tmp_path / "r.zip", {"县委办台账.xlsx": ledger_bytes}, gbk_names=True)
        assert not zipfile.ZipFile(z).infolist()[0].flag_bits & 0x800  # really no UTF-8 flag
        with expand_inputs([z]) as exp:
            assert _names(exp) == ["县委办台账.xlsx"]

    def test_path_traversal_member_cannot_escape(self, tmp_path: Path, ledger_bytes: bytes) -> None:
        z = make_zip(tmp_path / "evil.zip", {"../../escape.xlsx": ledger_bytes})
        with expand_inputs([z]) as exp:
            copy = exp.sources[0].path
            assert copy.name.endswith("escape.xlsx") and tmp_path not in copy.parents
        assert not (tmp_path.parent / "escape.xlsx").exists()

    def test_zip_bomb_member_is_refused(self, tmp_path: Path) -> None:
        z = tmp_path / "bomb.zip"
        with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as f:
            f.writestr("big.xlsx", b"\0" * 30_000_000)
        with expand_inputs([z]) as exp:
            assert exp.sources == []
            assert "压缩炸弹" in exp.skipped[0].reason

    def test_corrupt_zip_is_skipped(self, tmp_path: Path) -> None:
        (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 not really")
        with expand_inputs([tmp_path / "bad.zip"]) as exp:
            assert exp.skipped[0].reason == "压缩包已损坏，无法打开"


class TestMail:
    @pytest.mark.parametrize("style", ["rfc2231", "rfc2047", "gbk8bit"])
    def test_chinese_attachment_names_in_every_encoding(
            self, tmp_path: Path, ledger_bytes: bytes, style: str) -> None:
        mail = make_eml(tmp_path / "m.eml", [("县委办整改台账.xlsx", ledger_bytes)], style=style)
        with expand_inputs([mail]) as exp:
            assert _names(exp) == ["县委办整改台账.xlsx"]
            assert read_ledger(exp.sources[0].path).info.unit == "县委办"

    def test_mail_date_is_the_file_time(self, tmp_path: Path, ledger_bytes: bytes) -> None:
        mail = make_eml(tmp_path / "m.eml", [("a.xlsx", ledger_bytes)],
                        date_header="Tue, 02 Nov 2021 10:00:00 +0800")
        with expand_inputs([mail]) as exp:
            assert exp.sources[0].mtime == 1635818400.0

    def test_mail_without_ledger_is_reported(self, tmp_path: Path) -> None:
        mail = make_eml(tmp_path / "m.eml", [("说明.pdf", b"%PDF")])
        with expand_inputs([mail]) as exp:
            assert exp.skipped[0].reason.startswith("邮件中没有台账附件")

    def test_encrypted_attachment_needs_the_password(self, tmp_path: Path, ledger_bytes: bytes) -> None:
        mail = make_eml(tmp_path / "m.eml", [("加密.xlsx", encrypt(ledger_bytes, "密码123"))])
        with expand_inputs([mail]) as exp:
            assert "RECTIFY_ATTACHMENT_PASSWORD" in exp.skipped[0].reason
        with expand_inputs([mail], password="错的") as exp:
            assert exp.skipped[0].reason == "文件已加密，但密码不正确，无法解密"
        with expand_inputs([mail], password="密码123") as exp:
            assert read_ledger(exp.sources[0].path).info.unit == "县委办"

    def test_zip_attached_to_a_mail_is_opened(self, tmp_path: Path, ledger_bytes: bytes) -> None:
        z = make_zip(tmp_path / "r.zip", {"县委办.xlsx": ledger_bytes})
        mail = make_eml(tmp_path / "m.eml", [("全部台账.zip", z.read_bytes())])
        with expand_inputs([mail]) as exp:
            assert [s.name for s in exp.sources] == [f"{mail}/全部台账.zip/县委办.xlsx"]


class TestUnitList:
    def test_unit_column_of_a_workbook(self, tmp_path: Path) -> None:
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.append(["本轮巡察单位名单"])
        ws.append(["序号", "单位"])
        ws.append([1, "县委办"])
        ws.append([2, "县司法局"])
        wb.save(tmp_path / "名单.xlsx")
        assert read_unit_list(tmp_path / "名单.xlsx") == ["县委办", "县司法局"]

    def test_text_file_in_gbk(self, tmp_path: Path) -> None:
        (tmp_path / "名单.txt").write_bytes("县委办\r\n县司法局\r\n".encode("gbk"))
        assert read_unit_list(tmp_path / "名单.txt") == ["县委办", "县司法局"]

    def test_text_file_saved_as_notepad_unicode(self, tmp_path: Path) -> None:
        """UTF-16 with BOM ("Unicode" in Notepad): the same decoder as notices (text_input)."""
        (tmp_path / "名单.txt").write_bytes("县委办\r\n县司法局\r\n".encode("utf-16"))
        assert read_unit_list(tmp_path / "名单.txt") == ["县委办", "县司法局"]

    def test_csv_header_line_is_not_a_unit(self, tmp_path: Path) -> None:
        (tmp_path / "名单.csv").write_text("单位,联系人\n县委办,张三\n县司法局,李四\n", encoding="utf-8")
        assert read_unit_list(tmp_path / "名单.csv") == ["县委办", "县司法局"]
