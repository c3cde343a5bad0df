"""`rectify-xl summary`: the progress summary as Chinese text or JSON (pandas, never jinja2)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from rectify_xl.entrypoints.options import as_of_option, json_option, ledger_argument

if TYPE_CHECKING:
    from rectify_xl.core.findings import Finding
    from rectify_xl.core.progress import GroupRow, ItemRow, Summary


@click.command("summary")
@ledger_argument
@json_option
@as_of_option
@click.pass_context
def command(ctx: click.Context, ledger: Path, as_json: bool, as_of: date | None) -> None:
    """汇总整改进度：按状态统计、完成率、逾期、临期和序时进度滞后清单、按方面/责任领导/责任部门分解。

    台账中有影响统计数字的错误时，结果标明“未定稿”，列出出错的单元格，退出码为 1。

    例：rectify-xl summary 台账.xlsx --as-of 2021-10-31
    """
    from datetime import datetime

    from rectify_xl.entrypoints.cli import collector_paused

    with collector_paused():  # from the imports on: their objects are walked as well
        from rectify_xl.services.source import FileSource, ledger_of

        source = FileSource(ledger)
        source.prefetch()  # the file is parsed while the rules are imported
        from rectify_xl.services.ledger import gated_summary, uncounted_sheets
        # the summary only: 进度汇总 and 进度历史, which a button writes, are not built to be
        # dropped
        summary, blockers = gated_summary(source, today=datetime.now().date(), as_of=as_of)
    if as_json:
        import json  # only for --json

        data = {**summary.to_dict(), "final": not blockers,
                "blocking": [f.to_dict() for f in blockers]}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(format_summary(summary)))
    for line in uncounted_sheets(ledger_of(source)):
        click.echo(f"注意：{line}", err=True)
    if blockers:
        report_blockers(blockers, "统计数字")
        ctx.exit(1)


def report_blockers(blockers: Sequence[Finding], what: str) -> None:
    """The cells whose errors make the output not final, on stderr (the exit code is 1)."""
    from rectify_xl.core.gate import blocker_lines

    click.echo(f"未定稿：台账中有{len(blockers)}处错误影响{what}，请修改后重新生成：", err=True)
    for line in blocker_lines(blockers):
        click.echo(f"  {line}", err=True)


def format_summary(summary: Summary) -> list[str]:
    """The summary as readable lines (used by the CLI and the demo)."""
    from rectify_xl.core.dates import format_cn

    lines = [f"【{summary.unit or '整改台账'}】整改进度汇总（统计截止：{format_cn(summary.as_of)}）"]
    width = max(len(label) for label, _ in summary.headline())
    lines += [f"  {label}{'　' * (width - len(label))}  {value}" for label, value in summary.headline()]
    lines += _items(f"逾期措施（{len(summary.overdue)}项，逾期最久的在前）", summary.overdue,
                    lambda days: f"逾期{days}天")
    lines += _items(f"临期措施（{summary.due_days}天内到期，{len(summary.due_soon)}项）",
                    summary.due_soon, lambda days: f"剩余{days}天" if days else "今天到期")
    lines += _items(f"序时进度滞后（{len(summary.behind)}项，时间已过比例超过完成进度）",
                    summary.behind, lambda days: f"剩余{days}天")
    if summary.reminders:
        lines += ["", f"催办次数（共{summary.reminders}份催办文书）："]
        lines += [f"  {label}：{count}次" for label, count in summary.reminded] or ["  无"]
    for title, rows in (("按方面", summary.by_aspect), ("按责任领导", summary.by_leader),
                        ("按责任部门", summary.by_department)):
        lines += _groups(title, rows)
    return lines


def _items(title: str, rows: tuple[ItemRow, ...], when: Callable[[int], str]) -> list[str]:
    from rectify_xl.core.dates import format_cn
    from rectify_xl.core.progress import LagRow

    lines = ["", title + "："]
    if not rows:
        return [*lines, "  无"]
    for r in rows:
        seq = f"序号{r.seq}，" if r.seq else ""
        lag = (f"，时间已过{round(r.elapsed * 100)}%、完成进度{round(r.progress * 100)}%"
               if isinstance(r, LagRow) else "")
        lines.append(
            f"  第{r.row}行（{seq}{r.leader or '—'}/{r.department or '—'}）{r.measure}"
            f"——完成时限{format_cn(r.deadline)}，{when(r.days)}{lag}"
        )
    return lines


def _groups(title: str, rows: tuple[GroupRow, ...]) -> list[str]:
    from rectify_xl.core.progress import format_rate

    lines = ["", title + "："]
    if not rows:
        return [*lines, "  无"]
    for g in rows:
        lines.append(
            f"  {g.name}：措施{g.measures}项，已完成{g.done}，长期坚持{g.ongoing}，"
            f"正在推进{g.in_progress}，逾期{g.overdue}，完成率{format_rate(g.rate)}"
        )
    return lines
