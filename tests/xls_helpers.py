"""Real .xls files for tests: converted by LibreOffice, then edited record by record.

``to_xls(xlsx, folder)`` converts with ``soffice --headless --convert-to xls`` (the MS Excel 97
filter: BIFF8 in an OLE2 compound file, as Excel and WPS write it). ``records(data)`` reads the
Workbook stream of an .xls into (id, body) records; ``build_xls(records)`` writes them back into a
fresh compound file, the BOUNDSHEET offsets recomputed, so a test can plant one crafted record
(a far cell, a lying SST, FILEPASS) in an otherwise real file. ``compound_file(stream)`` is the
minimal OLE2 writer behind it (version 3, 512-byte sectors), also used to craft broken containers.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

__all__ = ["BOF", "BOUNDSHEET", "EOF", "HOSTILE", "Record", "build_xls", "compound_file",
           "records", "sheet_range", "to_xls", "workbook_stream"]

Record = tuple[int, bytes]
BOF, EOF, BOUNDSHEET = 0x0809, 0x000A, 0x0085
_END, _FREE, _FATSECT = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD


def to_xls(xlsx: list[Path], folder: Path, timeout: float = 240) -> list[Path]:
    """Each file converted by LibreOffice into ``folder`` in one run (soffice starts slowly);
    its own profile, so parallel test workers never share one."""
    profile = Path(tempfile.mkdtemp(prefix="rx-lo-xls-"))
    try:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", "xls", "--outdir", str(folder), *map(str, xlsx)],
                       check=True, capture_output=True, timeout=timeout)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    out = [folder / (p.stem + ".xls") for p in xlsx]
    for p in out:
        assert p.is_file(), f"LibreOffice did not write {p}"
    return out


def workbook_stream(data: bytes) -> bytes:
    from rectify_xl.adapters.ole_container import open_container

    c = open_container(data, "test.xls")
    entry = c.find("Workbook")
    assert entry is not None
    return c.read(entry)


def records(data: bytes) -> list[Record]:
    """The Workbook stream's records, in order (the stream's padding after the end dropped)."""
    stream = workbook_stream(data)
    out: list[Record] = []
    pos = 0
    while pos + 4 <= len(stream):
        rid, size = struct.unpack_from("<HH", stream, pos)
        if rid == 0 and size == 0:
            break
        out.append((rid, stream[pos + 4:pos + 4 + size]))
        pos += 4 + size
    return out


def sheet_range(recs: list[Record], n: int) -> tuple[int, int]:
    """Indexes of the n-th sheet's BOF and EOF records (sheets follow the globals in order)."""
    bofs = [i for i, (rid, _) in enumerate(recs) if rid == BOF]
    start = bofs[n + 1]
    end = next(i for i in range(start, len(recs)) if recs[i][0] == EOF)
    return start, end


def build_xls(recs: list[Record]) -> bytes:
    """The records as a Workbook stream in a compound file; BOUNDSHEET offsets point at the
    sheets' BOFs in order (the layout LibreOffice and Excel write)."""
    def serial(rs: list[Record]) -> bytes:
        return b"".join(struct.pack("<HH", rid, len(body)) + body for rid, body in rs)

    bofs = [i for i, (rid, _) in enumerate(recs) if rid == BOF][1:]
    recs = list(recs)
    for _ in range(2):  # offsets do not change the lengths: the second pass is exact
        offsets = [len(serial(recs[:i])) for i in bofs]
        k = 0
        for i, (rid, body) in enumerate(recs):
            if rid == BOUNDSHEET and k < len(offsets):
                recs[i] = (rid, struct.pack("<I", offsets[k]) + body[4:])
                k += 1
    stream = serial(recs)
    return compound_file(stream + b"\0" * max(0, 4096 - len(stream)))


def compound_file(stream: bytes, name: str = "Workbook", *, fat_patch: dict[int, int] | None = None,
                  size: int | None = None) -> bytes:
    """A version-3 compound file holding one stream (at least 4096 bytes: no mini stream).
    ``fat_patch`` overwrites FAT entries (a loop), ``size`` the stream size the directory claims."""
    sec = 512
    n_stream = -(-len(stream) // sec)
    n_dir = 1
    n_fat = 1
    while (n_stream + n_dir + n_fat) > n_fat * (sec // 4):
        n_fat += 1
    fat = [_FREE] * (n_fat * sec // 4)
    for i in range(n_stream):
        fat[i] = i + 1 if i + 1 < n_stream else _END
    dir_sector = n_stream
    fat[dir_sector] = _END
    fat_sectors = list(range(n_stream + 1, n_stream + 1 + n_fat))
    for s in fat_sectors:
        fat[s] = _FATSECT
    for k, v in (fat_patch or {}).items():
        fat[k] = v
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", header, 44, n_fat, dir_sector, 0, 4096, _END, 0, _END, 0)
    difat = fat_sectors + [_FREE] * (109 - n_fat)
    struct.pack_into("<109I", header, 76, *difat)

    def entry(entry_name: str, kind: int, start: int, length: int, child: int) -> bytes:
        e = bytearray(128)
        raw = (entry_name + "\0").encode("utf-16-le")
        e[:len(raw)] = raw
        struct.pack_into("<HBB", e, 64, len(raw), kind, 1)
        struct.pack_into("<III", e, 68, _FREE, _FREE, child)
        struct.pack_into("<III", e, 116, start, length, 0)
        return bytes(e)

    directory = (entry("Root Entry", 5, _END, 0, 1)
                 + entry(name, 2, 0, len(stream) if size is None else size, _FREE)
                 + bytes(256))
    body = stream + b"\0" * (n_stream * sec - len(stream)) + directory
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    return bytes(header) + body + fat_bytes


# --- hostile .xls: one crafted record in a real file, or a broken container (tests and
# benchmarks/hostile_reading.py); each maps to words its one-line refusal must contain

def _with_cell_far_away(recs: list[Record]) -> bytes:
    """A NUMBER at IV65536 in the ledger sheet, DIMENSIONS left tiny: calamine would build a
    65,536 × 256 grid (a gigabyte) for it."""
    _, end = sheet_range(recs, 0)
    return build_xls([*recs[:end], (0x0203, struct.pack("<HHHd", 65535, 255, 0, 1.0)), *recs[end:]])


def _with_mulrk_far_away(recs: list[Record]) -> bytes:
    _, end = sheet_range(recs, 0)
    rk = struct.pack("<HI", 0, 0x3FF00000)  # xf, RK 1.0
    body = struct.pack("<HH", 65000, 250) + rk * 3 + struct.pack("<H", 252)
    return build_xls([*recs[:end], (0x00BD, body), *recs[end:]])


def _with_lying_sst(recs: list[Record]) -> bytes:
    i = next(i for i, (rid, _) in enumerate(recs) if rid == 0x00FC)
    body = recs[i][1]
    out = list(recs)
    out[i] = (0x00FC, body[:4] + struct.pack("<I", 2**31) + body[8:])
    return build_xls(out)


def _with_absurd_dimensions(recs: list[Record]) -> bytes:
    start, end = sheet_range(recs, 0)
    i = next(i for i in range(start, end) if recs[i][0] == 0x0200)
    out = list(recs)
    out[i] = (0x0200, struct.pack("<IIHHH", 0, 0xFFFFFFF0, 0, 0xFFF0, 0))
    return build_xls(out)


def _with_filepass(recs: list[Record]) -> bytes:
    # FILEPASS (RC4, as Excel writes it for an open password) right after the globals' BOF
    return build_xls([recs[0], (0x002F, struct.pack("<HHH", 1, 1, 1) + bytes(48)), *recs[1:]])


def _with_fat_loop(recs: list[Record]) -> bytes:
    stream = workbook_stream(build_xls(recs))
    return compound_file(stream, fat_patch={3: 1})  # sector 3 points back to sector 1


def _truncated(recs: list[Record]) -> bytes:
    data = build_xls(recs)
    return data[:len(data) // 2]


def _stream_size_lie(recs: list[Record]) -> bytes:
    stream = workbook_stream(build_xls(recs))
    return compound_file(stream, size=0x7FFFFFF0)


def _cut_record(recs: list[Record]) -> bytes:
    stream = workbook_stream(build_xls(recs)).rstrip(b"\0")
    return compound_file(stream[:-3] + struct.pack("<HH", 0x0203, 5000) + b"\0" * 4096)


def _sheet_offset_outside(recs: list[Record]) -> bytes:
    data = build_xls(recs)
    stream = bytearray(workbook_stream(data))
    pos = 0
    while True:  # the first BOUNDSHEET's offset, 4 GB away
        rid, size = struct.unpack_from("<HH", stream, pos)
        if rid == 0x0085:
            struct.pack_into("<I", stream, pos + 4, 0xFFFFFF00)
            break
        pos += 4 + size
    return compound_file(bytes(stream))


def _formula_cut_short(recs: list[Record]) -> bytes:
    """A FORMULA whose token (ptgInt) lacks its two bytes: calamine panics while parsing it."""
    _, end = sheet_range(recs, 0)
    body = struct.pack("<HHHdHIH", 3, 2, 0, 1.0, 0, 0, 1) + b"\x1e"
    return build_xls([*recs[:end], (0x0006, body), *recs[end:]])


HOSTILE: dict[str, tuple[Callable[[list[Record]], bytes], str]] = {
    "far cell": (_with_cell_far_away, "IV65536"),
    "far MULRK": (_with_mulrk_far_away, "IS65001"),
    "SST claims 2^31 strings": (_with_lying_sst, "共享字符串表"),
    "absurd DIMENSIONS": (_with_absurd_dimensions, "范围异常"),
    "FILEPASS": (_with_filepass, "密码"),
    "FAT loop": (_with_fat_loop, "已损坏"),
    "truncated file": (_truncated, "已损坏"),
    "stream size lie": (_stream_size_lie, "已损坏"),
    "record cut off": (_cut_record, "已损坏"),
    "sheet offset outside": (_sheet_offset_outside, "已损坏"),
    "formula cut short (calamine panics)": (_formula_cut_short, "已损坏"),
}
