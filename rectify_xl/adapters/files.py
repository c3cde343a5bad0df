"""Writing outputs safely and opening zip packages safely: the one place for both.

Every output (workbooks, copies, documents, drafts, text) is written to a temp file in the
target's folder and renamed over the target, so a reader never sees half a file and a failed
write leaves the old file untouched. A target that Excel, WPS, Word or LibreOffice has open
(its lock file is beside it) is never overwritten.
"""

from __future__ import annotations

import contextlib
import errno
import os  # os.urandom(n).hex() is secrets.token_hex(n) without loading hashlib (≈ 3 ms)
import zipfile
from collections.abc import Callable
from pathlib import Path

from rectify_xl.errors import InputError, LockedError, OutputError, os_reason

__all__ = [
    "MAX_MEMBERS",
    "MAX_MEMBER_RATIO",
    "MAX_UNPACKED_BYTES",
    "AtomicTarget",
    "check_zip_members",
    "ensure_not_locked",
    "lock_files",
    "os_reason",
    "path_kind",
    "read_failure",
    "suspicious_ratio",
    "windows_text_bytes",
    "write_atomic",
    "write_bytes_atomic",
    "write_text_atomic",
    "zip_member_names",
]

# Zip-bomb limits: a real ledger of 100,000 measures unpacks to well under these.
MAX_UNPACKED_BYTES = 1_000_000_000
MAX_MEMBER_RATIO = 200
MAX_MEMBERS = 10_000


def path_kind(path: Path, what: str = "") -> str:
    """"file", "dir", "missing" or "other" — or InputError in one Chinese line when the path
    cannot even be looked at (a folder on the way the user may not enter: Path.exists() would
    raise PermissionError, not answer False). ``what`` names the file in the message (模板文件…)."""
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return "missing"
    except OSError as exc:
        reason = ("没有访问权限（该文件或它所在的文件夹不允许当前用户打开）"
                  if isinstance(exc, PermissionError) else os_reason(exc))
        raise InputError(f"无法访问{what}“{path}”：{reason}") from exc
    except ValueError as exc:  # an embedded NUL character
        raise InputError(f"{what}路径“{path!r}”含有非法字符") from exc
    import stat

    return "file" if stat.S_ISREG(mode) else "dir" if stat.S_ISDIR(mode) else "other"


def read_failure(exc: OSError) -> str:
    """Why a file could not be read, in Chinese (the system's own text is often English)."""
    if isinstance(exc, PermissionError):
        return "没有读取权限（或文件正被其他程序独占打开）"
    return os_reason(exc)


def lock_files(path: Path) -> list[Path]:
    """Owner files beside an open document: Excel/WPS ~$name, Word ~$ + name minus two
    characters (for long names), LibreOffice .~lock.name#."""
    names = {f"~${path.name}", f"~${path.name[2:]}", f".~lock.{path.name}#"}
    return [path.with_name(n) for n in sorted(names) if path.with_name(n).exists()]


def ensure_not_locked(path: Path) -> None:
    locks = lock_files(path)
    if locks:
        raise LockedError(f"“{path.name}”正在被 Excel、WPS 或 Word 打开（存在锁定文件 {locks[0].name}），"
                          "请关闭后再试")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _create_beside(path: Path) -> tuple[int, str]:
    """A new temp file beside path (mode 0600), noted in the run's journal *before* it exists,
    so a run killed at any moment leaves nothing the next start does not remove."""
    from rectify_xl.adapters.runfolder import TEMP_PREFIX, journal

    for _ in range(100):
        name = str(path.parent / f"{TEMP_PREFIX}{os.urandom(6).hex()}{path.suffix}")
        journal(Path(name))
        try:
            return os.open(name, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                           0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(path.parent))


class AtomicTarget:
    """A temp file beside ``path`` that replaces ``path`` on commit(), or vanishes.

    For writers that fill the file over time (the merge streams rows in while it reads);
    one-shot writers use write_atomic. Use as a context manager.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = path = Path(path)
        ensure_not_locked(path)
        if path.is_dir():
            raise OutputError(f"“{path}”是文件夹，请给出文件名")
        if not path.parent.is_dir():
            raise OutputError(f"输出文件夹不存在：{path.parent}")
        try:
            fd, tmp_name = _create_beside(path)
        except PermissionError as exc:  # strerror would be English ("Permission denied")
            raise OutputError(f"无法写入“{path.name}”：没有在文件夹“{path.parent.name}”中写入的权限"
                              ) from exc
        except OSError as exc:
            raise OutputError(f"无法写入“{path.name}”：{os_reason(exc)}") from exc
        os.close(fd)
        self.tmp = Path(tmp_name)

    def commit(self) -> Path:
        try:
            os.chmod(self.tmp, 0o666 & ~_umask())  # mkstemp makes 0600; an output is an ordinary file
            os.replace(self.tmp, self.path)
        except PermissionError as exc:
            raise OutputError(f"无法写入“{self.path.name}”：文件可能正被其他程序打开，或没有写入权限"
                              ) from exc
        except OSError as exc:
            raise OutputError(f"无法写入“{self.path.name}”：{os_reason(exc)}") from exc
        return self.path

    def __enter__(self) -> AtomicTarget:
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(OSError):
            self.tmp.unlink()


def write_atomic(path: str | Path, write: Callable[[Path], object]) -> Path:
    """Call write(tmp) for a temp file beside path, then rename it over path."""
    with AtomicTarget(path) as target:
        try:
            write(target.tmp)
        except PermissionError as exc:
            raise OutputError(f"无法写入“{target.path.name}”：没有写入权限") from exc
        except OSError as exc:
            raise OutputError(f"无法写入“{target.path.name}”：{os_reason(exc)}") from exc
        return target.commit()


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    return write_atomic(path, lambda tmp: tmp.write_bytes(data))


def windows_text_bytes(text: str) -> bytes:
    """UTF-8 with BOM and CRLF: what Windows Notepad and WPS open without asking for an encoding
    (for text handed to a user as a download or attachment; files on disk use write_text_atomic)."""
    return ("\ufeff" + text.replace("\r\n", "\n").replace("\n", "\r\n")).encode("utf-8")


def write_text_atomic(path: str | Path, text: str) -> Path:
    """UTF-8 with \\n line ends, whatever the platform."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def check_zip_members(name: str, infos: list[zipfile.ZipInfo], *,
                      max_unpacked: int = MAX_UNPACKED_BYTES) -> None:
    """Refuse zip bombs: too many members, too large unpacked, or an absurd compression ratio."""
    if len(infos) > MAX_MEMBERS:
        raise InputError(f"“{name}”包含的部件过多（{len(infos)}个），已拒绝打开")
    total = sum(i.file_size for i in infos)
    if total > max_unpacked:
        raise InputError(f"“{name}”解压后过大（{total // 1_000_000} MB），疑似压缩炸弹，已拒绝打开")
    for i in infos:
        if suspicious_ratio(i):
            raise InputError(f"“{name}”中的“{i.filename}”压缩比异常，疑似压缩炸弹，已拒绝打开")


def suspicious_ratio(info: zipfile.ZipInfo) -> bool:
    """A large member that unpacks to far more than it takes: the shape of a zip bomb."""
    return info.file_size > 10_000_000 and info.file_size > MAX_MEMBER_RATIO * max(info.compress_size, 1)


def zip_member_names(path: Path, label: str, *, max_unpacked: int = MAX_UNPACKED_BYTES) -> set[str]:
    """The member names of a zip package (xlsx, docx) once it has passed the bomb checks.

    label names the file in messages, e.g. “台账.xlsx” or 参考文档“模板.docx”.
    """
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"{label}已损坏，无法打开") from exc
    check_zip_members(label.strip("“”"), infos, max_unpacked=max_unpacked)
    return {i.filename for i in infos}
