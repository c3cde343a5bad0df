"""`rectify-xl notice`: stdout, .txt output, document hand-off, custom templates, errors."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from rectify_xl.entrypoints.cli import cli
from tests.conftest import ROOT, sha256

PACKAGED = ROOT / "rectify_xl" / "data" / "templates" / "notice.txt.j2"
USER_FACING = ROOT / "templates" / "notice.txt.j2"


def run(*args: object) -> Result:
    return CliRunner().invoke(cli, ["notice", *map(str, args)])


@pytest.fixture
def ledger(make_ledger_xlsx: Callable[..., Path]) -> Iterator[Path]:
    """The input ledger; every test using it also checks it is byte-identical afterwards."""
    path = make_ledger_xlsx(texts=[{"section": "结尾", "lead": "", "body": "欢迎监督。"}])
    before = sha256(path)
    yield path
    assert sha256(path) == before


def test_shipped_template_copies_are_identical() -> None:
    """templates/ (for users to copy) and the packaged copy (used at run time) never drift."""
    assert USER_FACING.read_bytes() == PACKAGED.read_bytes()


def test_prints_the_notice(ledger: Path) -> None:
    """Without -o the text goes to stdout, one paragraph per line; the input is unchanged."""
    before = sha256(ledger)
    result = run(ledger)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1] == "一、党委履行巡察整改工作主体责任情况"
    assert "1.关于“学习贯彻不够深入”问题的整改情况。" in lines
    assert lines[-1].startswith("欢迎监督。联系方式：电话0913-3253456；")
    assert sha256(ledger) == before


def test_slips_in_the_words_the_notice_quotes_are_listed_without_failing(
        make_ledger_xlsx: Callable[..., Path]) -> None:
    from tests.conftest import measure_row

    path = make_ledger_xlsx(rows=[measure_row(progress="已对照问体清单逐项整改到位。")])
    result = run(path)
    assert result.exit_code == 0, result.output
    assert "已对照问体清单" in result.stdout  # the notice is final: a warning, not an error
    assert "公告引用的台账文字中有1处疑似错漏" in result.stderr
    assert "整改清单!K2 RX603 “问体”疑为“问题”" in result.stderr


def test_a_clean_ledger_has_no_slip_lines(ledger: Path) -> None:
    assert "疑似错漏" not in run(ledger).stderr


def test_writes_a_txt_file_atomically(ledger: Path, tmp_path: Path) -> None:
    """-o X.txt writes UTF-8, says where, and leaves no temporary file behind."""
    out = tmp_path / "out" / "公告.txt"
    out.parent.mkdir()
    before = sha256(ledger)
    result = run(ledger, "-o", out)
    assert result.exit_code == 0, result.output
    assert str(out) in result.stdout
    assert out.read_text(encoding="utf-8") == run(ledger).stdout
    assert [p.name for p in out.parent.iterdir()] == ["公告.txt"]
    assert sha256(ledger) == before


def test_missing_output_folder_is_exit_2(ledger: Path, tmp_path: Path) -> None:
    """No traceback, one Chinese line."""
    result = run(ledger, "-o", tmp_path / "nope" / "公告.txt")
    assert result.exit_code == 2
    assert "输出文件夹不存在" in result.stderr


def test_unsupported_output_format_is_exit_2(ledger: Path, tmp_path: Path) -> None:
    """.doc is not offered."""
    result = run(ledger, "-o", tmp_path / "公告.doc")
    assert result.exit_code == 2
    assert "不支持的输出格式" in result.stderr


def test_docx_output_goes_to_the_document_writer(ledger: Path, tmp_path: Path) -> None:
    """The use case hands ledger, text, path, profile and reference to the document writer
    (a fake passed in: the seam, no module swapped)."""
    from rectify_xl.services.document import write_notice
    from rectify_xl.services.source import FileSource

    calls: list[dict[str, Any]] = []

    def write_notice_document(ledger: Any, text: str, out: Path, **kw: Any) -> list[Path]:
        calls.append({"text": text, "out": out, **kw})
        kw["notes"].append("仿宋_GB2312 以 FandolFang 代替")
        return [out]

    profile, reference = tmp_path / "版式.toml", tmp_path / "参考.docx"
    out = tmp_path / "公告.docx"
    written = write_notice(FileSource(ledger), out, profile=profile, reference=reference,
                           document=write_notice_document)
    assert [(c["out"], c["profile"], c["reference"]) for c in calls] == [(out, profile, reference)]
    assert calls[0]["text"] == written.noticed.text and written.noticed.text.startswith("据县委统一部署")
    assert (written.files, written.notes) == ((out,), ("仿宋_GB2312 以 FandolFang 代替",))


def test_docx_output_is_written(ledger: Path, tmp_path: Path) -> None:
    out = tmp_path / "公告.docx"
    result = run(ledger, "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"已生成公告：{out}\n"
    assert out.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize("suffix", [".txt", ".docx"])
def test_output_never_overwrites_the_template(ledger: Path, tmp_path: Path, suffix: str) -> None:
    """-o naming the --template file is refused; for .pdf the .docx beside it counts too."""
    template = tmp_path / f"我的模板{suffix}"
    template.write_text(USER_FACING.read_text("utf-8"), "utf-8")
    before = sha256(template)
    out = template if suffix == ".txt" else template.with_suffix(".pdf")
    result = run(ledger, "-o", out, "--template", template)
    assert result.exit_code == 2, result.output
    assert "不能与输入文件" in result.stderr
    assert sha256(template) == before


def test_style_options_without_a_document_output_are_named_as_unused(ledger: Path,
                                                                     tmp_path: Path) -> None:
    result = run(ledger, "-o", tmp_path / "公告.txt", "--profile", tmp_path / "版式.toml")
    assert result.exit_code == 0, result.output
    assert "本次未使用" in result.stderr


class TestCustomTemplate:
    def test_custom_template_is_used(self, ledger: Path, tmp_path: Path) -> None:
        """A user template (UTF-8 with BOM, as Notepad saves) sees the computed values."""
        template = tmp_path / "我的模板.txt.j2"
        template.write_text("{{ unit }}：{{ counts.measures }}项措施\n", encoding="utf-8-sig")
        result = run(ledger, "--template", template)
        assert result.exit_code == 0, result.output
        assert result.stdout == "县委政法委：1项措施\n"

    def test_missing_template_file_is_exit_2(self, ledger: Path, tmp_path: Path) -> None:
        """InputError with the path."""
        result = run(ledger, "--template", tmp_path / "无.j2")
        assert result.exit_code == 2
        assert "找不到模板文件" in result.stderr

    def test_unknown_variable_is_exit_2_naming_it(self, ledger: Path, tmp_path: Path) -> None:
        """The user learns which name is wrong."""
        template = tmp_path / "t.j2"
        template.write_text("{{ unitt }}", encoding="utf-8")
        result = run(ledger, "--template", template)
        assert result.exit_code == 2
        assert "unitt" in result.stderr

    def test_unknown_filter_is_exit_2_naming_it_without_traceback(
            self, ledger: Path, tmp_path: Path) -> None:
        """A misspelt filter fails while compiling, before rendering: one Chinese line."""
        template = tmp_path / "t.j2"
        template.write_text("第一行\n{{ unit | uper }}\n", encoding="utf-8")
        result = run(ledger, "--template", template)
        assert result.exit_code == 2
        assert result.stderr == "错误：模板第2行有语法错误：没有名为“uper”的过滤器\n"

    def test_template_cannot_read_other_files(self, ledger: Path, tmp_path: Path) -> None:
        """No loader in the sandbox: {% include %} of any path is refused, nothing is read."""
        secret = tmp_path / "secret.txt"
        secret.write_text("机密内容", encoding="utf-8")
        template = tmp_path / "t.j2"
        template.write_text(f"{{% include {str(secret)!r} %}}", encoding="utf-8")
        result = run(ledger, "--template", template)
        assert result.exit_code == 2
        assert result.stderr == "错误：模板渲染失败：模板不能引用其他模板文件（include、import、extends）\n"
        assert "机密内容" not in result.output

    def test_missing_attribute_is_named_in_chinese(self, ledger: Path, tmp_path: Path) -> None:
        """StrictUndefined at render time: the missing name, and where to look."""
        template = tmp_path / "t.j2"
        template.write_text("{{ aspects[0].nmae }}", encoding="utf-8")
        result = run(ledger, "--template", template)
        assert result.exit_code == 2
        assert result.stderr.startswith("错误：模板渲染失败：引用的“nmae”不存在")

    def test_syntax_error_is_exit_2_with_line(self, ledger: Path, tmp_path: Path) -> None:
        """第N行 in the message."""
        template = tmp_path / "t.j2"
        template.write_text("第一行\n{% if %}\n", encoding="utf-8")
        result = run(ledger, "--template", template)
        assert result.exit_code == 2
        assert "第2行" in result.stderr

    def test_non_utf8_template_is_exit_2(self, ledger: Path, tmp_path: Path) -> None:
        """A GBK file gets a hint to save as UTF-8."""
        template = tmp_path / "t.j2"
        template.write_bytes("{{ unit }}公告".encode("gbk"))
        result = run(ledger, "--template", template)
        assert result.exit_code == 2
        assert "UTF-8" in result.stderr


def test_not_a_workbook_is_exit_2(tmp_path: Path) -> None:
    """A CSV renamed .xlsx: one line, no traceback, file unchanged."""
    bad = tmp_path / "台账.xlsx"
    bad.write_text("序号,方面\n1,x\n", encoding="utf-8")
    before = sha256(bad)
    result = run(bad)
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：") and "Traceback" not in result.output
    assert sha256(bad) == before


def test_notice_path_does_not_import_pandas(ledger: Path) -> None:
    """The notice click pays for jinja2, never for pandas."""
    code = (f"import sys; from rectify_xl.services.ledger import make_notice; "
            f"make_notice({str(ledger)!r}); "
            "print('pandas' in sys.modules, 'jinja2' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout.split()
    assert out == ["False", "True"]
