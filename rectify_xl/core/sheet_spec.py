"""Output sheets described as data: what a sheet holds and how it looks, never how it is written.

A ``SheetWrites`` (sheets, cell marks, the marks to undo) is applied by one of the thin writers:
``adapters.sheet_file`` (an openpyxl workbook: downloads, ``validate --annotate``, the mailed
copy), ``adapters.sheet_xlsxwriter`` (a new XlsxWriter workbook: the consolidated workbook of
``merge``) and ``adapters.sheet_live`` (an open or remote xlwings book: the buttons). The builders
of each sheet are in ``core.output_sheets`` and ``core.merge_sheets``; colours and styles are
referred to by name and defined once here.

A cell's look is the styles of every ``Styled`` rectangle covering it, layered in the order they
are listed (a later style's settings win; settings it leaves unset are kept): e.g. a summary cell
is ``table`` (font, borders) + ``integer`` (number format) + ``red`` (fill).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from rectify_xl.core.model import col_letter

__all__ = [
    "MARK_FILLS",
    "MARK_STYLES",
    "NOTE_MARK",
    "STYLES",
    "Block",
    "Chart",
    "Choice",
    "ExcelTable",
    "Link",
    "Mark",
    "Page",
    "Series",
    "SheetSpec",
    "SheetWrites",
    "Style",
    "Styled",
    "cell_ref",
    "compose",
]


@dataclass(frozen=True, slots=True)
class Style:
    """What a named style sets; None / False / 0 leave the setting to the styles below it."""

    bold: bool = False
    fill: str | None = None  # "#rrggbb"
    number_format: str | None = None
    font: str | None = None  # a font name, e.g. 宋体
    size: float | None = None  # points
    italic: bool = False
    align: str | None = None  # horizontal: "left", "center", "right"
    valign: str | None = None  # vertical: "top", "center", "bottom"
    wrap: bool = False
    border: int = 0  # 1: thin rules on all four sides
    top: int = 0  # the top rule alone, 2: medium (a total row's rule)
    color: str | None = None  # the font's colour, "#rrggbb"
    border_color: str | None = None  # the rules' colour (default: the application's)


# Named colours, each defined once: Excel's own "bad / neutral / good / note" fills, so findings
# and a unit's red/amber/green read as they do in Excel; darker shades of them for chart bars.
COLOURS: dict[str, str] = {
    "red": "#ffc7ce", "amber": "#ffeb9c", "green": "#c6efce", "blue": "#ddebf7",
    "header": "#d9e1f2",
    "red_bar": "#c0504d", "amber_bar": "#f2b134", "green_bar": "#6aa84f",
    # the ledger workbook: cells to fill in (pale, lightly ruled), hints, what must not be missed
    "fill_in": "#fffff0", "fill_in_rule": "#d9d9d9", "hint_text": "#7f7f7f", "required_text": "#c00000",
}
BOOK_FONT = "宋体"  # the consolidated workbook's font: what 巡察办 tables are printed in
# the ledger workbook's fonts (adapters.workbook_sheets and the report sheets of core.book_sheets)
LEDGER_FONT, LEDGER_HEADER_FONT = "宋体", "黑体"

STYLES: dict[str, Style] = {
    "title": Style(bold=True),
    "header": Style(bold=True, fill=COLOURS["header"]),
    "date": Style(number_format="yyyy-mm-dd"),
    "percent": Style(number_format="0.0%"),
    "error": Style(fill=COLOURS["red"]),
    "warning": Style(fill=COLOURS["amber"]),
    "info": Style(fill=COLOURS["blue"]),
    # the consolidated workbook (core.merge_sheets): 宋体 tables ruled for printing
    "book_title": Style(bold=True, font=BOOK_FONT, size=16, align="center", valign="center"),
    "book_note": Style(italic=True, font=BOOK_FONT, size=10),
    "table": Style(font=BOOK_FONT, size=10, valign="center", border=1),
    "table_header": Style(bold=True, fill=COLOURS["header"], align="center", wrap=True),
    "cell": Style(font=BOOK_FONT, size=10, border=1),  # the 明细 sheet's plain cells
    "wrap": Style(wrap=True),
    "integer": Style(number_format="0"),
    "percent2": Style(number_format="0.00%"),  # as a round's 通报 states rates ("98.71%")
    "day": Style(number_format="yyyy-mm-dd", align="center"),
    "tiny": Style(size=6),  # a 64-digit hash, small and unwrapped: a row prints on one line
    "total": Style(bold=True, top=2),
    "red": Style(fill=COLOURS["red"]),
    "amber": Style(fill=COLOURS["amber"]),
    "green": Style(fill=COLOURS["green"]),
    "red_bar": Style(fill=COLOURS["red_bar"]),
    "amber_bar": Style(fill=COLOURS["amber_bar"]),
    "green_bar": Style(fill=COLOURS["green_bar"]),
    "chart_title": Style(font=BOOK_FONT, size=12),
    "chart_axis": Style(font=BOOK_FONT, size=9),
    # the ledger workbook's own sheets (core.book_sheets), as its builder formats its tables
    "ledger_header": Style(bold=True, fill=COLOURS["blue"], font=LEDGER_HEADER_FONT, size=11,
                           align="center", valign="center", wrap=True, border=1),
    "ledger_wrap": Style(font=LEDGER_FONT, size=11, valign="top", wrap=True),
    "ledger_date": Style(font=LEDGER_FONT, size=11, valign="top", number_format="yyyy-mm-dd",
                         align="left"),
    "ledger_text": Style(font=LEDGER_FONT, size=11, valign="top"),
    "ledger_title": Style(bold=True, font=LEDGER_HEADER_FONT, size=16, valign="center"),
    "ledger_label": Style(bold=True, font=LEDGER_FONT, size=11, valign="top"),
    "ledger_hint": Style(font=LEDGER_FONT, size=11, valign="top", color=COLOURS["hint_text"],
                         wrap=True),
    "ledger_required": Style(font=LEDGER_FONT, size=11, valign="top",
                             color=COLOURS["required_text"]),
    "ledger_fill_in": Style(font=LEDGER_FONT, size=11, valign="top", fill=COLOURS["fill_in"],
                            border=1, border_color=COLOURS["fill_in_rule"]),
    "ledger_percent": Style(font=LEDGER_FONT, size=11, valign="top", number_format="0%",
                            align="right"),
}


_STYLE_FIELDS = tuple(f.name for f in fields(Style))


def compose(names: tuple[str, ...]) -> Style:
    """The named styles layered in order: each set setting overrides the ones before it."""
    if len(names) == 1:
        return STYLES[names[0]]
    out: dict[str, object] = {}
    for name in names:
        style = STYLES[name]
        for f in _STYLE_FIELDS:
            value = getattr(style, f)
            if value:
                out[f] = value
    return Style(**out)  # type: ignore[arg-type]


def cell_ref(row: int, col: int) -> str:
    """"B3" for (3, 2), 1-based."""
    return f"{col_letter(col)}{row}"
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
class Series:
    """One series of a chart: categories and values are ranges of the chart's sheet ("A3:A8");
    ``points`` names a style per point whose fill colours that point's bar."""

    name: str
    categories: str
    values: str
    points: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chart:
    """A chart of the sheet's cells.

    kind "stacked": stacked columns of ``source`` (first column: categories, first row: series
    names). kind "bar": horizontal bars of ``series``, first category on top, each value labelled
    in ``value_format``, the value axis over ``value_range``, no legend; ``size`` in pixels.
    Fonts come from the named styles ``title_style`` and ``axis_style``.
    """

    name: str
    source: str  # "A12:D15"
    anchor: str
    title: str
    kind: str = "stacked"
    series: tuple[Series, ...] = ()
    value_format: str | None = None
    value_range: tuple[float, float] | None = None
    size: tuple[int, int] | None = None
    title_style: str | None = None
    axis_style: str | None = None


@dataclass(frozen=True, slots=True)
class Choice:
    """A drop-down on ``cells`` ("B8"): only ``values`` are accepted; ``message`` says so."""

    cells: str
    values: tuple[str, ...]
    message: str


@dataclass(frozen=True, slots=True)
class Page:
    """How a sheet prints: A4, one page wide; landscape None: by the width of its columns;
    ``repeat``: the 1-based row repeated at the top of every page."""

    landscape: bool | None = None
    repeat: int | None = None


@dataclass(frozen=True, slots=True)
class ExcelTable:
    """An Excel table (filters, banding) from the header row ``top`` down to the sheet's last
    row, columns left..right; the writer knows the last row (the 明细 rows are streamed)."""

    name: str
    style: str  # Excel's table style, e.g. "Table Style Light 9"
    top: int
    left: int
    right: int
    headers: tuple[str, ...]


@dataclass(frozen=True)
class SheetSpec:
    """One output sheet. clear=True: emptied and rewritten (created at the end when missing, or
    after ``after``); clear=False: only the blocks' cells are written (a row appended).

    merges: rectangles shown as one cell (top, left, bottom, right); heights: row → points;
    freeze: the first cell not frozen ("B3"); autofilter: the filtered range ("A1:K5");
    column_style: a named style for whole columns (those in ``widths``), so cells a writer
    streams in later without a format of their own still print ruled; column_styles: a
    column's own (letter → style: what a user types into it looks like the cells above);
    choices: drop-down lists; gridlines=False: the sheet reads as a page (使用说明). as_text: every text stays
    text where the book would read it as a number or a date ("0571", "50%"): a log read back
    must equal what was written (the live writer gives each text Excel's text prefix).
    """

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
    merges: tuple[tuple[int, int, int, int], ...] = ()
    heights: tuple[tuple[int, float], ...] = ()
    freeze: str | None = None
    autofilter: str | None = None
    page: Page | None = None
    column_style: str | None = None
    table: ExcelTable | None = None
    as_text: bool = False
    column_styles: tuple[tuple[str, str], ...] = ()
    choices: tuple[Choice, ...] = ()
    gridlines: bool = True

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
