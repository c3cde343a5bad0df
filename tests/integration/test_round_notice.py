"""`rectify-xl round-notice` (issue 18): a generated round merged, the 通报 written from the
consolidated workbook, every figure recomputed from the units' own `summary --json`."""

from __future__ import annotations

import re
import shutil
import statistics
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from rectify_xl.core.document import STYLE_NAMES, parse_marker, text_cells
from rectify_xl.core.round_notice import NOT_FINAL, format_percent
from rectify_xl.core.schema import OUTCOME_BY_KEY, SHEETS, Stream
from rectify_xl.entrypoints.cli import cli
from rectify_xl.errors import InputError
from rectify_xl.services.merge import merge_ledgers
from rectify_xl.services.round import round_notice
from tests.document_helpers import MM, line_text, pdf_lines, squeeze
from tests.merge_helpers import AS_OF, write_ledger
from tests.round_helpers import ROUND, round_records, summary_json, write_round

MISSING = "某某村"
ROUND_NAME = "十二届县委第二轮巡察"
ISSUER = "中共某某县委巡察工作领导小组办公室"


def _run(*args: object) -> Any:
    return CliRunner().invoke(cli, ["round-notice", *map(str, args)])


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict[str, Any]]]:
    """Three of the four listed units reported; 某某村 did not."""
    folder = tmp_path_factory.mktemp("round")
    files = write_round(folder / "收到", [u for u in ROUND if u != MISSING])
    roster = folder / "名单.txt"
    roster.write_text("\n".join(ROUND), encoding="utf-8")
    out = folder / "汇总.xlsx"
    merge_ledgers([folder / "收到"], out, units=roster, as_of=AS_OF)
    return out, {f.stem: summary_json(f) for f in files}


def _stream(summary: dict[str, Any], name: str) -> dict[str, Any]:
    return next((s for s in summary["streams"] if s["stream"] == name),
                {"problems": 0, "rectified": 0, "basic": 0, "open": 0})


def _phrase(noun: str, fb: dict[str, Any]) -> str:
    """The published wording, recomputed from summary figures."""
    basic = f"基本完成、取得阶段性成果并持续整改{fb['basic']}个，" if fb["basic"] else ""
    return (f"{noun}{fb['problems']}个，已完成整改{fb['rectified']}个，{basic}未完成{fb['open']}个，"
            f"整改完成率{format_percent(fb['rectified'] / fb['problems'])}")


class TestFigures:
    def test_counts_equal_sums_over_the_units_summaries(self, merged) -> None:
        workbook, summaries = merged
        result = round_notice(workbook, round_name=ROUND_NAME, issuer=ISSUER)
        assert not result.has_errors
        for name in ("反馈问题", "立行立改", "移交意见"):
            want = {k: sum(_stream(s, name)[k] for s in summaries.values())
                    for k in ("problems", "rectified", "basic", "open")}
            got = result.figures.total(Stream(name))
            assert (got.problems, got.rectified, got.basic, got.open) == tuple(want.values())
        fb = {k: sum(_stream(s, "反馈问题")[k] for s in summaries.values())
              for k in ("problems", "rectified", "basic", "open")}
        assert fb["basic"]  # the round has 基本完成 problems, stated on their own
        assert _phrase("巡察反馈问题", fb) in result.text

    def test_an_uploaded_consolidated_workbook_gives_the_same_notice(self, merged) -> None:
        """round_notice takes a workbook source (issue 12 item 1): the bytes of an upload read
        as the file itself."""
        from rectify_xl.services.source import BytesSource

        workbook, _ = merged
        from_path = round_notice(workbook, round_name=ROUND_NAME, issuer=ISSUER)
        uploaded = BytesSource("上传的汇总.xlsx", workbook.read_bytes())
        from_bytes = round_notice(uploaded, round_name=ROUND_NAME, issuer=ISSUER)
        assert from_bytes.text == from_path.text and not from_bytes.has_errors

    def test_an_uploaded_unit_ledger_is_refused_by_its_shown_name(self, tmp_path: Path) -> None:
        from rectify_xl.services.source import BytesSource

        ledger = write_ledger(tmp_path / "县财政局.xlsx", round_records("县财政局"))
        with pytest.raises(InputError, match=r"“县财政局台账\.xlsx”是单位的整改台账"):
            round_notice(BytesSource("县财政局台账.xlsx", ledger.read_bytes()))

    def test_outcome_figures_are_the_sums_of_what_units_gave(self, merged) -> None:
        workbook, summaries = merged
        result = round_notice(workbook, round_name=ROUND_NAME, issuer=ISSUER)
        given: dict[str, float] = {}
        for s in summaries.values():
            for key, value in s["outcomes"].items():
                given[key] = given.get(key, 0) + value
        assert given  # the round has figures
        assert dict(result.figures.outcomes) == pytest.approx(given)
        for key, value in given.items():
            o = OUTCOME_BY_KEY[key]
            shown = f"{value:g}"
            assert f"{o.phrase}{shown}{o.unit}" in result.context["outcomes_sentence"]
        assert "举一反三" not in result.text  # only 某某村 gave it, and it did not report

    def test_each_unit_line_has_its_own_summary_figures(self, merged) -> None:
        workbook, summaries = merged
        result = round_notice(workbook, round_name=ROUND_NAME, issuer=ISSUER)
        lines = {u["name"]: u["line"] for u in result.context["units"]}
        assert set(lines) == set(summaries)
        for unit, s in summaries.items():
            assert _phrase("反馈问题", _stream(s, "反馈问题")) in lines[unit]
        rates = [u["rate"] for u in result.context["units"]]
        assert rates == sorted(rates, reverse=True)  # best first

    def test_a_round_with_units_missing_says_who_and_counts_only_the_others(self, merged) -> None:
        workbook, summaries = merged
        result = round_notice(workbook, round_name=ROUND_NAME, issuer=ISSUER)
        assert result.context["missing"] == [MISSING]
        assert f"共对{len(ROUND)}个单位（党组织）开展巡察" in result.text
        assert f"{len(summaries)}个单位报送了整改台账，1个单位未报送" in result.text
        assert f"已报送的{len(summaries)}个单位共有巡察反馈问题" in result.text
        assert f"{MISSING}等1个单位未报送整改进展情况" in result.text
        # kinds of units, the missing village included
        assert "村（社区）1个" in result.text and "乡镇（街道）1个" in result.text

    def test_percentages_as_published(self) -> None:
        assert format_percent(688 / 697) == "98.71%"
        assert format_percent(453 / 471) == "96.18%"
        assert (format_percent(1.0), format_percent(0.5), format_percent(0.0)) == (
            "100%", "50%", "0%")


class TestRefusals:
    def test_a_hand_edited_total_is_an_error_naming_its_cell(self, merged, tmp_path: Path) -> None:
        from openpyxl import load_workbook

        workbook, _ = merged
        edited = tmp_path / "改过的汇总.xlsx"
        shutil.copy(workbook, edited)
        wb = load_workbook(edited)
        ws = wb[SHEETS.MERGE_STREAMS]
        total_row = next(r for r in ws.iter_rows(min_row=3) if r[0].value == "合计")
        total_row[2].value = (total_row[2].value or 0) + 5  # 问题数
        wb.save(edited)
        result = _run(edited, "--round", ROUND_NAME, "--issuer", ISSUER)
        assert result.exit_code == 1, result.output
        assert f"{SHEETS.MERGE_STREAMS}!{total_row[2].coordinate}" in result.output
        assert "RX474" not in result.output  # the message, not the code, is for people
        assert NOT_FINAL in result.output

    def test_a_unit_with_ledger_errors_makes_the_notice_not_final(self, tmp_path: Path) -> None:
        records = round_records("县财政局")
        records.measures[0]["systems"] = "若干"  # RX470 at its cell
        (tmp_path / "收到").mkdir()
        write_ledger(tmp_path / "收到" / "县财政局.xlsx", records)
        workbook = tmp_path / "汇总.xlsx"
        merge_ledgers([tmp_path / "收到"], workbook, as_of=AS_OF)
        result = _run(workbook, "--round", ROUND_NAME, "--issuer", ISSUER, "-o",
                      tmp_path / "通报.txt")
        assert result.exit_code == 1
        assert "县财政局" in result.output and "若干" in result.output
        assert (tmp_path / "通报.txt").read_text(encoding="utf-8").startswith(NOT_FINAL)

    def test_a_unit_ledger_is_not_a_consolidated_workbook(self, tmp_path: Path) -> None:
        ledger = write_ledger(tmp_path / "县财政局.xlsx", round_records("县财政局"))
        result = _run(ledger)
        assert result.exit_code == 2
        assert "不是汇总表" in result.output and "Traceback" not in result.output

    def test_missing_round_and_issuer_leave_visible_placeholders(self, merged) -> None:
        workbook, _ = merged
        result = _run(workbook)
        assert result.exit_code == 0
        assert "【巡察轮次】" in result.output and "--round" in result.output
        assert "--issuer" in result.output

    @pytest.mark.parametrize(("template", "message"), [
        ("{{ no_such_figure }}", "汇总表中没有的变量：no_such_figure"),
        ("{{ ''.__class__.__mro__ }}", "模板中有不允许的操作"),
    ])
    def test_user_templates_are_sandboxed(self, merged, tmp_path: Path, template: str,
                                          message: str) -> None:
        workbook, _ = merged
        path = tmp_path / "通报模板.txt"
        path.write_text(template, encoding="utf-8")
        result = _run(workbook, "--template", path)
        assert result.exit_code == 2 and message in result.output

    def test_a_user_template_uses_the_figures(self, merged, tmp_path: Path) -> None:
        workbook, _ = merged
        path = tmp_path / "简版.txt"
        path.write_text("反馈{{ feedback.problems }}个，完成率{{ feedback.rate_text }}；"
                        "{% for u in units %}{{ u.name }}{{ u.rate_text }} {% endfor %}",
                        encoding="utf-8")
        result = _run(workbook, "--template", path, "--round", ROUND_NAME, "--issuer", ISSUER)
        assert result.exit_code == 0 and re.search(r"反馈\d+个，完成率[\d.]+%", result.output)

    def test_the_user_facing_template_is_the_shipped_one(self) -> None:
        root = Path(__file__).resolve().parents[2]
        assert (root / "templates" / "round_notice.txt.j2").read_text(encoding="utf-8") == (
            root / "rectify_xl" / "data" / "templates" / "round_notice.txt.j2").read_text(
            encoding="utf-8")


@pytest.fixture(scope="module")
def docx(merged, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    workbook, _ = merged
    out = tmp_path_factory.mktemp("doc") / "通报.docx"
    result = round_notice(workbook, out, round_name=ROUND_NAME, issuer=ISSUER,
                          when=AS_OF.replace(day=30))
    assert result.written == (out,)
    return out, result


class TestDocument:
    """The 通报 as the notice document is: GB/T 9704 page, styles by level, text, PDF lines."""

    def test_page_margins_and_styles_by_level(self, docx) -> None:
        from docx import Document

        path, result = docx
        doc = Document(str(path))
        section = doc.sections[-1]
        for got, want in zip([section.page_width, section.page_height, section.top_margin,
                              section.bottom_margin, section.left_margin, section.right_margin],
                             (210, 297, 37, 35, 28, 26), strict=True):
            assert abs(got / 36000 - want) <= 0.5
        paragraphs = [p for p in doc.paragraphs if p.text]
        assert paragraphs[0].text == f"关于{ROUND_NAME}整改进展情况的通报"
        assert paragraphs[0].style.name == STYLE_NAMES["title"]
        assert [p.text for p in paragraphs[-2:]] == [ISSUER, "2021年10月30日"]
        for p in paragraphs[1:-2]:
            marker = parse_marker(p.text)
            want = STYLE_NAMES[f"heading{marker[0]}"] if marker else STYLE_NAMES["body"]
            assert p.style.name == want, p.text[:20]
        unit_para = next(p for p in paragraphs if p.text.startswith("（一）"))
        lead = unit_para.runs[0].text
        assert lead.startswith("（一）") and lead.endswith("。")  # the unit's name in 楷体
        assert squeeze("".join(p.text for p in paragraphs[1:-2])) == squeeze(result.text)

    @pytest.mark.libreoffice
    @pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
    def test_pdf_lines_characters_and_page_numbers(self, merged, tmp_path: Path) -> None:
        import pdfplumber

        workbook, _ = merged
        # the tool maps the 公文 font names itself (adapters/fonts.py): nothing set here
        result = round_notice(workbook, tmp_path / "通报.pdf", round_name=ROUND_NAME,
                              issuer=ISSUER, when=AS_OF)
        pdf = result.written[-1]
        with pdfplumber.open(pdf) as doc:
            sizes = {(round(float(p.width)), round(float(p.height))) for p in doc.pages}
            pages = [pdf_lines(p, bottom_mm=297 - 35 + 2) for p in doc.pages]
            fonts = {c["fontname"] for p in doc.pages for c in p.chars}
        assert sizes == {(595, 842)}
        assert fonts and all("Fandol" in f for f in fonts)  # the 公文 faces (docs/dev/fonts.md)
        lines = [line for page in pages for line in page]
        for line in lines:  # 28 characters a line, nothing past the text block
            assert text_cells(line_text(line)) <= 28, line_text(line)
            assert line[-1]["x1"] / MM <= 210 - 26 + 0.3
        tops = [line[0]["top"] for line in pages[0][1:]]
        assert abs(statistics.median(b - a for a, b in pairwise(tops)) - 28.95) < 0.3
        assert squeeze("".join(line_text(li) for li in lines)).startswith(
            squeeze(f"关于{ROUND_NAME}整改进展情况的通报"))


def test_a_round_where_nobody_reported_states_no_figures(tmp_path: Path) -> None:
    bad = tmp_path / "收到" / "坏.xlsx"
    bad.parent.mkdir()
    bad.write_bytes(b"not a workbook")
    roster = tmp_path / "名单.txt"
    roster.write_text("县财政局\n某某镇\n", encoding="utf-8")
    merge_ledgers([bad.parent], tmp_path / "汇总.xlsx", units=roster, as_of=AS_OF)
    result = round_notice(tmp_path / "汇总.xlsx", round_name=ROUND_NAME, issuer=ISSUER)
    assert "暂无整改数字" in result.text and "0%" not in result.text
    assert "县财政局、某某镇等2个单位未报送" in result.text
    assert "另有1个报送文件无法读取" in result.text
