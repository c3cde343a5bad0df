"""Property: for any ledger of 1 to 200 problems the .docx is produced, numbered and complete."""

from __future__ import annotations

import tempfile
from pathlib import Path

from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rectify_xl.core.document import heading_gaps, parse_marker
from rectify_xl.core.records import ledger_from_records
from rectify_xl.services.document import write_notice_document
from rectify_xl.services.ledger import notice_text
from tests.document_helpers import long_records, squeeze


@settings(max_examples=6, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(problems=st.integers(1, 200), aspects=st.integers(1, 12), measures=st.integers(1, 3),
       words=st.integers(1, 4))
def test_any_ledger_gives_a_gapless_complete_docx(problems: int, aspects: int, measures: int,
                                                  words: int) -> None:
    """Headings gapless at every level; text = the .txt notice + title + signature + date."""
    ledger = ledger_from_records(long_records(problems, aspects=aspects, measures=measures, words=words))
    text = notice_text(ledger)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "公告.docx"
        assert write_notice_document(ledger, text, out) == [out]
        paragraphs = [p.text for p in Document(str(out)).paragraphs if p.text]
    assert heading_gaps(paragraphs) == []
    level3 = [p for p in paragraphs if (m := parse_marker(p)) and m[0] == 3]
    assert len(level3) == problems
    assert paragraphs[0] == "县委政法委关于巡察整改进展情况的公告"
    assert paragraphs[-2:] == ["中共××县委政法委员会", "2021年11月5日"]
    assert squeeze("".join(paragraphs[1:-2])) == squeeze(text)
    assert "".join(paragraphs[1:-2]) == "".join(line.strip() for line in text.splitlines())
