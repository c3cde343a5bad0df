"""Workbook sources: where a use case reads its ledger from — a file, an open (or remote) xlwings
book, or uploaded bytes. Every use case takes one, so a button, a command and the web workbench
run the same code on the same cells.

A source reads its grids once (``grids()`` caches) and parses the ledger from every sheet but the
ones the actions write themselves (core.schema.OUTPUT_SHEETS). ``saved_file`` gives the
actions that need the workbook file itself (mail attaches a macro-free copy of it) a path, or
says in Chinese why a live book has none. Notice texts (import, check-notice) come from a
``TextDocument``: a file, or uploaded bytes with the name the user knows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from rectify_xl.adapters.excel_live import LiveBook
    from rectify_xl.adapters.text_input import TextSource as Paragraphs
    from rectify_xl.adapters.xlsx_reader import PendingGrids
    from rectify_xl.core.model import Grid, Ledger

__all__ = ["BytesSource", "FileSource", "LiveSource", "TextBytes", "TextDocument", "TextFile",
           "WorkbookSource", "as_source", "as_text", "is_xls", "ledger_of", "refuse_xls", "saved_file"]


T = TypeVar("T")


class WorkbookSource(Protocol):
    @property
    def name(self) -> str:
        """The workbook's name as the user knows it (findings and messages show it)."""
        ...

    def grids(self) -> dict[str, Grid]:
        """Every sheet's values, anchored at A1 (read once, then cached)."""
        ...

    def fills(self, cells: list[tuple[str, str]]) -> dict[tuple[str, str], str | None]:
        """The current fills of these cells where the source can tell; {} where it cannot."""
        ...


class _Cached:
    """Grids read once (``_read``), the parsed ledger kept (``ledger_of``); no fills by default."""

    _grids: dict[str, Grid] | None = None
    _ledger: Ledger | None = None

    def grids(self) -> dict[str, Grid]:
        if self._grids is None:
            self._grids = self._read()
        return self._grids

    def _read(self) -> dict[str, Grid]:
        raise NotImplementedError

    def fills(self, cells: list[tuple[str, str]]) -> dict[tuple[str, str], str | None]:
        return {}


@dataclass
class FileSource(_Cached):
    """A workbook file; ``shown`` is the name the user knows when the file is a private copy."""

    path: Path
    shown: str | None = None
    _pending: PendingGrids | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.path = Path(self.path)

    @property
    def name(self) -> str:
        return self.shown or self.path.name

    def prefetch(self) -> None:
        """Start reading now (the file's checks at once, calamine's parse in a thread), so
        that the caller's next imports overlap the parse; grids() then waits for it. A file
        that cannot be read says so here."""
        if self._grids is None and self._pending is None:
            from rectify_xl.adapters.xlsx_reader import begin_reading

            self._pending = self._named(lambda: begin_reading(self.path))

    def _read(self) -> dict[str, Grid]:
        from rectify_xl.adapters.xlsx_reader import begin_reading

        pending, self._pending = self._pending, None
        if pending is None:  # nothing to overlap: no thread
            pending = self._named(lambda: begin_reading(self.path, background=False))
        return self._named(pending.grids)

    def _named(self, call: Callable[[], T]) -> T:
        from rectify_xl.errors import RectifyError

        try:
            return call()
        except RectifyError as exc:
            if self.shown:  # name the user's file, not the generated copy
                exc.message = exc.message.replace(self.path.name, self.shown)
                exc.args = (exc.message,)
            raise


@dataclass
class BytesSource(_Cached):
    """An uploaded workbook: read through a private temporary copy that is removed at once."""

    shown: str
    data: bytes = field(repr=False)

    @property
    def name(self) -> str:
        return self.shown

    def _read(self) -> dict[str, Grid]:
        from rectify_xl.adapters.upload_copy import private_copy

        with private_copy(self.data, Path(self.shown).suffix or ".xlsx",
                          (".xlsx", ".xlsm", ".xls")) as path:
            return FileSource(path, self.shown).grids()


@dataclass
class LiveSource(_Cached):
    """The workbook open in Excel (COM) or sent by the xlwings remote client."""

    live: LiveBook

    @property
    def name(self) -> str:
        return str(self.live.book.name)

    def _read(self) -> dict[str, Grid]:
        from rectify_xl.adapters.excel_live import read_grids

        return read_grids(self.live.book)

    def fills(self, cells: list[tuple[str, str]]) -> dict[tuple[str, str], str | None]:
        if self.live.remote:
            return {}
        return {(sheet, cell): self.live.fill_of(sheet, cell) for sheet, cell in cells}


def ledger_of(source: WorkbookSource) -> Ledger:
    """The ledger in the source's sheets (never one of the output sheets), parsed once per source.

    The ledger sheet's cells are then dropped from the source's cache (its name stays): they
    are most of a big workbook's memory and nothing after the parse needs them. A caller that
    does (the annotated copy freezes formulas from them) takes ``dict(source.grids())`` first.
    """
    from rectify_xl.core.model import Grid
    from rectify_xl.core.parse import parse_ledger
    from rectify_xl.core.schema import OUTPUT_SHEETS  # not output_sheets: it builds sheets
    from rectify_xl.errors import InputError

    cached: Ledger | None = getattr(source, "_ledger", None)
    if cached is not None:
        return cached
    grids = source.grids()
    try:
        ledger = parse_ledger({k: g for k, g in grids.items() if k not in OUTPUT_SHEETS})
    except InputError as exc:  # the core names sheets and cells; the file is named here
        shown = Path(str(source.name)).name
        if shown and shown not in exc.message:
            exc.message = f"“{shown}”：{exc.message}"
            exc.args = (exc.message,)
        raise
    grids[ledger.ledger_sheet] = Grid(ledger.ledger_sheet, [], ())
    if isinstance(source, _Cached):
        source._ledger = ledger
    return ledger


def as_source(source: WorkbookSource | str | Path) -> WorkbookSource:
    """A path (the tests', the benchmarks' and the package's top-level calls) as a FileSource."""
    return FileSource(Path(source)) if isinstance(source, str | Path) else source


def is_xls(source: WorkbookSource | Path) -> bool:
    """An old .xls (by content for a file or upload, by name for a live book): read, never
    written or copied (the readers measure it: adapters.xls_extent). A file that cannot be
    read is not one here: reading it says why, naming the file as the user knows it."""
    if isinstance(source, FileSource):
        source = source.path
    if isinstance(source, Path):
        try:
            with source.open("rb") as f:
                head = f.read(8)
        except OSError:
            return False
    elif isinstance(source, BytesSource):
        head = source.data[:8]
    else:  # a live book: nothing imported on a click's path
        return source.name.lower().endswith(".xls")
    from rectify_xl.adapters.ole_container import OLE_MAGIC

    return head == OLE_MAGIC


def refuse_xls(source: WorkbookSource | Path, action: str) -> None:
    """One Chinese sentence (InputError, exit 2) before an action writes into or copies an .xls;
    nothing is written and the file is not touched."""
    if is_xls(source):
        from rectify_xl.adapters.xlsx_reader import xls_not_writable
        from rectify_xl.errors import InputError

        raise InputError(xls_not_writable(source.name, action))


@contextmanager
def saved_file(source: WorkbookSource, action: str) -> Iterator[Path]:
    """The workbook as a file, for an action that copies the file itself (``action`` names it in
    the message): the file of a FileSource, a private copy of uploaded bytes (removed after).
    A live book is not a file: its unsaved edits would be missing, so it is refused. (An action
    that copies the workbook with openpyxl refuses an .xls first: ``refuse_xls``.)"""
    if isinstance(source, FileSource):
        yield source.path
    elif isinstance(source, BytesSource):
        from rectify_xl.adapters.upload_copy import private_copy

        with private_copy(source.data, Path(source.shown).suffix or ".xlsx") as path:
            yield path
    else:
        from rectify_xl.errors import InputError

        raise InputError(f"{action}需要已保存的台账文件，不能直接使用正在 Excel/WPS 中编辑的工作簿"
                         f"“{source.name}”：请先保存工作簿，再用保存后的文件{action}")


class TextDocument(Protocol):
    """A notice or feedback document (.txt or .docx) to import or to check."""

    @property
    def name(self) -> str: ...

    def read(self) -> Paragraphs:
        """Its paragraphs and the encoding they were read in; InputError if it is unusable."""
        ...


@dataclass(frozen=True)
class TextFile:
    path: Path

    @property
    def name(self) -> str:
        return Path(self.path).name

    def read(self) -> Paragraphs:
        from rectify_xl.adapters.text_input import read_paragraphs

        return read_paragraphs(self.path)


@dataclass(frozen=True)
class TextBytes:
    """An uploaded document: read through a private temporary copy that is removed at once."""

    shown: str
    data: bytes = field(repr=False)

    @property
    def name(self) -> str:
        return self.shown

    def read(self) -> Paragraphs:
        from rectify_xl.adapters.text_input import read_paragraphs
        from rectify_xl.adapters.upload_copy import private_copy
        from rectify_xl.errors import RectifyError

        with private_copy(self.data, Path(self.shown).suffix, (".txt", ".docx")) as path:
            try:
                return read_paragraphs(path)
            except RectifyError as exc:  # name the user's file, not the private copy
                exc.message = exc.message.replace(path.name, self.shown)
                exc.args = (exc.message,)
                raise


def as_text(document: TextDocument | str | Path) -> TextDocument:
    return TextFile(Path(document)) if isinstance(document, str | Path) else document
