"""`rectify-xl summary`: readable Chinese text, JSON, --as-of, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from rectify_xl.entrypoints.cli import cli
from tests.conftest import ROOT, measure_row, sha256


def run(*args: object) -> Result:
    return CliRunner().invoke(cli, ["summary", *map(str, args)])


@pytest.fixture
def ledger(make_ledger_xlsx: Callable[..., Path]) -> Iterator[Path]:
    """One closed measure, one overdue (deadline 2021-10-01), one due soon (2021-11-05).

    Every test using it also checks the file is byte-identical afterwards."""
    path = make_ledger_xlsx(rows=[
        measure_row(seq="1"),
        measure_row(seq="2", problem="问题二", measure="建立台账", leader="副书记", status="正在推进",
                    done_date=None, progress="", deadline=date(2021, 10, 1)),
        measure_row(seq="3", problem="问题三", measure="完善制度", department="综治室",
                    status="正在推进", done_date=None, progress="", deadline=date(2021, 11, 5)),
    ])
    before = sha256(path)
    yield path
    assert sha256(path) == before


def test_text_summary_lists_headline_overdue_and_breakdowns(ledger: Path) -> None:
    """Statistics date from 基本信息 (2021-10-31); overdue and due-soon items are named."""
    before = sha256(ledger)
    result = run(ledger)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "统计截止：2021年10月31日" in out
    assert "完成率" in out and "33.3%" in out
    assert "建立台账——完成时限2021年10月1日，逾期30天" in out
    assert "完善制度——完成时限2021年11月5日，剩余5天" in out
    assert "按责任领导：" in out and "副书记：措施1项" in out
    assert sha256(ledger) == before


def test_json_summary(ledger: Path) -> None:
    """--json gives the Summary.to_dict() shape."""
    result = run(ledger, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["measure_count"], data["measures_done"], data["measures_in_progress"]) == (3, 1, 2)
    assert [r["seq"] for r in data["overdue"]] == ["2"]
    assert data["as_of"] == "2021-10-31"


def test_as_of_option_moves_the_deadlines(ledger: Path) -> None:
    """On 2021-11-10 both open measures are overdue, the older first."""
    data = json.loads(run(ledger, "--json", "--as-of", "2021年11月10日").stdout)
    assert [(r["seq"], r["days"]) for r in data["overdue"]] == [("2", 40), ("3", 5)]
    assert data["due_soon"] == []


def test_deadline_on_the_as_of_date_reads_due_today(ledger: Path) -> None:
    """0 days left is written 今天到期."""
    out = run(ledger, "--as-of", "2021-11-05").stdout
    assert "完善制度——完成时限2021年11月5日，今天到期" in out


def test_bad_as_of_is_a_usage_error(ledger: Path) -> None:
    """Not a date → exit 2."""
    assert run(ledger, "--as-of", "明天").exit_code == 2


def test_missing_file_is_exit_2(tmp_path: Path) -> None:
    """One Chinese line, no traceback."""
    result = run(tmp_path / "无.xlsx")
    assert result.exit_code == 2
    assert "找不到文件" in result.stderr and "Traceback" not in result.output


def test_summary_path_does_not_import_jinja2(ledger: Path) -> None:
    """The summary pays for neither jinja2 nor pandas (its breakdowns are plain counting)."""
    code = ("import sys; from click.testing import CliRunner; "
            "from rectify_xl.entrypoints.cli import cli; "
            f"r = CliRunner().invoke(cli, ['summary', {str(ledger)!r}]); assert r.exit_code == 0; "
            "print('jinja2' in sys.modules, 'pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout.split()
    assert out == ["False", "False"]
