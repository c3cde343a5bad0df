"""The workbook open in Excel, through xlwings: read it into grids, write small things back.

Two engines run the same button code:
- COM (``RunPython`` in desktop Excel on Windows/macOS): writes apply at once, and notes, charts,
  column widths, wrap and print setup are all available.
- remote (xlwings Server; also the tests' stand-in): writes are queued as actions that the
  client replays. The VBA client replays only 37 action kinds, so notes, charts, wrap and print
  setup go through helper Subs in ``macros/Buttons.bas`` called with ``runMacro``; clearing a
  fill does too (the VBA client's setRangeColor cannot take "no fill").
Formats, notes and hyperlinks cannot be read on the remote engine, so nothing here relies on
reading them there.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rectify_xl.core.cells import inert_text
from rectify_xl.core.model import Grid
from rectify_xl.core.sheet_spec import NOTE_MARK

if TYPE_CHECKING:
    import xlwings as xw

__all__ = [
    "NOTE_MARK",
    "LiveBook",
    "read_grids",
]


# Helper Subs in macros/Buttons.bas for the remote VBA client (see the module docstring).
HELPER_CLEAR_FILL = "RxClearFill"
HELPER_SET_NOTE = "RxSetNote"
HELPER_CLEAR_NOTE = "RxClearNote"
HELPER_CHART = "RxChart"
HELPER_FORMAT_TEXT = "RxFormatText"

XL_COLUMN_STACKED = 52  # Excel's XlChartType values, as the helper Sub receives them


@contextmanager
def _optional() -> Iterator[None]:
    """Notes, charts and print setup are extras: if an Excel version refuses one, carry on."""
    try:
        yield
    except Exception:
        logging.getLogger(__name__).debug("optional Excel feature failed", exc_info=True)


def read_grids(book: xw.Book) -> dict[str, Grid]:
    """Every sheet's values from A1 to its last used cell; merges are unknown on the remote engine."""
    grids: dict[str, Grid] = {}
    for sheet in book.sheets:
        last = sheet.used_range.last_cell
        values = sheet.range((1, 1), (last.row, last.column)).options(ndim=2).value
        rows = [list(row) for row in values or []]
        grids[sheet.name] = Grid(sheet.name, rows, merges=None)
    return grids


def _cell_value(value: object) -> object:
    """What goes into a cell: text never becomes a formula; dates stay dates."""
    if isinstance(value, datetime | date):
        return value
    return inert_text(value)


@dataclass
class LiveBook:
    """An xlwings Book plus what its engine can do. Sheet names, not objects, cross this API."""

    book: xw.Book

    @property
    def remote(self) -> bool:
        return self.book.app.engine.name == "remote"

    @property
    def helpers(self) -> bool:
        """Remote client that runs VBA (runMacro), so the Buttons.bas helpers are there."""
        return self.remote and self.book.api.get("client") == "VBA"

    @property
    def rich(self) -> bool:
        """Notes, charts, widths and print setup can be made, directly or through a helper."""
        return not self.remote or self.helpers

    def path(self) -> Path | None:
        """The saved workbook file; None if unsaved, in the cloud, or unknown (remote engine)."""
        if self.remote:
            return None
        try:
            path = Path(self.book.fullname)
        except Exception:  # an unsaved book or a cloud URL: there is no file
            return None
        return path if path.is_absolute() and path.is_file() else None

    def folder(self) -> Path | None:
        """The folder the workbook is saved in; None when ``path()`` is None."""
        path = self.path()
        return path.parent if path else None

    @property
    def stem(self) -> str:
        return Path(self.book.name).stem

    # --- sheets -----------------------------------------------------------------------------
    def has_sheet(self, name: str) -> bool:
        return any(s.name == name for s in self.book.sheets)

    def sheet(self, name: str, *, clear: bool = False) -> xw.Sheet:
        """The named sheet, created at the end if missing; clear=True empties it first."""
        if self.has_sheet(name):
            sheet = self.book.sheets[name]
            if clear:
                sheet.clear()
            return sheet
        return self.book.sheets.add(name, after=self.book.sheets[-1])

    def hide(self, name: str) -> bool:
        """Hide the sheet (not very hidden: a user may still look); False if the engine can't."""
        if not self.remote:
            self.book.sheets[name].visible = False
            return True
        if self.helpers:  # the VBA client has no visibility action: the Buttons.bas helper
            self._helper("RxHideSheet", name)
            return True
        return False

    def activate(self, name: str) -> None:
        self.book.sheets[name].activate()

    # --- values -----------------------------------------------------------------------------
    def write(self, sheet: str, row: int, col: int, rows: Sequence[Sequence[object]]) -> None:
        """A block of values with its top-left cell at (row, col), 1-based; ragged rows padded."""
        if not rows:
            return
        width = max(len(r) for r in rows)
        block = [[_cell_value(v) for v in r] + [None] * (width - len(r)) for r in rows]
        self.book.sheets[sheet].range((row, col)).value = block

    def number_format(self, sheet: str, address: str, fmt: str) -> None:
        self.book.sheets[sheet].range(address).number_format = fmt

    def autofit_columns(self, sheet: str, address: str) -> None:
        self.book.sheets[sheet].range(address).columns.autofit()

    def bold(self, sheet: str, address: str) -> None:
        """Bold text where the engine can (not the remote VBA client: no such action)."""
        if not self.remote:
            with _optional():
                self.book.sheets[sheet].range(address).font.bold = True

    def column_width(self, sheet: str, letter: str, width: float) -> bool:
        """Set a column's width where the engine can; False where it cannot (remote)."""
        if self.remote:
            return False
        with _optional():
            self.book.sheets[sheet].range(f"{letter}:{letter}").column_width = width
        return True

    # --- fills, notes, links ----------------------------------------------------------------
    def fill(self, sheet: str, address: str, rgb: tuple[int, int, int] | str | None) -> None:
        """Set a fill colour; None removes the fill."""
        if rgb is None and self.helpers:
            self._helper(HELPER_CLEAR_FILL, sheet, address)
            return
        self.book.sheets[sheet].range(address).color = rgb

    def fill_of(self, sheet: str, address: str) -> str | None:
        """The cell's fill as '#rrggbb' where it can be read (COM); None otherwise or if none."""
        if self.remote:
            return None
        try:
            color = self.book.sheets[sheet].range(address).color
        except Exception:  # an engine that cannot read colours
            return None
        if color is None:
            return None
        return "#{:02x}{:02x}{:02x}".format(*color)

    def add_note(self, sheet: str, address: str, text: str) -> None:
        """A note (text starting with NOTE_MARK), only where the cell has no note of the user's."""
        if self.helpers:
            self._helper(HELPER_SET_NOTE, sheet, address, text)
        elif not self.remote:
            cell = self.book.sheets[sheet].range(address)
            with _optional():
                if cell.note is None:
                    cell.add_note(text)

    def remove_note(self, sheet: str, address: str) -> None:
        """Delete the cell's note only if this program wrote it (it starts with NOTE_MARK)."""
        if self.helpers:
            self._helper(HELPER_CLEAR_NOTE, sheet, address, NOTE_MARK)
        elif not self.remote:
            with _optional():
                note = self.book.sheets[sheet].range(address).note
                if note is not None and note.text.startswith(NOTE_MARK):
                    note.delete()

    def link(self, sheet: str, address: str, target_sheet: str, target_cell: str, text: str,
             tip: str) -> None:
        """A hyperlink to a cell of this workbook (the "#'sheet'!A1" form Excel resolves inside)."""
        target = f"#'{target_sheet}'!{target_cell}"
        self.book.sheets[sheet].range(address).add_hyperlink(target, str(inert_text(text)), tip)

    # --- layout only some engines can do ----------------------------------------------------
    def chart(self, sheet: str, name: str, source: str, anchor: str, title: str) -> bool:
        """A stacked column chart of ``source`` at ``anchor``, replacing the one of that name."""
        if self.helpers:
            self._helper(HELPER_CHART, sheet, name, source, anchor, XL_COLUMN_STACKED, title)
            return True
        if self.remote:
            return False
        with _optional():
            ws = self.book.sheets[sheet]
            for existing in ws.charts:
                if existing.name == name:
                    existing.delete()
            top_left = ws.range(anchor)
            chart = ws.charts.add(left=top_left.left, top=top_left.top, width=480, height=288)
            chart.name = name
            chart.chart_type = "column_stacked"
            chart.set_source_data(ws.range(source))
            return True
        return False

    def format_text_column(self, sheet: str, address: str, width: float) -> None:
        """Column A as printable text: a fixed width, wrapped rows, one page wide."""
        if self.helpers:
            self._helper(HELPER_FORMAT_TEXT, sheet, address, width)
            return
        if self.remote:
            return
        ws = self.book.sheets[sheet]
        with _optional():
            ws.range("A:A").column_width = width
            ws.range(address).wrap_text = True
            ws.range(address).rows.autofit()
            ws.page_setup.print_area = address
        with _optional():
            setup = ws.api.PageSetup  # Windows COM; macOS appscript has no such object
            setup.Zoom = False
            setup.FitToPagesWide = 1
            setup.FitToPagesTall = False

    # --- messages ---------------------------------------------------------------------------
    def alert(self, message: str, title: str, *, critical: bool = False) -> None:
        self.book.app.alert(message, title=title, mode="critical" if critical else "info")

    def discard_pending(self) -> None:
        """Drop queued remote actions, so a failed button leaves the workbook as it was."""
        if self.remote:
            self.book.json()["actions"].clear()

    def _helper(self, macro: str, *args: Any) -> None:
        self.book.macro(macro)(*args)
