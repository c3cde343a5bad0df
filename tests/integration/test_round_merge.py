"""merge with streams and outcome figures (issue 18): per unit, in total, equal to each unit's
own `summary --json`."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from rectify_xl.core.schema import MERGE_STREAM_COLUMNS, MERGE_TOTAL, OUTCOMES, SHEETS
from rectify_xl.services.merge import merge_ledgers
from tests.merge_helpers import AS_OF
from tests.round_helpers import ROUND, summary_json, write_round


def _rows(path: Path, sheet: str) -> list[list[object]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    return [list(r) for r in wb[sheet].iter_rows(values_only=True)]


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict]]:
    folder = tmp_path_factory.mktemp("round")
    files = write_round(folder / "收到")
    out = folder / "汇总.xlsx"
    merge_ledgers([folder / "收到"], out, as_of=AS_OF)
    return out, {f.stem: summary_json(f) for f in files}


def test_outcome_columns_per_unit_and_in_total(merged: tuple[Path, dict[str, dict]]) -> None:
    out, summaries = merged
    rows = _rows(out, SHEETS.MERGE_SUMMARY)
    header = rows[1]
    by_unit = {r[0]: dict(zip(header, r, strict=True)) for r in rows[2:] if r[0]}
    for o in OUTCOMES:
        given = {u: s["outcomes"][o.key] for u, s in summaries.items() if o.key in s["outcomes"]}
        assert o.header in header  # every figure is given by some unit of this round
        for unit in ROUND:
            assert by_unit[unit][o.header] == given.get(unit)  # blank when the unit gave none
        assert by_unit[MERGE_TOTAL][o.header] == pytest.approx(sum(given.values()))


def test_streams_per_unit_and_in_total(merged: tuple[Path, dict[str, dict]]) -> None:
    out, summaries = merged
    rows = _rows(out, SHEETS.MERGE_STREAMS)
    assert rows[1] == [h for _, h in MERGE_STREAM_COLUMNS]
    keys = [k for k, _ in MERGE_STREAM_COLUMNS]
    table = [dict(zip(keys, r, strict=True)) for r in rows[2:]]
    units = {(r["unit"], r["stream"]): r for r in table if r["unit"] != MERGE_TOTAL}
    totals = {r["stream"]: r for r in table if r["unit"] == MERGE_TOTAL}
    for unit, s in summaries.items():
        for stream in s["streams"]:
            row = units[(unit, stream["stream"])]
            for key in ("problems", "rectified", "basic", "open", "measures", "measures_closed"):
                assert row[key] == stream[key]
            assert row["completion_rate"] == pytest.approx(stream["completion_rate"])
    for name, total in totals.items():
        parts = [st for s in summaries.values() for st in s["streams"] if st["stream"] == name]
        assert total["problems"] == sum(p["problems"] for p in parts)
        assert total["rectified"] == sum(p["rectified"] for p in parts)
        assert total["completion_rate"] == pytest.approx(total["rectified"] / total["problems"])
    assert set(totals) == {"反馈问题", "立行立改", "移交意见"}


def test_ranking_sheet_orders_units_best_first_with_a_chart(
        merged: tuple[Path, dict[str, dict]]) -> None:
    from openpyxl import load_workbook

    from rectify_xl.core.schema import MERGE_RANKING_COLUMNS

    out, summaries = merged
    rows = _rows(out, SHEETS.MERGE_RANKING)
    keys = [k for k, _ in MERGE_RANKING_COLUMNS]
    assert rows[1] == [h for _, h in MERGE_RANKING_COLUMNS]
    table = [dict(zip(keys, r, strict=True)) for r in rows[2:2 + len(summaries)]]
    assert {r["unit"] for r in table} == set(summaries)
    for r in table:
        s = summaries[r["unit"]]
        fb = next(st for st in s["streams"] if st["stream"] == "反馈问题")
        assert (r["problems"], r["rectified"], r["overdue"]) == (
            fb["problems"], fb["rectified"], len(s["overdue"]))
        assert r["problem_rate"] == pytest.approx(fb["rectified"] / fb["problems"])
        assert r["behind"] == len(s["behind"])
    keyed = [(-r["problem_rate"], r["overdue"], r["behind"], -r["completion_rate"]) for r in table]
    assert keyed == sorted(keyed)
    ranks = [r["rank"] for r in table]
    assert ranks[0] == 1 and all(b in (a, i + 2) for i, (a, b) in enumerate(pairwise(ranks)))
    assert load_workbook(out)[SHEETS.MERGE_RANKING]._charts  # the summary sheet's bar chart
