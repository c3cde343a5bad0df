"""A deterministic mutation harness over real input files (issue: every file is hostile).

Seeds are fixed: the same cases, byte for byte, on every run. Each case is a function of a folder
returning the hostile file it wrote there (``Case.make``), and the commands that read that kind
of file (``COMMANDS``). ``cases(kind)`` lists them; ``tests/integration/test_fuzz_inputs.py`` runs
a bounded sample of them, ``benchmarks/hostile_fuzz.py`` the full sweep with time and peak memory.

Bases (all written by code): the sample ledger (.xlsx, .xlsm with buttons), the sample as an old
.xls (LibreOffice, when installed), a notice as .docx and .txt (the sample's own notice text), an
.eml with the ledger attached, a .zip of two ledgers.

Mutations: byte flips and truncation at many offsets of the file; the same on the XML inside the
package (re-zipped: the parsers see broken XML, not just a broken zip); zip tampering (sizes in
the headers that lie, duplicate names, a zip inside, an absurd ratio, zip64, names with ../, an
absolute path, control and RTL characters, the encryption flag, parts that are missing or point
at themselves or outside); XML attacks (entity expansion, external entities, deep nesting, huge
attributes, a sharedStrings claiming millions of strings, enormous style tables, a million empty
rows, a formula-only sheet); a huge or fragmented document.xml; mails with hundreds of
attachments, huge or broken base64, nested message/rfc822, odd charsets; text in GBK, UTF-16,
with NULs, one endless line; file names with spaces, Chinese, control characters, great length.
"""

from __future__ import annotations

import base64
import random
import re
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from functools import cache
from pathlib import Path

__all__ = ["COMMANDS", "Case", "base_file", "cases", "sample_cases"]

KINDS = ("xlsx", "xlsm", "xls", "docx", "txt", "eml", "zip")


@dataclass(frozen=True)
class Case:
    name: str  # stable id: kind/mutation/seed
    kind: str  # the base it was made from (KINDS)
    make: Callable[[Path], Path]


# --- the bases ---------------------------------------------------------------------------------

@cache
def _sample_bytes(suffix: str) -> bytes:
    import tempfile

    from rectify_xl.adapters.sample_data import sample_records
    from rectify_xl.adapters.workbook_builder import build_workbook

    with tempfile.TemporaryDirectory() as tmp:
        return build_workbook(Path(tmp) / f"样例{suffix}", sample_records()).read_bytes()


@cache
def _notice_text() -> str:
    from rectify_xl.adapters.sample_data import sample_ledger
    from rectify_xl.services.ledger import notice_text

    return notice_text(sample_ledger())


@cache
def _docx_bytes() -> bytes:
    import io

    from docx import Document

    doc = Document()
    for line in _notice_text().splitlines():
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@cache
def _xls_bytes() -> bytes | None:
    import shutil
    import tempfile

    if shutil.which("soffice") is None:
        return None
    from tests.xls_helpers import to_xls

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "样例.xlsx"
        src.write_bytes(_sample_bytes(".xlsx"))
        return to_xls([src], Path(tmp))[0].read_bytes()


def _mail(attachments: list[tuple[str, bytes]], *, subject: str = "县委办整改台账报送") -> bytes:
    msg = EmailMessage()
    msg["From"] = "office@example.gov.cn"
    msg["To"] = "xcb@example.gov.cn"
    msg["Subject"] = subject
    msg["Date"] = "Sun, 31 Oct 2021 10:00:00 +0800"
    msg.set_content("附件为本单位整改台账。")
    for name, data in attachments:
        msg.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return bytes(msg)


def _zip(members: list[tuple[str, bytes]], **kw: object) -> bytes:
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, **kw) as z:  # type: ignore[arg-type]
        for name, data in members:
            z.writestr(name, data)
    return out.getvalue()


def base_bytes(kind: str) -> bytes | None:
    """The unmutated file of a kind (None: .xls without LibreOffice)."""
    if kind in ("xlsx", "xlsm"):
        return _sample_bytes("." + kind)
    if kind == "xls":
        return _xls_bytes()
    if kind == "docx":
        return _docx_bytes()
    if kind == "txt":
        return _notice_text().encode("utf-8")
    if kind == "eml":
        return _mail([("县委办整改台账.xlsx", _sample_bytes(".xlsx"))])
    if kind == "zip":
        ledger = _sample_bytes(".xlsx")
        return _zip([("县委办.xlsx", ledger), ("县纪委/县纪委台账.xlsx", ledger)])
    raise ValueError(kind)


def base_file(kind: str, folder: Path, name: str | None = None) -> Path:
    data = base_bytes(kind)
    assert data is not None
    path = folder / (name or f"样例.{kind}")
    path.write_bytes(data)
    return path


# --- byte-level mutations ------------------------------------------------------------------------

def flipped(data: bytes, seed: int, flips: int = 8) -> bytes:
    rnd = random.Random(seed)
    out = bytearray(data)
    for _ in range(flips):
        i = rnd.randrange(len(out))
        out[i] = rnd.choice((0x00, 0xFF, out[i] ^ (1 << rnd.randrange(8)), ord("<"), ord('"')))
    return bytes(out)


def truncated(data: bytes, fraction: float) -> bytes:
    return data[:max(1, int(len(data) * fraction))]


# --- package-level mutations (xlsx, xlsm, docx, zip) --------------------------------------------

def _members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(i, z.read(i)) for i in z.infolist()]


def repacked(data: bytes, change: Callable[[str, bytes], bytes | None] | None = None,
             extra: list[tuple[str, bytes]] | None = None, *, zip64: bool = False,
             level: int | None = None) -> bytes:
    """The package re-zipped; ``change(name, bytes)`` rewrites a member (None drops it)."""
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for info, body in _members(data):
            new = change(info.filename, body) if change else body
            if new is None:
                continue
            with z.open(zipfile.ZipInfo(info.filename, info.date_time), "w",
                        force_zip64=zip64) as f:
                f.write(new)
        for name, body in extra or ():
            import warnings

            with warnings.catch_warnings():  # a duplicate name is the point of some cases
                warnings.simplefilter("ignore")
                z.writestr(name, body)
    return out.getvalue()


def _ledger_part(data: bytes) -> str:
    """The 整改清单 worksheet part of a package built by the project."""
    import io

    from rectify_xl.core.schema import SHEETS

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        wb = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{SHEETS.LEDGER}"[^>]*r:id="([^"]+)"', wb)
    assert rid
    target = re.search(rf'Id="{rid[1]}"[^>]*Target="([^"]+)"', rels) or \
        re.search(rf'Target="([^"]+)"[^>]*Id="{rid[1]}"', rels)
    assert target
    return "xl/" + target[1].lstrip("/").removeprefix("xl/")


def _main_part(data: bytes) -> str:
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = set(z.namelist())
    if "word/document.xml" in names:
        return "word/document.xml"
    return _ledger_part(data)


def xml_flipped(data: bytes, seed: int) -> bytes:
    """Bytes flipped inside one XML member chosen by the seed (the zip stays valid)."""
    rnd = random.Random(seed)
    names = [i.filename for i, _ in _members(data) if i.filename.endswith((".xml", ".rels"))]
    target = rnd.choice(names)
    return repacked(data, lambda n, b: flipped(b, seed, 4) if n == target else b)


def xml_truncated(data: bytes, seed: int) -> bytes:
    rnd = random.Random(seed)
    names = [i.filename for i, _ in _members(data) if i.filename.endswith((".xml", ".rels"))]
    target = rnd.choice(names)
    return repacked(data, lambda n, b: truncated(b, rnd.random()) if n == target else b)


def _patch_headers(data: bytes, patch: Callable[[bytearray, int, bool], None]) -> bytes:
    """Call patch(buffer, offset, central) for every local (PK\\3\\4) and central (PK\\1\\2) header."""
    buf = bytearray(data)
    for m in re.finditer(rb"PK\x03\x04", data):
        patch(buf, m.start(), False)
    for m in re.finditer(rb"PK\x01\x02", data):
        patch(buf, m.start(), True)
    return bytes(buf)


def sizes_lie(data: bytes, factor: float) -> bytes:
    """Every header claims an uncompressed size ``factor`` times the real one."""
    def patch(buf: bytearray, at: int, central: bool) -> None:
        pos = at + (24 if central else 22)
        (real,) = struct.unpack_from("<I", buf, pos)
        struct.pack_into("<I", buf, pos, min(0xFFFFFFFE, int(real * factor)))
    return _patch_headers(data, patch)


def encrypted_flag(data: bytes) -> bytes:
    def patch(buf: bytearray, at: int, central: bool) -> None:
        pos = at + (8 if central else 6)
        (flags,) = struct.unpack_from("<H", buf, pos)
        struct.pack_into("<H", buf, pos, flags | 1)
    return _patch_headers(data, patch)


def duplicate_member(data: bytes) -> bytes:
    part = _main_part(data)
    body = dict((i.filename, b) for i, b in _members(data))[part]
    return repacked(data, extra=[(part, body.replace(b"<", b"<!-- x --><", 3))])


def nested_zip(data: bytes) -> bytes:
    """The main part replaced by a zip holding it (a zip where XML is expected)."""
    part = _main_part(data)
    return repacked(data, lambda n, b: _zip([("inner.xml", b)]) if n == part else b)


def bomb_member(data: bytes, megabytes: int = 120) -> bytes:
    """An extra member of zeros: ratio ≈ 1000 (a few MB of work to build, ~100 KB on disk)."""
    import zlib

    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    zeros = bytes(1 << 20)
    raw = b"".join(compressor.compress(zeros) for _ in range(megabytes)) + compressor.flush()
    return _raw_member(data, "xl/media/zeros.bin", raw, megabytes << 20, 0)


def _raw_member(data: bytes, name: str, deflated: bytes, size: int, crc: int) -> bytes:
    """``data`` with one more member whose compressed bytes are given (no recompression)."""
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            z.writestr(info, src.read(info), compress_type=zipfile.ZIP_DEFLATED)
    buf = bytearray(out.getvalue())
    eocd = buf.rfind(b"PK\x05\x06")
    cd_size, cd_offset = struct.unpack_from("<II", buf, eocd + 12)
    count = struct.unpack_from("<H", buf, eocd + 10)[0]
    raw_name = name.encode()
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(deflated), size,
                        len(raw_name), 0) + raw_name + deflated
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc,
                          len(deflated), size, len(raw_name), 0, 0, 0, 0, 0, cd_offset) + raw_name
    body = bytes(buf[:cd_offset]) + local
    cd = bytes(buf[cd_offset:cd_offset + cd_size]) + central
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count + 1, count + 1, len(cd), len(body), 0)
    return body + cd + end


def renamed_members(data: bytes, prefix: str) -> bytes:
    """Every member renamed with a hostile prefix (../, /abs, control or RTL characters)."""
    return repacked_names(data, lambda n: prefix + n)


def repacked_names(data: bytes, rename: Callable[[str], str]) -> bytes:
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info, body in _members(data):
            z.writestr(rename(info.filename), body)
    return out.getvalue()


def _replace(data: bytes, part: str, new: Callable[[bytes], bytes]) -> bytes:
    return repacked(data, lambda n, b: new(b) if n == part else b)


def dropped(data: bytes, part: str) -> bytes:
    return repacked(data, lambda n, b: None if n == part else b)


# --- XML attacks (inside xlsx/docx) -------------------------------------------------------------

LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                    for i in range(1, 10))
          + "]>")
EXTERNAL = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def with_doctype(xml: bytes, doctype: str, entity: str) -> bytes:
    """``xml`` with a DOCTYPE and its first text replaced by an entity reference."""
    body = re.sub(rb"^<\?xml[^>]*\?>", b"", xml.lstrip())
    body = re.sub(rb"<(t|v|w:t)([ >][^<]*?)?>[^<]+</", lambda m: m[0][:m[0].index(b">") + 1]
                  + f"&{entity};".encode() + b"</", body, count=1)
    return doctype.encode() + body


def deep_nesting(xml: bytes, depth: int = 200_000) -> bytes:
    close = xml.rfind(b"</")
    return xml[:close] + b"<x>" * depth + b"</x>" * depth + xml[close:]


def huge_attribute(xml: bytes, size: int = 30_000_000) -> bytes:
    gt = xml.index(b">", xml.index(b"<", xml.index(b"?>") + 2 if b"?>" in xml else 0))
    return xml[:gt] + b' huge="' + b"A" * size + b'"' + xml[gt:]


def shared_strings_claim(xml: bytes) -> bytes:
    return re.sub(rb'(count|uniqueCount)="\d+"', rb'\1="400000000"', xml)


def huge_styles(xml: bytes, n: int = 120_000) -> bytes:
    fmts = b"".join(b'<numFmt numFmtId="%d" formatCode="0.%s"/>' % (200 + i, b"0" * (i % 20))
                    for i in range(n))
    xml = re.sub(rb"<numFmts[^>]*>.*?</numFmts>|<numFmts[^>]*/>", b"", xml, flags=re.S)
    return re.sub(rb"(<styleSheet[^>]*>)", rb"\1<numFmts count='%d'>" % n + fmts + b"</numFmts>",
                  xml, count=1)


def empty_rows(xml: bytes, n: int = 1_000_000) -> bytes:
    rows = b"".join(b'<row r="%d"/>' % r for r in range(1000, 1000 + n))
    return xml.replace(b"</sheetData>", rows + b"</sheetData>")


def styled_cells(xml: bytes, rows: int = 2_300, columns: int = 200) -> bytes:
    """Formatting-only cells (no value) under the table: nothing to calamine, an object each to
    openpyxl."""
    from rectify_xl.adapters.xlsx_extent import column_letters

    letters = [column_letters(c).encode() for c in range(1, columns + 1)]
    body = b"".join(b'<row r="%d">' % r + b"".join(b'<c r="%s%d" s="1"/>' % (col, r) for col in letters)
                    + b"</row>" for r in range(100, 100 + rows))
    return xml.replace(b"</sheetData>", body + b"</sheetData>")


def formula_only(xml: bytes) -> bytes:
    """Every value of the sheet dropped, a formula left in each cell (no cached value)."""
    xml = re.sub(rb"<c ([^>]*?)(?: t=\"[^\"]*\")?([^>]*)>.*?</c>",
                 rb'<c \1\2><f>SUM(A1:XFD1048576)+INDIRECT("A"&ROW())</f></c>', xml, flags=re.S)
    return xml


def external_rel(xml: bytes) -> bytes:
    return xml.replace(b"</Relationships>",
                       b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/'
                       b'officeDocument/2006/relationships/worksheet" '
                       b'Target="file:///etc/passwd" TargetMode="External"/>'
                       b'<Relationship Id="rIdY" Type="http://schemas.openxmlformats.org/'
                       b'officeDocument/2006/relationships/worksheet" '
                       b'Target="../../../../etc/passwd"/></Relationships>')


def looping_rels(xml: bytes) -> bytes:
    """Every relationship of the workbook points at the workbook itself."""
    return re.sub(rb'Target="[^"]*"', b'Target="workbook.xml"', xml)


def missing_targets(xml: bytes) -> bytes:
    return re.sub(rb'Target="([^"]*)"', rb'Target="missing/\1"', xml)


def many_paragraphs(xml: bytes, n: int = 400_000) -> bytes:
    paras = b"<w:p><w:r><w:t>\xe4\xb8\x80</w:t></w:r></w:p>" * n
    return xml.replace(b"</w:body>", paras + b"</w:body>")


def huge_paragraph(xml: bytes, size: int = 15_000_000) -> bytes:
    para = b"<w:p><w:r><w:t>" + "整改".encode() * (size // 6) + b"</w:t></w:r></w:p>"
    return xml.replace(b"</w:body>", para + b"</w:body>")


# --- mails ----------------------------------------------------------------------------------------

def many_attachments(n: int = 300) -> bytes:
    ledger = _sample_bytes(".xlsx")
    parts = [(f"附件{i}.xlsx", ledger if i % 50 == 0 else b"PK\x03\x04 not a workbook")
             for i in range(n)]
    return _mail(parts)


def huge_base64(size: int = 60_000_000) -> bytes:
    head = _mail([("台账.xlsx", b"")]).split(b"\n\n")[0]
    body = (b"--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment; "
            b'filename="\xe5\x8f\xb0\xe8\xb4\xa6.xlsx"\nContent-Transfer-Encoding: base64\n\n')
    line = base64.b64encode(bytes(57)) + b"\n"
    return (b"From: a@example.gov.cn\nTo: b@example.gov.cn\nSubject: x\nMIME-Version: 1.0\n"
            b'Content-Type: multipart/mixed; boundary="b"\n\n' + body
            + line * (size // len(line)) + b"--b--\n") if head else b""


def broken_base64() -> bytes:
    data = _mail([("台账.xlsx", _sample_bytes(".xlsx"))])
    cut = data.index(b"\n\n", data.index(b"filename")) + 2 + 76 * 3  # three lines into it
    return data[:cut] + b"!!!!@@@@====not base64====\n" * 50 + data[cut:]


def nested_rfc822(depth: int = 400) -> bytes:
    """A ledger mail forwarded ``depth`` times, each as a message/rfc822 part (written as text:
    the email package cannot even build this deep a message)."""
    inner = _mail([("台账.xlsx", _sample_bytes(".xlsx"))])
    for i in range(depth):
        b = b"b%d" % i
        inner = (b"From: a@example.gov.cn\nSubject: Fwd\nMIME-Version: 1.0\n"
                 b'Content-Type: multipart/mixed; boundary="' + b + b'"\n\n--' + b
                 + b"\nContent-Type: text/plain\n\nfwd\n--" + b
                 + b"\nContent-Type: message/rfc822\n\n" + inner + b"\n--" + b + b"--\n")
    return inner


def odd_charsets() -> bytes:
    data = _mail([("台账.xlsx", _sample_bytes(".xlsx"))])
    data = data.replace(b"Subject: ", b"Subject: =?x-unknown-42?B?5Y+w6LSm?= =?utf-7?Q?+ZeVT?= ", 1)
    return re.sub(rb'filename="?[^"\n]*"?', b"filename*=x-bogus''%E5%8F%B0%FF%FE.xlsx", data,
                  count=1)


def headers_only_mail() -> bytes:
    return b"Subject: " + "整改".encode() * 500_000 + b"\n" + b"X-A: b\n" * 100_000 + b"\n"


# --- texts ----------------------------------------------------------------------------------------

def txt_variants() -> dict[str, bytes]:
    text = _notice_text()
    return {
        "gbk": text.encode("gbk", "replace"),
        "utf16-nul": "\ufeff".encode("utf-16-le") + text.encode("utf-16-le") + b"\0\0" * 500,
        "utf16-no-bom": text.encode("utf-16-le"),
        "nuls": text.encode("utf-8").replace("。".encode(), b"\0", 40),
        "one-line": ("整改落实" * 2_000_000).encode("utf-8"),
        "many-lines": "一\n".encode() * 400_000,
        "controls": "".join(ch + ("\x1b[2J" if i % 7 == 0 else "") for i, ch in
                            enumerate(text[:5000])).encode("utf-8"),
        "mixed": text.encode("utf-8")[:3000] + text.encode("gbk", "replace")[3000:6000],
        "bidi": ("\u202e" + text[:2000] + "\u2066").encode("utf-8"),
    }


# --- the cases ------------------------------------------------------------------------------------

NAMES = ("台账 含空格.xlsx", "县委办（2021）整改台账.xlsx", "长" * 80 + ".xlsx", "-o.xlsx",
         "tab\tname.xlsx", "\u202etxt.xlsx")


def _file(name: str, data: bytes | Callable[[], bytes]) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data() if callable(data) else data)
        return path
    return make


def _byte_cases(kind: str, seeds: range) -> list[Case]:
    base = base_bytes(kind)
    if base is None:
        return []
    out = []
    for seed in seeds:
        out.append(Case(f"{kind}/flip/{seed}", kind,
                        _file(f"翻转{seed}.{kind}", lambda s=seed: flipped(base, s))))
        fraction = (seed * 0.618) % 1
        out.append(Case(f"{kind}/truncate/{seed}", kind,
                        _file(f"截断{seed}.{kind}", lambda f=fraction: truncated(base, f))))
    return out


def _package_cases(kind: str, seeds: range) -> list[Case]:
    base = base_bytes(kind)
    assert base is not None
    part = _main_part(base)
    ext = kind
    out = [Case(f"{kind}/xml-flip/{s}", kind, _file(f"内容翻转{s}.{ext}",
                                                    lambda s=s: xml_flipped(base, s))) for s in seeds]
    out += [Case(f"{kind}/xml-truncate/{s}", kind, _file(f"内容截断{s}.{ext}",
                                                         lambda s=s: xml_truncated(base, s)))
            for s in seeds]
    zipped: dict[str, Callable[[], bytes]] = {
        "sizes-small": lambda: sizes_lie(base, 0.1),
        "sizes-large": lambda: sizes_lie(base, 5000),
        "duplicate-member": lambda: duplicate_member(base),
        "nested-zip": lambda: nested_zip(base),
        "bomb-member": lambda: bomb_member(base),
        "zip64": lambda: repacked(base, zip64=True),
        "dotdot-names": lambda: renamed_members(base, "../../"),
        "absolute-names": lambda: renamed_members(base, "/"),
        "control-names": lambda: repacked_names(base, lambda n: n.replace("/", "/\x01\x1b", 1)),
        "rtl-names": lambda: repacked_names(base, lambda n: n + "\u202e"),
        "encrypted-flag": lambda: encrypted_flag(base),
        "no-content-types": lambda: dropped(base, "[Content_Types].xml"),
        "main-part-missing": lambda: dropped(base, part),
        "laughs": lambda: _replace(base, part, lambda b: with_doctype(b, LAUGHS, "lol9")),
        "external-entity": lambda: _replace(base, part, lambda b: with_doctype(b, EXTERNAL, "xxe")),
        "deep-nesting": lambda: _replace(base, part, deep_nesting),
        "huge-attribute": lambda: _replace(base, part, huge_attribute),
    }
    if kind in ("xlsx", "xlsm"):
        zipped |= {
            "workbook-missing": lambda: dropped(base, "xl/workbook.xml"),
            "rels-missing": lambda: dropped(base, "xl/_rels/workbook.xml.rels"),
            "rels-loop": lambda: _replace(base, "xl/_rels/workbook.xml.rels", looping_rels),
            "rels-missing-targets": lambda: _replace(base, "xl/_rels/workbook.xml.rels",
                                                     missing_targets),
            "rels-external": lambda: _replace(base, "xl/_rels/workbook.xml.rels", external_rel),
            "content-types-laughs": lambda: _replace(
                base, "[Content_Types].xml", lambda b: with_doctype(b, LAUGHS, "lol9")),
            "workbook-laughs": lambda: _replace(
                base, "xl/workbook.xml", lambda b: b.replace(b'name="', b'name="&lol9;', 1)
                .replace(b"<workbook", LAUGHS.encode()[21:] + b"<workbook", 1)),
            "shared-strings-laughs": lambda: _replace(
                base, "xl/sharedStrings.xml", lambda b: with_doctype(b, LAUGHS, "lol9")),
            "shared-strings-claim": lambda: _replace(base, "xl/sharedStrings.xml",
                                                     shared_strings_claim),
            "styles-huge": lambda: _replace(base, "xl/styles.xml", huge_styles),
            "empty-rows": lambda: _replace(base, part, empty_rows),
            "styled-cells": lambda: _replace(base, part, styled_cells),
            "formula-only": lambda: _replace(base, part, formula_only),
            "styles-deep": lambda: _replace(base, "xl/styles.xml", deep_nesting),
        }
    if kind == "docx":
        zipped |= {
            "many-paragraphs": lambda: _replace(base, part, many_paragraphs),
            "huge-paragraph": lambda: _replace(base, part, huge_paragraph),
            "style-based-on-itself": lambda: _replace(
                base, "word/styles.xml", lambda b: b.replace(
                    b'<w:name w:val="Normal"/>', b'<w:name w:val="Normal"/><w:basedOn w:val="Normal"/>')),
            "styles-laughs": lambda: _replace(base, "word/styles.xml",
                                              lambda b: with_doctype(b, LAUGHS, "lol9")),
            "rels-loop": lambda: _replace(base, "word/_rels/document.xml.rels",
                                          lambda b: re.sub(rb'Target="[^"]*"',
                                                           b'Target="document.xml"', b)),
            "rels-external": lambda: _replace(base, "word/_rels/document.xml.rels", external_rel),
        }
    out += [Case(f"{kind}/{name}", kind, _file(f"{name}.{ext}", make))
            for name, make in zipped.items()]
    return out


def _archive_cases(seeds: range) -> list[Case]:
    ledger = _sample_bytes(".xlsx")
    good = base_bytes("zip")
    assert good is not None
    made: dict[str, Callable[[], bytes]] = {
        "zip-in-zip-deep": lambda: _deep_zip(ledger, 8),
        "dotdot": lambda: _zip([("../../../逃逸.xlsx", ledger), ("/abs/绝对.xlsx", ledger)]),
        "control-names": lambda: _zip([("a\x00b.xlsx", ledger), ("\x1b[31m红.xlsx", ledger),
                                       ("\u202excsl.xlsx", ledger)]),
        "duplicate-names": lambda: repacked(good, extra=[("县委办.xlsx", b"PK broken")]),
        "sizes-small": lambda: sizes_lie(good, 0.1),
        "sizes-large": lambda: sizes_lie(good, 5000),
        "encrypted-flag": lambda: encrypted_flag(good),
        "bomb-member": lambda: _raw_bomb_zip(),
        "many-members": lambda: _zip([(f"{i}.xlsx", b"x") for i in range(12_000)]),
        "zip64": lambda: repacked(good, zip64=True),
        "corrupt-deflate": lambda: _corrupt_deflate(good),
        "eml-inside": lambda: _zip([("报送.eml", base_bytes("eml") or b"")]),
        "long-names": lambda: _zip([("长" * 300 + ".xlsx", ledger)]),
        "gbk-names": lambda: _gbk_names_zip(ledger),
    }
    out = [Case(f"zip/{n}", "zip", _file(f"{n}.zip", m)) for n, m in made.items()]
    mails: dict[str, Callable[[], bytes]] = {
        "many-attachments": many_attachments,
        "huge-base64": huge_base64,
        "broken-base64": broken_base64,
        "nested-rfc822": nested_rfc822,
        "odd-charsets": odd_charsets,
        "headers-only": headers_only_mail,
        "zip-bomb-attached": lambda: _mail([("报送.zip", _raw_bomb_zip())]),
        "hostile-ledger-attached": lambda: _mail([("远处.xlsx", _far_cell_ledger())]),
    }
    out += [Case(f"eml/{n}", "eml", _file(f"{n}.eml", m)) for n, m in mails.items()]
    return out


def _deep_zip(ledger: bytes, depth: int) -> bytes:
    data = _zip([("台账.xlsx", ledger)])
    for i in range(depth):
        data = _zip([(f"第{i}层.zip", data)])
    return data


def _raw_bomb_zip() -> bytes:
    return bomb_member(_zip([("台账.xlsx", _sample_bytes(".xlsx"))]), 120).replace(
        b"xl/media/zeros.bin", b"zeros.xlsx0000000"[:18])


def _corrupt_deflate(data: bytes) -> bytes:
    """Compressed bytes of the first member damaged, its headers intact (CRC and sizes kept)."""
    buf = bytearray(data)
    (name_len, extra_len) = struct.unpack_from("<HH", buf, 26)
    start = 30 + name_len + extra_len
    for i in range(start + 10, start + 60):
        buf[i] ^= 0xA5
    return bytes(buf)


def _gbk_names_zip(ledger: bytes) -> bytes:
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        info = zipfile.ZipInfo("x.xlsx")
        z.writestr(info, ledger)
    raw = out.getvalue()
    gbk = "县委办.xlsx".encode("gbk")
    return raw.replace(b"x.xlsx", gbk[:6], 2) if len(gbk) == 6 else raw


@cache
def _far_cell_ledger() -> bytes:
    base = _sample_bytes(".xlsx")
    return _replace(base, _ledger_part(base), lambda b: b.replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'))


def _text_cases() -> list[Case]:
    return [Case(f"txt/{n}", "txt", _file(f"{n}.txt", b)) for n, b in txt_variants().items()]


def _name_cases() -> list[Case]:
    return [Case(f"xlsx/name/{i}", "xlsx", _file(n, lambda: _sample_bytes(".xlsx")))
            for i, n in enumerate(NAMES)]


def cases(kind: str | None = None, seeds: range = range(12)) -> list[Case]:
    """Every case (of one kind), in a fixed order."""
    out: list[Case] = []
    for k in KINDS:
        if kind not in (None, k):
            continue
        out += _byte_cases(k, seeds)
        if k in ("xlsx", "xlsm", "docx"):
            out += _package_cases(k, seeds)
    if kind in (None, "txt"):
        out += _text_cases()
    if kind in (None, "zip", "eml"):
        out += [c for c in _archive_cases(seeds) if kind in (None, c.kind)]
    if kind in (None, "xlsx"):
        out += _name_cases()
    return out


def sample_cases(n: int, seed: int = 20261206, kind: str | None = None) -> list[Case]:
    """A fixed sample of n cases: two thirds named mutations, the rest seeded flips and cuts."""
    every = cases(kind, seeds=range(4))
    named = [c for c in every if not c.name.rsplit("/", 1)[-1].isdigit()]
    seeded = [c for c in every if c.name.rsplit("/", 1)[-1].isdigit()]
    rnd = random.Random(seed)
    take = min(len(named), max(n - len(seeded), (2 * n + 2) // 3))
    return rnd.sample(named, take) + rnd.sample(seeded, min(len(seeded), n - take))


# --- which commands read which kind ----------------------------------------------------------------

# each entry: argv with {f} the hostile file, {ok} the sample ledger, {out} a fresh output path
LEDGER_COMMANDS = [
    ["validate", "{f}"], ["summary", "{f}"], ["notice", "{f}"], ["diff", "{ok}", "{f}"],
    ["adopt", "{f}", "-o", "{out}.xlsx"], ["merge", "{f}", "-o", "{out}.xlsx"],
    ["check-notice", "{txt}", "--ledger", "{f}"], ["evidence", "{f}", "--manifest", "{out}.json"],
    ["pack", "{f}", "-o", "{out}.zip"], ["validate", "{f}", "--annotate", "{out}.xlsx"],
]
TEXT_COMMANDS = [["import", "{f}", "-o", "{out}.xlsx"], ["check-notice", "{f}"]]
MERGE_COMMANDS = [["merge", "{f}", "-o", "{out}.xlsx"]]
COMMANDS: dict[str, list[list[str]]] = {
    "xlsx": LEDGER_COMMANDS, "xlsm": LEDGER_COMMANDS, "xls": LEDGER_COMMANDS,
    "docx": TEXT_COMMANDS, "txt": TEXT_COMMANDS, "eml": MERGE_COMMANDS, "zip": MERGE_COMMANDS,
}
# the server's upload endpoints for each kind
ENDPOINTS: dict[str, list[str]] = {
    "xlsx": ["/api/check", "/api/document", "/api/remind", "/api/mail"],
    "xlsm": ["/api/check"], "xls": ["/api/check"],
    "eml": ["/api/merge"], "zip": ["/api/merge"], "docx": [], "txt": [],
}
