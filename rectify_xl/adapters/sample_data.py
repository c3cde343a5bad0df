"""The bundled sample ledger (the published 2021 notice as data), read from package data."""

from __future__ import annotations

import tomllib
from importlib import resources

from rectify_xl.core.model import Ledger
from rectify_xl.core.records import LedgerRecords, ledger_from_records

__all__ = ["SAMPLE_NAME", "sample_ledger", "sample_records"]

SAMPLE_NAME = "seed_notice_2021"


def sample_records(name: str = SAMPLE_NAME) -> LedgerRecords:
    text = resources.files("rectify_xl.data.samples").joinpath(f"{name}.toml").read_text("utf-8")
    return LedgerRecords.from_mapping(tomllib.loads(text))


def sample_ledger(name: str = SAMPLE_NAME) -> Ledger:
    return ledger_from_records(sample_records(name))
