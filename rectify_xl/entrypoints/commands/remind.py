"""`rectify-xl remind`: 提醒函 / 督办函 per responsible department, recorded in 催办记录."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from rectify_xl.entrypoints.cli import EXIT_FINDINGS, EXIT_OK
from rectify_xl.entrypoints.options import as_of_option, ledger_argument, smtp_options


@click.command("remind")
@ledger_argument
@as_of_option
@click.option("--days", type=click.IntRange(0, 366), default=None,
              help="完成时限前多少天内发提醒（默认取“设置”中的临期提醒天数，未填为 14 天）")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, metavar="文件夹", help="催办文书保存的文件夹（默认：台账旁的“台账名-催办”）")
@click.option("--no-record", is_flag=True, help="只生成文书，不写入台账的“催办记录”表")
@click.option("--mail", "send_mail", is_flag=True,
              help="按“设置”表“联系人”（部门、邮箱）把文书作为附件发给各部门"
                   "（未配置 SMTP 或发送失败时生成邮件草稿）")
@click.option("--eml", "draft_only", is_flag=True, help="只生成邮件草稿（.eml），不发送（含 --mail）")
@click.option("--drafts", type=click.Path(file_okay=False, path_type=Path), default=None,
              metavar="文件夹", help="邮件草稿保存的文件夹（默认：与文书相同）")
@smtp_options
@click.pass_context
def command(ctx: click.Context, ledger: Path, as_of: date | None, days: int | None,
            out_dir: Path | None, no_record: bool, send_mail: bool, draft_only: bool,
            drafts: Path | None, smtp_host: str | None, security: str | None, user: str | None,
            sender: str | None, sender_name: str | None, timeout: float | None) -> None:
    """催办：对即将到期（提醒）和已逾期（督办）的措施，按责任部门各生成一份催办文书（.docx），
    并在台账的“催办记录”表中追加记录（写入前自动备份；台账在 Excel/WPS 中打开时不写入）。

    加 --mail 时，按“设置”表中“联系人”表（部门、邮箱）把各部门的文书作为附件发送；没有邮箱的
    部门只生成文书；未配置 SMTP 服务器、使用 --eml 或发送失败时生成邮件草稿（.eml）。
    “催办记录”的“方式”列记为 邮件 / 草稿 / 仅生成文书。

    退出码：0 完成；1 有邮件发送失败（已改为生成草稿）；2 无法催办。

    例：rectify-xl remind 台账.xlsx --days 7 -o 催办 --mail
    """
    from datetime import datetime

    from rectify_xl.core.dates import format_cn
    from rectify_xl.services.remind import default_folder, letter_mail, remind
    from rectify_xl.services.source import FileSource

    def prompt(text: str) -> str | None:
        return click.prompt(text, hide_input=True, default="", show_default=False) or None

    source = FileSource(ledger)
    folder = out_dir or default_folder(ledger)
    mail = letter_mail(
        source, drafts=drafts or folder, draft_only=draft_only, timeout=timeout,
        prompt=prompt if sys.stdin.isatty() else None, smtp_host=smtp_host, security=security,
        user=user, sender=sender, sender_name=sender_name,
    ) if send_mail or draft_only else None
    result = remind(source, today=datetime.now().date(), days=days, out_dir=folder, as_of=as_of,
                    mail=mail, record=not no_record)
    if not result.reminders:
        click.echo(result.nothing_due)
        return
    lines = [f"截至{format_cn(result.as_of)}："]
    for r, path in zip(result.reminders, result.files, strict=True):
        lines.append(f"  {r.department}：{r.kind.value}，措施{len(r.items)}项 → {path}")
    if result.backup is not None:
        lines.append(f"已在“催办记录”表中追加{result.new_rows}条记录（原文件备份：{result.backup}）")
    click.echo("\n".join(lines))
    for d in result.deliveries:
        click.echo(d.message, err=bool(d.error))
    if result.unaddressed:
        click.echo(f"未发送邮件（联系人中没有邮箱）：{'、'.join(result.unaddressed)}")
    ctx.exit(EXIT_FINDINGS if result.failed else EXIT_OK)
