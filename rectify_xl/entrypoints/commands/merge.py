"""`rectify-xl merge`: consolidate many units' ledgers into one workbook for superiors."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from rectify_xl.entrypoints.cli import EXIT_FINDINGS, EXIT_OK
from rectify_xl.entrypoints.options import DATE


@click.command("merge")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="汇总工作簿（.xlsx），例：汇总.xlsx")
@click.option("--units", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="本轮应报送的单位名单（.xlsx 的“单位”列，或每行一个单位的 .txt）")
@click.option("--as-of", type=DATE, default=None,
              help="本轮统计截止日期（默认取各单位台账中最晚的统计截止日期）")
@click.option("--previous", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="上一轮的汇总工作簿：列出各单位自上一轮以来的变化")
@click.pass_context
def command(ctx: click.Context, inputs: tuple[Path, ...], output: Path, units: Path | None,
            as_of: date | None, previous: Path | None) -> None:
    """汇总各单位的整改台账：台账文件、文件夹、.zip 压缩包、.eml 邮件均可。

    附件加密时，从环境变量 RECTIFY_ATTACHMENT_PASSWORD 读取密码。

    退出码：0 完成；1 有无法读取的文件或台账有错误；2 无法汇总。

    例：rectify-xl merge 收到的台账/ 邮件/*.eml -o 汇总.xlsx --units 名单.xlsx
    """
    from rectify_xl.core.consolidate import Submission
    from rectify_xl.core.schema import SHEETS
    from rectify_xl.services.merge import merge_ledgers, password_from_env

    result = merge_ledgers(
        list(inputs), output, units=units, as_of=as_of, previous=previous, today=date.today(),
        password=password_from_env(), progress=sys.stderr.isatty(),
    )
    c = result.consolidation
    click.echo(
        f"已汇总 {len(c.rows)} 个单位（读取 {result.files} 个台账文件），"
        f"整改措施 {c.total.measures} 项，逾期 {c.total.overdue} 项，临期 {c.total.due_soon} 项。"
    )
    for state in Submission:
        entries = c.of_state(state)
        if entries:
            names = "、".join(e.unit or e.source for e in entries[:10])
            more = f"等 {len(entries)} 个" if len(entries) > 10 else ""
            click.echo(f"{state.value}：{names}{more}")
    for e in c.of_state(Submission.UNREADABLE):
        click.echo(f"  无法读取 {e.source}：{e.note}", err=True)
    flawed = [r for r in c.rows if r.errors]
    if flawed:  # exit 1 says there are errors; name the units (cells: the 校验问题 sheet)
        names = "、".join(f"{r.unit}（{r.errors}项）" for r in flawed[:10])
        more = f"等 {len(flawed)} 个单位" if len(flawed) > 10 else ""
        click.echo(f"台账有错误：{names}{more}，其统计数字可能不准确，"
                   f"出错的单元格见汇总表的“{SHEETS.MERGE_FINDINGS}”表", err=True)
    click.echo(f"已写入 {result.output}")
    ctx.exit(EXIT_FINDINGS if result.has_errors else EXIT_OK)
