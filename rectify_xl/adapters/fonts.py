"""The 公文 fonts in PDFs: the tool's own fontconfig file for LibreOffice, and what it falls back to.

Documents name the faces GB/T 9704 users know (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312, 宋体…);
those are commercial fonts that a Linux machine does not have. Every conversion writes a fontconfig
file that maps each of those names, by role, to free faces made for the role (docs/dev/fonts.md):
the Fandol family (Debian texlive-lang-chinese, simplified-Chinese GB designs: 仿宋, 楷体, 宋体,
黑体), then Noto Serif/Sans CJK SC (fonts-noto-cjk) for characters Fandol lacks or when it is not
installed. It is handed to LibreOffice as FONTCONFIG_FILE: nothing for the user to set.
On Windows/macOS LibreOffice does not use fontconfig; the user's installed fonts apply there.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

__all__ = ["ROLES", "FontRole", "face_notes", "role_of", "write_fontconfig"]


@dataclass(frozen=True)
class FontRole:
    label: str                       # how a user calls the face (in notes)
    names: tuple[str, ...]           # font names documents use for this role
    faces: tuple[str, ...]           # free families to use, best first
    alt: str = ""                    # Word's font table: the Windows face to use when the name is missing
    panose: str = ""                 # …and its PANOSE class, which Word/WPS use to pick a look-alike
    bold: bool = False               # 小标宋 is a heavy Song: the Bold cut of the free Song faces
    package: str = "texlive-lang-chinese"


# Names: the GB/T 9704 names and the common Windows, 方正 and 华文 (macOS/Office) names of the same
# five faces, so a unit's own reference document or profile naming any of them is mapped too.
ROLES: tuple[FontRole, ...] = (
    FontRole("仿宋", ("仿宋_GB2312", "仿宋", "方正仿宋_GBK", "方正仿宋简体", "华文仿宋", "FangSong",
                    "FangSong_GB2312", "STFangsong"),
             ("FandolFang", "Noto Serif CJK SC"), alt="仿宋", panose="02010609060101010101"),
    FontRole("楷体", ("楷体_GB2312", "楷体", "方正楷体_GBK", "方正楷体简体", "华文楷体", "KaiTi",
                    "KaiTi_GB2312", "STKaiti"),
             ("FandolKai", "AR PL KaitiM GB", "Noto Serif CJK SC"), alt="楷体",
             panose="02010609060101010101"),
    FontRole("小标宋", ("方正小标宋简体", "方正小标宋_GBK", "小标宋", "华文中宋", "STZhongsong"),
             ("FandolSong", "Noto Serif CJK SC"), alt="宋体", panose="02010600030101010101", bold=True),
    FontRole("宋体", ("宋体", "新宋体", "SimSun", "NSimSun", "方正书宋_GBK", "方正书宋简体", "华文宋体",
                    "STSong"),
             ("FandolSong", "Noto Serif CJK SC"), alt="SimSun", panose="02010600030101010101"),
    FontRole("黑体", ("黑体", "SimHei", "方正黑体_GBK", "方正黑体简体", "华文黑体", "STHeiti"),
             ("FandolHei", "Noto Sans CJK SC"), alt="SimHei", panose="02010609060101010101"),
)

# Where distributions put the Fandol fonts: Debian/Ubuntu's texlive-lang-chinese keeps them in the
# TeX tree (not in fontconfig's search path), a TeX Live install under /usr/local/texlive/<year>.
_FANDOL_DIRS = (
    "/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol",
    "/usr/share/texmf/fonts/opentype/public/fandol",
    "/usr/local/texlive/*/texmf-dist/fonts/opentype/public/fandol",
    "/opt/texlive/*/texmf-dist/fonts/opentype/public/fandol",
)
_SYSTEM_CONF = "/etc/fonts/fonts.conf"
_BOLD_MISLABELLED = ("FandolSong", "FandolHei")


def role_of(name: str) -> FontRole | None:
    return next((role for role in ROLES if name in role.names), None)


def _font_dirs() -> list[str]:
    found: list[str] = []
    for pattern in _FANDOL_DIRS:
        found.extend(sorted(d for d in glob.glob(pattern) if os.path.isdir(d)))
    return found


def fontconfig_text(environ: Mapping[str, str] | None = None) -> str:
    """The fontconfig file: the system's (or the user's FONTCONFIG_FILE), the Fandol folder, the aliases."""
    environ = os.environ if environ is None else environ
    base = environ.get("FONTCONFIG_FILE") or _SYSTEM_CONF
    lines = ['<?xml version="1.0"?>', '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
             "<!-- written by rectify-xl for one LibreOffice conversion (rectify_xl/adapters/fonts.py) -->",
             "<fontconfig>"]
    lines += [f"  <dir>{escape(d)}</dir>" for d in _font_dirs()]
    for family in _BOLD_MISLABELLED:
        # FandolSong-Bold and FandolHei-Bold say weight 400 (OS/2): without this, a request for
        # 宋体 or 黑体 gets the Bold or the Regular file at random (fontconfig sees two equal faces)
        lines += ['  <match target="scan">',
                  f'    <test name="family"><string>{family}</string></test>',
                  '    <test name="style"><string>Bold</string></test>',
                  '    <edit name="weight" mode="assign"><const>bold</const></edit>',
                  "  </match>"]
    # The aliases come before the system rules: they must see the name the document asked for,
    # not the generic fall-back lists (SimSun, 华文中宋…) the system rules append to every request.
    for role in ROLES:
        faces = "".join(f"<string>{escape(face)}</string>" for face in role.faces)
        for name in role.names:
            # assign + strong: the name is replaced by the role's faces, ahead of fontconfig's
            # language-based defaults (which would pick a sans face, or a Japanese cut)
            lines += ['  <match target="pattern">',
                      f'    <test name="family" qual="first"><string>{escape(name)}</string></test>',
                      f'    <edit name="family" mode="assign" binding="strong">{faces}</edit>']
            if role.bold:
                lines.append('    <edit name="weight" mode="assign" binding="strong">'
                             "<const>bold</const></edit>")
            lines.append("  </match>")
    lines += [f'  <include ignore_missing="yes">{escape(base)}</include>', "</fontconfig>"]
    return "\n".join(lines) + "\n"


def write_fontconfig(folder: Path, environ: Mapping[str, str] | None = None) -> Path:
    path = folder / "fonts.conf"
    path.write_text(fontconfig_text(environ), encoding="utf-8")
    return path.resolve()  # fontconfig ignores a relative FONTCONFIG_FILE


def face_notes(conf: Path, names: Iterable[str]) -> list[str]:
    """One Chinese note per role whose preferred free face is not installed: which, and what stands in.

    Asks fontconfig (fc-match) with the same file LibreOffice gets; empty where fc-match is absent
    (Windows, macOS: LibreOffice uses the system's fonts there).
    """
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return []
    notes: list[str] = []
    seen: set[str] = set()
    for name in names:
        role = role_of(name)
        if role is None or role.label in seen:
            continue
        seen.add(role.label)
        used = _match(fc_match, conf, name)
        if used is None or used == role.faces[0]:
            continue
        notes.append(f"未安装{role.label}字体 {role.faces[0]}（Debian 软件包 {role.package}），"
                     f"PDF 中的“{name}”以 {used} 代替")
    return notes


def _match(fc_match: str, conf: Path, name: str) -> str | None:
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    try:
        done = subprocess.run([fc_match, "-f", "%{family[0]}", name], capture_output=True, env=env,
                              timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    family = done.stdout.decode("utf-8", "replace").strip()
    return family or None
