"""`rectify-xl chase`: 催报 the units a consolidated workbook lists as 未报送 / 未更新 (issue 18)."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

import click

from rectify_xl.entrypoints.cli import EXIT_FINDINGS, EXIT_OK
from rectify_xl.entrypoints.options import DATE, smtp_options

_FILE = click.Path(dir_okay=False, path_type=Path)


@click.command("chase")
@click.argument("workbook", type=_FILE)
@click.option("--units", type=_FILE, default=None,
              help="单位名单（.xlsx 的“单位”“邮箱”“联系人”列，或每行“单位,邮箱,联系人”的 .txt）")
@click.option("--settings", "settings_book", type=_FILE, default=None,
              help="取“设置”表中邮件设置的工作簿（如巡察办自己的台账模板）")
@smtp_options
@click.option("--drafts", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="邮件草稿（.eml）保存的文件夹（默认：汇总表旁的“催报草稿”）")
@click.option("--eml", "draft_only", is_flag=True, help="只生成邮件草稿，不发送")
@click.option("--deadline", type=DATE, default=None, help="要求补报的期限，例：2021-11-10")
@click.pass_context
def command(ctx: click.Context, workbook: Path, units: Path | None, settings_book: Path | None,
            smtp_host: str | None, security: str | None, user: str | None, sender: str | None,
            sender_name: str | None, drafts: Path | None, draft_only: bool,
            deadline: date | None, timeout: float | None) -> None:
    """催报：给汇总表中“未报送”“未更新”的单位逐一发催报邮件（或生成邮件草稿），并记入汇总表的“催报记录”表。

    重新汇总后已报送的单位不再催报；同一天已催报过的单位不重复催报。

    退出码：0 完成；1 有邮件发送失败（已改为生成草稿）；2 无法催报。

    例：rectify-xl chase 汇总.xlsx --units 名单.xlsx --deadline 2021-11-10
    """
    from rectify_xl.services.round import chase, chase_settings
    from rectify_xl.services.source import FileSource

    settings = chase_settings(settings_book, smtp_host=smtp_host, security=security, user=user,
                             sender=sender, sender_name=sender_name)

    def prompt(text: str) -> str | None:
        return click.prompt(text, hide_input=True, default="", show_default=False) or None

    result = chase(FileSource(workbook), units=units, settings=settings, drafts=drafts, draft_only=draft_only,
                   deadline=deadline, now=datetime.now(), timeout=timeout,
                   prompt=prompt if sys.stdin.isatty() else None)
    for o in result.outcomes:
        click.echo(o.message, err=bool(o.error))
    if result.skipped:
        click.echo(f"今天已催报过，未重复催报：{'、'.join(result.skipped)}")
    if not result.outcomes and not result.skipped:
        click.echo("没有需要催报的单位（汇总表中没有未报送、未更新的单位）。")
    if result.log:
        click.echo(f"已记入“催报记录”：{result.log}")
    ctx.exit(EXIT_FINDINGS if result.failed else EXIT_OK)
