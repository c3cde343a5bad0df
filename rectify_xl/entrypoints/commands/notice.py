"""`rectify-xl notice`: the 整改进展情况公告 as text, a .txt file, or (issue 6) .docx/.pdf."""

from __future__ import annotations

from pathlib import Path

import click

from rectify_xl.entrypoints.options import ledger_argument
from rectify_xl.errors import OutputError

_FILE = click.Path(dir_okay=False, path_type=Path)
# = services.document.DOCUMENT_SUFFIXES, which is imported only once a .docx/.pdf is asked for
# (tests/e2e/test_notice_cli.py replaces that module with a stand-in)
_DOCUMENT_SUFFIXES = (".docx", ".pdf")


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
    from rectify_xl.services.ledger import notice
    from rectify_xl.services.source import FileSource

    suffix = out.suffix.lower() if out else ""
    if out and suffix not in (".txt", *_DOCUMENT_SUFFIXES):
        raise OutputError(f"不支持的输出格式“{out.suffix or out.name}”：请用 .txt、.docx 或 .pdf")
    if out:
        _refuse_overwriting_inputs(out, ledger, template)  # the document service guards the rest
    if suffix not in _DOCUMENT_SUFFIXES and (profile or reference):
        click.echo("提示：--profile、--reference 只用于 .docx/.pdf 输出，本次未使用", err=True)
    result = notice(FileSource(ledger), template=template)
    parsed, text = result.ledger, result.text
    blockers = result.blockers  # the text begins with 【未定稿】 then
    if out is None:
        click.echo(text, nl=not text.endswith("\n"))
    elif suffix == ".txt":
        from rectify_xl.services.workbook import write_text

        click.echo(f"已生成公告：{write_text(out, text)}")
    else:
        from rectify_xl.services.document import write_notice_document

        notes: list[str] = []
        for written in write_notice_document(parsed, text, out, profile=profile,
                                             reference=reference, notes=notes):
            click.echo(f"已生成公告：{written}")
        for note in notes:
            click.echo(f"提示：{note}", err=True)
    _missing_info(text)
    if blockers:
        from rectify_xl.entrypoints.commands.summary import report_blockers

        report_blockers(blockers, "公告中的数字或文字")
        ctx.exit(1)


def _missing_info(text: str) -> None:
    """A warning naming each 基本信息 item the notice shows as 【待补：…】."""
    import re

    missing = list(dict.fromkeys(re.findall(r"【待补：([^】]+)】", text)))
    if missing:
        click.echo(f"警告：基本信息中缺少{'、'.join(missing)}，公告中相应位置显示为“【待补：…】”，"
                   "请补填后重新生成", err=True)


def _refuse_overwriting_inputs(out: Path, *inputs: Path | None) -> None:
    """-o must never name the ledger or the template (a .pdf also writes a .docx beside it)."""
    targets = {out.resolve()}
    if out.suffix.lower() == ".pdf":
        targets.add(out.with_suffix(".docx").resolve())
    for path in inputs:
        if path is not None and path.resolve() in targets:
            raise OutputError(f"输出文件不能与输入文件“{path.name}”相同，请换一个文件名")
