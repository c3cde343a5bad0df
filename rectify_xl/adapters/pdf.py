"""PDF through LibreOffice headless: a private profile per run, a copy of the input, a time-out.

The input is copied into a private temp folder first, so LibreOffice never touches (or leaves a
lock file beside) the user's document; the PDF is moved into place atomically.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path

from rectify_xl.adapters.files import ensure_not_locked, os_reason, write_atomic
from rectify_xl.adapters.fonts import face_notes, write_fontconfig
from rectify_xl.errors import OutputError

__all__ = ["DEFAULT_TIMEOUT", "convert_to_pdf", "find_soffice", "pdf_available"]

DEFAULT_TIMEOUT = 120.0
_WINDOWS_PATHS = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)
_MAC_PATH = "/Applications/LibreOffice.app/Contents/MacOS/soffice"


def find_soffice() -> str | None:
    """RECTIFY_XL_SOFFICE, then soffice/libreoffice on PATH, then the usual install folders."""
    explicit = os.environ.get("RECTIFY_XL_SOFFICE")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((p for p in (*_WINDOWS_PATHS, _MAC_PATH) if Path(p).is_file()), None)


def pdf_available() -> bool:
    return find_soffice() is not None


def convert_to_pdf(source: Path, out: Path, *, timeout: float = DEFAULT_TIMEOUT,
                   env: Mapping[str, str] | None = None, notes: list[str] | None = None) -> Path:
    """Convert source (.docx, .xlsx) to out (.pdf); OutputError if LibreOffice is missing or fails.

    The 公文 font names are mapped to free faces by the tool's own fontconfig file (adapters/fonts.py);
    notes, when given, receives one Chinese line per face that is not installed and its stand-in.
    """
    soffice = find_soffice()
    if soffice is None:
        raise OutputError("未找到 LibreOffice，无法生成 PDF（Word 文档已生成，可在 Word/WPS 中“另存为 PDF”）")
    ensure_not_locked(out)  # before a 2-second conversion, not after it
    with tempfile.TemporaryDirectory(prefix="rectify-pdf-") as tmp:
        work = Path(tmp)
        copy = work / f"notice{source.suffix}"
        shutil.copyfile(source, copy)
        copy.chmod(0o444)
        cmd = [
            soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
            "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(work / "out"), str(copy),
        ]
        run_env = {**os.environ, **(env or {})}
        conf = write_fontconfig(work, run_env)
        if notes is not None:
            notes.extend(face_notes(conf, _font_names(copy)))
        _run(cmd, timeout, {**run_env, "FONTCONFIG_FILE": str(conf)}, source.name)
        produced = work / "out" / "notice.pdf"
        if not produced.is_file():
            raise OutputError(f"LibreOffice 未能把“{source.name}”转换为 PDF")
        return write_atomic(out, lambda dest: shutil.copyfile(produced, dest))


_FONT_PARTS = ("word/styles.xml", "word/fontTable.xml", "word/document.xml", "xl/styles.xml")
_FONT_NAME = re.compile(r'(?:w:eastAsia|w:ascii|w:name|<name val)="([^"]{1,64})"')
_MAX_PART = 20_000_000


def _font_names(document: Path) -> list[str]:
    """Font names a .docx/.xlsx asks for, in order of first use; empty for anything unreadable."""
    names: dict[str, None] = {}
    try:
        with zipfile.ZipFile(document) as package:
            for info in package.infolist():
                if info.filename in _FONT_PARTS and info.file_size <= _MAX_PART:
                    text = package.read(info).decode("utf-8", "replace")
                    names.update(dict.fromkeys(_FONT_NAME.findall(text)))
    except (OSError, zipfile.BadZipFile):
        return []
    return list(names)


def _run(cmd: list[str], timeout: float, env: dict[str, str], name: str) -> None:
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                start_new_session=True)
    except OSError as exc:
        raise OutputError(f"无法启动 LibreOffice：{os_reason(exc)}") from exc
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        _kill(proc)
        raise OutputError(f"LibreOffice 把“{name}”转换为 PDF 超时（{timeout:.0f} 秒），已终止") from exc
    if proc.returncode != 0:
        last = err.decode("utf-8", "replace").strip().splitlines()[-1:]
        detail = f"，LibreOffice 提示：{last[0]}" if last else ""  # its own words, for support
        raise OutputError(f"LibreOffice 未能把“{name}”转换为 PDF（退出码 {proc.returncode}{detail}）")


def _kill(proc: subprocess.Popen[bytes]) -> None:
    # The whole session: soffice.bin runs as a child of the soffice wrapper script.
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (OSError, AttributeError):
        proc.kill()
    proc.communicate()
