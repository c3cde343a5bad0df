"""The settings of one run: the 设置 sheet, then the user's config file, then the defaults.

The 设置 sheet's rows are read by core.parse.parse_settings; core.settings checks the values
(a value that cannot be used is a warning in ``Settings.problems``, never a stop: 设置 is an
optional sheet). This is the one path by which the 临期提醒天数 and the 序时进度容差 reach a rule,
the summary or a reminder.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rectify_xl.core.model import Grid
from rectify_xl.core.settings import Layer, Settings, settings_from

__all__ = ["CONFIG_LAYER", "load_settings"]

CONFIG_LAYER = "用户配置文件"  # how a finding names the config file's layer


def _user_config() -> Mapping[str, object]:
    from rectify_xl.adapters.user_config import read_user_config

    return read_user_config()


def load_settings(grids: Mapping[str, Grid], *,
                  config: Callable[[], Mapping[str, object]] = _user_config,
                  contacts: bool = False) -> Settings:
    """``config`` is the seam for tests: a function returning the config file's [settings].
    The 联系人 table is read (and its addresses checked) only for the run that mails with it
    (``contacts``): a bad address must not stop validate or summary of the same ledger."""
    from dataclasses import replace

    from rectify_xl.core.parse import parse_contacts, parse_settings, sheet_named
    from rectify_xl.core.schema import SHEETS
    from rectify_xl.core.settings import check_contacts

    grid = sheet_named(grids, SHEETS.SETTINGS)
    values, cells = parse_settings(grid)
    sheet = grid.name if grid is not None else SHEETS.SETTINGS
    settings = settings_from([Layer(sheet, values, cells), Layer(CONFIG_LAYER, config())])
    if not contacts:
        return settings
    pairs = check_contacts(parse_contacts(grid), f"“{SHEETS.SETTINGS}”表")
    return replace(settings, contacts=pairs) if pairs else settings
