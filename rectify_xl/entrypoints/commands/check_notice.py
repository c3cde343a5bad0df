"""`rectify-xl check-notice`: lint a hand-written notice; exit codes as validate (0 / 1 / 2)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from rectify_xl.entrypoints.options import json_option, strict_option

# folders are refused by the readers, in Chinese (click would say it in English)
_FILE = click.Path(path_type=Path)


@click.command("check-notice")
@click.argument("notice", type=_FILE)
@click.option("--ledger", type=_FILE, default=None, metavar="FILE",
              help="对照的台账（.xlsx/.xlsm），核对问题、措施和数字")
@click.option("--typos", type=_FILE, default=None, metavar="FILE",
              help="自己的错别字表（TOML），与内置表合并")
@json_option
@strict_option
@click.pass_context
def command(ctx: click.Context, notice: Path, ledger: Path | None, typos: Path | None,
            as_json: bool, strict: bool) -> None:
    """检查手写的公告（.txt 或 .docx）：标题编号、“一是、二是”、文中数字、错别字和标点。

    给出 --ledger 时，还核对公告与台账的问题、整改落实情况和数字是否一致。

    每条结果带代码、级别和段落号（空行不计）。只给建议，不会修改文件。

    退出码：0 没有错误（可有警告）；1 有错误（加 --strict 时警告也算）；2 文件无法使用。

    例：rectify-xl check-notice 公告.txt --ledger 台账.xlsx
    """
    from rectify_xl.core.findings import Severity
    from rectify_xl.entrypoints.commands.validate import exit_code
    from rectify_xl.services.notice_import import check_notice
    from rectify_xl.services.source import FileSource, TextFile

    report = check_notice(TextFile(notice), ledger=FileSource(ledger) if ledger else None,
                          typos=typos)
    if as_json:
        data = report.to_dict()
        for finding in data["findings"]:
            finding["paragraph"] = finding["row"]  # row is the paragraph number here
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for f in report.findings:
            click.echo(f"{f.severity.label} {f.code}：{f.message}")
        counts = "，".join(f"{s.label}{report.count(s)}条" for s in Severity)
        click.echo(f"检查完毕：{counts}" if report.findings else "检查完毕：未发现问题")
    ctx.exit(exit_code(report, strict=strict))
