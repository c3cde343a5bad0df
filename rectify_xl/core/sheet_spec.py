"""Output sheets described as data: what a sheet holds and how it looks, never how it is written.

A ``SheetWrites`` (sheets, cell marks, the marks to undo) is applied by one of two thin writers:
``adapters.sheet_file`` (an openpyxl workbook: downloads, ``validate --annotate``, the mailed
copy) and ``adapters.sheet_live`` (an open or remote xlwings book: the buttons). The builders of
each sheet are in ``core.output_sheets``; styles are referred to by name and defined once here.
"""

from __future__ import annotations

from dataclasses import dataclass

from rectify_xl.core.model import col_letter

__all__ = [
    "MARK_FILLS",
    "MARK_STYLES",
    "NOTE_MARK",
    "STYLES",
    "Block",
    "Chart",
    "Link",
    "Mark",
    "SheetSpec",
    "SheetWrites",
    "Style",
    "Styled",
]


@dataclass(frozen=True, slots=True)
class Style:
    bold: bool = False
    fill: str | None = None  # "#rrggbb"
    number_format: str | None = None


# Excel's own "bad / neutral / note" fills for findings, so the colours read as they do in Excel.
STYLES: dict[str, Style] = {
    "title": Style(bold=True),
    "header": Style(bold=True, fill="#d9e1f2"),
    "date": Style(number_format="yyyy-mm-dd"),
    "percent": Style(number_format="0.0%"),
    "error": Style(fill="#ffc7ce"),
    "warning": Style(fill="#ffeb9c"),
    "info": Style(fill="#ddebf7"),
}
MARK_STYLES = ("error", "warning", "info")  # worst first; the fills a mark may leave in a user's cell
MARK_FILLS = frozenset(STYLES[s].fill for s in MARK_STYLES)
# Every note a mark adds starts with this, so a later run deletes only its own notes.
NOTE_MARK = "【校验】"


@dataclass(frozen=True, slots=True)
class Block:
    """Values with their top-left cell at (row, col), 1-based; None leaves a cell empty."""

    row: int
    col: int
    rows: tuple[tuple[object, ...], ...]


@dataclass(frozen=True, slots=True)
class Styled:
    """A named style (a key of STYLES) on the rectangle top..bottom × left..right, 1-based."""

    top: int
    left: int
    bottom: int
    right: int
    style: str

    @property
    def address(self) -> str:
        return f"{col_letter(self.left)}{self.top}:{col_letter(self.right)}{self.bottom}"


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink at (row, col) to a cell of the same workbook, showing ``text``."""

    row: int
    col: int
    sheet: str
    cell: str
    text: str
    tip: str


@dataclass(frozen=True, slots=True)
class Chart:
    """A stacked column chart of ``source`` (first column: categories, first row: series names)."""

    name: str
    source: str  # "A12:D15"
    anchor: str
    title: str


@dataclass(frozen=True)
class SheetSpec:
    """One output sheet. clear=True: emptied and rewritten (created at the end when missing, or
    after ``after``); clear=False: only the blocks' cells are written (a row appended)."""

    name: str
    blocks: tuple[Block, ...]
    clear: bool = True
    styles: tuple[Styled, ...] = ()
    links: tuple[Link, ...] = ()
    widths: tuple[tuple[str, float], ...] = ()  # column letter → width in characters
    chart: Chart | None = None
    text_width: float | None = None  # column A printed as wrapped paragraphs of this width
    after: str | None = None
    hidden: bool = False  # a sheet the tool keeps for itself (修改记录快照)

    def values(self) -> dict[tuple[int, int], object]:
        """Every written cell, (row, col) → value: what the tests compare between writers."""
        out: dict[tuple[int, int], object] = {}
        for b in self.blocks:
            for r, row in enumerate(b.rows, start=b.row):
                for c, value in enumerate(row, start=b.col):
                    if value is not None and value != "":
                        out[(r, c)] = value
        return out


@dataclass(frozen=True, slots=True)
class Mark:
    """A cell of the user's sheet filled in a named style, with a note; ``before`` is its fill
    before the mark (recorded so the next run restores it; None when unknown or none)."""

    sheet: str
    cell: str
    style: str
    note: str = ""
    before: str | None = None

    @property
    def ref(self) -> str:
        return f"{self.sheet}!{self.cell}"


@dataclass(frozen=True)
class SheetWrites:
    """Everything one action writes into a workbook, in the order a writer applies it:
    undo ``unmark`` (the previous run's marks), apply ``marks``, write ``sheets``, show ``activate``."""

    sheets: tuple[SheetSpec, ...] = ()
    marks: tuple[Mark, ...] = ()
    unmark: tuple[Mark, ...] = ()
    activate: str | None = None

    def __add__(self, other: SheetWrites) -> SheetWrites:
        return SheetWrites(self.sheets + other.sheets, self.marks + other.marks,
                           self.unmark + other.unmark, other.activate or self.activate)

    def sheet(self, name: str) -> SheetSpec | None:
        return next((s for s in self.sheets if s.name == name), None)
