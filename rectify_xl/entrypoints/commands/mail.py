"""`rectify-xl mail`: send the ledger to superiors, or write the .eml draft (issue 4)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from rectify_xl.entrypoints.options import as_of_option, ledger_argument, smtp_options

# no exists=/dir_okay= checks: click words them in English; the service says it in Chinese
_FILE = click.Path(path_type=Path)


def _prompt(question: str) -> str | None:
    """Hidden input; offered only on a terminal (a pipe or a button gets no prompt)."""
    return click.prompt(question, hide_input=True, default="", show_default=False) or None


@click.command("mail")
@ledger_argument
@click.option("--to", multiple=True, help="收件人（可多次使用；默认取“设置”表）")
@click.option("--cc", multiple=True, help="抄送（可多次使用）")
@smtp_options
@click.option("--eml", type=_FILE, default=None, help="只生成邮件草稿（.eml）到此文件，不发送")
@click.option("--encrypt", is_flag=True, default=None, help="附件加密（密码只显示一次，请另行告知收件人）")
@click.option("--previous", type=_FILE, default=None,
              help="上次报送的台账，正文列出变化")
@as_of_option
@click.pass_context
def command(ctx: click.Context, ledger: Path, to: tuple[str, ...], cc: tuple[str, ...],
            smtp_host: str | None, security: str | None, user: str | None, sender: str | None,
            sender_name: str | None, eml: Path | None, encrypt: bool | None, previous: Path | None,
            timeout: float | None, as_of: date | None) -> None:
    """把台账发送给上级（巡察办、纪委、组织部）：附无宏 .xlsx 副本和公告，正文为进展摘要。

    未配置 SMTP 服务器，或发送失败时，生成 .eml 邮件草稿，用邮件客户端打开后发送。

    \b
    例：rectify-xl mail 台账.xlsm --to xcb@example.gov.cn --smtp smtp.163.com:465 --user me@163.com
    """
    from rectify_xl.entrypoints.cli import EXIT_FINDINGS, EXIT_OK, EXIT_UNUSABLE
    from rectify_xl.services.mail import open_elsewhere, prepare_mail, send_or_draft
    from rectify_xl.services.source import FileSource

    prepared = prepare_mail(
        FileSource(ledger), previous=FileSource(previous) if previous else None, as_of=as_of,
        encrypt=encrypt, draft_path=eml,
        to=to, cc=cc, smtp_host=smtp_host, security=security, user=user, sender=sender,
        sender_name=sender_name,
    )
    prompt = _prompt if sys.stdin.isatty() else None
    outcome = send_or_draft(prepared, draft_only=eml is not None, prompt=prompt, timeout=timeout)
    click.echo(outcome.message, err=not outcome.ok)
    if open_elsewhere(ledger):  # the button saves first; on the command line unsaved edits stay behind
        click.echo("说明：台账正在 Excel 或 WPS 中打开，邮件中是最后一次保存的内容；"
                   "如有未保存的修改，请先保存再发送。", err=not outcome.ok)
    if outcome.blockers:  # an error changes a figure: drafted, marked, not sent
        ctx.exit(EXIT_FINDINGS)
    ctx.exit(EXIT_OK if outcome.ok else EXIT_UNUSABLE)
