"""A stand-in for an xlwings Book on the COM engine (desktop Excel), backed by openpyxl.

COM cannot run here, but the buttons take other branches there: writes apply at once, fills and
notes can be read, notes/charts/column widths/print setup are made with the xlwings API. This
fake implements just the part of that API the buttons use, so those branches run in tests.
It is a model of xlwings' behaviour, not of Excel's: what it cannot catch is listed in
docs/dev/buttons.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

__all__ = ["FakeComBook"]

_CELL_RE = re.compile(r"^\$?([A-Z]+)\$?(\d*)$")


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _corner(text: str, *, last: bool) -> tuple[int, int]:
    m = _CELL_RE.match(text.upper())
    if not m:
        raise ValueError(f"fake COM book: cannot parse address {text!r}")
    row = int(m[2]) if m[2] else (1_048_576 if last else 1)
    return row, _col(m[1])


@dataclass
class _Chart:
    sheet: str
    name: str = ""
    chart_type: str = ""
    source: str = ""
    deleted: bool = False

    def set_source_data(self, rng: _Range) -> None:
        self.source = rng.address

    def delete(self) -> None:
        self.deleted = True


class _Note:
    def __init__(self, cell: Any) -> None:
        self._cell = cell

    @property
    def text(self) -> str:
        return str(self._cell.comment.text)

    def delete(self) -> None:
        self._cell.comment = None


class _Range:
    def __init__(self, sheet: _Sheet, r1: int, c1: int, r2: int, c2: int) -> None:
        self.sheet, self.r1, self.c1, self.r2, self.c2 = sheet, r1, c1, r2, c2

    @property
    def ws(self) -> Any:
        return self.sheet.ws

    @property
    def address(self) -> str:
        from openpyxl.utils import get_column_letter as L

        return f"{L(self.c1)}{self.r1}:{L(self.c2)}{self.r2}"

    def _cells(self) -> list[Any]:
        r2 = min(self.r2, max(self.ws.max_row, self.r1))
        return [self.ws.cell(r, c) for r in range(self.r1, r2 + 1)
                for c in range(self.c1, self.c2 + 1)]

    @property
    def last_cell(self) -> _Range:
        return _Range(self.sheet, self.r2, self.c2, self.r2, self.c2)

    @property
    def row(self) -> int:
        return self.r1

    @property
    def column(self) -> int:
        return self.c1

    left = property(lambda self: float(self.c1 * 50))
    top = property(lambda self: float(self.r1 * 15))

    def options(self, **kwargs: Any) -> _Range:
        return self

    @property
    def value(self) -> list[list[object]]:
        return [[self.ws.cell(r, c).value for c in range(self.c1, self.c2 + 1)]
                for r in range(self.r1, self.r2 + 1)]

    @value.setter
    def value(self, block: Any) -> None:
        rows = block if isinstance(block, list) and block and isinstance(block[0], list) else [[block]]
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                if isinstance(v, str) and v.startswith("'"):
                    v = v[1:]  # Excel's text prefix
                self.ws.cell(self.r1 + i, self.c1 + j).value = v

    @property
    def color(self) -> tuple[int, int, int] | None:
        fill = self.ws.cell(self.r1, self.c1).fill
        if fill is None or fill.fill_type is None:
            return None
        rgb = fill.fgColor.rgb[-6:]
        return int(rgb[0:2], 16), int(rgb[2:4], 16), int(rgb[4:6], 16)

    @color.setter
    def color(self, value: Any) -> None:
        from openpyxl.styles import PatternFill

        for cell in self._cells():
            if value is None:
                cell.fill = PatternFill(fill_type=None)
            else:
                hex_ = value.lstrip("#") if isinstance(value, str) else "{:02x}{:02x}{:02x}".format(*value)
                cell.fill = PatternFill("solid", fgColor="FF" + hex_.upper())

    @property
    def note(self) -> _Note | None:
        cell = self.ws.cell(self.r1, self.c1)
        return _Note(cell) if cell.comment is not None else None

    def add_note(self, text: str) -> _Note:
        from openpyxl.comments import Comment

        cell = self.ws.cell(self.r1, self.c1)
        if cell.comment is not None:
            raise ValueError("This cell already has a note")  # as xlwings does
        cell.comment = Comment(text, "rectify-xl")
        return _Note(cell)

    def add_hyperlink(self, address: str, text: str, screen_tip: str) -> None:
        from openpyxl.worksheet.hyperlink import Hyperlink

        cell = self.ws.cell(self.r1, self.c1)
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=address.lstrip("#"),
                                   tooltip=screen_tip)
        cell.value = text

    @property
    def number_format(self) -> str:
        return str(self.ws.cell(self.r1, self.c1).number_format)

    @number_format.setter
    def number_format(self, fmt: str) -> None:
        for cell in self._cells():
            cell.number_format = fmt

    @property
    def wrap_text(self) -> bool:
        return bool(self.ws.cell(self.r1, self.c1).alignment.wrap_text)

    @wrap_text.setter
    def wrap_text(self, value: bool) -> None:
        from openpyxl.styles import Alignment

        for cell in self._cells():
            cell.alignment = Alignment(wrap_text=value)

    @property
    def column_width(self) -> float:
        from openpyxl.utils import get_column_letter

        return float(self.ws.column_dimensions[get_column_letter(self.c1)].width)

    @column_width.setter
    def column_width(self, width: float) -> None:
        from openpyxl.utils import get_column_letter

        for c in range(self.c1, self.c2 + 1):
            self.ws.column_dimensions[get_column_letter(c)].width = width

    @property
    def columns(self) -> Any:
        return SimpleNamespace(autofit=lambda: None)

    @property
    def rows(self) -> Any:
        return SimpleNamespace(autofit=lambda: None)


class _Charts:
    def __init__(self, sheet: _Sheet) -> None:
        self.sheet = sheet

    def _live(self) -> list[_Chart]:
        return [c for c in self.sheet.book.charts if c.sheet == self.sheet.name and not c.deleted]

    def __iter__(self) -> Any:
        return iter(self._live())

    def add(self, left: float = 0, top: float = 0, width: float = 355, height: float = 211) -> _Chart:
        chart = _Chart(self.sheet.name)
        self.sheet.book.charts.append(chart)
        return chart


class _Sheet:
    def __init__(self, book: FakeComBook, ws: Any) -> None:
        self.book, self.ws = book, ws
        self.page_setup = SimpleNamespace(print_area=None)
        self.api = SimpleNamespace(PageSetup=SimpleNamespace())

    @property
    def name(self) -> str:
        return str(self.ws.title)

    @property
    def used_range(self) -> _Range:
        return _Range(self, 1, 1, self.ws.max_row, self.ws.max_column)

    def range(self, a: Any, b: Any = None) -> _Range:
        if isinstance(a, tuple):
            r2, c2 = b if b is not None else a
            return _Range(self, a[0], a[1], r2, c2)
        first, _, second = str(a).partition(":")
        r1, c1 = _corner(first, last=False)
        r2, c2 = _corner(second or first, last=True)
        if not second and not _CELL_RE.match(first.upper())[2]:  # type: ignore[index]
            r2 = 1_048_576
        return _Range(self, r1, c1, r2, c2)

    def clear(self) -> None:
        for row in self.ws.iter_rows():
            for cell in row:
                cell.value = None
                cell.hyperlink = None
                cell.style = "Normal"

    def activate(self) -> None:
        self.book.wb.active = self.book.wb.worksheets.index(self.ws)

    @property
    def charts(self) -> _Charts:
        return _Charts(self)


class _Sheets:
    def __init__(self, book: FakeComBook) -> None:
        self.book = book

    def __iter__(self) -> Any:
        return iter([_Sheet(self.book, ws) for ws in self.book.wb.worksheets])

    def __getitem__(self, key: str | int) -> _Sheet:
        ws = self.book.wb.worksheets[key] if isinstance(key, int) else self.book.wb[key]
        return self.book.sheet_of(ws)

    def add(self, name: str, before: Any = None, after: Any = None) -> _Sheet:
        return self.book.sheet_of(self.book.wb.create_sheet(name))


@dataclass
class FakeComBook:
    """``FakeComBook(openpyxl_wb, fullname)``: writes land in ``wb`` immediately, as on COM."""

    wb: Any
    fullname: str
    charts: list[_Chart] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    _sheets: dict[int, _Sheet] = field(default_factory=dict)

    def __post_init__(self) -> None:
        alerts = self.alerts
        self.app = SimpleNamespace(
            engine=SimpleNamespace(name="excel"),
            alert=lambda prompt, title=None, mode=None, **kw: alerts.append(
                {"prompt": prompt, "title": title, "mode": mode}) or "ok",
        )

    @property
    def name(self) -> str:
        return Path(self.fullname).name

    @property
    def api(self) -> Any:
        raise AssertionError("COM branches must not touch the remote payload")

    @property
    def sheets(self) -> _Sheets:
        return _Sheets(self)

    def sheet_of(self, ws: Any) -> _Sheet:
        return self._sheets.setdefault(id(ws), _Sheet(self, ws))

    def live_charts(self) -> list[_Chart]:
        return [c for c in self.charts if not c.deleted]
