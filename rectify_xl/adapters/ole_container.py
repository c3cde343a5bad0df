"""A bounded reader of OLE2 compound files (the container of .xls, and of encrypted .xlsx).

python-calamine follows the container's sector chains as they are written: a chain that loops
never ends, a stream size of 4 GB is believed. So before calamine opens an old workbook, this
reader checks the container in Python with every bound explicit: the file size, every sector
number inside the file, every chain (FAT, directory, mini FAT, mini stream, each stream) free of
loops and long enough for the size it claims. Only the streams asked for are read. It is a small
reader of the published format ([MS-CFB]), not a general one: no writing, no property sets.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import NoReturn

from rectify_xl.errors import InputError

__all__ = ["OLE_MAGIC", "Container", "DirEntry", "open_container"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END, _FREE, _FAT_SECTOR, _DIFAT_SECTOR = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFC
_MAX_SPECIAL = 0xFFFFFFFA  # sector numbers above this are markers, not sectors
_STREAM, _ROOT = 2, 5
_DIR_ENTRY = 128


@dataclass(frozen=True, slots=True)
class DirEntry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    start: int
    size: int


class Container:
    """A checked compound file held in memory (the caller bounds its size)."""

    def __init__(self, data: bytes, label: str) -> None:
        self._data = data
        self._label = label
        if len(data) < 512 or data[:8] != OLE_MAGIC:
            self._broken("文件头不完整")
        (major, order, sector_shift, mini_shift) = struct.unpack_from("<HHHH", data, 26)
        if order != 0xFFFE or (major, sector_shift) not in ((3, 9), (4, 12)) or mini_shift != 6:
            self._broken("文件头异常")
        self._size = 1 << sector_shift
        (n_fat, first_dir, _, cutoff, first_minifat, n_minifat, first_difat, n_difat) = (
            struct.unpack_from("<IIIIIIII", data, 44))
        if cutoff != 4096:
            self._broken("文件头异常")
        self._cutoff = cutoff
        # sector i starts at (i + 1) * size: the header takes the first sector's room
        self._sectors = max(0, (len(data) - self._size + self._size - 1) // self._size)
        self._fat = self._read_fat(n_fat, first_difat, n_difat)
        self._chain_length: dict[int, int] = {}
        self.entries = self._read_directory(first_dir)
        self._minifat: list[int] = []
        self._mini_stream = b""
        root = next((e for e in self.entries if e.kind == _ROOT), None)
        if root is None:
            self._broken("缺少根目录")
        if n_minifat and first_minifat <= _MAX_SPECIAL:
            raw = self._read_chain(first_minifat, n_minifat * self._size)
            self._minifat = list(struct.unpack(f"<{len(raw) // 4}I", raw))
        if root.size:
            self._mini_stream = self._read_chain(root.start, root.size)

    def _broken(self, why: str) -> NoReturn:
        raise InputError(f"“{self._label}”已损坏（{why}），无法读取：请在 Excel 或 WPS 中打开后另存一份再试")

    def _sector(self, n: int) -> bytes:
        if n >= self._sectors:
            self._broken("扇区超出文件范围")
        start = (n + 1) * self._size
        return self._data[start:start + self._size]

    def _read_fat(self, n_fat: int, first_difat: int, n_difat: int) -> list[int]:
        if n_fat > self._sectors or n_difat > self._sectors:
            self._broken("分配表大小异常")
        ids = list(struct.unpack_from("<109I", self._data, 76))
        per = self._size // 4 - 1
        seen: set[int] = set()
        nxt = first_difat
        while nxt <= _MAX_SPECIAL and len(ids) < n_fat + 109:
            if nxt in seen or len(seen) >= n_difat:
                self._broken("分配表链循环")
            seen.add(nxt)
            block = struct.unpack(f"<{per + 1}I", self._sector(nxt))
            ids += block[:per]
            nxt = block[per]
        fat_ids = ids[:n_fat]
        if len(fat_ids) < n_fat or any(i > _MAX_SPECIAL for i in fat_ids) or len(set(fat_ids)) < n_fat:
            self._broken("分配表异常")
        raw = b"".join(self._sector(i) for i in fat_ids)
        return list(struct.unpack(f"<{len(raw) // 4}I", raw))

    def _chain(self, start: int, table: list[int], limit: int) -> list[int]:
        """The sectors of a chain, refused if it loops, leaves the table or exceeds ``limit``."""
        out: list[int] = []
        seen: set[int] = set()
        n = start
        while n != _END:
            if n > _MAX_SPECIAL or n >= len(table) or n in seen or len(out) >= limit:
                self._broken("扇区链异常")
            seen.add(n)
            out.append(n)
            n = table[n]
        return out

    def _read_chain(self, start: int, size: int) -> bytes:
        need = -(-size // self._size)
        if need > self._sectors:
            self._broken("数据流大小异常")
        chain = self._chain(start, self._fat, self._sectors)
        if len(chain) < need:
            self._broken("数据流被截断")
        data = b"".join(self._sector(n) for n in chain[:need])
        if len(data) < size:
            self._broken("数据流被截断")
        return data[:size]

    def _read_directory(self, first: int) -> list[DirEntry]:
        raw = b"".join(self._sector(n) for n in self._chain(first, self._fat, self._sectors))
        entries: list[DirEntry] = []
        for off in range(0, len(raw) - _DIR_ENTRY + 1, _DIR_ENTRY):
            name_len, kind = struct.unpack_from("<HB", raw, off + 64)
            if kind not in (1, _STREAM, _ROOT):
                continue  # unused slot
            start, low, high = struct.unpack_from("<III", raw, off + 116)
            size = low if self._size == 512 else low | high << 32  # v3 ignores the high half
            name = raw[off:off + min(name_len, 64)].decode("utf-16-le", "replace").rstrip("\0")
            entries.append(DirEntry(name, kind, start, size))
        return entries

    def find(self, *names: str) -> DirEntry | None:
        """The first stream with the first of these names that exists (calamine's order)."""
        for name in names:
            for e in self.entries:
                if e.kind == _STREAM and e.name == name:
                    return e
        return None

    def read(self, entry: DirEntry) -> bytes:
        """A stream's bytes, every sector checked; the caller has bounded the file size."""
        if entry.size > len(self._data):
            self._broken(f"数据流“{entry.name}”大小异常")
        if entry.size < self._cutoff:
            return self._read_mini(entry)
        return self._read_chain(entry.start, entry.size)

    def _read_mini(self, entry: DirEntry) -> bytes:
        if not entry.size:
            return b""
        chain = self._chain(entry.start, self._minifat, len(self._minifat))
        need = -(-entry.size // 64)
        if len(chain) < need:
            self._broken("数据流被截断")
        data = b"".join(self._mini_stream[n * 64:(n + 1) * 64] for n in chain[:need])
        if len(data) < entry.size:
            self._broken("数据流被截断")
        return data[:entry.size]

    def check_streams(self) -> None:
        """Every stream's chain is sound (calamine may read any of them, e.g. a VBA project).
        Each chain's length is resolved once, so many entries sharing a chain stay linear."""
        for e in self.entries:
            if e.kind != _STREAM or not e.size:
                continue
            if e.size > len(self._data):
                self._broken(f"数据流“{e.name}”大小异常")
            if e.size < self._cutoff:
                table, unit = self._minifat, 64
                if e.size > len(self._mini_stream):
                    self._broken("数据流被截断")
            else:
                table, unit = self._fat, self._size
            if self._length(e.start, table) < -(-e.size // unit):
                self._broken("数据流被截断")

    def _length(self, start: int, table: list[int]) -> int:
        """Sectors from ``start`` to the chain's end, memoised per table; a loop is refused."""
        memo = self._chain_length if table is self._fat else {}
        path: list[int] = []
        on_path: set[int] = set()
        n, tail = start, 0
        while n != _END:
            if n in memo:
                tail = memo[n]
                break
            if n > _MAX_SPECIAL or n >= len(table) or n in on_path:
                self._broken("扇区链异常")
            on_path.add(n)
            path.append(n)
            n = table[n]
        for i, sector in enumerate(reversed(path), start=1):
            memo[sector] = tail + i
        return tail + len(path)


def open_container(data: bytes, label: str) -> Container:
    """The checked container; InputError (one Chinese line naming ``label``) if it is damaged."""
    try:
        return Container(data, label)
    except (struct.error, IndexError, ValueError, OverflowError) as exc:
        raise InputError(f"“{label}”已损坏，无法读取：请在 Excel 或 WPS 中打开后另存一份再试") from exc
