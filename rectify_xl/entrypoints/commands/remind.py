"""`rectify-xl remind`: 提醒函 / 督办函 per responsible department, recorded in 催办记录."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from rectify_xl.entrypoints.options import as_of_option, ledger_argument


@click.command("remind")
@ledger_argument
@as_of_option
@click.option("--days", type=click.IntRange(0, 366), default=None,
              help="完成时限前多少天内发提醒（默认取“设置”中的临期提醒天数，未填为 14 天）")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, metavar="文件夹", help="催办文书保存的文件夹（默认：台账旁的“台账名-催办”）")
@click.option("--no-record", is_flag=True, help="只生成文书，不写入台账的“催办记录”表")
def command(ledger: Path, as_of: date | None, days: int | None, out_dir: Path | None,
            no_record: bool) -> None:
    """催办：对即将到期（提醒）和已逾期（督办）的措施，按责任部门各生成一份催办文书（.docx），
    并在台账的“催办记录”表中追加记录（写入前自动备份；台账在 Excel/WPS 中打开时不写入）。

    例：rectify-xl remind 台账.xlsx --days 7 -o 催办
    """
    from datetime import datetime

    from rectify_xl.core.dates import format_cn
    from rectify_xl.services.ledger import settings_of
    from rectify_xl.services.remind import default_folder, ensure_writable, record_in_file, remind
    from rectify_xl.services.source import FileSource

    source = FileSource(ledger)
    window = days if days is not None else settings_of(source).due_days
    if not no_record:
        ensure_writable(ledger)  # before any letter is written: all or nothing
    result = remind(source, today=datetime.now().date(), days=window,
                    out_dir=out_dir or default_folder(ledger), as_of=as_of)
    if not result.reminders:
        click.echo(f"截至{format_cn(result.as_of)}，没有{window}天内到期或已逾期的未完成措施，无需催办。")
        return
    lines = [f"截至{format_cn(result.as_of)}："]
    for r, path in zip(result.reminders, result.files, strict=True):
        lines.append(f"  {r.department}：{r.kind.value}，措施{len(r.items)}项 → {path}")
    if result.sheet is not None and not no_record:
        backup = record_in_file(ledger, result.sheet)
        lines.append(f"已在“催办记录”表中追加{result.new_rows}条记录（原文件备份：{backup}）")
    click.echo("\n".join(lines))
