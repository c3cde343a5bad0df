"""rectify-xl new PATH [--sample] [--force]: write a blank (or sample) ledger workbook."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("new")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--sample", is_flag=True, help="填入随附的样例台账（2021年公告）")
@click.option("--force", is_flag=True, help="目标文件已存在时覆盖")
@click.option("--server", "server_url", metavar="URL", default=None,
              help="服务器版（.xlsm）：按钮把台账发给办公室服务器处理，本机不必安装 Python")
def command(path: Path, sample: bool, force: bool, server_url: str | None) -> None:
    """新建整改台账工作簿：.xlsx 为不含宏的版本，.xlsm 为带按钮的版本。"""
    from rectify_xl.services.workbook import new_workbook

    if server_url and path.suffix.lower() != ".xlsm":
        raise click.UsageError("服务器版工作簿带按钮，文件名应以 .xlsm 结尾")
    written = new_workbook(path, sample=sample, overwrite=force, server_url=server_url)
    kind = "带按钮（含宏）的" if written.suffix.lower() == ".xlsm" else "不含宏的"
    what = "样例台账" if sample else "空白台账"
    click.echo(f"已生成{kind}{what}：{written}")
