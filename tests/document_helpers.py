"""Helpers for the notice-document tests: ledgers of any size, and reading .docx/.pdf back."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

from rectify_xl.core.records import LedgerRecords

ROOT = Path(__file__).resolve().parent.parent
MM = 72 / 25.4  # points per millimetre

_PHRASES = (
    "坚持问题导向，逐条对照反馈意见查找差距，",
    "制定了专项整改方案并明确责任领导、责任部门和完成时限，",
    "组织召开专题会议研究部署整改工作，",
    "建立健全长效机制，推动整改工作制度化、规范化、常态化，",
    "定期开展督促检查，对进展缓慢的事项及时提醒督办，",
    "切实巩固和扩大整改成果，",
)


def _sentence(seed: int, length: int) -> str:
    parts = [_PHRASES[(seed + i) % len(_PHRASES)] for i in range(length)]
    return "".join(parts).rstrip("，") + "。"


def long_records(problems: int, *, aspects: int = 3, measures: int = 2, words: int = 3) -> LedgerRecords:
    """A valid ledger with the given number of concrete problems (every measure closed)."""
    info: dict[str, Any] = {
        "unit": "县委政法委", "group": "县委第一巡察组", "deployer": "县委",
        "start": date(2021, 3, 11), "end": date(2021, 4, 25), "feedback_date": date(2021, 7, 7),
        "as_of": date(2021, 10, 31), "publish_date": date(2021, 11, 5),
        "issuer": "中共××县委政法委员会", "phone": "0913-3253456",
        "address": "某县某街道某街61号", "email": "test@example.com",
    }
    rows: list[dict[str, Any]] = []
    for p in range(problems):
        aspect = f"第{p % aspects + 1}类问题方面"
        for m in range(measures):
            rows.append({
                "seq": str(len(rows) + 1), "aspect": aspect, "feedback": f"反馈问题{p // 2 + 1}",
                "problem": f"具体问题{p + 1}：{_sentence(p, 2)}", "measure": f"整改措施{p + 1}-{m + 1}",
                "leader": "常务副书记", "department": "办公室", "deadline": date(2021, 9, 30),
                "status": "已完成", "done_date": date(2021, 9, 20),
                "progress": _sentence(p + m, words),
            })
    texts = [
        {"section": "一", "lead": "", "body": _sentence(1, 4)},
        {"section": "一", "lead": "深入领会精神，统一思想认识。", "body": _sentence(2, 5)},
        {"section": "一", "lead": "加强组织领导，压实整改责任。", "body": _sentence(3, 5)},
        {"section": "三", "lead": "", "body": _sentence(4, 3)},
        {"section": "三", "lead": "进一步深化思想认识。", "body": _sentence(5, 4)},
    ]
    return LedgerRecords(info=info, measures=rows, texts=texts)


def squeeze(text: str) -> str:
    """Compare texts as the issue says: NFKC, then no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def pdf_lines(page: Any, *, bottom_mm: float) -> list[list[dict[str, Any]]]:
    """The text lines of a pdfplumber page above bottom_mm, each a list of chars left to right."""
    rows: dict[int, list[dict[str, Any]]] = {}
    for ch in page.chars:
        if ch["text"].strip() and ch["top"] < bottom_mm * MM:
            rows.setdefault(round(ch["top"]), []).append(ch)
    return [sorted(rows[top], key=lambda c: c["x0"]) for top in sorted(rows)]


def line_text(chars: list[dict[str, Any]]) -> str:
    return "".join(c["text"] for c in chars)
