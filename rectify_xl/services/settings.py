"""The settings of one run: the 设置 sheet, then the user's config file, then the defaults.

The 设置 sheet is read by core.parse.parse_settings (the same reader the ledger uses for
序时进度容差); this adds the user's config file and the defaults, and checks the values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rectify_xl.core.model import Grid
from rectify_xl.core.settings import Settings, settings_from

__all__ = ["load_settings"]


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

    from rectify_xl.core.parse import parse_contacts, parse_settings
    from rectify_xl.core.schema import SHEETS
    from rectify_xl.core.settings import check_contacts

    grid = grids.get(SHEETS.SETTINGS)
    values, cells = parse_settings(grid)
    sheet = [(f"“{SHEETS.SETTINGS}”表{cells[k]}", {k: v}) for k, v in values.items()]
    settings = settings_from([*sheet, ("用户配置文件", config())])
    if not contacts:
        return settings
    pairs = check_contacts(parse_contacts(grid), f"“{SHEETS.SETTINGS}”表")
    return replace(settings, contacts=pairs) if pairs else settings
