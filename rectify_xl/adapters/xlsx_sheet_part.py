"""Put one plain sheet into an existing .xlsx by editing its package, never re-saving it.

openpyxl would rewrite the whole workbook and drop what it does not understand (the charts of
汇总 and 排名, for one). Here every other part of the package is copied byte for byte; only the
named sheet's part is (re)written, and on first use the workbook's sheet list, relationships and
content types get one entry each. The new package is written beside the file and renamed onto it
(adapters.files.write_bytes_atomic); a workbook open in Excel/WPS (``~$`` lock) is refused first.

The sheet holds values only (inline strings, never formulas): a log the program keeps, e.g. the
consolidated workbook's 催报记录 (issue 18).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from rectify_xl.adapters.files import ensure_not_locked, os_reason, write_bytes_atomic
from rectify_xl.core.model import col_letter
from rectify_xl.core.sheet_spec import SheetSpec
from rectify_xl.errors import InputError, OutputError

__all__ = ["put_described_sheet", "put_sheet"]

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SHEET_TYPE = _REL + "/worksheet"
_SHEET_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
# Characters XML 1.0 cannot hold (a unit's text may carry them): dropped, never an invalid part.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MAX_PART = 50 * 1024 * 1024  # the workbook parts this edits are small; a bigger one is suspect


def _text(value: object) -> str:
    return _ILLEGAL.sub("", str(value))[:32767]


def _cell(ref: str, value: object) -> str:
    if isinstance(value, bool):
        value = "是" if value else "否"
    if isinstance(value, int | float) and value == value and abs(value) != float("inf"):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    text = _text(value)
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}" t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


def sheet_xml(rows: Sequence[Sequence[object]], widths: Sequence[float] = ()) -> bytes:
    """A worksheet part of values: header row bold-free, frozen under row 1, columns sized."""
    cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                   for i, w in enumerate(widths, start=1))
    body = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(_cell(f"{col_letter(c)}{r}", v) for c, v in enumerate(row, start=1)
                        if v is not None and v != "")
        body.append(f'<row r="{r}">{cells}</row>')
    views = ('<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
             'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>')
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">{views}'
           f'{f"<cols>{cols}</cols>" if cols else ""}<sheetData>{"".join(body)}</sheetData>'
           '<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
           '<pageSetup paperSize="9" orientation="landscape"/></worksheet>')
    return xml.encode("utf-8")


def _sheet_target(workbook_xml: str, rels_xml: str, name: str) -> str | None:
    """The part name (xl/…) of the sheet called ``name``, or None when there is none."""
    for m in re.finditer(r"<(?:\w+:)?sheet\b([^>]*)/?>", workbook_xml):
        attrs = m.group(1)
        sheet_name = re.search(r'\bname="([^"]*)"', attrs)
        rid = re.search(r'\br:id="([^"]*)"|\b\w+:id="([^"]*)"', attrs)
        if sheet_name and rid and _unescape(sheet_name.group(1)) == name:
            wanted = rid.group(1) or rid.group(2)
            for rel in re.finditer(r"<(?:\w+:)?Relationship\b([^>]*)/?>", rels_xml):
                if re.search(rf'\bId="{re.escape(wanted)}"', rel.group(1)):
                    target = re.search(r'\bTarget="([^"]*)"', rel.group(1))
                    if target:
                        t = target.group(1)
                        return t.lstrip("/") if t.startswith("/") else posixpath.normpath(
                            posixpath.join("xl", t))
    return None


def _unescape(text: str) -> str:
    from xml.sax.saxutils import unescape

    return unescape(text, {"&quot;": '"', "&apos;": "'"})


def _add_sheet(parts: dict[str, bytes], name: str, hidden: bool = False) -> str:
    """Register a new worksheet part; returns its part name."""
    workbook = parts["xl/workbook.xml"].decode("utf-8")
    rels = parts["xl/_rels/workbook.xml.rels"].decode("utf-8")
    types = parts["[Content_Types].xml"].decode("utf-8")
    n = 1
    while f"xl/worksheets/sheet{n}.xml" in parts:
        n += 1
    part = f"xl/worksheets/sheet{n}.xml"
    ids = {int(i) for i in re.findall(r'\bId="rId(\d+)"', rels)}
    rid = f"rId{max(ids, default=0) + 1}"
    sheet_ids = [int(i) for i in re.findall(r"<(?:\w+:)?sheet\b[^>]*\bsheetId=\"(\d+)\"", workbook)]
    sheet_id = max(sheet_ids, default=0) + 1
    prefix = re.search(r"<(\w+:)?sheets\b", workbook)
    if prefix is None or "</" + (prefix.group(1) or "") + "sheets>" not in workbook:
        raise OutputError("工作簿的结构无法识别（缺少工作表目录），未写入")
    p = prefix.group(1) or ""
    state = ' state="hidden"' if hidden else ""
    # the prefix declared on the element itself: a root may not declare r (openpyxl declares it
    # on each <sheet>) or may bind r to another namespace (strict OOXML)
    entry = (f'<{p}sheet xmlns:r="{_REL}" name="{escape(name, {chr(34): "&quot;"})}" '
             f'sheetId="{sheet_id}"{state} r:id="{rid}"/>')
    workbook = workbook.replace(f"</{p}sheets>", entry + f"</{p}sheets>", 1)
    rel_m = re.search(r"<(\w+:)?Relationships\b", rels)
    rel_p = (rel_m.group(1) if rel_m else "") or ""
    rels = rels.replace(f"</{rel_p}Relationships>", f'<{rel_p}Relationship Id="{rid}" '
                        f'Type="{_SHEET_TYPE}" Target="worksheets/sheet{n}.xml"/>'
                        f"</{rel_p}Relationships>", 1)
    types = types.replace("</Types>", f'<Override PartName="/{part}" '
                          f'ContentType="{_SHEET_CONTENT}"/></Types>', 1)
    parts["xl/workbook.xml"] = workbook.encode("utf-8")
    parts["xl/_rels/workbook.xml.rels"] = rels.encode("utf-8")
    parts["[Content_Types].xml"] = types.encode("utf-8")
    return part


def put_sheet(path: Path, name: str, rows: Sequence[Sequence[object]],
              widths: Sequence[float] = (), *, hidden: bool = False) -> Path:
    """Write ``rows`` as the sheet ``name`` of the workbook at ``path`` (added at the end when new);
    every other part of the package stays as it was. Atomic; refused while the file is open."""
    ensure_not_locked(path)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if sum(i.file_size for i in infos) > 20 * _MAX_PART:
                raise InputError(f"“{path.name}”过大，不像是台账或汇总表，未写入")
            order = [i.filename for i in infos]
            parts = {i.filename: zf.read(i) for i in infos}
    except zipfile.BadZipFile as exc:
        raise InputError(f"“{path.name}”不是有效的 .xlsx 文件，未写入") from exc
    except OSError as exc:
        raise InputError(f"无法读取“{path.name}”：{os_reason(exc)}") from exc
    needed = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml")
    if any(n not in parts for n in needed):
        raise InputError(f"“{path.name}”不是有效的 .xlsx 文件，未写入")
    target = _sheet_target(parts["xl/workbook.xml"].decode("utf-8"),
                           parts["xl/_rels/workbook.xml.rels"].decode("utf-8"), name)
    if target is None or target not in parts:
        target = _add_sheet(parts, name, hidden)
        order.append(target)
    parts[target] = sheet_xml(rows, widths)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for part in order:
            zf.writestr(part, parts[part])
    return write_bytes_atomic(path, out.getvalue())


def put_described_sheet(path: Path, spec: SheetSpec) -> Path:
    """A sheet description (core.sheet_spec) written with ``put_sheet``: its values and column
    widths. Cell styles are not applied: that would mean editing the package's shared styles
    part, which this writer never touches (the header row stays plain)."""
    values = spec.values()
    last_row = max((r for r, _ in values), default=0)
    last_col = max((c for _, c in values), default=0)
    rows = [[values.get((r, c)) for c in range(1, last_col + 1)] for r in range(1, last_row + 1)]
    letters = {col_letter(i): i for i in range(1, max(last_col, len(spec.widths)) + 1)}
    widths = [0.0] * max((letters.get(letter, 0) for letter, _ in spec.widths), default=0)
    for letter, width in spec.widths:
        if letter in letters:
            widths[letters[letter] - 1] = width
    return put_sheet(path, spec.name, rows, [w or 9.0 for w in widths], hidden=spec.hidden)
