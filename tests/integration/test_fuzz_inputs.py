"""Every file is hostile: a fixed, bounded sample of the mutation harness (tests/fuzz_inputs.py)
through every command that reads each kind, and through the web workbench's upload endpoints on a
real server; then one test per fault the harness found (each fails without its fix).

Invariants for every run: exit 0, 1 or 2; at 2 one Chinese line naming the file (never the
generic 程序内部错误 of a bug, never a traceback); the input file unchanged. The full sweep, with
time and peak memory per case beside the sample files, is benchmarks/hostile_fuzz.py.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from rectify_xl.entrypoints.cli import cli
from tests import fuzz_inputs as F

ROOT = Path(__file__).resolve().parents[2]
_CJK = re.compile(r"[\u4e00-\u9fff]")
# kinds whose base needs no LibreOffice; the .xls rows are in tests/integration/test_xls.py and
# in the benchmark's sweep
SAMPLE = {kind: F.sample_cases(n, kind=kind) for kind, n in
          (("xlsx", 12), ("xlsm", 3), ("docx", 8), ("txt", 6), ("zip", 8), ("eml", 6))}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_run(path: Path, code: int, output: str) -> None:
    """The invariants of one run of a command on a hostile file."""
    assert code in (0, 1, 2), output
    assert "Traceback" not in output and "程序内部错误" not in output, output
    if code == 2:
        last = output.strip().splitlines()[-1]
        assert _CJK.search(last), output
        assert path.name in output or path.stem[:12] in output, output


def _commands(case: F.Case, index: int) -> list[list[str]]:
    """validate (or the first command) always, and one more, taken in turn over the cases."""
    commands = F.COMMANDS[case.kind]
    return [commands[0]] + ([commands[1 + index % (len(commands) - 1)]] if len(commands) > 1 else [])


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bases")
    return {"ok": F.base_file("xlsx", folder, "基准台账.xlsx"),
            "txt": F.base_file("txt", folder, "基准公告.txt")}


@pytest.mark.parametrize("case", [c for cs in SAMPLE.values() for c in cs], ids=lambda c: c.name)
def test_a_hostile_file_through_the_commands_that_read_it(case: F.Case, bases: dict[str, Path],
                                                          tmp_path: Path) -> None:
    path = case.make(tmp_path)
    before = _digest(path)
    index = int(hashlib.md5(case.name.encode()).hexdigest(), 16)  # stable across runs
    for i, argv in enumerate(_commands(case, index)):
        args = [a.format(f=path, ok=bases["ok"], txt=bases["txt"], out=tmp_path / f"out{i}")
                for a in argv]
        result = CliRunner().invoke(cli, args)
        assert not (result.exception and not isinstance(result.exception, SystemExit)), \
            f"{args}: {result.exception!r}"
        check_run(path, result.exit_code, result.output)
    assert _digest(path) == before


def test_the_sample_is_fixed_and_covers_every_kind() -> None:
    again = {kind: [c.name for c in F.sample_cases(len(cs), kind=kind)] for kind, cs in SAMPLE.items()}
    assert again == {kind: [c.name for c in cs] for kind, cs in SAMPLE.items()}
    assert all(SAMPLE.values())
    made = F.cases("xlsx", seeds=range(1))[0].make
    import tempfile

    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        assert made(Path(a)).read_bytes() == made(Path(b)).read_bytes()


# --- the faults the harness found, one test each -----------------------------------------------

def _case(name: str, folder: Path) -> Path:
    kind = name.split("/", 1)[0]
    return next(c for c in F.cases(kind, seeds=range(12)) if c.name == name).make(folder)


def _cli(*args: object, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "rectify_xl", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def test_a_shared_strings_part_claiming_millions_of_strings_is_refused(tmp_path: Path) -> None:
    """uniqueCount="400000000": calamine reserved 9.6 GB for it and the process aborted."""
    path = _case("xlsx/shared-strings-claim", tmp_path)
    run = _cli("validate", path)
    assert run.returncode == 2, run.stderr
    assert "共享字符串表" in run.stderr and "400,000,000" in run.stderr and path.name in run.stderr


def test_a_part_openpyxl_cannot_parse_is_one_line_for_the_copies(tmp_path: Path) -> None:
    """calamine reads past a broken XML part openpyxl refuses (lxml's XMLSyntaxError): the
    annotated copy and the 报送包 said 程序内部错误."""
    path = _case("xlsx/xml-flip/0", tmp_path)
    for args in (["validate", path, "--annotate", tmp_path / "a.xlsx"],
                 ["pack", path, "-o", tmp_path / "p.zip"]):
        result = CliRunner().invoke(cli, list(map(str, args)))
        assert result.exit_code == 2 and "已损坏" in result.output, result.output
        check_run(path, result.exit_code, result.output)
        assert not (tmp_path / "a.xlsx").exists() and not (tmp_path / "p.zip").exists()


def test_a_docx_whose_relationships_loop_is_one_line(tmp_path: Path) -> None:
    """document.xml.rels pointing at document.xml: RecursionError at the first style looked up."""
    path = _case("docx/rels-loop", tmp_path)
    result = CliRunner().invoke(cli, ["check-notice", str(path)])
    assert result.exit_code == 2 and "无法读取" in result.output, result.output
    check_run(path, result.exit_code, result.output)


def test_a_docx_style_based_on_itself_does_not_hang(tmp_path: Path) -> None:
    """The style chain was followed while a style had a base: one based on itself never ended."""
    path = _case("docx/style-based-on-itself", tmp_path)
    run = _cli("check-notice", path, timeout=60)  # it ran for ever
    assert run.returncode in (0, 1), run.stderr


@pytest.mark.parametrize("name", ["docx/many-paragraphs", "txt/many-lines"])
def test_a_document_of_hundreds_of_thousands_of_paragraphs_is_refused(name: str,
                                                                      tmp_path: Path) -> None:
    """400,000 one-character paragraphs: check-notice ran for minutes, import too."""
    path = _case(name, tmp_path)
    for command in (["check-notice", str(path)], ["import", str(path), "-o", str(tmp_path / "x.xlsx")]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 2 and "远超一份公告" in result.output, result.output
        check_run(path, result.exit_code, result.output)


def test_a_huge_attribute_is_refused_naming_file_and_sheet(tmp_path: Path) -> None:
    path = _case("xlsx/huge-attribute", tmp_path)
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2 and path.name in result.output and "整改清单" in result.output


def test_a_workbook_whose_relationships_loop_is_refused_naming_the_file(tmp_path: Path) -> None:
    """No sheet can be found: the core's sentence now says which file (diff reads two)."""
    path = _case("xlsx/rels-loop", tmp_path)
    ok = F.base_file("xlsx", tmp_path, "好.xlsx")
    result = CliRunner().invoke(cli, ["diff", str(ok), str(path)])
    assert result.exit_code == 2 and f"“{path.name}”" in result.output, result.output


def test_a_damaged_member_of_a_zip_is_skipped_and_the_rest_merged(tmp_path: Path) -> None:
    """A corrupt deflate stream under intact headers raised zlib.error: 程序内部错误."""
    path = _case("zip/corrupt-deflate", tmp_path)
    result = CliRunner().invoke(cli, ["merge", str(path), "-o", str(tmp_path / "汇总.xlsx")])
    assert result.exit_code == 1 and "已损坏" in result.output, result.output
    check_run(path, result.exit_code, result.output)
    assert (tmp_path / "汇总.xlsx").is_file()  # the other ledger of the archive was merged


def test_a_mail_inside_an_archive_is_held_to_the_mail_limit(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from rectify_xl.adapters import inputs

    path = _case("zip/eml-inside", tmp_path)
    monkeypatch.setattr(inputs, "MAX_MAIL_BYTES", 10_000)  # the mail is ≈ 60 KB
    result = CliRunner().invoke(cli, ["merge", str(path), "-o", str(tmp_path / "汇总.xlsx")])
    assert result.exit_code == 2 and "邮件过大" in result.output, result.output


@pytest.mark.parametrize("name, words", [("xlsx/styled-cells", "行和单元格过多"),
                                         ("xlsx/empty-rows", "行和单元格过多"),
                                         ("xlsx/styles-huge", "格式过多")])
def test_what_only_openpyxl_would_build_is_refused_before_the_copy(name: str, words: str,
                                                                   tmp_path: Path) -> None:
    """460,000 formatting-only cells (nothing to calamine) ran `validate --annotate` for minutes
    in half a gigabyte; a million empty rows and 300,000 number formats for 7–20 s."""
    path = _case(name, tmp_path)
    assert CliRunner().invoke(cli, ["validate", str(path)]).exit_code in (0, 1)  # read as before
    result = CliRunner().invoke(cli, ["validate", str(path), "--annotate", str(tmp_path / "a.xlsx")])
    assert result.exit_code == 2 and words in result.output, result.output
    check_run(path, result.exit_code, result.output)


# --- the web workbench: a real server on 127.0.0.1 ----------------------------------------------

SERVER_CASES = ["xlsx/xml-flip/0", "xlsx/shared-strings-claim", "xlsx/laughs", "xlsx/styled-cells",
                "xlsx/rels-loop", "xlsx/truncate/1", "xlsm/encrypted-flag", "zip/corrupt-deflate",
                "zip/bomb-member", "eml/nested-rfc822", "eml/many-attachments", "xlsx/name/5"]


def test_hostile_uploads_get_one_chinese_answer_and_the_server_stays_up(tmp_path: Path) -> None:
    import httpx

    from tests.server_helpers import WEB, config, running_server, sample_xlsx

    good = sample_xlsx(tmp_path)
    with running_server(config(time_limit=60)) as url:
        client = httpx.Client(base_url=url, timeout=120, headers=WEB)
        for name in SERVER_CASES:
            folder = tmp_path / name.replace("/", "_")
            folder.mkdir()
            path = _case(name, folder)
            kind = name.split("/", 1)[0]
            for endpoint in F.ENDPOINTS[kind][:2 if name == "xlsx/xml-flip/0" else 1]:
                answer = client.post(endpoint, files={"file": (path.name, path.read_bytes())})
                assert answer.status_code in (200, 400), (name, endpoint, answer.text[:300])
                if answer.status_code == 400:
                    error = answer.json()["error"]
                    assert _CJK.search(error) and path.stem[:12] in error, (name, error)
                    assert "ledger" not in error, error  # never the server's generated name
                assert client.get("/healthz").status_code == 200
        checked = client.post("/api/check", files={"file": (good.name, good.read_bytes())})
        assert checked.status_code == 200 and checked.json()["findings"]


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="POSIX pipes")
@pytest.mark.parametrize("command", [["validate", "{f}"], ["check-notice", "{f}"],
                                     ["merge", "{f}", "-o", "{out}"]])
def test_a_pipe_named_like_a_ledger_is_refused_not_waited_on(command: list[str],
                                                             tmp_path: Path) -> None:
    """Reading the first bytes of a pipe nobody writes to waited for ever."""
    import os

    pipe = tmp_path / ("台账.txt" if command[0] == "check-notice" else "台账.xlsx")
    os.mkfifo(pipe)
    args = [a.format(f=pipe, out=tmp_path / "汇总.xlsx") for a in command]
    run = _cli(*args, timeout=60)
    assert run.returncode == 2 and "不是普通文件" in run.stderr, run.stderr


# --- the xlwings remote endpoint (the server version's buttons) ----------------------------------

def _payload(tmp_path: Path) -> dict[str, object]:
    from tests.server_helpers import sample_xlsx
    from tests.xlwings_helpers import payload_from_file

    return payload_from_file(sample_xlsx(tmp_path))


@pytest.mark.parametrize("text", ["2025-03-31T10:20:30", "2021-10-31T08:00:00+08:00"])
def test_a_date_time_text_in_a_remote_payload_is_read_as_text(text: str, tmp_path: Path) -> None:
    """xlwings cut the last character of such a text to make a date and failed: the button said
    意外错误 for a ledger with a time stamp typed as text."""
    from tests.server_helpers import local_client

    payload = _payload(tmp_path)
    payload["sheets"][0]["values"][3][3] = text  # type: ignore[index]
    answer = local_client().post("/xlwings/validate", json=payload)
    assert answer.status_code == 200 and "意外错误" not in answer.text, answer.text[:300]


@pytest.mark.parametrize("where", ["values", "row", "cell"])
def test_a_remote_payload_of_the_wrong_shape_is_one_sentence(where: str, tmp_path: Path) -> None:
    from tests.server_helpers import local_client

    payload = _payload(tmp_path)
    sheet = payload["sheets"][0]  # type: ignore[index]
    if where == "values":
        sheet["values"] = "x"
    elif where == "row":
        sheet["values"][2] = {"a": 1}
    else:
        sheet["values"][2][1] = [[1, 2]]
    answer = local_client().post("/xlwings/validate", json=payload)
    assert answer.status_code == 400 and "工作簿数据格式不正确" in answer.text, answer.text[:300]


# --- the files options name: version profile, typo pack, reference document, unit list ----------

@pytest.mark.parametrize("option", ["--profile", "--typos"])
def test_a_toml_nested_thousands_deep_is_one_sentence(option: str, tmp_path: Path) -> None:
    """tomllib recurses into nested arrays: RecursionError was 程序内部错误."""
    ok = F.base_file("xlsx", tmp_path, "台账.xlsx")
    bad = tmp_path / "嵌套.toml"
    bad.write_text("a = " + "[" * 100_000 + "]" * 100_000, encoding="utf-8")
    args = (["notice", str(ok), "-o", str(tmp_path / "公告.docx")] if option == "--profile"
            else ["validate", str(ok)]) + [option, str(bad)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and "嵌套过深" in result.output, result.output
    check_run(bad, result.exit_code, result.output)


def test_a_reference_docx_whose_relationships_loop_is_one_sentence(tmp_path: Path) -> None:
    ok = F.base_file("xlsx", tmp_path, "台账.xlsx")
    reference = _case("docx/rels-loop", tmp_path)
    result = CliRunner().invoke(cli, ["notice", str(ok), "-o", str(tmp_path / "公告.docx"),
                                      "--reference", str(reference)])
    assert result.exit_code == 2 and "参考文档" in result.output, result.output
    check_run(reference, result.exit_code, result.output)
    assert not (tmp_path / "公告.docx").exists()


@pytest.mark.parametrize("name", ["txt/one-line", "txt/many-lines"])
def test_a_unit_list_that_is_no_list_is_refused(name: str, tmp_path: Path) -> None:
    """An 8-million-character line was one unit: merge ran 12 s and printed it back whole."""
    ok = F.base_file("xlsx", tmp_path, "台账.xlsx")
    units = _case(name, tmp_path)
    result = CliRunner().invoke(cli, ["merge", str(ok), "-o", str(tmp_path / "汇总.xlsx"),
                                      "--units", str(units)])
    assert result.exit_code == 2 and "不像是单位名单" in result.output, result.output[:300]
    check_run(units, result.exit_code, result.output)
