"""`rectify-xl import`: start a ledger from a published notice or a feedback document."""

from __future__ import annotations

from pathlib import Path

import click

# folders are refused by the readers, in Chinese (click would say it in English)
_FILE = click.Path(path_type=Path)


@click.command("import")
@click.argument("file", type=_FILE)
@click.option("-o", "--output", type=_FILE, default=None, metavar="FILE",
              help="生成的台账（.xlsx）；不填则在原文件旁生成“原文件名-台账.xlsx”")
@click.option("--force", is_flag=True, help="输出文件已存在时覆盖")
def command(file: Path, output: Path | None, force: bool) -> None:
    """从整改进展情况公告或巡察反馈意见（.txt 或 .docx）生成台账，并列出导入报告。

    公告：导入基本信息、文稿、方面、问题和每条整改落实情况。

    反馈意见：每个问题一行，整改措施等列留空待填。原文件不会被修改。

    例：rectify-xl import 公告.txt -o 台账.xlsx
    """
    from rectify_xl.services.notice_import import import_notice
    from rectify_xl.services.source import TextFile

    outcome = import_notice(TextFile(file), output, overwrite=force)
    for label, para, text in outcome.rows[1:]:
        where = f"（第{para}段）" if para and f"第{para}段" not in str(text) else ""
        click.echo(f"{label}{where}：{text}")
    click.echo(f"已生成台账：{outcome.output}")
