"""`rectify-xl notice`: the 整改进展情况公告 as text, a .txt file, or (issue 6) .docx/.pdf."""

from __future__ import annotations

from pathlib import Path

import click

from rectify_xl.entrypoints.options import ledger_argument

_FILE = click.Path(dir_okay=False, path_type=Path)


@click.command("notice")
@ledger_argument
@click.option("-o", "--output", "out", type=_FILE, default=None,
              help="输出文件：.txt（文本）、.docx 或 .pdf；不填则直接显示公告全文")
@click.option("--template", type=_FILE, default=None, help="自定义公告模板（jinja2 文本，UTF-8）")
@click.option("--profile", type=_FILE, default=None, help="公文版式配置（用于 .docx/.pdf）")
@click.option("--reference", type=_FILE, default=None, help="参考 Word 文档（用于 .docx/.pdf 的样式）")
@click.pass_context
def command(ctx: click.Context, ledger: Path, out: Path | None, template: Path | None,
            profile: Path | None, reference: Path | None) -> None:
    """根据台账生成整改进展情况公告（一段一行）。

    台账中有影响公告数字或文字的错误时，公告首行标明“未定稿”，列出出错的单元格，退出码为 1。

    例：rectify-xl notice 台账.xlsx -o 公告.txt
    """
    from rectify_xl.services.source import FileSource

    if (profile or reference) and (out is None or out.suffix.lower() == ".txt"):
        click.echo("提示：--profile、--reference 只用于 .docx/.pdf 输出，本次未使用", err=True)
    if out is None:
        from rectify_xl.services.ledger import notice

        noticed = notice(FileSource(ledger), template=template)
        click.echo(noticed.text, nl=not noticed.text.endswith("\n"))
    else:
        from rectify_xl.services.document import write_notice

        written = write_notice(FileSource(ledger), out, template=template, profile=profile,
                               reference=reference)
        noticed = written.noticed
        for path in written.files:
            click.echo(f"已生成公告：{path}")
        for note in written.notes:
            click.echo(f"提示：{note}", err=True)
    from rectify_xl.services.ledger import uncounted_sheets

    for line in uncounted_sheets(noticed.ledger):
        click.echo(f"注意：{line}", err=True)
    if noticed.missing_info:
        click.echo(f"警告：基本信息中缺少{'、'.join(noticed.missing_info)}，公告中相应位置显示为"
                   "“【待补：…】”，请补填后重新生成", err=True)
    if noticed.slips:
        from rectify_xl.core.gate import blocker_lines

        click.echo(f"提示：公告引用的台账文字中有{len(noticed.slips)}处疑似错漏（不影响生成），"
                   "请核对后改正台账并重新生成：", err=True)
        for line in blocker_lines(noticed.slips):
            click.echo(f"  {line}", err=True)
    if noticed.blockers:  # the text begins with 【未定稿】 then
        from rectify_xl.entrypoints.commands.summary import report_blockers

        report_blockers(noticed.blockers, "公告中的数字或文字")
        ctx.exit(1)
