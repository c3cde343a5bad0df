"""The live-book writer of sheet descriptions (core.sheet_spec): applies SheetWrites to a workbook
open in Excel (COM) or sent by the xlwings remote client, through adapters.excel_live.LiveBook.

What an engine cannot do is left out the way LiveBook documents: the remote VBA client has no
bold or column width actions (columns are autofitted there instead), notes and charts go
through the runMacro helpers. Everything is described before the first write, so a failure on
the remote engine leaves no half-applied actions (the caller discards the queue).
"""

from __future__ import annotations

from rectify_xl.adapters.excel_live import LiveBook
from rectify_xl.core.sheet_spec import MARK_FILLS, STYLES, Mark, SheetSpec, SheetWrites

__all__ = ["apply_writes", "fills_before", "write_sheet"]

_AUTOFIT_UP_TO = 20  # remote: autofit the narrow columns; a wide text column would sprawl


def fills_before(live: LiveBook, marks: tuple[Mark, ...]) -> dict[tuple[str, str], str | None]:
    """The current fills of the cells to mark, where the engine can read them (COM)."""
    if live.remote:
        return {}
    return {(m.sheet, m.cell): live.fill_of(m.sheet, m.cell) for m in marks}


def _unmark(live: LiveBook, mark: Mark) -> None:
    current = live.fill_of(mark.sheet, mark.cell)
    if current is not None and current not in MARK_FILLS:
        return  # the user recoloured it since: theirs now (only readable on COM)
    live.fill(mark.sheet, mark.cell, mark.before)
    live.remove_note(mark.sheet, mark.cell)


def _mark(live: LiveBook, mark: Mark) -> None:
    live.fill(mark.sheet, mark.cell, STYLES[mark.style].fill)
    if mark.note and live.rich:
        live.add_note(mark.sheet, mark.cell, mark.note)


def write_sheet(live: LiveBook, spec: SheetSpec) -> bool:
    """Write one described sheet; True if its chart was drawn (False: none, or the engine can't)."""
    live.sheet(spec.name, clear=spec.clear)
    for block in spec.blocks:
        values = block.rows
        if spec.as_text:  # Excel's text prefix: "0571" or "1/2" must read back as written
            values = tuple(tuple("'" + v if isinstance(v, str) and v else v for v in r)
                           for r in values)
        live.write(spec.name, block.row, block.col, values)
    for styled in spec.styles:
        style = STYLES[styled.style]
        if style.fill:
            live.fill(spec.name, styled.address, style.fill)
        if style.number_format:
            live.number_format(spec.name, styled.address, style.number_format)
        if style.bold:
            live.bold(spec.name, styled.address)
    for link in spec.links:
        address = f"{_letter(link.col)}{link.row}"
        live.link(spec.name, address, link.sheet, link.cell, link.text, link.tip)
    for letter, width in spec.widths:
        if not live.column_width(spec.name, letter, width) and width <= _AUTOFIT_UP_TO:
            live.autofit_columns(spec.name, f"{letter}:{letter}")
    if spec.text_width is not None:
        rows = sum(len(b.rows) for b in spec.blocks)
        live.format_text_column(spec.name, f"A1:A{max(rows, 1)}", spec.text_width)
    if spec.hidden:
        live.hide(spec.name)
    chart = spec.chart  # the live engines draw the stacked kind (进度汇总); bars are files' only
    return chart is not None and chart.kind == "stacked" and live.chart(
        spec.name, chart.name, chart.source, chart.anchor, chart.title)


def _letter(col: int) -> str:
    from rectify_xl.core.model import col_letter

    return col_letter(col)


def apply_writes(live: LiveBook, writes: SheetWrites) -> bool:
    """Undo the previous marks, mark the cells, write the sheets, activate; True if a chart was drawn."""
    sheets = {s.name for s in live.book.sheets}
    for mark in writes.unmark:
        if mark.sheet in sheets:
            _unmark(live, mark)
    for mark in writes.marks:
        if mark.sheet in sheets:
            _mark(live, mark)
    drawn = False
    for spec in writes.sheets:
        drawn = write_sheet(live, spec) or drawn
    if writes.activate:
        live.activate(writes.activate)
    return drawn
