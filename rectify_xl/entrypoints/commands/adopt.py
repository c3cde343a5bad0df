"""`rectify-xl adopt`: turn a unit's own ledger into the template (issue 14)."""

from __future__ import annotations

from pathlib import Path

import click

_FILE = click.Path(path_type=Path)


@click.command("adopt")
@click.argument("theirs", type=_FILE)
@click.option("-o", "--output", type=_FILE, required=True, metavar="FILE",
              help="生成的台账：.xlsx，或 .xlsm（带按钮）")
@click.option("--force", is_flag=True, help="输出文件已存在时覆盖")
def command(theirs: Path, output: Path, force: bool) -> None:
    """把单位自己的台账转为本工具的台账模板：每一行、每一列都带过来。

    工作表按表头内容识别（不论叫什么名字），列名和整改状态按常见写法换算；模板没有的列保留在模板列之后；
    新台账中的“导入报告”表列出每一项怎样导入、哪些需要人工确认。原台账不会被修改。

    例：rectify-xl adopt 我们的台账.xlsx -o 整改台账.xlsm
    """
    from rectify_xl.services.adopt import adopt
    from rectify_xl.services.source import FileSource

    outcome = adopt(FileSource(theirs), output, overwrite=force)
    for item, original, adopted, note in outcome.report[1:]:
        arrow = f" → {adopted}" if adopted else ""
        click.echo(f"{item}：{original}{arrow}（{note}）")
    click.echo(f"已生成台账：{outcome.output}（{outcome.measures}行整改措施）")
    if outcome.decisions:
        click.echo(f"有{outcome.decisions}项需要人工确认，见新台账的“导入报告”表", err=True)
