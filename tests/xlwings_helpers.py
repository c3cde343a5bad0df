"""Run button functions through xlwings' remote engine without Excel (issue 3, item 5).

- ``payload_from_file(path)``: the JSON the xlwings VBA client (``Remote.bas``) sends, built from a
  real workbook read with openpyxl: client "VBA", version = xlwings.__version__, values anchored
  at A1, empty cells null, dates as "yyyy-mm-ddTHH:MM:SS.000Z" (local time labelled Z, as
  ``WebHelpers.ConvertToIso`` does).
- ``remote_book(payload)``: ``xw.Book(json=deepcopy(payload))`` (the engine mutates its payload).
- ``replay(wb, actions)``: apply ``book.json()["actions"]`` to an openpyxl workbook the way the VBA
  client would. An action kind the VBA client does not implement, a null colour (its HexToRgb
  fails on Null) or an unknown macro raises ReplayError, so a test fails where Excel would.

The office-server tests reuse all three.
"""

from __future__ import annotations

import copy
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

ROOT = Path(__file__).resolve().parent.parent
BUTTONS_BAS = ROOT / "macros" / "Buttons.bas"

__all__ = [
    "BUTTONS_BAS",
    "Replay",
    "ReplayError",
    "payload_from_file",
    "remote_book",
    "replay",
    "vba_client_actions",
]


class ReplayError(AssertionError):
    """The VBA client could not run these actions."""


# --- payload ---------------------------------------------------------------------------------
def _json_value(value: object) -> object:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(value, time):
        return value.isoformat()
    return value


def payload_from_file(path: str | Path, *, active_sheet_index: int = 0,
                      selection: str = "A1") -> dict[str, Any]:
    """The payload of xlwings' VBA remote client for this workbook file (read-only)."""
    import openpyxl
    import xlwings as xw

    path = Path(path)
    wb = openpyxl.load_workbook(path, data_only=True)  # cached values, as Excel would send
    sheets = []
    for ws in wb.worksheets:
        if ws.max_row == 1 and ws.max_column == 1 and ws["A1"].value is None:
            values: list[list[object]] = [[None]]
        else:
            values = [[_json_value(v) for v in row]
                      for row in ws.iter_rows(min_row=1, min_col=1, max_row=ws.max_row,
                                              max_col=ws.max_column, values_only=True)]
        sheets.append({"name": ws.title, "values": values, "pictures": [], "tables": []})
    wb.close()
    return {
        "client": "VBA",
        "version": xw.__version__,
        "book": {"name": path.name, "active_sheet_index": active_sheet_index,
                 "selection": selection},
        "names": [],
        "sheets": sheets,
    }


def _ensure_remote_engine() -> None:
    import xlwings as xw

    if "remote" not in [e.name for e in xw.engines]:  # xlwings was imported before the key was set
        from xlwings.main import Engine
        from xlwings.pro import _xlremote

        xw.engines.add(Engine(impl=_xlremote.engine))


def remote_book(payload: dict[str, Any]) -> Any:
    """A remote-engine Book over a private copy of the payload."""
    import xlwings as xw

    _ensure_remote_engine()
    return xw.Book(json=copy.deepcopy(payload))


# --- replay ----------------------------------------------------------------------------------
def vba_client_actions() -> frozenset[str]:
    """Action kinds the xlwings VBA client implements (Subs of the add-in's Remote.bas)."""
    import xlwings as xw

    text = (Path(xw.__file__).parent / "addin" / "Remote.bas").read_text("latin-1")
    return frozenset(re.findall(r"^Sub (\w+)\(wb As Workbook, action As Dictionary\)", text, re.M))


def helper_subs() -> frozenset[str]:
    """Public Subs of macros/Buttons.bas that take the workbook first (runMacro targets)."""
    text = BUTTONS_BAS.read_text("ascii")
    return frozenset(re.findall(r"^Public Sub (\w+)\(wb As Workbook", text, re.M))


@dataclass
class Replay:
    """What replaying did beyond cell changes: message boxes, macro calls, charts."""

    wb: Any
    alerts: list[dict[str, str]] = field(default_factory=list)
    macros: list[list[Any]] = field(default_factory=list)
    charts: list[dict[str, Any]] = field(default_factory=list)
    funcs: list[str] = field(default_factory=list)


_ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?Z?)?$")


def _excel_value(value: object) -> object:
    """What Excel stores when VBA assigns this JSON value to Range.Value."""
    if isinstance(value, str):
        if _ISO_RE.match(value):  # the client tries WebHelpers.ParseIso on every value
            return datetime.fromisoformat(value.rstrip("Z").replace(" ", "T"))
        if value.startswith("'"):
            return value[1:]  # Excel's text prefix: stored as text, not shown
    return value


def _cells(ws: Any, action: dict[str, Any]) -> list[Any]:
    r0, c0 = action["start_row"] + 1, action["start_column"] + 1
    return [ws.cell(r, c) for r in range(r0, r0 + action["row_count"])
            for c in range(c0, c0 + action["column_count"])]


def _set_value(cell: Any, value: object) -> None:
    v = _excel_value(value)
    cell.value = v
    if isinstance(v, str) and v[:1] in "=+-@" and len(v) > 1:
        cell.data_type = "f"  # Excel would have made it a live formula


def _fill(cell: Any, hex_color: str | None) -> None:
    from openpyxl.styles import PatternFill

    if hex_color is None:
        cell.fill = PatternFill(fill_type=None)
    else:
        cell.fill = PatternFill("solid", fgColor="FF" + hex_color.lstrip("#").upper())


def _sheet(wb: Any, name: str) -> Any:
    if name not in wb.sheetnames:
        raise ReplayError(f"macro refers to missing sheet {name!r}")
    return wb[name]


def _clear_cells(cells: list[Any], *, contents: bool, formats: bool) -> None:
    for cell in cells:
        if contents:
            cell.value = None
            cell.hyperlink = None
        if formats:
            cell.style = "Normal"


def _run_macro(rep: Replay, args: list[Any]) -> None:
    from openpyxl.comments import Comment

    name = str(args[0]).rsplit("!", 1)[-1]
    if name not in helper_subs():
        raise ReplayError(f"runMacro {name}: no such Sub in macros/Buttons.bas")
    rep.macros.append([name, *args[1:]])
    wb, rest = rep.wb, args[1:]
    if name == "RxClearFill":
        for cell in _range(_sheet(wb, rest[0]), rest[1]):
            _fill(cell, None)
    elif name == "RxSetNote":
        cell = _sheet(wb, rest[0])[rest[1]]
        if cell.comment is None:
            cell.comment = Comment(rest[2], "rectify-xl")
    elif name == "RxClearNote":
        cell = _sheet(wb, rest[0])[rest[1]]
        if cell.comment is not None and cell.comment.text.startswith(rest[2]):
            cell.comment = None
    elif name == "RxChart":
        sheet, chart, source, anchor, kind, title = rest
        rep.charts = [c for c in rep.charts if (c["sheet"], c["name"]) != (sheet, chart)]
        rep.charts.append({"sheet": sheet, "name": chart, "source": source, "anchor": anchor,
                           "type": kind, "title": title})
    elif name == "RxHideSheet":
        _sheet(wb, rest[0]).sheet_state = "hidden"
    elif name == "RxFormatText":
        ws = _sheet(wb, rest[0])
        ws.column_dimensions["A"].width = rest[2]
        from openpyxl.styles import Alignment

        for cell in _range(ws, rest[1]):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.print_area = rest[1]


def _range(ws: Any, address: str) -> list[Any]:
    block = ws[address]
    if not isinstance(block, tuple):
        return [block]
    return [c for row in block for c in (row if isinstance(row, tuple) else (row,))]


def replay(wb: Any, actions: list[dict[str, Any]], *, client: str = "VBA") -> Replay:
    """Apply remote-engine actions to an openpyxl workbook as the VBA client would."""
    from openpyxl.worksheet.hyperlink import Hyperlink

    rep = Replay(wb)
    allowed = vba_client_actions()
    for action in actions:
        func, args = action["func"], action["args"]
        rep.funcs.append(func)
        if client == "VBA" and func not in allowed:
            raise ReplayError(f"the VBA client cannot run {func!r}")
        pos = action["sheet_position"]
        ws = wb.worksheets[pos] if pos is not None and pos < len(wb.worksheets) else None
        if func == "setValues":
            values = action["values"]
            r0, c0 = action["start_row"] + 1, action["start_column"] + 1
            for i, row in enumerate(values):
                for j, v in enumerate(row):
                    _set_value(ws.cell(r0 + i, c0 + j), v)
        elif func == "addSheet":
            wb.create_sheet(args[1], args[0] + 1)
        elif func == "setSheetName":
            ws.title = args[0]
        elif func == "activateSheet":
            wb.active = args[0]
        elif func == "sheetDelete":
            wb.remove(ws)
        elif func in ("sheetClear", "sheetClearContents", "sheetClearFormats"):
            cells = [c for row in ws.iter_rows() for c in row]
            _clear_cells(cells, contents=func != "sheetClearFormats",
                         formats=func != "sheetClearContents")
        elif func in ("rangeClear", "rangeClearContents", "rangeClearFormats"):
            _clear_cells(_cells(ws, action), contents=func != "rangeClearFormats",
                         formats=func != "rangeClearContents")
        elif func == "setRangeColor":
            if args[0] is None and client == "VBA":
                raise ReplayError("setRangeColor(null): the VBA client's HexToRgb fails on Null")
            for cell in _cells(ws, action):
                _fill(cell, args[0])
        elif func == "setNumberFormat":
            for cell in _cells(ws, action):
                cell.number_format = args[0]
        elif func == "addHyperlink":
            address, text, tip = args
            for cell in _cells(ws, action):
                if address.startswith("#"):
                    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=address[1:],
                                               tooltip=tip)
                else:
                    cell.hyperlink = Hyperlink(ref=cell.coordinate, target=address, tooltip=tip)
                cell.value = text
        elif func == "alert":
            prompt, title, buttons, mode, callback = args
            rep.alerts.append({"prompt": prompt, "title": title, "buttons": buttons,
                               "mode": mode, "callback": callback})
        elif func == "runMacro":
            _run_macro(rep, args)
        elif func in ("setAutofit",):
            pass  # layout only
        else:
            raise ReplayError(f"replay of {func!r} is not implemented in tests/xlwings_helpers.py")
    return rep
