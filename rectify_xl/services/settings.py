"""The settings of one run: the 设置 sheet, then the user's config file, then the defaults."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rectify_xl.core.model import Grid
from rectify_xl.core.settings import Settings, settings_from

__all__ = ["load_settings", "sheet_values"]


def sheet_values(grid: Grid | None) -> dict[str, object]:
    """key → value of the 设置 rows this settings object knows (labels in A, values in B)."""
    from rectify_xl.core.parse import cell_text
    from rectify_xl.core.schema import SETTINGS_FIELDS

    if grid is None:
        return {}
    by_label = {f.label: f.key for f in SETTINGS_FIELDS}
    out: dict[str, object] = {}
    for row in grid.rows:
        if len(row) > 1:
            key = by_label.get(cell_text(row[0]).rstrip("：:*＊"))
            if key:
                out[key] = row[1]
    return out


def _user_config() -> Mapping[str, object]:
    from rectify_xl.adapters.user_config import read_user_config

    return read_user_config()


def load_settings(grids: Mapping[str, Grid], *,
                  config: Callable[[], Mapping[str, object]] = _user_config) -> Settings:
    """``config`` is the seam for tests: a function returning the config file's [settings]."""
    from rectify_xl.core.schema import SHEETS

    sheet = sheet_values(grids.get(SHEETS.SETTINGS))
    return settings_from([(f"“{SHEETS.SETTINGS}”表", sheet), ("用户配置文件", config())])
