"""Issue 13, item 2: each job in a process of its own, bounded in time and memory.

A crash (an abort in native code), a memory blow-up or a job that never ends costs that one job
a clear message; the caller — the server, the merge — carries on.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from rectify_xl.adapters.isolation import JobFailed, JobTimeout, Limits, run_isolated
from rectify_xl.errors import InputError
from tests.hostile_files import sample_ledger
from tests.server_helpers import WEB, config, local_client, sample_xlsx

posix_only = pytest.mark.skipif(os.name != "posix", reason="rlimits and fork are POSIX")


def _abort() -> None:
    os.abort()


def _allocate(mb: int) -> int:
    blocks = [bytearray(1 << 20) for _ in range(mb)]
    return len(blocks)


def _spin() -> None:
    while True:
        pass


def _refuse() -> None:
    raise InputError("台账有问题")


def test_the_result_comes_back() -> None:
    assert run_isolated(sum, [1, 2, 3]) == 6


def test_a_rectify_error_keeps_its_class_and_message() -> None:
    with pytest.raises(InputError, match="台账有问题"):
        run_isolated(_refuse)


def test_an_abort_in_the_job_is_a_message_and_the_caller_lives_on() -> None:
    with pytest.raises(JobFailed, match="异常终止"):
        run_isolated(_abort)
    assert run_isolated(sum, [1]) == 1


@posix_only
@pytest.mark.skipif(sys.platform != "linux", reason="the address-space base is read from /proc")
def test_memory_beyond_the_limit_ends_the_job_not_the_caller() -> None:
    with pytest.raises(JobFailed, match="内存"):
        run_isolated(_allocate, 2000, limits=Limits(seconds=60, memory_mb=200))
    assert run_isolated(_allocate, 20, limits=Limits(seconds=60, memory_mb=200)) == 20


def test_a_job_past_its_time_is_killed() -> None:
    started = time.monotonic()
    with pytest.raises(JobTimeout, match="处理超时"):
        run_isolated(time.sleep, 60, limits=Limits(seconds=0.5))
    assert time.monotonic() - started < 30  # killed, not waited for (generous: a busy machine)


@posix_only
def test_cpu_time_is_limited_too() -> None:
    with pytest.raises((JobTimeout, JobFailed)):
        run_isolated(_spin, limits=Limits(seconds=1))


class TestServer:
    def test_a_job_that_crashes_answers_that_request_and_the_server_keeps_serving(
            self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        from rectify_xl.server import work

        real = work.check_upload

        def crash_on_bad(upload: Any, **kwargs: Any) -> Any:
            if upload.name.startswith("坏"):
                os.abort()
            return real(upload, **kwargs)

        monkeypatch.setattr(work, "check_upload", crash_on_bad)
        client = local_client(config())
        data = sample_xlsx(tmp_path).read_bytes()
        bad = client.post("/api/check", files={"file": ("坏.xlsx", data)}, headers=WEB)
        assert bad.status_code == 400 and "异常终止" in bad.json()["error"]
        good = client.post("/api/check", files={"file": ("好.xlsx", data)}, headers=WEB)
        assert good.status_code == 200 and good.json()["verdict"] == "通过"

    def test_a_job_past_the_time_limit_is_504_and_its_slot_comes_back(
            self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        from rectify_xl.server import work

        monkeypatch.setattr(work, "check_upload", lambda *a, **k: time.sleep(600))
        client = local_client(config(time_limit=1.0, threads=1))
        data = sample_xlsx(tmp_path).read_bytes()
        for _ in range(2):  # with one slot, the second would wait forever if the first ran on
            response = client.post("/api/check", files={"file": ("台账.xlsx", data)}, headers=WEB)
            assert response.status_code == 504 and response.json()["error"].startswith("处理超时")


class TestMerge:
    @pytest.mark.parametrize("files", [3, 13], ids=["one-process-each", "worker-pool"])
    def test_a_file_that_kills_its_process_is_that_files_error(
            self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: int) -> None:
        from rectify_xl.services import merge

        real = merge.load_unit_file

        def crash_on_bad(name: str, path: Path, *args: Any) -> Any:
            if Path(name).name.startswith("坏"):
                os.abort()
            return real(name, path, *args)

        monkeypatch.setattr(merge, "load_unit_file", crash_on_bad)
        folder = tmp_path / "收件"
        folder.mkdir()
        first = sample_ledger(folder, "单位00.xlsx")
        for i in range(1, files - 1):
            (folder / f"单位{i:02d}.xlsx").write_bytes(first.read_bytes())
        (folder / "坏.xlsx").write_bytes(first.read_bytes())
        result = merge.merge_ledgers([folder], tmp_path / "汇总.xlsx", today=date(2021, 10, 31))
        failed = {Path(f.source).name: f.note for f in result.consolidation.roster if f.source
                  and "异常终止" in f.note}
        assert list(failed) == ["坏.xlsx"]
        assert (tmp_path / "汇总.xlsx").is_file()
        assert sorted(p.name for p in tmp_path.iterdir()) == ["收件", "汇总.xlsx"]
