"""Use cases of 佐证材料 (issue 17): the evidence listing, its manifest and sheet, the 报送包.

- ``evidence``: every measure's files with sizes and SHA-256, a manifest file beside the ledger
  and, on request, an annotated copy with the 佐证材料清单 sheet;
- ``pack``: one archive for superiors — the macro-free ledger, the notice (.docx), the evidence
  and a manifest — refused (nothing written) while the ledger has errors;
(merge checks a received pack against its manifest: adapters.pack_reader.)

Both take a workbook source (a ledger file, or uploaded bytes: the manifest and the pack hash
the workbook file itself, so a book open in Excel is refused with one sentence, as by mail) and
the evidence as an ``EvidenceStore``: by default the 台账名-佐证材料 folder beside a ledger file
(``FolderEvidence``); a source that is not a file on disk has no folder beside it
(``NoEvidence``: listed as missing). Inputs are only read; every output is written atomically.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from rectify_xl.core.evidence import (
    EvidenceFile,
    EvidenceListing,
    MeasureEvidence,
    evidence_sheet,
    folder_name,
    manifest,
    match_evidence,
)
from rectify_xl.core.findings import Report
from rectify_xl.core.model import Ledger
from rectify_xl.core.schema import PACK_MANIFEST
from rectify_xl.errors import InputError, OutputError
from rectify_xl.services.source import FileSource, WorkbookSource, ledger_of, saved_file

__all__ = [
    "EvidenceResult",
    "EvidenceStore",
    "FolderEvidence",
    "NoEvidence",
    "PackResult",
    "evidence",
    "evidence_of",
    "listing_of",
    "manifest_path",
    "pack",
]

MANIFEST_SUFFIX = "-佐证材料清单.json"


class EvidenceStore(Protocol):
    """Where a ledger's evidence files are: listed (with SHA-256 when ``hashes``) and read."""

    def listing(self, *, hashes: bool) -> EvidenceListing: ...

    def read(self, path: str) -> bytes:
        """The content of a listed file (``path`` as in the listing)."""
        ...


@dataclass(frozen=True)
class FolderEvidence:
    """The 台账名-佐证材料 folder beside a ledger file (adapters.evidence_files: bounded, no links
    followed)."""

    ledger: Path

    def listing(self, *, hashes: bool) -> EvidenceListing:
        from rectify_xl.adapters.evidence_files import list_evidence

        return list_evidence(self.ledger, hashes=hashes)

    def read(self, path: str) -> bytes:
        from rectify_xl.adapters.evidence_files import evidence_folder

        return (evidence_folder(self.ledger) / path).read_bytes()


@dataclass(frozen=True)
class NoEvidence:
    """A ledger with no folder beside it (uploaded bytes, an open book): its folder is missing."""

    stem: str

    def listing(self, *, hashes: bool) -> EvidenceListing:
        return EvidenceListing(folder_name(self.stem), False)

    def read(self, path: str) -> bytes:
        raise FileNotFoundError(path)


def evidence_of(source: WorkbookSource) -> EvidenceStore:
    """The evidence beside a ledger file; none for any other source."""
    if isinstance(source, FileSource) and not source.shown:
        return FolderEvidence(source.path)
    return NoEvidence(Path(source.name).stem)


def listing_of(source: WorkbookSource, *, hashes: bool = False) -> EvidenceListing | None:
    """The evidence folder of a ledger file; None for a source that is not a file on disk
    (an upload or a live book has no folder beside it: validate then checks no evidence)."""
    if not isinstance(source, FileSource) or source.shown:
        return None
    return FolderEvidence(source.path).listing(hashes=hashes)


def manifest_path(ledger: Path) -> Path:
    return ledger.parent / f"{ledger.stem}{MANIFEST_SUFFIX}"


@dataclass(frozen=True)
class EvidenceResult:
    ledger: Ledger
    listing: EvidenceListing
    items: tuple[MeasureEvidence, ...]
    unmatched: tuple[str, ...]
    report: Report  # RX440–RX442
    manifest: dict[str, Any]
    written: tuple[Path, ...]


def evidence(source: WorkbookSource, *, now: datetime, manifest_out: Path | None = None,
             annotate_out: Path | None = None, files: EvidenceStore | None = None
             ) -> EvidenceResult:
    """List, hash and check the evidence (``files``; default ``evidence_of(source)``); write the
    manifest (beside a ledger file unless ``manifest_out``) and, with ``annotate_out``, a copy
    of the workbook with 佐证材料清单."""
    from rectify_xl.adapters.evidence_files import file_entry
    from rectify_xl.adapters.files import write_text_atomic
    from rectify_xl.core.evidence import check_evidence
    from rectify_xl.core.sheet_spec import SheetWrites

    # beside a ledger file; a private copy of an upload (``shown``) has no "beside"
    own = source.path if isinstance(source, FileSource) and not source.shown else None
    if annotate_out is not None:  # before anything is written: the copy is made by openpyxl
        from rectify_xl.services.source import refuse_xls

        refuse_xls(source, "生成带佐证材料表的副本")
    ledger = ledger_of(source)
    listing = (files or evidence_of(source)).listing(hashes=True)
    matched = match_evidence(ledger, listing)
    report = Report.build(source.name, check_evidence(ledger, listing))
    generated = f"{now:%Y-%m-%d %H:%M}"
    if manifest_out is not None:
        target = manifest_out
    elif own is not None:
        target = manifest_path(own)
    else:  # uploaded bytes have no "beside"
        raise InputError(f"请指定“{source.name}”的佐证材料清单文件名（--manifest）")
    with saved_file(source, "生成佐证材料清单") as book:
        data = manifest(ledger=file_entry(book, source.name, hashes=True),
                        unit=ledger.info.unit, generated=generated, folder=listing.folder,
                        items=matched.items)
        if own is not None:
            _not_an_input(target, own)
        written = [write_text_atomic(target, json.dumps(data, ensure_ascii=False, indent=1) + "\n")]
        if annotate_out is not None:
            from rectify_xl.adapters.xlsx_copy import annotated_copy, save_bytes

            if own is not None:
                _not_an_input(annotate_out, own)
            sheet = evidence_sheet(matched.items, listing, ledger.ledger_sheet, generated=generated)
            copy = annotated_copy(book, source.grids(), SheetWrites((sheet,), activate=sheet.name))
            written.append(save_bytes(copy, annotate_out))
    return EvidenceResult(ledger, listing, matched.items, matched.unmatched_folders, report, data,
                          tuple(written))


def _not_an_input(target: Path, ledger: Path) -> None:
    if Path(target).resolve() == ledger.resolve():
        raise OutputError(f"输出文件不能覆盖原台账“{ledger.name}”，请另取一个文件名")


# --- the 报送包 ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class PackResult:
    report: Report  # the ledger's findings (with RX440–RX442); errors mean nothing was written
    written: Path | None
    members: tuple[str, ...] = ()


def pack(source: WorkbookSource, *, out: Path, today: date, now: datetime,
         as_of: date | None = None, files: EvidenceStore | None = None) -> PackResult:
    """The 报送包: ``<ledger>.xlsx`` (macro-free), ``<ledger>-公告.docx``, ``<ledger>-佐证材料/…``
    (``files``; default ``evidence_of(source)``) and ``报送清单.json`` (every other member with
    its size and SHA-256). Names are stored as UTF-8 with the zip's UTF-8 flag, so Windows
    Explorer shows Chinese names correctly."""
    from rectify_xl.adapters.files import ensure_not_locked, write_atomic
    from rectify_xl.adapters.xlsx_copy import macro_free_copy, workbook_bytes
    from rectify_xl.core.evidence import check_evidence
    from rectify_xl.services.ledger import check, notice_text, settings_of
    from rectify_xl.services.source import refuse_xls

    out = Path(out)
    if out.suffix.lower() != ".zip":
        raise OutputError(f"报送包应保存为 .zip 文件，而不是“{out.name}”")
    refuse_xls(source, "制作报送包")  # the pack holds a macro-free .xlsx copy of the ledger
    if isinstance(source, FileSource):
        _not_an_input(out, source.path)
    ensure_not_locked(out)
    store = files or evidence_of(source)
    ledger = ledger_of(source)
    listing = store.listing(hashes=True)
    findings = list(check(ledger, source.name, as_of=as_of, today=today,
                          settings=settings_of(source)).findings)
    findings += check_evidence(ledger, listing)
    report = Report.build(source.name, findings)
    if report.has_errors():
        return PackResult(report, None)
    stem = Path(source.name).stem
    with saved_file(source, "打包报送") as book:
        workbook = workbook_bytes(macro_free_copy(book, grids=source.grids()))
    members: dict[str, bytes | str] = {  # bytes, or a listed evidence file read when zipped
        f"{stem}.xlsx": workbook,
        f"{stem}-公告.docx": _notice_docx(ledger, notice_text(ledger)),
    }
    matched = match_evidence(ledger, listing)
    for f in listing.files:
        members[f"{listing.folder}/{f.path}"] = f.path
    entries = {name: _entry(name, data) for name, data in members.items()
               if isinstance(data, bytes)}
    entries |= {f"{listing.folder}/{f.path}": EvidenceFile(f"{listing.folder}/{f.path}", f.size,
                                                           f.sha256) for f in listing.files}
    ledger_entry = entries.pop(f"{stem}.xlsx")
    docs = [entries[f"{stem}-公告.docx"]]
    data = manifest(ledger=ledger_entry, unit=ledger.info.unit, generated=f"{now:%Y-%m-%d %H:%M}",
                    folder=listing.folder, items=matched.items, extra=docs)
    listed = {e["path"] for e in data["files"]}
    data["files"] += [{"path": n, "size": e.size, "sha256": e.sha256, "kind": "佐证材料"}
                      for n, e in entries.items() if n not in listed]  # files of no measure

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
            for name, content in members.items():
                info = zipfile.ZipInfo(name, date_time=now.timetuple()[:6])
                info.compress_type = zipfile.ZIP_DEFLATED
                info.flag_bits |= 0x800  # UTF-8 names (Python sets it for non-ASCII too)
                z.writestr(info, content if isinstance(content, bytes) else store.read(content))
            info = zipfile.ZipInfo(PACK_MANIFEST, date_time=now.timetuple()[:6])
            info.flag_bits |= 0x800
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, json.dumps(data, ensure_ascii=False, indent=1) + "\n")

    write_atomic(out, write)
    return PackResult(report, out, (*members, PACK_MANIFEST))


def _entry(name: str, content: bytes) -> EvidenceFile:
    import hashlib

    return EvidenceFile(name, len(content), hashlib.sha256(content).hexdigest())


def _notice_docx(ledger: Ledger, text: str) -> bytes:
    from rectify_xl.services.document import write_notice_document

    with tempfile.TemporaryDirectory(prefix="rectify-pack-") as tmp:
        path = write_notice_document(ledger, text, Path(tmp) / "notice.docx")[0]
        return path.read_bytes()
