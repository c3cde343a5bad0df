"""The real extent of each sheet of an old .xls (BIFF8/BIFF5), measured before calamine reads it.

The .xls twin of adapters.xlsx_extent. python-calamine builds a dense rectangle up to the
farthest cell of a sheet, reserves room for what a sheet's DIMENSIONS record and the shared
string table (SST) claim, and follows the compound file's chains as written: one crafted record
can make it allocate gigabytes or loop for ever. So the file is measured first, in Python, with
every bound explicit: its size; the container (adapters.ole_container: no chain loops, no sector
outside the file); the Workbook stream's records (no record beyond the stream); FILEPASS (an
encrypted file: one clear message); the SST (strings claimed against the bytes that could hold
them, total characters); and for every sheet BOUNDSHEET points at, its DIMENSIONS and every cell
record — the cells present, not what DIMENSIONS says — under the same limits as an .xlsx
(MAX_GRID_CELLS, MAX_CELLS, the far cell named). Anything odd counts as present: the check may
refuse a strange file calamine could read, never the other way round.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rectify_xl.adapters.ole_container import OLE_MAGIC, open_container
from rectify_xl.adapters.xlsx_extent import (
    MAX_CELLS,
    SheetExtent,
    check_measured,
    column_letters,
    too_many_cells,
)
from rectify_xl.errors import InputError

__all__ = [
    "MAX_SST_CHARS",
    "MAX_XLS_BYTES",
    "OLE_MAGIC",
    "XLS_COLUMNS",
    "XLS_ROWS",
    "check_xls",
    "native_stderr_muted",
    "ole_kind",
    "xls_extents",
]

# An .xls holds at most 65,536 × 256 cells; a real ledger is a few MB. The whole file is held in
# memory while it is checked (and by calamine after), so its size is bounded first.
MAX_XLS_BYTES = 256_000_000
MAX_SST_CHARS = 64_000_000  # characters of all shared strings together
XLS_ROWS, XLS_COLUMNS = 65_536, 256

_BOF, _EOF, _FILEPASS, _BOUNDSHEET, _CODEPAGE = 0x0809, 0x000A, 0x002F, 0x0085, 0x0042
_SST, _CONTINUE, _DIMENSIONS = 0x00FC, 0x003C, 0x0200
_OLD_BOFS = (0x0009, 0x0209, 0x0409)  # BIFF2–4: worksheets of Excel 2.x–4.0, not read
_MULRK = 0x00BD
# cell records with (row, column) first: LABELSST, LABEL, NUMBER, RK, FORMULA, BOOLERR, RSTRING,
# and the BIFF2–4 forms some writers still emit (INTEGER, NUMBER, LABEL, BOOLERR, FORMULA).
# BLANK and MULBLANK are formatting only, like <c r="B2" s="1"/> in an .xlsx: calamine gives them
# no cell (a formatted blank in IV65536 costs nothing, a number there a gigabyte), so they do not
# count — LibreOffice writes them wherever a cell has borders.
_CELLS = frozenset({0x00FD, 0x0204, 0x0203, 0x027E, 0x0006, 0x0205, 0x00D6,
                    0x0002, 0x0003, 0x0004, 0x0005, 0x0406})
_ENCRYPTED = "“{}”设有打开密码（已加密），无法读取：请在 Excel 或 WPS 中取消密码保护后另存，再试"


class _Encrypted(InputError):
    """FILEPASS: the workbook has an open password."""


def _broken(label: str, why: str) -> InputError:
    return InputError(f"“{label}”已损坏（{why}），无法读取：请在 Excel 或 WPS 中打开后另存一份再试")


@dataclass
class _Globals:
    version: int = 0x0600
    codepage: int = 1200
    sheets: list[tuple[str, int]] = field(default_factory=list)  # (name, BOF offset)
    sst: list[bytes] = field(default_factory=list)  # the SST record and its CONTINUEs


def _records(stream: bytes, pos: int, label: str) -> tuple[int, int, int]:
    """(id, body start, body length) of the record at ``pos``; refused when cut off."""
    if pos + 4 > len(stream):
        raise _broken(label, "工作簿数据被截断")
    rid, size = struct.unpack_from("<HH", stream, pos)
    if pos + 4 + size > len(stream):
        raise _broken(label, "工作簿数据被截断")
    return rid, pos + 4, size


def _sheet_name(body: bytes, g: _Globals) -> str:
    cch = body[6] if len(body) > 6 else 0
    if g.version >= 0x0600:
        wide = len(body) > 7 and body[7] & 1
        raw = body[8:8 + cch * (2 if wide else 1)]
        return raw.decode("utf-16-le" if wide else "latin-1", "replace")
    codec = "gbk" if g.codepage in (936, 1200) else f"cp{g.codepage}"
    try:
        return body[7:7 + cch].decode(codec, "replace")
    except LookupError:
        return body[7:7 + cch].decode("latin-1", "replace")


def _read_globals(stream: bytes, label: str) -> _Globals:
    g = _Globals()
    rid, start, size = _records(stream, 0, label)
    if rid in _OLD_BOFS:
        raise InputError(f"“{label}”是 Excel 4.0 或更早的格式，无法读取："
                         "请在 Excel 或 WPS 中另存为 .xlsx 后再试")
    if rid != _BOF or size < 4:
        raise _broken(label, "缺少工作簿开头记录")
    g.version = struct.unpack_from("<H", stream, start)[0]
    pos, in_sst = start + size, False
    while pos < len(stream):
        rid, start, size = _records(stream, pos, label)
        body = stream[start:start + size]
        pos = start + size
        if rid == _EOF:
            break
        if rid == _FILEPASS:
            raise _Encrypted(_ENCRYPTED.format(label))
        if rid == _CODEPAGE and size >= 2:
            g.codepage = struct.unpack_from("<H", body)[0]
        elif rid == _BOUNDSHEET:
            if size < 6:
                raise _broken(label, "工作表目录记录异常")
            g.sheets.append((_sheet_name(body, g), struct.unpack_from("<I", body)[0]))
        if rid == _SST:
            g.sst, in_sst = [body], True
        elif rid == _CONTINUE and in_sst:
            g.sst.append(body)
        else:
            in_sst = False
    return g


class _Cursor:
    """Reads the SST across its CONTINUE records."""

    def __init__(self, parts: list[bytes]) -> None:
        self.parts, self.i, self.off = parts, 0, 0

    def at_end(self) -> bool:
        while self.i < len(self.parts) and self.off >= len(self.parts[self.i]):
            self.i, self.off = self.i + 1, 0
        return self.i >= len(self.parts)

    def take(self, n: int) -> bytes:
        out = b""
        while len(out) < n:
            if self.at_end():
                raise EOFError
            part = self.parts[self.i]
            piece = part[self.off:self.off + n - len(out)]
            out += piece
            self.off += len(piece)
        return out

    def skip(self, n: int) -> None:
        while n > 0:
            if self.at_end():
                raise EOFError
            step = min(n, len(self.parts[self.i]) - self.off)
            self.off += step
            n -= step

    def chars(self, count: int, wide: bool) -> None:
        """Skip ``count`` characters; a CONTINUE met inside restarts with its own flags byte."""
        while count > 0:
            if self.at_end():
                raise EOFError
            width = 2 if wide else 1
            fit = min(count, (len(self.parts[self.i]) - self.off) // width)
            self.off += fit * width
            count -= fit
            if count > 0:
                self.i, self.off = self.i + 1, 0
                if self.i >= len(self.parts) or not self.parts[self.i]:
                    raise EOFError
                wide = bool(self.parts[self.i][0] & 1)
                self.off = 1


def _check_sst(g: _Globals, label: str) -> None:
    """The string count claimed against the bytes that could hold it (each string takes at
    least three), then the characters of the strings present, bounded."""
    if not g.sst:
        return
    if len(g.sst[0]) < 8:
        raise _broken(label, "共享字符串表异常")
    claimed = struct.unpack_from("<I", g.sst[0], 4)[0]
    room = (sum(map(len, g.sst)) - 8) // 3
    if claimed > room or claimed > MAX_CELLS:
        raise InputError(f"“{label}”的共享字符串表声称有 {claimed:,} 个字符串，而文件中只容得下 "
                         f"{max(room, 0):,} 个：文件已损坏或被篡改，已拒绝打开")
    cur = _Cursor([g.sst[0][8:], *g.sst[1:]])
    total = 0
    try:
        for _ in range(claimed):
            cch, flags = struct.unpack("<HB", cur.take(3))
            runs = struct.unpack("<H", cur.take(2))[0] if flags & 0x08 else 0
            ext = struct.unpack("<I", cur.take(4))[0] if flags & 0x04 else 0
            cur.chars(cch, bool(flags & 0x01))
            cur.skip(4 * runs + ext)
            total += cch
            if total > MAX_SST_CHARS:
                raise InputError(f"“{label}”中的文字过多（共享字符串超过 {MAX_SST_CHARS:,} 个字符），"
                                 "不像是整改台账，已拒绝打开")
    except (EOFError, struct.error):
        raise _broken(label, "共享字符串表被截断") from None


def _scan_sheet(stream: bytes, name: str, offset: int, label: str) -> SheetExtent:
    if offset + 4 > len(stream) or _records(stream, offset, label)[0] != _BOF:
        raise _broken(label, f"工作表“{name}”的位置异常")
    pos, depth = offset, 0
    max_row = max_col = -1
    cells = 0
    far_row_cell = far_col_cell = ""
    far_row_col = 0
    unpack = struct.unpack_from
    while pos < len(stream):
        rid, start, size = _records(stream, pos, label)
        pos = start + size
        if rid == _BOF:
            depth += 1  # a chart embedded in the sheet is a substream of its own
            continue
        if rid == _EOF:
            depth -= 1
            if depth == 0:
                break
            continue
        if rid in _CELLS:
            if size < 4:
                raise _broken(label, f"工作表“{name}”中有异常的单元格记录")
            row, col = unpack("<HH", stream, start)
            last, n = col, 1
        elif rid == _MULRK:
            if size < 6:
                raise _broken(label, f"工作表“{name}”中有异常的单元格记录")
            row, col = unpack("<HH", stream, start)
            n = (size - 6) // 6
            last = max(unpack("<H", stream, start + size - 2)[0], col + n - 1)
        elif rid == _DIMENSIONS:
            _check_dimensions(stream[start:start + size], name, label)
            continue
        else:
            continue
        cells += n
        if row > max_row:
            max_row, far_row_col = row, last
            far_row_cell = f"{column_letters(last + 1)}{row + 1}"
        if last > max_col:
            max_col, far_col_cell = last, f"{column_letters(last + 1)}{row + 1}"
        if cells > MAX_CELLS:
            raise too_many_cells(name)
    far = (far_row_cell, far_col_cell) if max_col > far_row_col else (far_row_cell,)
    return SheetExtent(name, max_row + 1, max_col + 1, cells, far if cells else ())


def _check_dimensions(body: bytes, name: str, label: str) -> None:
    """calamine sizes its cell list from DIMENSIONS: a rectangle no .xls can hold (or one whose end
    is before its start) aborts it, so it is refused; any rectangle within 65,536 × 256 is fine
    (measured: DIMENSIONS claiming the whole sheet costs nothing, the cells decide)."""
    if len(body) >= 14:
        first_row, end_row, first_col, end_col = struct.unpack_from("<IIHH", body)
    elif len(body) >= 8:
        first_row, end_row, first_col, end_col = struct.unpack_from("<HHHH", body)
    else:
        return
    if first_row > end_row or first_col > end_col or end_row > XLS_ROWS or end_col > XLS_COLUMNS:
        raise InputError(f"“{label}”的工作表“{name}”声明的范围异常（{end_row:,} 行 × {end_col:,} 列），"
                         "文件已损坏或被篡改，已拒绝打开")


def xls_extents(data: bytes, label: str) -> list[SheetExtent]:
    """Every sheet's extent, after the container, the records and the SST are checked."""
    container = open_container(data, label)
    entry = container.find("Workbook", "Book")  # calamine's order
    if entry is None:
        if container.find("EncryptedPackage") is not None:
            raise InputError(f"“{label}”已加密，无法读取：请先在 Excel 或 WPS 中取消密码保护后另存，再试")
        raise InputError(f"“{label}”不是 Excel 工作簿（可能是 Word 等其他 Office 文件改了扩展名）")
    container.check_streams()
    stream = container.read(entry)
    g = _read_globals(stream, label)
    _check_sst(g, label)
    measured: dict[int, SheetExtent] = {}
    extents = []
    for name, offset in g.sheets:
        if offset not in measured:
            measured[offset] = _scan_sheet(stream, name, offset, label)
        e = measured[offset]  # two BOUNDSHEETs at one offset are two dense reads: both count
        extents.append(SheetExtent(name, e.rows, e.columns, e.cells, e.far_cells))
    return extents


def ole_kind(data: bytes, label: str) -> str:
    """What a compound file holds: "xls" (a workbook to read), "encrypted" (an encrypted .xlsx,
    or an .xls with FILEPASS: for a decrypter), else "other"; InputError if it is damaged."""
    try:
        container = open_container(data, label)
        if container.find("EncryptedPackage") is not None:
            return "encrypted"
        entry = container.find("Workbook", "Book")
        if entry is None:
            return "other"
        _read_globals(container.read(entry), label)
    except _Encrypted:
        return "encrypted"
    except (struct.error, IndexError, ValueError, OverflowError, EOFError) as exc:
        raise _broken(label, "结构异常") from exc
    return "xls"


def read_limited(path: Path) -> bytes:
    """The whole file, refused beyond MAX_XLS_BYTES (read one byte further to know)."""
    from rectify_xl.adapters.files import os_reason

    try:
        with path.open("rb") as f:
            data = f.read(MAX_XLS_BYTES + 1)
    except OSError as exc:
        raise InputError(f"无法读取“{path.name}”：{os_reason(exc)}") from exc
    if len(data) > MAX_XLS_BYTES:
        raise InputError(f"“{path.name}”过大（超过 {MAX_XLS_BYTES // 1_000_000} MB），"
                         "不像是整改台账，已拒绝打开")
    return data


def check_xls(path: Path) -> None:
    """Refuse, in one Chinese line, an .xls calamine cannot read within bounds."""
    try:
        extents = xls_extents(read_limited(path), path.name)
    except InputError:
        raise
    except (struct.error, IndexError, ValueError, OverflowError, EOFError) as exc:
        raise _broken(path.name, "结构异常") from exc
    check_measured(path, extents)


@contextmanager
def native_stderr_muted() -> Iterator[None]:
    """File descriptor 2 to the null device while calamine parses an .xls: a damaged formula makes
    it panic (pyo3 turns that into PanicException, caught by the reader), but Rust's panic hook
    first prints the panic and a backtrace note on stderr — not the one Chinese line promised.
    (Found by flipping bytes of a real .xls; the structure checks above catch the rest first.)"""
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, 2)
        finally:
            os.close(null)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
