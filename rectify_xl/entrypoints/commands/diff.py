"""`rectify-xl diff`: what changed between two versions of one unit's ledger."""

from __future__ import annotations

import json
from pathlib import Path

import click

from rectify_xl.entrypoints.options import LEDGER_PATH, json_option


@click.command("diff")
@click.argument("old", type=LEDGER_PATH)
@click.argument("new", type=LEDGER_PATH)
@json_option
def command(old: Path, new: Path, as_json: bool) -> None:
    """比较同一单位台账的两个版本：新增、删除、销号、重新打开、延期、状态/责任/落实情况变化。

    措施按内容对应，插入行或重新编号不影响比较。

    例：rectify-xl diff 台账-9月.xlsx 台账-10月.xlsx
    """
    from rectify_xl.services.diff import diff
    from rectify_xl.services.source import FileSource

    diffed = diff(FileSource(old), FileSource(new))
    result, edits = diffed.diff, diffed.edits
    if as_json:
        data = result.to_dict()
        if edits is not None:
            data["recorded"] = {"lines": edits.lines(), "continues": edits.continues,
                                "intact": edits.intact}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if not result.same_unit:
        click.echo(f"注意：两个文件的被巡察单位不同（{result.old_unit} / {result.unit}）", err=True)
    click.echo(f"【{result.unit or new.name}】{old.name} → {new.name}：{result.summary_line()}")
    for line in result.lines():
        click.echo(f"  {line}")
    if edits is not None:
        click.echo(f"修改记录（{new.name}中，本期间{len(edits.rows)}条）：")
        if not edits.intact:
            click.echo("  注意：修改记录与校验码不符，已被改动，以下内容不可信")
        if not edits.continues:
            click.echo(f"  注意：{old.name}的修改记录不是其开头部分，以下为全部记录")
        for line in edits.lines():
            click.echo(f"  {line}")
