"""Every help screen speaks Chinese: staff read `--help`, not click's English defaults."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from rectify_xl.entrypoints.cli import COMMANDS, cli


@pytest.mark.parametrize("args", [[], *([name] for name in COMMANDS)], ids=lambda a: a[0] if a else "group")
def test_help_screen_has_chinese_headings_and_no_click_english(args: list[str]) -> None:
    result = CliRunner().invoke(cli, [*args, "--help"], prog_name="rectify-xl")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("用法：rectify-xl")
    assert "选项：" in result.output and "显示本帮助后退出" in result.output
    for english in ("Usage:", "Options:", "Show this message", "[default:", "Commands:"):
        assert english not in result.output


def test_short_help_flag_works_on_commands_too() -> None:
    assert CliRunner().invoke(cli, ["validate", "-h"]).exit_code == 0
