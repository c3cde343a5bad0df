"""The real extent of each sheet of an .xlsx, measured from its XML before anything dense is built.

python-calamine turns a sheet into a dense rectangle from its first to its last cell with a
value, and python lists from A1 to that last cell. One number in XFD1048576 therefore asks for
17 billion cells: an abort inside native code, not an exception. So before calamine opens a
file, each worksheet part is streamed (bounded, decompressed piece by piece) and the start tags
of its rows and cells are read: the cells present, not the declared <dimension>, which calamine
ignores and an attacker can set to anything.

The scan follows calamine's own rules: a cell counts when it has content (a self-closing
``<c r="B2" s="1"/>`` is formatting only), its position is its ``r`` attribute (letters in any
case, leading zeros allowed) or, without one, the cell after the previous one in the row; a row
without ``r`` follows the previous row. Anything odd is counted as present: the check may refuse
a strange file calamine could read, never the other way round.
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rectify_xl.errors import InputError

__all__ = [
    "MAX_COPY_ELEMENTS",
    "MAX_GRID_CELLS",
    "SheetExtent",
    "check_copy_size",
    "check_extents",
    "check_measured",
    "check_shared_strings",
    "column_letters",
    "scan_sheet",
    "sheet_extents",
    "too_many_cells",
]

EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384
# What a dense read may build, summed over the sheets read: a ledger of 100,000 measures in
# 20 columns is 2 million. Beyond it a file is refused before calamine allocates anything.
MAX_GRID_CELLS = 8_000_000
# A sheet whose rectangle is mostly empty is read only when the rectangle is small: a stray
# value far below or right of the table is the shape of both a slip and an attack.
SPARSE_MIN_AREA = 1_000_000
SPARSE_MIN_DENSITY = 0.02
MAX_CELLS = 8_000_000  # cells with content, whatever their positions
_CHUNK = 1 << 20
_TAG = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)((?:\s+[^\s=>/]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(/?)>")
_R_ATTR = re.compile(rb"""(?:^|\s)r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_CELL_REF = re.compile(r"\s*([A-Za-z]{1,3})0*(\d{1,7})\s*")
_ROW_REF = re.compile(r"\s*0*(\d{1,7})\s*")
_SHEET = re.compile(rb"<(?:[\w.-]+:)?sheet\b([^>]*)>")
_REL = re.compile(rb"<(?:[\w.-]+:)?Relationship\b([^>]*)>")
_ATTR = re.compile(rb"""([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


@dataclass(frozen=True, slots=True)
class SheetExtent:
    """Where a sheet's content ends: rows and columns counted from A1, and the cells present."""

    name: str
    rows: int = 0
    columns: int = 0
    cells: int = 0
    far_cells: tuple[str, ...] = ()  # the cells that set the extent: the lowest, the rightmost

    @property
    def area(self) -> int:
        return self.rows * self.columns


def column_letters(n: int) -> str:
    letters = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _attrs(raw: bytes) -> dict[str, str]:
    return {m[1].decode("latin-1").rsplit(":", 1)[-1]: (m[2] if m[2] is not None else m[3])
            .decode("utf-8", "replace") for m in _ATTR.finditer(raw)}


def _read_member(z: zipfile.ZipFile, name: str, limit: int = 10_000_000) -> bytes:
    """A small part (workbook, relationships), bounded whatever its size header says."""
    with z.open(name) as f:
        return f.read(limit)


def _sheet_parts(z: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part name) in workbook order, plus any worksheet part no sheet names."""
    names = set(z.namelist())
    rels: dict[str, str] = {}
    if "xl/_rels/workbook.xml.rels" in names:
        for m in _REL.finditer(_read_member(z, "xl/_rels/workbook.xml.rels")):
            a = _attrs(m[1])
            target = html.unescape(a.get("Target", ""))
            if a.get("TargetMode", "").lower() == "external" or not target:
                continue
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join("xl", target))
            rels[a.get("Id", "")] = part
    out: list[tuple[str, str]] = []
    for m in _SHEET.finditer(_read_member(z, "xl/workbook.xml")):
        a = _attrs(m[1])
        sheet_part = rels.get(a.get("id", ""))
        if sheet_part is not None and sheet_part in names:
            out.append((html.unescape(a.get("name", "")), sheet_part))
    seen = {p for _, p in out}
    # a part no sheet points at is never read by calamine, but scanning it costs little and
    # spares us trusting our reading of the relationships over calamine's
    out += [(Path(n).stem, n) for n in sorted(names)
            if n.startswith("xl/worksheets/") and n.endswith(".xml") and n not in seen]
    return out


def _chunks(z: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """The part's bytes in pieces that never split a tag (each ends at a '>'); a "tag" of
    megabytes (a hostile attribute) is refused naming the part (the caller adds file and sheet)."""
    carry = b""
    with z.open(part) as f:
        while True:
            block = f.read(_CHUNK)
            if not block:
                break
            data = carry + block
            cut = data.rfind(b">") + 1
            if cut == 0 and len(data) > 4 * _CHUNK:  # no tag end for megabytes: not a sheet
                raise InputError(f"部件“{part}”格式异常（一个标签长达数 MB），已拒绝打开")
            carry = data[cut:]
            yield data[:cut]
    if carry:
        yield carry


def _ref_value(attrs: bytes) -> str | None:
    m = _R_ATTR.search(attrs)
    if not m:
        return None
    return html.unescape((m[1] if m[1] is not None else m[2]).decode("utf-8", "replace"))


# The fast path: the form Excel, WPS, XlsxWriter and openpyxl write (<c r="B12" ...>), read by
# a few C-speed regex passes per piece without a Python step per cell: the last cell of a piece
# (rows come in order) and the header rows give a guess, and one search for a cell beyond the
# guess confirms it. Any cell tag in another form (a prefix, no r, lower case, leading zeros, odd
# spacing) sends the sheet to the exact scan, and so does a guess that keeps being beaten.
_ODD_CELL = re.compile(rb'<c(?![^\s/>]| r="[A-Z]{1,3}[1-9]\d{0,6}")')
_PREFIXED_CELL = re.compile(rb':c[\s/>]')  # two patterns: an alternation would be far slower
_CANONICAL = re.compile(rb'<c r="([A-Z]{1,3})([1-9]\d{0,6})"')
_MAX_GUESSES = 8


def _greater(value: str, digit: str, first: str) -> str:
    """A regex for strings over ``digit`` (a class like 0-9) greater than ``value`` when compared
    as numbers (longer is greater; same length: by position); ``first`` is the leading class."""
    alphabet = [chr(c) for c in range(ord(digit[0]), ord(digit[-1]) + 1)]
    alts = [f"[{first}][{digit}]{{{len(value)},}}"]
    for i, ch in enumerate(value):
        if ch != alphabet[-1]:
            nxt = alphabet[alphabet.index(ch) + 1]
            alts.append(f"{value[:i]}[{nxt}-{alphabet[-1]}][{digit}]{{{len(value) - i - 1}}}")
    return "(?:" + "|".join(alts) + ")"


def _beyond(row: int, col: str) -> re.Pattern[bytes]:
    """A cell with a row after ``row`` or a column after ``col``."""
    rows = _greater(str(row), "0-9", "1-9") if row else "[1-9]"
    cols = _greater(col, "A-Z", "A-Z") if col else "[A-Z]"
    return re.compile(f'<c r="(?:[A-Z]{{1,3}}{rows}"|{cols}\\d)'.encode())


def _column_order(letters: str) -> tuple[int, str]:
    return len(letters), letters


def _fast_scan(z: zipfile.ZipFile, name: str, part: str) -> SheetExtent | None:
    """An upper bound of the extent (formatting-only cells count too), or None when a cell tag
    is not in the usual form."""
    max_row, max_col, cells = 0, "", 0
    for data in _chunks(z, part):
        if _ODD_CELL.search(data) or _PREFIXED_CELL.search(data):
            return None
        cells += data.count(b'<c r="')
        if cells > MAX_CELLS:
            return None  # the exact scan names the sheet and stops at the limit
        head = _CANONICAL.findall(data[:65536])
        last = data.rfind(b'<c r="')
        tail = _CANONICAL.match(data, last) if last >= 0 else None
        if tail:
            head.append(tail.groups())
        if head:  # the guess: the farthest row and column among these cells (a few columns)
            max_row = max(max_row, *map(int, (digits for _, digits in head)))
            max_col = max(max_col, *{letters.decode() for letters, _ in head}, key=_column_order)
        for _ in range(_MAX_GUESSES):
            m = _beyond(max_row, max_col).search(data)
            if m is None:
                break
            found = _CANONICAL.match(data, m.start())
            assert found is not None  # _ODD_CELL let only canonical cells through
            max_row = max(max_row, int(found[2]))
            max_col = max(max_col, found[1].decode(), key=_column_order)
        else:
            return None
    return SheetExtent(name, max_row, _column_number(max_col), cells)


def scan_sheet(z: zipfile.ZipFile, name: str, part: str) -> SheetExtent:
    """The exact extent of one worksheet part (see the module's docstring for the rules)."""
    row = 0  # 1-based row of the current <row>; 0 before the first
    col = 0  # column of the previous cell in this row
    max_row = max_col = cells = 0
    far_row_cell = far_col_cell = ""
    far_row_col = 0
    for data in _chunks(z, part):
        for m in _TAG.finditer(data):
            kind, attrs, empty = m[1], m[2], m[3]
            ref = _ref_value(attrs) if attrs else None
            if kind == b"row":
                r = _ROW_REF.fullmatch(ref) if ref is not None else None
                row = int(r[1]) if r else row + 1
                col = 0
                continue
            c = _CELL_REF.fullmatch(ref) if ref is not None else None
            if c:
                col, cell_row = _column_number(c[1]), int(c[2])
            else:  # no (usable) reference: the next cell of the current row
                col, cell_row = col + 1, max(row, 1)
            if empty:
                continue
            cells += 1
            if cell_row > max_row:
                max_row, far_row_col = cell_row, col
                far_row_cell = f"{column_letters(col)}{cell_row}"
            if col > max_col:
                max_col, far_col_cell = col, f"{column_letters(col)}{cell_row}"
            if cells > MAX_CELLS:
                raise too_many_cells(name)
    far = (far_row_cell, far_col_cell) if max_col > far_row_col else (far_row_cell,)
    return SheetExtent(name, max_row, max_col, cells, far)


def sheet_extents(path: Path, *, exact: bool = True) -> list[SheetExtent]:
    """Every sheet's extent; InputError for a damaged package. Without ``exact``, a sheet in the
    usual form gets the fast upper bound instead (no far cells named)."""
    try:
        with zipfile.ZipFile(path) as z:
            return [_sheet_extent(path, z, name, part, exact) for name, part in _sheet_parts(z)]
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, EOFError, ValueError) as exc:
        # zlib.error is a subclass of none of these: caught by the caller's catch-all
        raise InputError(f"“{path.name}”已损坏，无法读取") from exc


def _sheet_extent(path: Path, z: zipfile.ZipFile, name: str, part: str, exact: bool
                  ) -> SheetExtent:
    try:
        return (None if exact else _fast_scan(z, name, part)) or scan_sheet(z, name, part)
    except InputError as exc:
        if path.name in exc.message:
            raise
        raise InputError(f"“{path.name}”的工作表“{name}”无法读取：{exc.message}") from exc


# calamine reserves room for the number of strings sharedStrings.xml claims (uniqueCount) before
# reading one: 400 million claimed asks for 9.6 GB and aborts the process. The claim is held to
# the strings the part really holds (counted in its bytes), with room for writers that miscount.
_SST_TAG = re.compile(rb"<(?:[\w.-]+:)?sst\b([^>]*)>")
_SI = re.compile(rb"<(?:[\w.-]+:)?si[\s/>]")


def _shared_strings_parts(z: zipfile.ZipFile) -> list[str]:
    names = z.namelist()
    parts = [n for n in names if n.lower().endswith("sharedstrings.xml")]
    if "xl/_rels/workbook.xml.rels" in names:
        for m in _REL.finditer(_read_member(z, "xl/_rels/workbook.xml.rels")):
            a = _attrs(m[1])
            if a.get("Type", "").endswith("/sharedStrings") and a.get("Target"):
                target = html.unescape(a["Target"])
                part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                    posixpath.join("xl", target))
                parts += [part] if part in names and part not in parts else []
    return parts


def _shared_strings_claim(z: zipfile.ZipFile, part: str) -> tuple[int, int]:
    """(strings claimed by uniqueCount, <si> elements present), streamed in pieces. The usual
    unprefixed form is counted by ``bytes.count`` (a regex pass made this ≈ 30 ms of a
    10,000-measure ledger's read, benchmarks/big_ledger.py); a piece with a prefixed element
    (``<x:si``) by the regex. Counting ``<si`` may count an odd element too: more strings
    present only loosens the claim's bound, which MAX_CELLS still caps."""
    claim, present, carry = 0, 0, b""
    with z.open(part) as f:
        while block := f.read(_CHUNK):
            data = carry + block
            if not claim:
                tag = _SST_TAG.search(data)
                if tag:
                    count = _attrs(tag[1]).get("uniqueCount", "")
                    claim = int(count) if count.strip().isdigit() else 0
            if b":si" in data:
                present += len(_SI.findall(data, 0, max(0, len(data) - 64)))
                carry = data[max(0, len(data) - 64):]
            else:  # "<si" can start in the last two bytes only if cut: they go on with the next
                present += data.count(b"<si", 0, max(0, len(data) - 2))
                carry = data[max(0, len(data) - 2):]
    present += len(_SI.findall(carry)) if b":si" in carry else carry.count(b"<si")
    return claim, present


def check_shared_strings(path: Path) -> None:
    """Refuse a sharedStrings part that claims far more strings than it holds."""
    with zipfile.ZipFile(path) as z:
        for part in _shared_strings_parts(z):
            claim, present = _shared_strings_claim(z, part)
            if present > MAX_CELLS:
                raise InputError(f"“{path.name}”的共享字符串表中的字符串过多（{present:,} 个），"
                                 "不像是整改台账，已拒绝打开")
            if claim > min(MAX_CELLS, 2 * present + 10_000):
                raise InputError(f"“{path.name}”的共享字符串表（{part}）声明有 {claim:,} 个字符串，"
                                 f"实际只有 {present:,} 个：文件已损坏或被篡改，已拒绝打开")


# openpyxl (the annotated copy, mail's and the 报送包's macro-free copy) builds an object for every
# row and cell element, values or not, at ≈ 0.1 ms each with the copy written back: a million
# formatting-only cells ran `validate --annotate` for two minutes in 530 MB, though calamine
# (which skips them) read the file at once. A 12,000-measure ledger of 25 formatted columns stays
# under the bound.
MAX_COPY_ELEMENTS = 400_000
_ELEMENT = re.compile(rb"<(?:[\w.-]+:)?(?:c|row)[\s/>]")
# and for every entry of the style tables: 300,000 number formats took openpyxl 20 s. Excel
# itself allows 64,000 cell formats; real workbooks have hundreds.
MAX_STYLE_ENTRIES = 100_000
_STYLE_ENTRY = re.compile(rb"<(?:[\w.-]+:)?(?:xf|numFmt|font|fill|border|dxf|cellStyle)[\s/>]")


def check_copy_size(path: Path) -> None:
    """Refuse, naming file and sheet, a workbook with more row and cell elements (formatting-only
    ones too) than an openpyxl copy can afford; counted in each sheet's bytes, streamed."""
    total = 0
    with zipfile.ZipFile(path) as z:
        for name, part in _sheet_parts(z):
            count = 0
            for data in _chunks(z, part):
                count += len(_ELEMENT.findall(data))
                if total + count > MAX_COPY_ELEMENTS:
                    raise InputError(
                        f"“{path.name}”的工作表“{name}”中的行和单元格过多（超过 {MAX_COPY_ELEMENTS:,} 个，"
                        "含只设了格式的空单元格），无法生成副本：请在 Excel 中删除表格下方和右侧多余的行和列"
                        "（含格式）后保存，再试一次")
            total += count
        for part in [n for n in z.namelist() if n.lower().endswith("styles.xml")]:
            entries = 0
            for data in _chunks(z, part):
                entries += len(_STYLE_ENTRY.findall(data))
                if entries > MAX_STYLE_ENTRIES:
                    raise InputError(
                        f"“{path.name}”的样式表（{part}）中的格式过多（超过 {MAX_STYLE_ENTRIES:,} 个），"
                        "文件已损坏或被篡改，无法生成副本：请在 Excel 或 WPS 中打开后另存一份再试")


def _far_message(file: str, e: SheetExtent, why: str) -> str:
    cells = "、".join(e.far_cells)
    return (f"“{file}”的工作表“{e.name}”{why}：最远的有内容单元格是 {cells}"
            f"（{e.rows:,} 行 × {e.columns:,} 列，其中只有 {e.cells:,} 个单元格有内容），"
            f"读取它需要的内存远超正常台账。请在 Excel 中删除 {cells} 等远处单元格的内容"
            "（或删除多余的行和列）后保存，再试一次")


def check_extents(path: Path, *, overlap: bool = False) -> None:
    """Refuse, in one Chinese message naming sheet and cell, what a dense read cannot afford.

    Every sheet counts, even when only some will be read: the check must not depend on matching
    sheet names the way calamine does. The fast bound decides almost every file; only one it
    would refuse is scanned exactly, to be sure and to name the far cells. With ``overlap``
    the shared strings are counted in a thread while the sheets are scanned (inflating them
    releases the GIL: ≈ 10 ms less of a 10,000-measure ledger's read); the same errors, in the
    same order, are raised.
    """
    if not overlap:
        check_shared_strings(path)
        _check_sheets(path)
        return
    import threading

    failed: list[BaseException] = []

    def strings() -> None:
        try:
            check_shared_strings(path)
        except BaseException as exc:
            failed.append(exc)

    counting = threading.Thread(target=strings, name="rectify-xl-strings", daemon=True)
    counting.start()
    try:
        _check_sheets(path)
    except BaseException:
        counting.join()
        if failed:  # the same error first as without overlap
            raise failed[0] from None
        raise
    counting.join()
    if failed:
        raise failed[0]


def _check_sheets(path: Path) -> None:
    try:
        check_measured(path, sheet_extents(path, exact=False))
    except InputError:
        check_measured(path, sheet_extents(path, exact=True))


def too_many_cells(sheet: str) -> InputError:
    """A sheet with more cells holding content than any ledger (MAX_CELLS)."""
    return InputError(f"工作表“{sheet}”中的单元格过多（超过 {MAX_CELLS:,} 个），不像是整改台账，已拒绝打开")


def check_measured(path: Path, extents: list[SheetExtent]) -> None:
    """The limits every workbook is held to, on extents measured from its XML or, for an
    .xls, from its records (adapters/xls_extent): one policy, one set of messages."""
    total = 0
    for e in extents:
        if e.rows > EXCEL_ROWS or e.columns > EXCEL_COLUMNS:
            raise InputError(f"“{path.name}”的工作表“{e.name}”中有超出 Excel 范围的单元格"
                             f"（{'、'.join(e.far_cells)}），文件已损坏或被篡改，已拒绝打开")
        if e.area > SPARSE_MIN_AREA and e.cells < e.area * SPARSE_MIN_DENSITY:
            raise InputError(_far_message(path.name, e, "中有内容的单元格相距过远"))
        total += e.area
        if total > MAX_GRID_CELLS:
            raise InputError(_far_message(path.name, e, "过大") if e.area > MAX_GRID_CELLS // 2
                             else f"“{path.name}”的工作表合计过大（超过 {MAX_GRID_CELLS:,} 个单元格），"
                                  "不像是整改台账，已拒绝打开")
