"""validate and summary run with Python's cyclic collector off (issue 12, item 8: it walked the
big ledger's objects again at every full collection) and leave it as they found it."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from rectify_xl.entrypoints.cli import cli, collector_paused
from tests.conftest import sample_records_copy


@pytest.fixture
def collector_on() -> Iterator[None]:
    was_on = gc.isenabled()
    gc.enable()
    yield
    if not was_on:
        gc.disable()


@pytest.mark.usefixtures("collector_on")
def test_off_inside_and_back_on_after_an_error() -> None:
    with pytest.raises(ValueError), collector_paused():
        assert not gc.isenabled()
        raise ValueError
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_left_off_when_it_was_off() -> None:
    gc.disable()
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


@pytest.mark.usefixtures("collector_on")
@pytest.mark.parametrize("command", ["validate", "summary"])
def test_commands_run_with_it_off(command: str, make_ledger_xlsx: Callable[..., Path],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import rectify_xl.core.rules as rules

    seen: list[bool] = []
    check = rules.check_ledger

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return check(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(rules, "check_ledger", spy)
    path = make_ledger_xlsx(sample_records_copy(), name="台账.xlsx")
    result = CliRunner().invoke(cli, [command, str(path), "--as-of", "2021-10-31"])
    assert result.exit_code in (0, 1), result.output
    assert seen and not any(seen)
    assert gc.isenabled()
