"""Slips planted one at a time in the bundled sample ledger: is each reported at its cell?

Each case changes one or two cells of a fresh copy of the sample (written by `rectify-xl new
--sample`), validates it in-process, and compares the findings with the clean sample's:

  found      the expected code at the expected cell is among the new findings
  elsewhere  new error/warning findings at other cells (a slip should not ripple)

The cases are slips staff make in a real ledger (dates, statuses, numbering, texts), none of
them taken from the sample's own words. Baseline: the clean sample's findings (not counted).
Listed but not a rule: a gap in 序号 (1, 2, 99): real ledgers restart or skip numbers on purpose
(per 方面, per problem), so a gap is not reported.

Usage: .venv/bin/python benchmarks/planted_ledger_slips.py [-v]
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

AS_OF = date(2021, 10, 31)
Sheet = Any  # an openpyxl worksheet
Plant = Callable[[Any, Callable[[str], int]], None]


def _set(col: str, value: object, row: int = 5) -> Plant:
    def plant(wb: Any, c: Callable[[str], int]) -> None:
        wb["整改清单"].cell(row, c(col)).value = value
    return plant


def _info(label: str, value: object) -> Plant:
    def plant(wb: Any, c: Callable[[str], int]) -> None:
        for row in wb["基本信息"].iter_rows():
            if row[0].value == label:
                row[1].value = value
                return
        raise KeyError(label)
    return plant


def _both(*plants: Plant) -> Plant:
    def plant(wb: Any, c: Callable[[str], int]) -> None:
        for p in plants:
            p(wb, c)
    return plant


# name → (plant, expected code, column of the expected cell, row); row 5 holds 长期坚持, row 6 已完成
CASES: dict[str, tuple[Plant, str, str, int]] = {
    "完成日期早于巡察开始": (_set("完成日期", datetime(2019, 1, 5)), "RX312", "完成日期", 5),
    "完成日期晚于统计截止": (_set("完成日期", datetime(2030, 1, 5)), "RX307", "完成日期", 5),
    "完成时限是不存在的日期": (_set("完成时限", "2021年2月30日"), "RX301", "完成时限", 5),
    "完成时限月份为13": (_set("完成时限", "2021年13月1日"), "RX301", "完成时限", 5),
    "完成日期9月31日": (_set("完成日期", "2021.9.31"), "RX302", "完成日期", 5),
    "完成日期只写了年份数字": (_set("完成日期", 2021), "RX304", "完成日期", 5),
    "完成时限早于反馈日期": (_set("完成时限", datetime(2019, 3, 1)), "RX306", "完成时限", 5),
    "已完成但无完成日期": (_set("完成日期", None, 6), "RX403", "完成日期", 6),
    "已完成但落实情况为空": (_set("整改落实情况", None), "RX404", "整改落实情况", 5),
    "已完成但落实情况说正在推进": (_set("整改落实情况", "目前正在推进中，预计年底前完成。", 6),
                        "RX410", "整改状态", 6),
    "开始日期晚于完成日期": (_set("开始日期", datetime(2021, 10, 14), 6), "RX313", "开始日期", 6),
    "序号重复": (_set("序号", 2, 6), "RX405", "序号", 6),
    "责任部门为空": (_set("责任部门", None), "RX201", "责任部门", 5),
    "整改措施为空": (_set("整改措施", None), "RX201", "整改措施", 5),
    "完成时限为空": (_set("完成时限", None), "RX201", "完成时限", 5),
    "整改状态为空": (_set("整改状态", None), "RX201", "整改状态", 5),
    "整改状态错字": (_set("整改状态", "以完成"), "RX401", "整改状态", 5),
    "完成进度120%": (_set("完成进度", 1.2), "RX325", "完成进度", 5),
    "数字字段为负数": (_set("完善制度（项）", -3), "RX471", "完善制度（项）", 5),
    "数字字段写成文字": (_set("完善制度（项）", "三项"), "RX470", "完善制度（项）", 5),
    "验收日期早于完成日期": (_both(_set("验收日期", datetime(2021, 1, 1)), _set("验收人", "张三")),
                    "RX321", "验收日期", 5),
    "佐证材料文件不存在": (_set("佐证材料", "见附件：会议纪要.pdf"), "RX441", "佐证材料", 5),
    "同一问题的方面不一致": (_set("方面", "聚焦全面从严治党方面"), "RX408", "方面", 5),
    "重复的措施行": (lambda wb, c: [wb["整改清单"].cell(6, k).__setattr__(
        "value", wb["整改清单"].cell(5, k).value) for k in range(2, 13)], "RX406", "整改措施", 6),
    "落实情况同音错字": (_set("整改落实情况", "已召开专题会议，对照问提清单逐项整改。"),
                  "RX603", "整改落实情况", 5),
    "措施半角标点": (_set("整改措施", "召开专题会议,研究整改措施。"), "RX601", "整改措施", 5),
    "具体问题括号不配对": (lambda wb, c: _set("具体问题", str(wb["整改清单"].cell(5, c("具体问题")).value)
                                     + "（见附件")(wb, c), "RX602", "具体问题", 5),
    "措施留有占位符": (_set("整改措施", "由XX同志负责，于XX月底前完成。"), "RX411", "整改措施", 5),
    "落实情况重复词": (_set("整改落实情况", "已召开专题会议会议，研究部署整改工作。"),
                 "RX604", "整改落实情况", 5),
    "措施“的地得”": (_set("整改措施", "认真的开展自查自纠，切实抓好整改。"), "RX603", "整改措施", 5),
    "截止目前": (_set("整改落实情况", "截止目前，已全部整改到位。"), "RX603", "整改落实情况", 5),
    "巡察台账写成巡视": (_set("整改落实情况", "针对巡视反馈问题，已全部整改到位。"),
                  "RX412", "整改落实情况", 5),
    "反馈日期晚于统计截止日期": (_info("反馈日期", datetime(2022, 5, 1)), "RX305", "", 0),
    "已完成但进度60%": (_set("完成进度", "60%", 4), "RX414", "整改状态", 4),
    "正在推进但进度100%": (lambda wb, c: (_set("整改状态", "正在推进", 6)(wb, c),
                                       _set("完成日期", None, 6)(wb, c),
                                       _set("完成进度", 1.0, 6)(wb, c),
                                       _set("完成时限", datetime(2021, 12, 31), 6)(wb, c)),
                          "RX414", "整改状态", 6),
    "责任领导形近错字": (_set("责任领导", "副书纪", 7), "RX416", "责任领导", 7),
    "责任部门同音错字": (_set("责任部门", "执法监督是", 7), "RX416", "责任部门", 7),
    "完成时限年份错成2031": (lambda wb, c: (_set("整改状态", "正在推进", 6)(wb, c),
                                        _set("完成日期", None, 6)(wb, c),
                                        _set("完成时限", datetime(2031, 10, 15), 6)(wb, c)),
                            "RX330", "完成时限", 6),
    "联系电话少一位": (_info("联系电话", "0913-325345"), "RX415", "", 0),
    "联系电话字母O当0": (_info("联系电话", "0913-32534O6"), "RX415", "", 0),
    "电子邮箱缺点": (_info("电子邮箱", "dl3253456@163com"), "RX417", "", 0),
    "序号跳号": (_set("序号", 99, 6), "", "序号", 6),  # not a rule (the docstring says why)
}


def main(argv: list[str]) -> int:
    import openpyxl

    from rectify_xl.services.ledger import validate_workbook
    from rectify_xl.services.workbook import new_workbook

    verbose = "-v" in argv
    with tempfile.TemporaryDirectory(prefix="planted-slips-") as tmp:
        clean = Path(tmp) / "样例台账.xlsx"
        new_workbook(clean, sample=True)
        base = {(f.code, f.cell) for f in validate_workbook(clean, as_of=AS_OF).findings}
        header_row = 3
        found_n = planted_n = rippled = 0
        print(f"{'slip':24} {'expected':9} {'found':6} elsewhere")
        for name, (plant, code, column, row) in CASES.items():
            wb = openpyxl.load_workbook(clean)
            ws = wb["整改清单"]
            headers = {c.value: c.column for c in ws[header_row]}
            plant(wb, headers.__getitem__)
            path = Path(tmp) / "planted.xlsx"
            wb.save(path)
            report = validate_workbook(path, as_of=AS_OF)
            new = [f for f in report.findings if (f.code, f.cell) not in base]
            letter = openpyxl.utils.get_column_letter(headers[column]) if column else ""
            hit = any(f.code == code and (not letter or f.cell == f"{letter}{row}") for f in new)
            others = [f for f in new if f.severity.value in ("error", "warning")
                      and f.code != code and f.sheet == "整改清单" and column
                      and f.cell != f"{letter}{row}"]
            if code:
                planted_n += 1
                found_n += hit
            rippled += len(others)
            shown = "yes" if hit else ("no" if code else "(not a rule)")
            print(f"{name:24} {code or '-':9} {shown:6} {len(others)}")
            if verbose and others:
                for f in others:
                    print(f"    {f.code} {f.cell} {f.message}")
        print(f"\nfound {found_n}/{planted_n} planted slips at their cells; "
              f"{rippled} new error/warning findings at other cells")
        print("baseline: the clean sample's own findings are not counted")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
