"""The web workbench's merge also gives the round 通报 (issue 18), as text and Word."""

from __future__ import annotations

import base64
import io
from pathlib import Path

from tests.merge_helpers import write_ledger
from tests.round_helpers import round_records
from tests.server_helpers import WEB, local_client


def test_merge_answer_carries_the_round_notice(tmp_path: Path) -> None:
    from docx import Document

    paths = [write_ledger(tmp_path / f"{u}.xlsx", round_records(u)) for u in ("县财政局", "某某镇")]
    files = [("file", (p.name, p.read_bytes())) for p in paths]
    answer = local_client().post("/api/check", files=files, headers=WEB).json()["merge"]
    by_kind = {f["kind"]: base64.b64decode(f["data"]) for f in answer["files"]}
    assert {"merged", "round_txt", "round_docx"} <= set(by_kind)
    text = by_kind["round_txt"].decode("utf-8")
    assert "共对2个单位（党组织）开展巡察" in text and "（一）" in text
    paragraphs = [p.text for p in Document(io.BytesIO(by_kind["round_docx"])).paragraphs if p.text]
    assert paragraphs[0].endswith("整改进展情况的通报")
