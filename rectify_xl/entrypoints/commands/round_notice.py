"""`rectify-xl round-notice`: the round-level 通报 from a consolidated workbook (issue 18)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from rectify_xl.entrypoints.cli import EXIT_FINDINGS, EXIT_OK
from rectify_xl.entrypoints.options import DATE

_FILE = click.Path(dir_okay=False, path_type=Path)


@click.command("round-notice")
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", "out", type=_FILE, default=None,
              help="输出文件：.txt（文本）、.docx 或 .pdf；不填则直接显示通报全文")
@click.option("--round", "round_name", default="", help="巡察轮次，例：十二届县委第二轮巡察")
@click.option("--issuer", default="", help="发文机关署名，例：中共某某县委巡察工作领导小组办公室")
@click.option("--date", "when", type=DATE, default=None, help="成文日期（默认今天）")
@click.option("--template", type=_FILE, default=None, help="自定义通报模板（jinja2 文本，UTF-8）")
@click.option("--profile", type=_FILE, default=None, help="公文版式配置（用于 .docx/.pdf）")
@click.option("--reference", type=_FILE, default=None, help="参考 Word 文档（用于 .docx/.pdf 的样式）")
@click.pass_context
def command(ctx: click.Context, workbook: Path, out: Path | None, round_name: str, issuer: str,
            when: date | None, template: Path | None, profile: Path | None,
            reference: Path | None) -> None:
    """根据汇总表（rectify-xl merge 的结果）生成本轮巡察整改情况通报。

    数字全部取自汇总表的“汇总”“分类统计”“未报送”工作表：反馈问题数、已完成整改、基本完成、
    未完成、整改完成率（已完成整改÷反馈问题）、成效数字、未报送的单位。

    退出码：0 完成；1 汇总表中有错误（通报标为未定稿）；2 无法生成。

    例：rectify-xl round-notice 汇总.xlsx -o 通报.docx --round 十二届县委第二轮巡察
    """
    from rectify_xl.services.round import round_notice

    result = round_notice(workbook, out, template=template, round_name=round_name, issuer=issuer,
                          when=when or date.today(), profile=profile, reference=reference)
    for f in result.findings:
        where = f"{f.sheet}!{f.cell}：" if f.sheet and f.cell else ""
        click.echo(f"{f.severity.label}：{where}{f.message}", err=True)
    if out is None:
        click.echo(result.text, nl=not result.text.endswith("\n"))
    for path in result.written:
        click.echo(f"已生成通报：{path}")
    ctx.exit(EXIT_FINDINGS if result.has_errors else EXIT_OK)
