"""`rectify-xl demo`: every main job run once on the bundled sample ledger.

It lives with the CLI because it is a tour of the CLI's outputs: the same services, the same
text the validate and summary commands print.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from rectify_xl.core.model import Ledger


@click.command("demo")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("demo-output"), show_default=True, help="输出文件夹")
def command(out_dir: Path) -> None:
    """演示：在示例台账上依次生成空白台账、示例台账、校验结果、进度汇总和整改进展情况公告。"""
    click.echo(f"演示输出写入：{out_dir.resolve()}")
    written = run_demo(out_dir, today=date.today())
    click.echo(f"完成，共生成{written}个文件。示例台账中责任领导、完成时限等字段为演示虚构。")


def run_demo(out_dir: Path, *, today: date) -> int:
    from datetime import datetime

    from rectify_xl.entrypoints.commands.summary import format_summary
    from rectify_xl.entrypoints.commands.validate import format_report
    from rectify_xl.errors import OutputError
    from rectify_xl.services.ledger import annotate, notice_text
    from rectify_xl.services.source import FileSource
    from rectify_xl.services.workbook import new_workbook, write_text

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a file of that name, no permission, read-only medium
        reason = ("路径中已有同名文件" if isinstance(exc, (FileExistsError, NotADirectoryError))
                  else "没有写入权限" if isinstance(exc, PermissionError) else "无法写入该位置")
        raise OutputError(f"无法创建输出文件夹“{out_dir}”：{reason}") from exc
    count = 0

    def wrote(path: Path, what: str) -> None:
        nonlocal count
        count += 1
        click.echo(f"  {what}：{path}")

    def text_file(name: str, text: str, what: str) -> Path:
        path = out_dir / name
        write_text(path, text if text.endswith("\n") else text + "\n")
        wrote(path, what)
        return path

    wrote(new_workbook(out_dir / "整改台账-空白.xlsx", overwrite=True), "空白台账（Excel/WPS 通用，无宏）")
    wrote(new_workbook(out_dir / "整改台账-空白.xlsm", overwrite=True), "空白台账（带按钮，需启用宏）")
    sample = new_workbook(out_dir / "示例台账.xlsx", sample=True, overwrite=True)
    wrote(sample, "示例台账（据2021年公布的公告整理）")

    marked = out_dir / "示例台账-校验标注.xlsx"
    result = annotate(FileSource(sample), today=today, now=datetime.combine(today, datetime.now().time()),
                      out=marked)
    wrote(marked, "校验标注副本（问题单元格标色，含“校验结果”“进度汇总”表，与按钮效果相同）")
    ledger, report = result.validated.ledger, result.validated.report
    text_file("示例台账-校验结果.txt", "\n".join(format_report(report)), "校验结果")
    text_file("示例台账-校验结果.json", json.dumps(report.to_dict(), ensure_ascii=False, indent=2),
              "校验结果（JSON）")
    summary = result.summarised.summary
    text_file("示例台账-进度汇总.txt", "\n".join(format_summary(summary)), "进度汇总")
    text_file("示例台账-进度汇总.json", json.dumps(summary.to_dict(), ensure_ascii=False, indent=2),
              "进度汇总（JSON）")
    notice = notice_text(ledger)
    txt = text_file("示例台账-整改进展情况公告.txt", notice, "整改进展情况公告（文本）")
    count += _documents(ledger, notice, txt.with_suffix(".pdf"))
    return count


def _documents(ledger: Ledger, text: str, pdf: Path) -> int:
    """The .docx always; the PDF where LibreOffice is installed (said, not failed, otherwise)."""
    from rectify_xl.errors import RectifyError
    from rectify_xl.services.document import write_notice_document

    docx = pdf.with_suffix(".docx")
    write_notice_document(ledger, text, docx)
    click.echo(f"  公告（Word，GB/T 9704 版式）：{docx}")
    notes: list[str] = []
    try:
        write_notice_document(ledger, text, pdf, notes=notes)
    except RectifyError as exc:
        click.echo(f"  未生成 PDF：{exc}")
        return 1
    click.echo(f"  公告（PDF）：{pdf}")
    for note in notes:
        click.echo(f"  提示：{note}")
    return 2
