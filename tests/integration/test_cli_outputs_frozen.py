"""What `record`, `evidence`, `pack` and `chase` print and exit with, frozen (issue 12).

Their use cases now take workbook sources; the commands only translate and render. The output
of each command on fixed material (paths and clock times normalised) is compared with
``tests/data/snapshots/cli_outputs.txt``, recorded from the commands before that change. A
deliberate change of wording: regenerate with ``RX_UPDATE_SNAPSHOTS=1`` and say why.
"""

from __future__ import annotations

import os
import re
from datetime import date, timedelta
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from rectify_xl.adapters.workbook_builder import build_workbook
from rectify_xl.core.records import LedgerRecords
from rectify_xl.entrypoints.cli import cli
from tests.conftest import BASE_INFO, measure_row, open_row

SNAPSHOT = Path(__file__).parents[1] / "data" / "snapshots" / "cli_outputs.txt"
ROWS = [measure_row(seq="1", measure="制定学习计划"),
        measure_row(seq="2", measure="修订议事规则", evidence="议事规则.pdf；会议记录"),
        measure_row(seq="3", measure="开展专项检查", evidence="3/检查报告.docx"),
        open_row(seq="4", measure="建立长效机制", deadline=date(2022, 6, 30))]


class _Transcript:
    def __init__(self, tmp: Path) -> None:
        self.tmp, self.parts = tmp, []

    def run(self, *args: object) -> None:
        result = CliRunner().invoke(cli, [str(a) for a in args])
        out = re.sub(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?", "<now>",
                     result.output.replace(str(self.tmp), "<tmp>"))
        shown = " ".join(str(a).replace(str(self.tmp), "<tmp>") for a in args)
        self.parts.append(f"$ {shown}\nexit {result.exit_code}\n{out}")


def _edit(path: Path, sheet: str, **cells: object) -> None:
    wb = openpyxl.load_workbook(path, keep_vba=True)
    for ref, value in cells.items():
        wb[sheet][ref] = value
    wb.save(path)


def _ledger(path: Path, rows: list[dict[str, object]] = ROWS) -> Path:
    return build_workbook(path, LedgerRecords(info=dict(BASE_INFO), measures=rows, texts=[]))


def transcript(tmp: Path) -> str:
    t = _Transcript(tmp)
    ledger = _ledger(tmp / "台账.xlsm")
    t.run("record", ledger, "--who", "张三")
    t.run("record", ledger, "--who", "张三")
    _edit(ledger, "整改清单", I7="已完成", E4="新措施")
    t.run("record", ledger, "--who", "李四")
    _edit(ledger, "修改记录", G2="改过")
    t.run("record", ledger, "--who", "李四")
    (tmp / "~$台账.xlsm").write_bytes(b"x")
    t.run("record", ledger)
    (tmp / "~$台账.xlsm").unlink()
    second = _ledger(tmp / "二.xlsx")
    for rel, data in {"1/计划.pdf": b"plan", "3/检查报告.docx": b"report", "9/无主.txt": b"x"}.items():
        path = tmp / "二-佐证材料" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    t.run("evidence", second, "-o", tmp / "副本.xlsx")
    t.run("evidence", second, "-o", second)
    t.run("pack", second, "-o", tmp / "包.zip")
    t.run("pack", second, "-o", tmp / "包.rar")
    t.run("pack", _ledger(tmp / "坏.xlsx", [measure_row(seq="1", status="搞定了")]),
          "-o", tmp / "坏.zip")
    from rectify_xl.services.merge import merge_ledgers
    from tests.merge_helpers import AS_OF, write_ledger
    from tests.round_helpers import ROUND, round_records, write_round

    inbox = tmp / "收到"
    write_round(inbox, [u for u in ROUND if u not in ("某某村", "县教育局")])
    stale = round_records("县教育局")
    stale.info["as_of"] = AS_OF - timedelta(days=31)
    write_ledger(inbox / "县教育局.xlsx", stale)
    (tmp / "名单.txt").write_text("单位,邮箱,联系人\n" + "\n".join(
        f"{u},{i}@example.gov.cn,联系人{i}" for i, u in enumerate(ROUND)), encoding="utf-8")
    merge_ledgers([inbox], tmp / "汇总.xlsx", units=tmp / "名单.txt", as_of=AS_OF)
    t.run("chase", tmp / "汇总.xlsx", "--units", tmp / "名单.txt", "--eml", "--deadline",
          "2021-11-10")
    t.run("chase", tmp / "汇总.xlsx", "--units", tmp / "名单.txt", "--eml")
    t.run("chase", inbox / "县教育局.xlsx")
    t.run("chase", tmp / "无.xlsx")
    return "\n".join(t.parts)


def test_record_evidence_pack_and_chase_say_what_they_said(tmp_path: Path) -> None:
    got = transcript(tmp_path)
    if os.environ.get("RX_UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(got, encoding="utf-8")
    want = SNAPSHOT.read_text(encoding="utf-8")
    for a, b in zip(want.split("\n$ "), got.split("\n$ "), strict=True):  # one command at a time
        assert b == a
