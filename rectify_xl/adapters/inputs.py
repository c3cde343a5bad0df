"""Expand merge INPUTS into ledger files: files, folders, .zip archives and .eml mails (issue 7).

Inputs are only read. Ledgers found inside archives and mails (and decrypted copies) are written
into a private temporary folder (mode 0700, removed afterwards) under generated names, so a
member name such as ``../../x.xlsx`` can never place a file anywhere: no path traversal.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import io
import os
import re
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from rectify_xl.adapters.files import (
    MAX_MEMBERS,
    MAX_UNPACKED_BYTES,
    path_kind,
    read_failure,
    suspicious_ratio,
)
from rectify_xl.adapters.pack_reader import is_pack, read_pack
from rectify_xl.errors import InputError

__all__ = ["PASSWORD_ENV", "Expansion", "Skipped", "Source", "expand_inputs", "password_from_env",
           "read_failure", "read_unit_list", "unit_list_text"]

PASSWORD_ENV = "RECTIFY_ATTACHMENT_PASSWORD"
LEDGER_SUFFIXES = (".xlsx", ".xlsm", ".xls")  # .xls: read, measured (adapters.xls_extent)
_CONTAINER_SUFFIXES = (".zip", ".eml")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# ≈ 29 MB of attachments (mail systems cap them lower); the email parser needs ≈ 8× a mail's
# size in memory and ≈ 2 s for 40 MB (benchmarks/hostile_fuzz.py)
MAX_MAIL_BYTES = 40_000_000
MAX_NESTING = 3  # a zip in a mail in a zip is the deepest a real round needs
# a round's unit list: a county has a few hundred units; a name is a line, not a page
MAX_UNIT_LIST_BYTES, MAX_UNITS, MAX_UNIT_NAME = 2_000_000, 20_000, 200
_OWNER_PREFIXES = ("~$", ".~lock")  # what files.lock_files looks for beside an open document
_UNSAFE_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
# what reading a damaged archive member raises besides BadZipFile and OSError: a corrupt deflate
# stream (zlib.error), a member cut off (EOFError), an unsupported method or a bad header
_DAMAGED = (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, zlib.error, EOFError,
            ValueError)


@dataclass(frozen=True, slots=True)
class Source:
    """A ledger file to read: ``path`` is on disk (the input itself or a private copy)."""

    name: str  # what the user sees: path as given, or 'round.zip/县委办.xlsx', 'x.eml/台账.xlsx'
    path: Path
    mtime: float
    # a 报送包's manifest check (issue 17): (member, problem) for each file changed or missing
    pack_problems: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Skipped:
    name: str
    reason: str  # one Chinese line


@dataclass
class Expansion:
    sources: list[Source] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    _tmp: Path | None = None
    _count: int = 0

    def private_copy(self, name: str, data: bytes) -> Path:
        if self._tmp is None:
            self._tmp = Path(tempfile.mkdtemp(prefix="rectify-merge-"))  # mode 0700
        self._count += 1
        safe = _UNSAFE_CHARS.sub("_", Path(name.replace("\\", "/")).name)[-80:] or "ledger.xlsx"
        path = self._tmp / f"{self._count:05d}_{safe}"
        path.write_bytes(data)
        return path

    def cleanup(self) -> None:
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None


@contextmanager
def expand_inputs(inputs: Sequence[Path], *, password: str | None = None,
                  exclude: Iterable[Path] = (),
                  names: Sequence[str] | None = None) -> Iterator[Expansion]:
    """All ledger files reachable from the inputs; private copies are removed on exit.

    ``names`` (one per input) are shown instead of the paths, e.g. the names of uploaded files
    that the server saved under generated names.
    """
    expansion = Expansion()
    excluded = {_resolved(p) for p in exclude}
    shown = list(names) if names is not None else [str(p) for p in inputs]
    if len(shown) != len(inputs):
        raise ValueError("names must give one name per input")
    try:
        for path, name in zip(inputs, shown, strict=True):
            _expand_path(expansion, Path(path), name, password, excluded)
        yield expansion
    finally:
        expansion.cleanup()


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path


def _is_noise(path: Path) -> bool:
    """Excel/WPS owner files (~$x.xlsx), LibreOffice locks and hidden files are not ledgers."""
    return path.name.startswith((*_OWNER_PREFIXES, "."))


def _expand_path(exp: Expansion, path: Path, name: str, password: str | None,
                 excluded: set[Path]) -> None:
    try:
        kind = path_kind(path)
    except InputError as exc:
        exp.skipped.append(Skipped(name, exc.message.rpartition("：")[2]))
        return
    if kind == "missing":
        exp.skipped.append(Skipped(name, "找不到该文件或文件夹"))
        return
    if kind == "other":  # a pipe or a device: reading it could wait for ever or never end
        exp.skipped.append(Skipped(name, "不是普通文件（是管道或设备）"))
        return
    if path.name.startswith(_OWNER_PREFIXES):  # owner files a shell glob (收件/*.xlsx) picks up
        return
    if kind == "dir":
        for child in _walk(exp, path, name):
            wanted = not _is_noise(child) and _wanted(child.name, in_folder=True)
            if wanted and _resolved(child) not in excluded:  # e.g. this run's own output
                _expand_path(exp, child, _shown(child, path, name), password, excluded)
        return
    suffix = path.suffix.lower()
    try:
        if suffix == ".zip":
            with zipfile.ZipFile(path) as z:
                _expand_zip(exp, z, name, password, depth=1)
        elif suffix == ".eml":
            _expand_mail(exp, _read_limited(path, MAX_MAIL_BYTES), name,
                         path.stat().st_mtime, password, depth=1)
        else:
            _add_file(exp, path, name, password)
    except zipfile.BadZipFile:
        exp.skipped.append(Skipped(name, "压缩包已损坏，无法打开"))
    except OSError as exc:
        exp.skipped.append(Skipped(name, read_failure(exc)))
    except InputError as exc:
        exp.skipped.append(Skipped(name, exc.message))
    except _DAMAGED:
        exp.skipped.append(Skipped(name, "压缩包或邮件已损坏，无法读取"))


def _walk(exp: Expansion, folder: Path, name: str) -> list[Path]:
    """The files under a folder, sorted; a subfolder that cannot be opened is reported, not
    silently left out (Path.rglob skips it without a word)."""
    files: list[Path] = []

    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else folder
        shown = _shown(where, folder, name) if where != folder else name
        exp.skipped.append(Skipped(shown, "文件夹无法打开：" + read_failure(exc)))

    for top, dirs, names in os.walk(folder, onerror=unreadable):
        dirs.sort()
        files += [Path(top) / n for n in names if (Path(top) / n).is_file()]
    return sorted(files)


def _shown(child: Path, folder: Path, folder_name: str) -> str:
    """A file found in a folder is shown relative to the folder as the user gave it."""
    return str(Path(folder_name) / child.relative_to(folder))


def _wanted(filename: str, *, in_folder: bool) -> bool:
    """In folders only ledgers (.xlsx/.xlsm/.xls), archives and mails count."""
    suffix = Path(filename).suffix.lower()
    return suffix in (*LEDGER_SUFFIXES, *_CONTAINER_SUFFIXES) or not in_folder


def _read_limited(path: Path, limit: int) -> bytes:
    with path.open("rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"文件过大（超过 {limit // 1_000_000} MB），已跳过")
    return data


def _add_file(exp: Expansion, path: Path, name: str, password: str | None) -> None:
    with path.open("rb") as f:
        head = f.read(8)
    if head == _OLE_MAGIC:
        data = _read_limited(path, MAX_MAIL_BYTES)
        if _ole_kind(data, name) != "xls":  # encrypted: a decrypted private copy
            _add_bytes(exp, data, name, path.stat().st_mtime, password)
            return
    exp.sources.append(Source(name, path, path.stat().st_mtime))


def _add_bytes(exp: Expansion, data: bytes, name: str, mtime: float, password: str | None,
               pack_problems: tuple[tuple[str, str], ...] = ()) -> None:
    """A ledger held in memory (zip member, attachment): decrypt if needed, then a private copy."""
    if data[:8] == _OLE_MAGIC and _ole_kind(data, name) != "xls":
        decrypted = _decrypt(data, name, password, exp)
        if decrypted is None:
            return
        data = decrypted
    exp.sources.append(Source(name, exp.private_copy(name, data), mtime, pack_problems))


def _ole_kind(data: bytes, name: str) -> str:
    """"xls" (an old workbook, read as it is), "encrypted" (an encrypted .xlsx or .xls: decrypted
    first) or "other"; the container is checked with bounds before msoffcrypto sees it."""
    from rectify_xl.adapters.xls_extent import ole_kind

    return ole_kind(data, Path(name).name)


def _decrypt(data: bytes, name: str, password: str | None, exp: Expansion) -> bytes | None:
    import msoffcrypto  # lazy: only encrypted inputs need it

    try:
        office = msoffcrypto.OfficeFile(io.BytesIO(data))
        encrypted = office.is_encrypted()
    except Exception:
        exp.skipped.append(Skipped(name, "不是有效的 Excel 工作簿（旧版或已损坏的 Office 文件）"))
        return None
    if not encrypted:
        exp.skipped.append(Skipped(name, "不是 Excel 工作簿（可能是其他 Office 文件改了扩展名）"))
        return None
    if not password:
        exp.skipped.append(Skipped(
            name, f"文件已加密：设置环境变量 {PASSWORD_ENV} 为附件密码后可自动解密"))
        return None
    out = io.BytesIO()
    try:
        office.load_key(password=password)
        office.decrypt(out)
    except Exception:  # msoffcrypto raises InvalidKeyError and others for a wrong password
        exp.skipped.append(Skipped(name, "文件已加密，但密码不正确，无法解密"))
        return None
    return out.getvalue()


def _member_name(info: zipfile.ZipInfo) -> str:
    """Zip tools on Chinese Windows store GBK names without the UTF-8 flag (Python reads cp437)."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _zip_mtime(info: zipfile.ZipInfo) -> float:
    from datetime import datetime

    try:
        return datetime(*info.date_time).timestamp()
    except ValueError:
        return 0.0


def _expand_zip(exp: Expansion, z: zipfile.ZipFile, name: str, password: str | None,
                depth: int) -> None:
    infos = [i for i in z.infolist() if not i.is_dir()]
    if len(infos) > MAX_MEMBERS:
        raise InputError(f"压缩包中的文件过多（{len(infos)}个），已拒绝处理")
    if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        raise InputError("压缩包解压后过大，疑似压缩炸弹，已拒绝处理")
    names = {_member_name(i): i for i in infos}
    if is_pack(names):
        _expand_pack(exp, z, names, name, password)
        return
    for info in infos:
        member = _member_name(info)
        display = f"{name}/{member}"
        if _is_noise(Path(member)) or not _wanted(member, in_folder=True):
            continue
        if info.flag_bits & 0x1:
            exp.skipped.append(Skipped(display, "压缩包内文件设有密码，无法读取"))
            continue
        if suspicious_ratio(info):
            exp.skipped.append(Skipped(display, "压缩比异常，疑似压缩炸弹，已跳过"))
            continue
        try:
            with z.open(info) as f:
                data = f.read(info.file_size + 1)  # a lying size header cannot make us read more
        except _DAMAGED:
            exp.skipped.append(Skipped(display, "压缩包内文件已损坏，无法读取"))
            continue
        if len(data) > info.file_size:
            exp.skipped.append(Skipped(display, "压缩包内文件大小与记录不符，已跳过"))
            continue
        _expand_bytes(exp, data, display, _zip_mtime(info), password, depth)


def _expand_pack(exp: Expansion, z: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo],
                 name: str, password: str | None) -> None:
    """A 报送包: only its ledger is read (evidence files may be workbooks too), after every member
    is checked against the manifest; the problems travel with the ledger to its unit's report."""
    if any(suspicious_ratio(i) or i.flag_bits & 0x1 for i in names.values()):
        exp.skipped.append(Skipped(name, "报送包中有加密或压缩比异常的文件，已跳过"))
        return
    ledger, problems = read_pack(z, names, max_bytes=MAX_UNPACKED_BYTES)
    found = tuple((p.path, p.problem) for p in problems)
    if ledger is None:
        detail = "；".join(f"{p}{q}" for p, q in found[:3])
        reason = "报送包中找不到清单所列的台账" + (f"（{detail}）" if detail else "")
        exp.skipped.append(Skipped(name, reason))
        return
    info = names[ledger]
    try:
        with z.open(info) as f:
            data = f.read(info.file_size + 1)
    except _DAMAGED:
        exp.skipped.append(Skipped(f"{name}/{ledger}", "报送包中的台账已损坏，无法读取"))
        return
    _add_bytes(exp, data, f"{name}/{ledger}", _zip_mtime(info), password, found)


def _expand_bytes(exp: Expansion, data: bytes, name: str, mtime: float, password: str | None,
                  depth: int) -> None:
    suffix = Path(name).suffix.lower()
    if suffix in _CONTAINER_SUFFIXES and depth >= MAX_NESTING:
        exp.skipped.append(Skipped(name, "嵌套层数过多，已跳过"))
        return
    try:
        if suffix == ".zip":
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                _expand_zip(exp, z, name, password, depth + 1)
        elif suffix == ".eml":
            if len(data) > MAX_MAIL_BYTES:
                raise InputError(f"邮件过大（超过 {MAX_MAIL_BYTES // 1_000_000} MB），已跳过")
            _expand_mail(exp, data, name, mtime, password, depth + 1)
        else:
            _add_bytes(exp, data, name, mtime, password)
    except zipfile.BadZipFile:
        exp.skipped.append(Skipped(name, "压缩包已损坏，无法打开"))
    except InputError as exc:
        exp.skipped.append(Skipped(name, exc.message))
    except _DAMAGED:
        exp.skipped.append(Skipped(name, "压缩包或邮件已损坏，无法读取"))


_NAME_RE = re.compile(r'(?:file)?name\*?\s*=\s*"?([^";\r\n]+)"?', re.IGNORECASE)


def _raw_filename(part: EmailMessage) -> str | None:
    """Servers that send raw 8-bit (often GBK) names: the parser keeps them as surrogates."""
    for key, value in part.raw_items():
        if key.lower() not in ("content-disposition", "content-type"):
            continue
        m = _NAME_RE.search(str(value))
        if not m:
            continue
        raw = m.group(1).encode("ascii", "surrogateescape")
        for encoding in ("utf-8", "gb18030"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
    return None


def _attachment_name(part: EmailMessage, index: int) -> str | None:
    try:
        name = part.get_filename()
    except Exception:  # a malformed RFC 2231 parameter
        name = None
    if not name or "\ufffd" in name or any("\udc80" <= ch <= "\udcff" for ch in name):
        name = _raw_filename(part) or name
    if name:
        return name.strip()
    if part.get_content_type() in _XLSX_TYPES:
        return f"附件{index}.xlsx"
    if part.get_content_type() == "application/vnd.ms-excel":
        return f"附件{index}.xls"
    return None


_XLSX_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-excel.sheet.macroenabled.12",
}


def _mail_mtime(msg: EmailMessage, fallback: float) -> float:
    try:
        when = email.utils.parsedate_to_datetime(str(msg["Date"]))
    except (TypeError, ValueError, IndexError):
        return fallback
    return when.timestamp() if when else fallback


def _expand_mail(exp: Expansion, data: bytes, name: str, mtime: float, password: str | None,
                 depth: int) -> None:
    msg = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    when = _mail_mtime(msg, mtime)
    found = 0
    for index, part in enumerate(msg.walk(), start=1):
        if part.is_multipart():
            continue
        filename = _attachment_name(part, index)  # type: ignore[arg-type]
        if not filename or not _wanted(filename, in_folder=True):
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        found += 1
        _expand_bytes(exp, payload, f"{name}/{filename}", when, password, depth)
    if not found:
        exp.skipped.append(Skipped(name, "邮件中没有台账附件（.xlsx/.xlsm/.xls/.zip）"))


def read_unit_list(path: Path) -> list[str]:
    """The units expected this round: a workbook (column 单位/被巡察单位, else the first) or text."""
    if path_kind(path, "单位名单") == "missing":
        raise InputError(f"找不到单位名单：{path}")
    from rectify_xl.core.parse import normalize_header
    from rectify_xl.core.schema import INFO_BY_KEY, MERGE_UNIT

    labels = {MERGE_UNIT, INFO_BY_KEY["unit"].label, "单位名称"}
    if path.suffix.lower() in (".txt", ".csv"):
        names = [line.split(",")[0].strip() for line in unit_list_text(path).splitlines()
                 if line.strip()]
        names = names[1:] if names and normalize_header(names[0]) in labels else names
    else:
        names = _workbook_units(path, labels)
    long = next((n for n in names if len(n) > MAX_UNIT_NAME), None)
    if len(names) > MAX_UNITS or long is not None:
        raise InputError(f"单位名单“{path.name}”"
                         + (f"有 {len(names):,} 个单位（上限 {MAX_UNITS:,} 个）" if long is None else
                            f"中有长达 {len(long):,} 字的单位名称（“{long[:20]}…”）")
                         + "，不像是单位名单：请每行只写一个单位名称")
    return names


def unit_list_text(path: Path) -> str:
    """A unit list written as text (.txt/.csv), bounded in size, in any common encoding."""
    from rectify_xl.adapters.text_input import decode_text

    try:
        data = _read_limited(path, MAX_UNIT_LIST_BYTES)
    except InputError as exc:
        raise InputError(f"单位名单“{path.name}”过大（超过 {MAX_UNIT_LIST_BYTES // 1_000_000} MB），"
                         "不像是单位名单") from exc
    except OSError as exc:
        raise InputError(f"无法读取单位名单“{path.name}”：{read_failure(exc)}") from exc
    return decode_text(data, path.name)[0]


def _workbook_units(path: Path, labels: set[str]) -> list[str]:
    from rectify_xl.adapters.xlsx_reader import read_grids
    from rectify_xl.core.parse import cell_text, normalize_header

    grids = read_grids(path)
    rows = next(iter(grids.values())).rows if grids else []
    col, start = 0, 0
    for r, row in enumerate(rows[:5]):
        hit = next((c for c, v in enumerate(row) if normalize_header(v) in labels), None)
        if hit is not None:
            col, start = hit, r + 1
            break
    names = [cell_text(row[col]) for row in rows[start:] if col < len(row)]
    return [n for n in names if n]


def password_from_env() -> str | None:
    """The attachment password, from the environment only (never a file or a workbook)."""
    return os.environ.get(PASSWORD_ENV) or None
