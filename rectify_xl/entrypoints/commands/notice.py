"""`rectify-xl notice`: the 整改进展情况公告 as text, a .txt file, or (issue 6) .docx/.pdf."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from rectify_xl.entrypoints.options import ledger_argument
from rectify_xl.errors import OutputError

if TYPE_CHECKING:
    from rectify_xl.core.model import Ledger

_FILE = click.Path(dir_okay=False, path_type=Path)
_DOCUMENT_SUFFIXES = (".docx", ".pdf")


@click.command("notice")
@ledger_argument
@click.option("-o", "--output", "out", type=_FILE, default=None,
              help="输出文件：.txt（文本）、.docx 或 .pdf；不填则直接显示公告全文")
@click.option("--template", type=_FILE, default=None, help="自定义公告模板（jinja2 文本，UTF-8）")
@click.option("--profile", type=_FILE, default=None, help="公文版式配置（用于 .docx/.pdf）")
@click.option("--reference", type=_FILE, default=None, help="参考 Word 文档（用于 .docx/.pdf 的样式）")
def command(ledger: Path, out: Path | None, template: Path | None, profile: Path | None,
            reference: Path | None) -> None:
    """根据台账生成整改进展情况公告（一段一行）。

    例：rectify-xl notice 台账.xlsx -o 公告.txt
    """
    from rectify_xl.services.ledger import load_ledger, notice_text

    suffix = out.suffix.lower() if out else ""
    if out and suffix not in (".txt", *_DOCUMENT_SUFFIXES):
        raise OutputError(f"不支持的输出格式“{out.suffix or out.name}”：请用 .txt、.docx 或 .pdf")
    parsed = load_ledger(ledger)
    text = notice_text(parsed, template)
    if out is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    if suffix == ".txt":
        from rectify_xl.adapters.templates import write_text_atomic

        click.echo(f"已生成公告：{write_text_atomic(out, text)}")
        return
    for written in _write_document(parsed, text, out, profile, reference):
        click.echo(f"已生成公告：{written}")


def _write_document(ledger: Ledger, text: str, out: Path, profile: Path | None,
                    reference: Path | None) -> list[Path]:
    try:
        from rectify_xl.services.document import write_notice_document
    except ImportError as exc:
        if exc.name == "rectify_xl.services.document":  # this build has no document service
            raise OutputError("此版本尚不能生成 Word/PDF 公告，请先用 -o 公告.txt 生成文本") from exc
        raise OutputError(f"生成 Word/PDF 公告所需的组件缺失：{exc.name or exc}") from exc
    written = write_notice_document(ledger, text, out, profile=profile, reference=reference)
    return [written] if isinstance(written, Path) else list(written or [out])
