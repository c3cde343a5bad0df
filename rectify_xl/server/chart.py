"""The progress chart of the web page: an SVG bar chart drawn on the server, no JS library.

One horizontal stacked bar per group (aspect, leader or department): 已完成, 长期坚持, 正在推进.
Group names are the user's text, so every string is XML-escaped; the page shows the SVG through
an <img> data URL, where a script inside could not run anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from rectify_xl.core.progress import GroupRow, format_rate
from rectify_xl.core.schema import Status
from rectify_xl.core.textcheck import shorten

__all__ = ["COLOURS", "bar_chart_svg"]

COLOURS = ((Status.DONE.value, "#2e7d32"), (Status.ONGOING.value, "#81c784"),
           (Status.IN_PROGRESS.value, "#f9a825"))
_LABEL_W, _BAR_W, _ROW_H, _TOP, _RIGHT = 190, 420, 30, 44, 80
_FONT = "Microsoft YaHei, PingFang SC, Noto Sans CJK SC, WenQuanYi Zen Hei, sans-serif"


def _label(text: str, limit: int = 12) -> str:
    return shorten(text, limit)


def _legend() -> list[str]:
    parts = []
    for i, (name, colour) in enumerate(COLOURS):
        x = _LABEL_W + i * 110
        parts.append(f'<rect x="{x}" y="10" width="14" height="14" fill="{colour}"/>'
                     f'<text x="{x + 20}" y="22">{name}</text>')
    return parts


def _row(i: int, g: GroupRow, scale: float) -> list[str]:
    y = _TOP + i * _ROW_H
    parts = [f'<text x="{_LABEL_W - 8}" y="{y + 18}" text-anchor="end">'
             f'<title>{escape(g.name)}</title>{escape(_label(g.name))}</text>']
    x = float(_LABEL_W)
    for value, (name, colour) in zip((g.done, g.ongoing, g.in_progress), COLOURS, strict=True):
        if value <= 0:
            continue
        width = value * scale
        parts.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{width:.1f}" height="{_ROW_H - 10}" '
                     f'fill="{colour}"><title>{escape(g.name)} {name} {value}项</title></rect>')
        x += width
    parts.append(f'<text x="{x + 6:.1f}" y="{y + 18}">{g.measures}项 {format_rate(g.rate)}</text>')
    return parts


def bar_chart_svg(groups: Sequence[GroupRow], title: str = "按方面整改进度") -> str:
    """A self-contained SVG document; an empty chart says 无数据."""
    height = _TOP + max(len(groups), 1) * _ROW_H + 16
    width = _LABEL_W + _BAR_W + _RIGHT
    most = max((g.measures for g in groups), default=0)
    scale = _BAR_W / most if most else 0.0
    body = _legend()
    for i, g in enumerate(groups):
        body += _row(i, g, scale)
    if not groups:
        body.append(f'<text x="{_LABEL_W}" y="{_TOP + 18}">无数据</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="{_FONT}" font-size="13" role="img">'
            f'<title>{escape(title)}</title>{"".join(body)}</svg>')
