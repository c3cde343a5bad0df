"""`rectify-xl evidence`: the 佐证材料 of each measure (files, sizes, SHA-256) and a manifest."""

from __future__ import annotations

import json
from pathlib import Path

import click

from rectify_xl.entrypoints.options import json_option, ledger_argument


@click.command("evidence")
@ledger_argument
@click.option("--manifest", "manifest_out", type=click.Path(dir_okay=False, path_type=Path),
              default=None, metavar="清单.json", help="清单文件（默认：台账旁的“台账名-佐证材料清单.json”）")
@click.option("-o", "--annotate", "annotate_out", type=click.Path(dir_okay=False, path_type=Path),
              default=None, metavar="OUT.xlsx", help="另存一份含“佐证材料清单”表的台账副本")
@json_option
def command(ledger: Path, manifest_out: Path | None, annotate_out: Path | None,
            as_json: bool) -> None:
    """列出每条措施的佐证材料（文件、大小、SHA-256），写出清单文件；台账文件不会被修改。

    佐证材料放在台账旁的“台账名-佐证材料”文件夹中：每条措施一个以序号命名的子文件夹
    （如“3”或“3-制度文件”），或在“佐证材料”列中写出文件名。

    例：rectify-xl evidence 台账.xlsx -o 台账-佐证材料清单.xlsx
    """
    from datetime import datetime

    from rectify_xl.services.evidence import evidence
    from rectify_xl.services.source import FileSource

    result = evidence(FileSource(ledger), now=datetime.now(), manifest_out=manifest_out,
                      annotate_out=annotate_out)
    if as_json:
        click.echo(json.dumps({**result.manifest, "findings": result.report.to_dict()["findings"]},
                              ensure_ascii=False, indent=2))
        return
    listing = result.listing
    lines = [f"佐证材料文件夹：{listing.folder}" + ("" if listing.exists else "（不存在）")]
    for item in result.items:
        m = item.measure
        head = f"第{m.row}行" + (f"（序号{m.seq}）" if m.seq else "") + f" {m.status_raw or '未填状态'}"
        if not item.files:
            lines.append(f"{head}：无文件")
        for f in item.files:
            lines.append(f"{head}：{f.path}  {f.size}字节  SHA-256 {f.sha256}")
        lines += [f"{head}：“{name}”不存在" for name in item.missing]
    lines += [f"{f.severity.label} {f.code} {f.location} {f.message}" for f in result.report.by_severity()]
    if listing.truncated:
        lines.append("注意：文件过多，只列出了前面的部分")
    lines += [f"已写出：{p}" for p in result.written]
    click.echo("\n".join(lines))
