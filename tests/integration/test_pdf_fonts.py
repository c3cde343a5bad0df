"""The tool's own fontconfig file: 公文 names → free faces, and a note when a face is missing."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from rectify_xl.adapters import fonts
from rectify_xl.adapters.fonts import ROLES, face_notes, write_fontconfig

pytestmark = pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig not installed")


def _match(conf: Path, pattern: str) -> tuple[str, str]:
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    out = subprocess.run(["fc-match", "-f", "%{family[0]}|%{style[0]}", pattern], env=env,
                         capture_output=True, text=True, check=True).stdout
    family, style = out.split("|")
    return family, style


@pytest.mark.parametrize(("name", "face", "style"), [
    ("仿宋_GB2312", "FandolFang", "Regular"), ("方正小标宋简体", "FandolSong", "Bold"),
    ("黑体", "FandolHei", "Regular"), ("楷体_GB2312", "FandolKai", "Regular"),
    ("宋体", "FandolSong", "Regular"), ("仿宋", "FandolFang", "Regular"), ("SimHei", "FandolHei", "Regular"),
    ("华文中宋", "FandolSong", "Bold"), ("KaiTi", "FandolKai", "Regular"),
])
def test_each_gongwen_name_gets_the_face_made_for_its_role(tmp_path: Path, name: str, face: str,
                                                            style: str) -> None:
    assert _match(write_fontconfig(tmp_path), name) == (face, style)


def test_bold_request_of_a_regular_role_gets_the_bold_file_and_vice_versa(tmp_path: Path) -> None:
    """FandolSong/FandolHei Bold say weight 400: the scan rule relabels them, so weights choose."""
    conf = write_fontconfig(tmp_path)
    assert _match(conf, "黑体:bold") == ("FandolHei", "Bold")
    assert _match(conf, "黑体") == ("FandolHei", "Regular")


def test_generic_requests_are_left_to_the_system_rules(tmp_path: Path) -> None:
    """Only the requested name is mapped: a Latin serif request is not turned into a 公文 face."""
    family, _ = _match(write_fontconfig(tmp_path), "DejaVu Sans")
    assert family == "DejaVu Sans"


def test_no_note_when_every_face_is_installed(tmp_path: Path) -> None:
    names = [name for role in ROLES for name in role.names[:1]]
    assert face_notes(write_fontconfig(tmp_path), names) == []


def test_a_missing_face_is_named_with_its_stand_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the Fandol folder: one Chinese note per role, naming the package and the substitute."""
    monkeypatch.setattr(fonts, "_FANDOL_DIRS", ())
    conf = write_fontconfig(tmp_path)
    notes = face_notes(conf, ["仿宋_GB2312", "仿宋", "黑体", "Times New Roman"])
    assert notes == [
        "未安装仿宋字体 FandolFang（Debian 软件包 texlive-lang-chinese），"
        "PDF 中的“仿宋_GB2312”以 Noto Serif CJK SC 代替",
        "未安装黑体字体 FandolHei（Debian 软件包 texlive-lang-chinese），"
        "PDF 中的“黑体”以 Noto Sans CJK SC 代替",
    ]


def test_the_users_own_fontconfig_file_is_kept(tmp_path: Path) -> None:
    """A FONTCONFIG_FILE the user set is included instead of the system's, not ignored."""
    own = tmp_path / "own.conf"
    own.write_text("<fontconfig></fontconfig>", encoding="utf-8")
    text = write_fontconfig(tmp_path, {"FONTCONFIG_FILE": str(own)}).read_text("utf-8")
    assert f'<include ignore_missing="yes">{own}</include>' in text
    assert "/etc/fonts/fonts.conf" not in text


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_without_fandol_the_pdf_says_what_stood_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The notes reach the caller of the conversion, and the PDF is set in the stand-ins."""
    from rectify_xl.adapters.sample_data import sample_ledger
    from rectify_xl.services.document import write_notice_document
    from rectify_xl.services.ledger import notice_text

    monkeypatch.setattr(fonts, "_FANDOL_DIRS", ())
    ledger = sample_ledger()
    notes: list[str] = []
    _, pdf = write_notice_document(ledger, notice_text(ledger), tmp_path / "公告.pdf", notes=notes)
    assert {note[3:5] for note in notes} == {"仿宋", "楷体", "小标", "宋体", "黑体"}  # 未安装仿宋字体…
    assert all("代替" in note for note in notes)
    listed = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Fandol" not in listed and "NotoSerifCJK" in listed
