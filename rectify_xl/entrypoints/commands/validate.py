"""`rectify-xl validate`: every finding of the rules, as Chinese lines or JSON. Exit 0 / 1 / 2."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from rectify_xl.entrypoints.cli import EXIT_FINDINGS, EXIT_OK, collector_paused
from rectify_xl.entrypoints.options import as_of_option, json_option, strict_option

if TYPE_CHECKING:
    from rectify_xl.core.findings import Report

@click.command("validate")
# not options.LEDGER_PATH: a folder must get our one Chinese line, not click's usage error
@click.argument("ledger", type=click.Path(path_type=Path))
@json_option
@as_of_option
@strict_option
@click.option("--typos", "typos_file", type=click.Path(path_type=Path), default=None,
              help="自己的错别字表（TOML），与内置错别字表合并")
@click.option("--annotate", "annotate_out", type=click.Path(dir_okay=False, path_type=Path),
              default=None, metavar="OUT.xlsx",
              help="另存一份标注副本：问题单元格标色并加批注，含“校验结果”和“进度汇总”表（与按钮效果相同）")
@click.pass_context
def command(ctx: click.Context, ledger: Path, as_json: bool, as_of: date | None, strict: bool,
            typos_file: Path | None, annotate_out: Path | None) -> None:
    """校验台账：逐条列出问题（级别、代码、单元格、说明），台账文件不会被修改。

    退出码：0 没有错误（可有警告）；1 有错误（加 --strict 时警告也算）；2 文件无法使用。

    \b
    例：rectify-xl validate 台账.xlsx --as-of 2021-10-31
        rectify-xl validate 台账.xlsx --annotate 台账-校验标注.xlsx
    """
    from datetime import datetime

    with collector_paused():  # from the imports on: their objects are walked as well
        from rectify_xl.services.source import FileSource

        source, now = FileSource(ledger), datetime.now()
        source.prefetch()  # the file is parsed while the rules are imported
        from rectify_xl.services.ledger import annotate, validate_report
        if annotate_out is not None:
            report = annotate(source, today=now.date(), now=now, as_of=as_of,
                              typos_file=typos_file, out=annotate_out).validated.report
        else:  # the findings only: the sheets a button would write are not built to be dropped
            report = validate_report(source, today=now.date(), as_of=as_of, typos_file=typos_file)
    if as_json:
        import json  # only for --json

        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(format_report(report)))
        if annotate_out is not None:
            click.echo(f"标注副本：{annotate_out}")
    ctx.exit(exit_code(report, strict=strict))


def exit_code(report: Report, *, strict: bool = False) -> int:
    from rectify_xl.core.findings import Severity

    failed = report.has_errors() or (strict and report.count(Severity.WARNING) > 0)
    return EXIT_FINDINGS if failed else EXIT_OK


def format_report(report: Report) -> list[str]:
    """One line per finding, errors first, then a one-line total (used by the CLI and the demo)."""
    from rectify_xl.core.findings import Severity

    lines = [f"{f.severity.label} {f.code} {f.location} {f.message}" for f in report.by_severity()]
    counts = "，".join(f"{s.label}{report.count(s)}项" for s in Severity)
    verdict = "未通过" if report.has_errors() else "通过"
    lines.append(f"{report.source}：{verdict}，共{len(report.findings)}项（{counts}）")
    return lines
