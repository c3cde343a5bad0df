"""Write one sheet of our own into a user's workbook in place, leaving every other part untouched.

openpyxl rewrites a whole workbook and drops what it does not model (form-control buttons,
shapes, some conditional formats, VBA signatures…). For the one in-place write the tool makes
(the 催办记录 a reminder appends) the package is edited at the zip level instead: the sheet's own
part is (re)written, and a new sheet is added with three small text insertions (workbook.xml,
its relationships, [Content_Types].xml). Every other member is copied byte for byte.

The write is atomic (a temp file renamed over the workbook), refused while Excel/WPS holds the
file open (the ~$ lock file), and a backup copy of the previous version is kept beside it.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from rectify_xl.adapters.files import ensure_not_locked, write_atomic
from rectify_xl.core.model import col_letter
from rectify_xl.errors import InputError, OutputError

__all__ = ["BACKUP_SUFFIX", "write_sheet_in_place"]

BACKUP_SUFFIX = ".备份"
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WS_TYPE = _REL_NS + "/worksheet"
_WS_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_RE = re.compile(r"<(?:\w+:)?sheet\b[^>]*>")
_ATTR_RE = r'\b{}="([^"]*)"'


def _attr(tag: str, name: str) -> str | None:
    m = re.search(_ATTR_RE.format(re.escape(name)), tag)
    return m.group(1) if m else None


def _unescape(text: str) -> str:
    return (text.replace("&quot;", '"').replace("&apos;", "'").replace("&lt;", "<")
            .replace("&gt;", ">").replace("&amp;", "&"))


def _cell(ref: str, value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        value = "是" if value else "否"
    if isinstance(value, datetime | date):
        value = f"{value:%Y-%m-%d}"
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    text = _ILLEGAL.sub("", str(value))
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}" t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


def sheet_xml(rows: Sequence[Sequence[object]], widths: Sequence[float] = ()) -> bytes:
    """A worksheet part: inline strings (text is never a formula), the header row bold-free."""
    cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                   for i, w in enumerate(widths, start=1))
    body = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(_cell(f"{col_letter(c)}{r}", v) for c, v in enumerate(row, start=1))
        body.append(f'<row r="{r}">{cells}</row>')
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN_NS}" '
           f'xmlns:r="{_REL_NS}">' + (f"<cols>{cols}</cols>" if cols else "")
           + f'<sheetData>{"".join(body)}</sheetData></worksheet>')
    return xml.encode("utf-8")


def _resolve(target: str) -> str:
    target = target.lstrip("/")
    return target if target.startswith("xl/") else "xl/" + target


def write_sheet_in_place(path: Path, name: str, rows: Sequence[Sequence[object]],
                         widths: Sequence[float] = ()) -> Path:
    """Replace (or add, as the last sheet) the sheet ``name`` of the workbook at ``path``.
    Returns the backup of the previous version."""
    path = Path(path)
    ensure_not_locked(path)
    try:
        with zipfile.ZipFile(path) as z:
            members = {i.filename: i for i in z.infolist()}
            book = z.read("xl/workbook.xml").decode("utf-8")
            rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8")
            types = z.read("[Content_Types].xml").decode("utf-8")
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError) as exc:
        raise InputError(f"“{path.name}”不是可以写入的 Excel 工作簿（.xlsx/.xlsm）") from exc
    part, book, rels, types = _place(name, book, rels, types, set(members))
    data = sheet_xml(rows, widths)
    backup = path.with_name(path.name + BACKUP_SUFFIX)
    try:
        shutil.copy2(path, backup)
    except OSError as exc:
        raise OutputError(f"无法在“{path.parent}”中保存备份，未修改台账") from exc
    changed = {"xl/workbook.xml": book.encode("utf-8"),
               "xl/_rels/workbook.xml.rels": rels.encode("utf-8"),
               "[Content_Types].xml": types.encode("utf-8"), part: data}

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w") as dst:
            for info in src.infolist():
                if info.filename in changed:
                    dst.writestr(info, changed.pop(info.filename), compress_type=zipfile.ZIP_DEFLATED)
                else:  # byte for byte: the same compressed data, no re-encoding
                    with src.open(info) as f:
                        dst.writestr(info, f.read(), compress_type=info.compress_type)
            for member, content in changed.items():  # the new sheet part
                dst.writestr(member, content, compress_type=zipfile.ZIP_DEFLATED)

    write_atomic(path, write)
    return backup


def _place(name: str, book: str, rels: str, types: str, members: set[str]
           ) -> tuple[str, str, str, str]:
    """The part that holds sheet ``name`` (new or existing) and the edited package texts."""
    rid_targets = {_attr(t, "Id"): _attr(t, "Target") for t in re.findall(r"<Relationship\b[^>]*>", rels)}
    for tag in _SHEET_RE.findall(book):
        if _unescape(_attr(tag, "name") or "") == name:
            rid = next((v for k, v in re.findall(r'\b(\w+:id)="([^"]*)"', tag)), None)
            target = rid_targets.get(rid)
            if target is None:
                raise InputError(f"工作簿中“{name}”工作表的结构无法识别，未修改台账")
            return _resolve(target), book, rels, types
    n = 1
    while f"xl/worksheets/sheet{n}.xml" in members:
        n += 1
    part = f"xl/worksheets/sheet{n}.xml"
    ids = {int(x) for x in re.findall(r'\bsheetId="(\d+)"', book)}
    sheet_id = max(ids, default=0) + 1
    rid = "rId" + str(max((int(m) for m in re.findall(r'Id="rId(\d+)"', rels)), default=0) + 1)
    prefix = _prefix(book)
    sheet = (f"<{prefix}sheet name={quoteattr(name)} sheetId=\"{sheet_id}\" "
             f"{_rel_prefix(book)}:id=\"{rid}\"/>")
    closing = f"</{prefix}sheets>"
    if closing not in book:
        raise InputError("工作簿结构无法识别（没有工作表列表），未修改台账")
    book = book.replace(closing, sheet + closing, 1)
    rels = rels.replace("</Relationships>", f'<Relationship Id="{rid}" Type="{_WS_TYPE}" '
                        f'Target="worksheets/sheet{n}.xml"/></Relationships>', 1)
    types = types.replace("</Types>", f'<Override PartName="/{part}" ContentType="{_WS_CONTENT}"/>'
                          "</Types>", 1)
    return part, book, rels, types


def _prefix(book: str) -> str:
    """The prefix workbook.xml uses for the main namespace ("" when it is the default)."""
    m = re.search(r'xmlns:(\w+)="' + re.escape(_MAIN_NS) + '"', book)
    return f"{m.group(1)}:" if m and not re.search(r'xmlns="' + re.escape(_MAIN_NS) + '"', book) else ""


def _rel_prefix(book: str) -> str:
    m = re.search(r'xmlns:(\w+)="' + re.escape(_REL_NS) + '"', book)
    if m is None:
        raise InputError("工作簿结构无法识别（缺少关系命名空间），未修改台账")
    return m.group(1)
