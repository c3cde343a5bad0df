"""佐证材料: evidence files beside the ledger, matched to measures, checked, and listed (issue 17).

Where evidence lives (docs/dev/evidence.md):
- a folder beside the ledger named ``<ledger name>-佐证材料`` (EVIDENCE_FOLDER_SUFFIX);
- in it, one sub-folder per measure named by its 序号 ("3", or "3-制度文件", "3 会议纪要" …);
- or files named in the measure's 佐证材料 cell ("3/通知.pdf；会议纪要.docx"), found in that folder
  by their path or, when the name is unique there, by their file name.

Pure: the adapter lists the folder (adapters.evidence_files) and hands in an EvidenceListing;
this module matches, checks and describes. The manifest is plain data (JSON by the adapter).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rectify_xl.core.findings import Finding, Severity
from rectify_xl.core.model import Ledger, Measure
from rectify_xl.core.rules.registry import code_registrar
from rectify_xl.core.schema import COLUMN_BY_KEY, EVIDENCE_FOLDER_SUFFIX, SHEETS

if TYPE_CHECKING:
    from rectify_xl.core.sheet_spec import SheetSpec

__all__ = [
    "MANIFEST_FORMAT",
    "PACK_MISMATCH",
    "EvidenceFile",
    "EvidenceListing",
    "ManifestProblem",
    "MeasureEvidence",
    "check_evidence",
    "evidence_sheet",
    "folder_name",
    "manifest",
    "match_evidence",
    "references",
    "verify_manifest",
]

MANIFEST_FORMAT = "rectify-xl 佐证材料清单"
MANIFEST_VERSION = 1

_register = code_registrar("evidence")
NO_EVIDENCE = _register(
    "RX440", Severity.WARNING, "已完成的措施没有佐证材料",
    "整改状态为“{status}”，但没有佐证材料（{where}）")
MISSING_FILE = _register(
    "RX441", Severity.WARNING, "佐证材料文件不存在",
    "“{header}”中列出的文件“{name}”在“{folder}”中找不到")
UNMATCHED_FOLDER = _register(
    "RX442", Severity.INFO, "佐证材料文件夹不对应任何措施",
    "“{folder}”中的“{name}”不对应台账中任何措施的序号，其中的文件未计入")

PACK_MISMATCH = _register(
    "RX443", Severity.ERROR, "报送包与清单不符",
    "报送包中的“{path}”{problem}（与报送清单核对不符），请让该单位重新打包报送")

# A token of the 佐证材料 cell names a file when it ends in an extension (2–5 letters/digits).
_SPLIT = re.compile(r"[；;，,、\n]+")
_FILE_RE = re.compile(r"\.[A-Za-z0-9]{2,5}$")
_SEQ_SEPARATORS = "-_ 、.．—（("


def folder_name(ledger_stem: str) -> str:
    return ledger_stem + EVIDENCE_FOLDER_SUFFIX


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    """One file in the evidence folder; ``path`` is relative to the folder, with "/"."""

    path: str
    size: int
    sha256: str = ""

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def top(self) -> str:
        """The first folder of the path ("" for a file directly in the evidence folder)."""
        return self.path.split("/", 1)[0] if "/" in self.path else ""


@dataclass(frozen=True, slots=True)
class EvidenceListing:
    folder: str  # the folder's name, as shown in messages
    exists: bool
    files: tuple[EvidenceFile, ...] = ()
    truncated: bool = False  # more files than the adapter lists


@dataclass(frozen=True, slots=True)
class MeasureEvidence:
    measure: Measure
    files: tuple[EvidenceFile, ...]
    missing: tuple[str, ...]  # names in the 佐证材料 cell that were not found


@dataclass(frozen=True)
class EvidenceMatch:
    items: tuple[MeasureEvidence, ...]
    unmatched_folders: tuple[str, ...] = field(default=())


def references(cell: str) -> list[str]:
    """The file names a 佐证材料 cell lists ("3/通知.pdf；会议纪要.docx" → both); plain
    descriptions ("会议记录") are not file references."""
    out = []
    for token in _SPLIT.split(cell):
        token = token.strip().strip("“”\"'《》").replace("\\", "/").lstrip("./")
        if token and _FILE_RE.search(token):
            out.append(token)
    return out


def _seq_key(text: str) -> str:
    text = text.strip()
    return text.lstrip("0") or "0" if text.isdigit() else text


def _folder_seq(folder: str, seqs: Iterable[str]) -> str | None:
    """The 序号 a sub-folder belongs to: "3", "03", "3-制度文件" → "3"."""
    key = _seq_key(folder)
    known = {_seq_key(s): s for s in seqs if s}
    if key in known:
        return known[key]
    match = re.match(r"^(\d+)", folder)
    if match and len(folder) > len(match.group(1)) and folder[len(match.group(1))] in _SEQ_SEPARATORS:
        return known.get(_seq_key(match.group(1)))
    return None


def match_evidence(ledger: Ledger, listing: EvidenceListing) -> EvidenceMatch:
    """Each measure's files: its 序号 sub-folder, then the files its 佐证材料 cell names."""
    seqs = [m.seq for m in ledger.measures]
    by_seq: dict[str, list[EvidenceFile]] = {}
    unmatched: dict[str, None] = {}
    for f in listing.files:
        if not f.top:
            continue
        seq = _folder_seq(f.top, seqs)
        if seq is None:
            unmatched[f.top] = None
        else:
            by_seq.setdefault(seq, []).append(f)
    by_path = {f.path: f for f in listing.files}
    by_name: dict[str, list[EvidenceFile]] = {}
    for f in listing.files:
        by_name.setdefault(f.name, []).append(f)
    items = []
    for m in ledger.measures:
        files = list(by_seq.get(m.seq, ())) if m.seq else []
        missing = []
        for ref in references(m.evidence):
            found = by_path.get(ref) or (by_name[ref][0] if len(by_name.get(ref, ())) == 1 else None)
            if found is None:
                missing.append(ref)
            elif found not in files:
                files.append(found)
        items.append(MeasureEvidence(m, tuple(files), tuple(missing)))
    return EvidenceMatch(tuple(items), tuple(unmatched))


def check_evidence(ledger: Ledger, listing: EvidenceListing) -> list[Finding]:
    """RX440–RX442. Nothing is reported for a ledger that keeps no evidence at all (no folder,
    an empty 佐证材料 column): the practice is the unit's choice."""
    uses_cells = any(m.evidence for m in ledger.measures)
    if not listing.exists and not uses_cells:
        return []
    matched = match_evidence(ledger, listing)
    sheet = ledger.ledger_sheet
    header = COLUMN_BY_KEY["evidence"].header
    out: list[Finding] = []
    for item in matched.items:
        m = item.measure
        cell = ledger.cell("evidence", m.row) or ledger.cell("status", m.row)
        for name in item.missing:
            out.append(MISSING_FILE.finding(sheet, cell, row=m.row, header=header, name=name,
                                            folder=listing.folder))
        if not m.is_done or item.files:
            continue
        if listing.exists:
            where = (f"“{listing.folder}”中没有序号为“{m.seq}”的文件夹或文件" if m.seq
                     else f"未填序号，“{listing.folder}”中的文件无法对应，“{header}”中也未列出文件")
        elif not m.evidence:
            where = f"“{header}”未填写"
        else:
            continue  # described in the cell, kept on paper: the unit's practice
        out.append(NO_EVIDENCE.finding(sheet, cell, row=m.row, status=m.status_raw, where=where))
    for name in matched.unmatched_folders:
        out.append(UNMATCHED_FOLDER.finding(sheet, None, folder=listing.folder, name=name))
    return out


# --- the manifest ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ManifestProblem:
    path: str
    problem: str  # Chinese: 缺失 / 内容被修改 / 清单外的文件


def manifest(*, ledger: EvidenceFile, unit: str, generated: str, folder: str,
             items: Sequence[MeasureEvidence], extra: Sequence[EvidenceFile] = ()) -> dict[str, Any]:
    """The manifest as plain data: every file with its size and SHA-256, paths relative to the
    folder that holds the ledger (evidence under ``folder/``)."""
    files: list[dict[str, Any]] = [
        {"path": ledger.path, "size": ledger.size, "sha256": ledger.sha256, "kind": "台账"}]
    files += [{"path": f.path, "size": f.size, "sha256": f.sha256, "kind": "文档"} for f in extra]
    seen: set[str] = set()
    for item in items:
        for f in item.files:
            if f.path in seen:
                continue
            seen.add(f.path)
            files.append({"path": f"{folder}/{f.path}", "size": f.size, "sha256": f.sha256,
                          "kind": "佐证材料", "seq": item.measure.seq, "row": item.measure.row})
    return {"format": MANIFEST_FORMAT, "version": MANIFEST_VERSION, "unit": unit,
            "generated": generated, "files": files}


def verify_manifest(data: object, present: dict[str, EvidenceFile]) -> list[ManifestProblem]:
    """Compare a manifest with the files present (path → size and SHA-256): each listed file
    missing or changed, and each file present but not listed, is a problem."""
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        return [ManifestProblem("", "清单格式无法识别")]
    listed = data.get("files")
    if not isinstance(listed, list):
        return [ManifestProblem("", "清单中没有文件列表")]
    problems = []
    names: set[str] = set()
    for entry in listed:
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            problems.append(ManifestProblem("", "清单中有无法识别的条目"))
            continue
        path = entry["path"]
        names.add(path)
        got = present.get(path)
        if got is None:
            problems.append(ManifestProblem(path, "缺失"))
        elif got.size != entry.get("size") or got.sha256 != entry.get("sha256"):
            problems.append(ManifestProblem(path, "内容被修改"))
    problems += [ManifestProblem(p, "清单外的文件") for p in sorted(set(present) - names)]
    return problems


# --- the 佐证材料清单 sheet ---------------------------------------------------------------------
_SHEET_HEADER = ("行号", "序号", "整改状态", "整改措施", "文件", "大小（字节）", "SHA-256", "说明")
_SHEET_WIDTHS = (("A", 6), ("B", 6), ("C", 10), ("D", 36), ("E", 40), ("F", 12), ("G", 66),
                 ("H", 30))


def evidence_sheet(items: Sequence[MeasureEvidence], listing: EvidenceListing,
                   ledger_sheet: str, *, generated: str) -> SheetSpec:
    """佐证材料清单: one row per file (a measure without files gets one row saying so)."""
    from rectify_xl.core.sheet_spec import Block, SheetSpec, Styled  # here: validate needs none

    rows: list[tuple[object, ...]] = [
        (f"佐证材料清单（{listing.folder}）",),
        (f"生成时间：{generated}　文件{sum(len(i.files) for i in items)}个",),
        (),
        _SHEET_HEADER,
    ]
    for item in items:
        m = item.measure
        status = m.status_raw
        note = "；".join(f"“{n}”不存在" for n in item.missing)
        if not item.files:
            rows.append((m.row, m.seq, status, m.text, None, None, None,
                         note or ("没有佐证材料" if m.is_done else None)))
        for i, f in enumerate(item.files):
            rows.append((m.row, m.seq, status, m.text, f.path, f.size, f.sha256,
                         note if i == 0 else None))
    styles = (Styled(1, 1, 1, 1, "title"), Styled(4, 1, 4, len(_SHEET_HEADER), "header"))
    return SheetSpec(SHEETS.EVIDENCE, (Block(1, 1, tuple(rows)),), styles=styles,
                     widths=_SHEET_WIDTHS, after=ledger_sheet)
