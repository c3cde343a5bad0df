"""`rectify-xl record`: append what changed since the last snapshot to 修改记录. Exit 0 / 1 / 2."""

from __future__ import annotations

from pathlib import Path

import click

from rectify_xl.entrypoints.cli import EXIT_FINDINGS
from rectify_xl.entrypoints.options import ledger_argument

_SHOWN = 30


@click.command("record")
@ledger_argument
@click.option("--who", default=None, metavar="姓名", help="修改人（默认：本机登录用户名）")
@click.pass_context
def command(ctx: click.Context, ledger: Path, who: str | None) -> None:
    """记录修改：把台账自上次记录以来的改动（修改人、时间、工作表、单元格、原值→新值）追加到
    “修改记录”表，并更新隐藏的快照。这是唯一直接修改台账文件的命令：写入前自动备份，
    台账在 Excel/WPS 中打开时不写入。修改记录带校验码，被改动或删除会在校验时报错。

    例：rectify-xl record 台账.xlsx --who 张三
    """
    from datetime import datetime

    from rectify_xl.services.record import record
    from rectify_xl.services.source import FileSource

    result = record(FileSource(ledger), now=datetime.now(), who=who)
    if result.refused:
        lines = [f"{f.severity.label} {f.code} {f.location} {f.message}" for f in result.refused]
        lines.append("修改记录已被改动，为免掩盖，本次未写入；请从备份恢复或联系上级核实。")
        click.echo("\n".join(lines))
        ctx.exit(EXIT_FINDINGS)
    if result.first:
        click.echo(f"已建立修改记录快照；此后的修改将记入“修改记录”表（备份：{result.backup}）")
        return
    if not result.changes:
        click.echo("自上次记录以来台账没有改动。")
        return
    lines = [f"记录了{len(result.changes)}处修改（备份：{result.backup}）："]
    lines += [f"  {c.sheet}!{c.cell}：“{c.old}” → “{c.new}”" for c in result.changes[:_SHOWN]]
    if len(result.changes) > _SHOWN:
        lines.append(f"  ……另有{len(result.changes) - _SHOWN}处，见“修改记录”表")
    click.echo("\n".join(lines))
