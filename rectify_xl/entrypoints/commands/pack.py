"""`rectify-xl pack`: the 报送包 for superiors (ledger, notice, evidence, manifest). Exit 0 / 1 / 2."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from rectify_xl.entrypoints.cli import EXIT_FINDINGS, EXIT_OK
from rectify_xl.entrypoints.options import as_of_option, ledger_argument


@click.command("pack")
@ledger_argument
@click.option("-o", "--output", "out", type=click.Path(dir_okay=False, path_type=Path),
              required=True, metavar="报送包.zip", help="报送包文件名（.zip）")
@as_of_option
@click.pass_context
def command(ctx: click.Context, ledger: Path, out: Path, as_of: date | None) -> None:
    """打包报送：不含宏的台账、公告（.docx）、佐证材料和报送清单（各文件的大小与 SHA-256）。

    台账有错误时不打包（退出码 1），请先按校验结果修改。上级用 rectify-xl merge 汇总时会逐一核对清单。

    例：rectify-xl pack 台账.xlsm -o 报送包.zip
    """
    from datetime import datetime

    from rectify_xl.services.evidence import pack
    from rectify_xl.services.source import FileSource

    now = datetime.now()
    result = pack(FileSource(ledger), out=out, today=now.date(), now=now, as_of=as_of)
    errors = [f for f in result.report.by_severity() if f.severity.name == "ERROR"]
    if result.written is None:
        lines = [f"{f.severity.label} {f.code} {f.location} {f.message}" for f in errors]
        lines.append(f"台账有{len(errors)}项错误，未生成报送包；请修改后再打包。")
        click.echo("\n".join(lines))
        ctx.exit(EXIT_FINDINGS)
    warnings = [f for f in result.report.by_severity() if f.severity.name == "WARNING"]
    lines = [f"{f.severity.label} {f.code} {f.location} {f.message}" for f in warnings]
    lines.append(f"已生成报送包：{result.written}（{len(result.members)}个文件）")
    click.echo("\n".join(lines))
    ctx.exit(EXIT_OK)
