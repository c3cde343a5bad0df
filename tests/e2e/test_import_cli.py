"""`rectify-xl import`: notice or feedback text → ledger workbook; round trips with `notice`."""

from __future__ import annotations

import json
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rectify_xl.core.notice.importer import import_paragraphs
from rectify_xl.core.records import LedgerRecords, ledger_from_records
from rectify_xl.entrypoints.cli import cli
from tests.conftest import BASE_INFO, sha256
from tests.notice_helpers import seed_path, standard_notice


def run(*args: object) -> Result:
    return CliRunner().invoke(cli, [*map(str, args)])


def lines(text: str) -> list[str]:
    return [unicodedata.normalize("NFKC", line) for line in text.splitlines() if line.strip()]


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    path = seed_path()
    copy = tmp_path / "公告.txt"
    copy.write_bytes(path.read_bytes())
    return copy


def test_seed_round_trip_reproduces_the_notice_line_for_line(seed: Path, tmp_path: Path) -> None:
    """import then notice: identical after NFKC except the 4th aspect's number and the summary."""
    before = sha256(seed)
    ledger = tmp_path / "台账.xlsx"
    imported = run("import", seed, "-o", ledger)
    assert imported.exit_code == 0, imported.output
    rendered = run("notice", ledger)
    assert rendered.exit_code == 0, rendered.output
    source, back = lines(seed.read_text("utf-8")), lines(rendered.stdout)
    assert len(back) == len(source) == 40
    differing = [i for i, (a, b) in enumerate(zip(source, back, strict=True)) if a != b]
    assert differing == [8, 26]
    assert back[26] == "(四)聚焦基层党组织领导干部和干部队伍建设方面。"
    # the statuses and the 6 feedback problems come back from the text, not 10 of 10 and not
    # "均在积极推进中"
    assert back[8] == ("截至目前,整改工作取得积极进展。县委政法委根据巡察反馈的6个问题细化分解了10个问题,"
                       "已完成10个并将长期坚持。持续性开展的整改措施均取得了阶段性成效。")
    assert sha256(seed) == before


def test_imported_seed_carries_statuses_and_validates_without_import_errors(
        seed: Path, tmp_path: Path) -> None:
    """Statuses from the text (one measure's own words, the summary sentence for the rest),
    full-width punctuation; validate finds only what the text does not say (leaders,
    departments, deadlines, completion dates, 统计截止日期) and the notice's own slips."""
    from rectify_xl.services.ledger import load_ledger

    ledger_path = tmp_path / "台账.xlsx"
    result = run("import", seed, "-o", ledger_path)
    assert "RX773" in result.output and "RX775" in result.output and "RX776" in result.output
    ledger = load_ledger(ledger_path)
    statuses = [m.status.value for m in ledger.measures if m.status]
    assert len(statuses) == 23 and statuses.count("已完成") == 1
    assert statuses.count("长期坚持") == 22
    assert ledger.info.feedback_count == "6" and ledger.feedback_total == 6
    assert not any(c in m.progress for m in ledger.measures for c in ",:;()")
    checked = run("validate", ledger_path)
    codes = {line.split()[1] for line in checked.output.splitlines() if line.startswith(("错误", "警告"))}
    assert codes == {"RX201", "RX202", "RX403", "RX603"}  # no date stated: 完成日期 asked for
    assert "RX777" not in result.output and not any(m.done_date for m in ledger.measures)
    headers = {line.split("“")[1].split("”")[0] for line in checked.output.splitlines()
               if " RX201 " in line}
    assert headers == {"责任领导", "责任部门", "完成时限"}


@pytest.mark.parametrize("dated", ["as_of", "signed"])
def test_a_dated_seed_imports_with_completion_dates_and_renders_back_the_same(
        seed: Path, tmp_path: Path, dated: str) -> None:
    """The seed says 截至目前 and has no 落款 date, so its import leaves 完成日期 empty (RX403,
    test above). Stated as 截至<date>, or signed with a date, the same notice imports with
    完成日期 filled as an upper bound: validate reports no RX403, and `notice` renders the same
    statuses and counts as from the undated import."""
    from rectify_xl.services.ledger import load_ledger

    text = seed.read_text("utf-8")
    if dated == "as_of":
        assert text.count("截至目前") == 1
        text = text.replace("截至目前", "截至2021年10月31日")
    else:
        text = text.rstrip("\n") + "\n中共某县某委员会\n2021年11月5日\n"
    day = date(2021, 10, 31) if dated == "as_of" else date(2021, 11, 5)
    src = tmp_path / "dated.txt"
    src.write_text(text, "utf-8")
    plain, ledger_path = tmp_path / "plain.xlsx", tmp_path / "dated.xlsx"
    assert run("import", seed, "-o", plain).exit_code == 0
    imported = run("import", src, "-o", ledger_path)
    assert imported.exit_code == 0, imported.output
    assert "RX777" in imported.output and ("RX778" in imported.output) == (dated == "as_of")
    ledger = load_ledger(ledger_path)
    assert ledger.info.as_of == (day if dated == "as_of" else None)
    assert [m.done_date for m in ledger.measures] == [day] * 23
    assert all("不晚于" in m.remark for m in ledger.measures)
    checked = run("validate", ledger_path)
    codes = {line.split()[1] for line in checked.output.splitlines() if line.startswith(("错误", "警告"))}
    assert "RX403" not in codes and codes <= {"RX201", "RX202", "RX603"}
    assert ("RX202" in codes) == (dated == "signed")  # 统计截止日期 only when stated
    assert run("notice", ledger_path).output == run("notice", plain).output


def test_import_report_on_stdout_and_in_the_workbook(seed: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "台账.xlsx"
    result = run("import", seed, "-o", out)
    assert result.exit_code == 0, result.output
    assert "方面：4个" in result.output and "具体问题：10个" in result.output
    assert "整改措施：23条" in result.output and "RX782" in result.output
    wb = load_workbook(out, read_only=True)
    rows = list(wb["导入报告"].values)
    assert rows[0] == ("项目", "段落", "说明")
    assert ("具体问题", None, "10个") in rows
    assert any(r[0] == "提示 RX783" and r[1] == 9 for r in rows)
    wb.close()


def test_default_output_is_beside_the_input(tmp_path: Path) -> None:
    src = tmp_path / "公告.txt"
    src.write_text(standard_notice(), "utf-8")
    result = run("import", src)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "公告-台账.xlsx").is_file()


def test_existing_output_needs_force_and_a_lock_file_blocks(tmp_path: Path) -> None:
    src = tmp_path / "n.txt"
    src.write_text(standard_notice(), "utf-8")
    out = tmp_path / "l.xlsx"
    assert run("import", src, "-o", out).exit_code == 0
    assert run("import", src, "-o", out).exit_code == 2
    assert run("import", src, "-o", out, "--force").exit_code == 0
    (tmp_path / "~$l.xlsx").write_bytes(b"lock")
    locked = run("import", src, "-o", out, "--force")
    assert locked.exit_code == 2 and "锁定文件" in locked.output


def test_read_only_folder_is_one_chinese_line(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder the user may not write to (simulated: the tests may run as root)."""
    from rectify_xl.adapters import files

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    src = tmp_path / "公告.txt"
    src.write_text(standard_notice(), "utf-8")
    before = sha256(src)
    monkeypatch.setattr(files, "_create_beside", refuse)  # the temp file beside the target
    result = run("import", src, "-o", tmp_path / "只读" / "台账.xlsx")
    assert result.exit_code == 2 and "目录不存在" in result.output
    (tmp_path / "只读").mkdir()
    result = run("import", src, "-o", tmp_path / "只读" / "台账.xlsx")
    assert result.exit_code == 2, result.output
    assert "无法写入“台账.xlsx”：没有在文件夹“只读”中写入的权限" in result.output
    assert "Permission" not in result.output and sha256(src) == before


def test_docx_input(tmp_path: Path) -> None:
    """Paragraphs of a Word document read through python-docx."""
    from docx import Document

    doc = Document()
    for line in standard_notice().splitlines():
        doc.add_paragraph(line)
    src = tmp_path / "公告.docx"
    doc.save(src)
    before = sha256(src)
    out = tmp_path / "l.xlsx"
    result = run("import", src, "-o", out)
    assert result.exit_code == 0, result.output
    assert "具体问题：3个" in result.output and "Word 文档" in result.output
    assert sha256(src) == before


def test_gbk_text_is_detected_and_read(tmp_path: Path) -> None:
    src = tmp_path / "gbk.txt"
    src.write_bytes(standard_notice().encode("gbk"))
    result = run("import", src, "-o", tmp_path / "l.xlsx")
    assert result.exit_code == 0, result.output
    assert "GBK" in result.output and "整改措施：6条" in result.output


def test_utf8_with_bom_is_read(tmp_path: Path) -> None:
    src = tmp_path / "bom.txt"
    src.write_bytes(b"\xef\xbb\xbf" + standard_notice().encode("utf-8"))
    result = run("import", src, "-o", tmp_path / "l.xlsx")
    assert result.exit_code == 0 and "具体问题：3个" in result.output


@pytest.mark.parametrize("content, words", [
    (b"", "空文件"),
    (b"\r\n \r\n", "空文件"),
    (bytes(range(256)) * 8, "二进制"),
    (b"PK\x03\x04not really a zip", "不是 Word"),
    ("没有编号的一段话。".encode(), "没有找到任何问题"),
])
def test_unusable_input_exits_2_with_one_line(tmp_path: Path, content: bytes, words: str) -> None:
    src = tmp_path / "bad.txt"
    src.write_bytes(content)
    result = run("import", src, "-o", tmp_path / "l.xlsx")
    assert result.exit_code == 2
    assert words in result.output and "Traceback" not in result.output
    assert not (tmp_path / "l.xlsx").exists()


FEEDBACK = """县委第一巡察组关于对县委政法委党组织巡察情况的反馈意见

根据县委统一部署，2021年3月11日至4月25日，县委第一巡察组对县委政法委党组织进行了巡察。现将巡察发现的主要问题反馈如下：

一、贯彻落实党的路线方针政策和党中央决策部署方面
1.学习贯彻习近平新时代中国特色社会主义思想不够深入。一是理论学习中心组学习流于形式。二是对十九届五中全会精神学习不及时。
2.履行扫黑除恶政治责任有差距。一是市扫黑办交（转）办问题线索还有3条没有办结。二是长效工作机制尚未形成。
二、政法工作职能发挥不到位方面
1.执法监督工作不到位。一是案件评查覆盖面不广。二是对执法问题整改跟踪不够。
2.平安建设宣传不够深入，群众知晓率不高。
三、基层党组织建设和干部队伍建设方面
1.“三会一课”制度落实不严格。一是支部委员会会议记录不规范。二是党员大会召开次数不足。
2.干部教育培训针对性不强。
四、意见建议
（一）进一步提高政治站位，切实履行全面从严治党主体责任。
（二）进一步强化政法职能，推动各项工作落到实处。

县委第一巡察组
2021年7月7日
"""


def _column_letters(ws: object) -> dict[str, str]:
    """Header text → column letter, found by the schema's headers (not by position)."""
    from openpyxl.utils import get_column_letter

    from rectify_xl.core.schema import COLUMNS

    headers = {c.header for c in COLUMNS}
    for row in ws.iter_rows(max_row=10):  # type: ignore[attr-defined]
        if headers <= {c.value for c in row}:
            return {c.value: get_column_letter(c.column) for c in row if c.value in headers}
    raise AssertionError("no header row")


def test_feedback_document_gives_a_skeleton_ready_to_fill(tmp_path: Path) -> None:
    """反馈意见 → one row per problem, empty measure cells, dropdowns ready; validate asks for
    the missing columns (exit 1, no crash); the feedback's own opening is not the notice's."""
    from openpyxl import load_workbook

    from rectify_xl.adapters.xlsx_reader import read_ledger
    from rectify_xl.core.schema import COLUMN_BY_KEY, SHEETS

    folder = tmp_path / "巡察 反馈"
    folder.mkdir()
    src = folder / "反馈意见.txt"
    src.write_text(FEEDBACK, "utf-8")
    before = sha256(src)
    out = tmp_path / "台账.xlsx"
    result = run("import", src, "-o", out)
    assert result.exit_code == 0, result.output
    assert "识别为：巡察反馈意见" in result.output and "具体问题：6个" in result.output
    assert "第14段" in result.output  # the last 意见建议 paragraph is reported, not the 落款:
    assert "第15段" not in result.output and "第16段" not in result.output
    ledger = read_ledger(out)
    assert [(m.aspect, m.text, m.leader, m.status, m.progress) for m in ledger.measures] == [
        (a, "", "", None, "") for a in ["贯彻落实党的路线方针政策和党中央决策部署方面"] * 2
        + ["政法工作职能发挥不到位方面"] * 2 + ["基层党组织建设和干部队伍建设方面"] * 2]
    assert ledger.measures[3].problem == "平安建设宣传不够深入，群众知晓率不高"
    assert (ledger.info.group, ledger.info.feedback_date) == ("县委第一巡察组", date(2021, 7, 7))
    assert ledger.info.publish_date is None and not ledger.info.title

    wb = load_workbook(out)
    ws = wb[SHEETS.LEDGER]
    letters = _column_letters(ws)
    validated = {str(rng).split(":")[0].rstrip("0123456789")
                 for dv in ws.data_validations.dataValidation for rng in dv.sqref.ranges}
    for key in ("aspect", "status", "deadline"):
        assert letters[COLUMN_BY_KEY[key].header] in validated, key
    assert list(wb[SHEETS.OPTIONS].iter_rows(values_only=True))  # the aspect dropdown's list
    wb.close()

    checked = run("validate", out, "--json")
    assert checked.exit_code == 1, checked.output
    assert "Traceback" not in checked.output
    found = {(f["code"], f["cell"]) for f in json.loads(checked.output)["findings"]}
    problem = letters[COLUMN_BY_KEY["problem"].header]
    rows = [m.row for m in ledger.measures]
    assert {("RX407", f"{problem}{r}") for r in rows} <= found  # each problem: no measure yet
    assert not any(c == ledger.info.cells["feedback_date"] for _, c in found)  # read

    notice = run("notice", out)  # problems without measures yet: a draft, never a final notice
    assert notice.exit_code == 1 and "反馈如下" not in notice.output
    assert notice.output.startswith("【未定稿】") and "RX407" in notice.output
    assert sha256(src) == before


# --- property: generated ledger → notice → import gives the same content -------------------

_WORDS = st.text(alphabet="整改落实制度建立学习检查通报党员干部会议组织推进监督", min_size=2, max_size=12)
_QUOTED = _WORDS.map(lambda w: f"“{w}”")
_CLAUSE = st.lists(st.one_of(_WORDS, _QUOTED), min_size=1, max_size=3).map("".join)
_SENTENCE = st.tuples(st.lists(_CLAUSE, min_size=1, max_size=3).map("，".join),
                      st.sampled_from(["。", "；"])).map("".join)
# A problem as fed back: sentences, possibly quotes and its own 一是…二是… (inside the quote).
_PROBLEM = st.tuples(
    st.lists(_CLAUSE, min_size=1, max_size=2).map("。".join),
    st.lists(_CLAUSE, max_size=3).map(
        lambda items: "".join(f"。{'一二三'[i]}是{c}" for i, c in enumerate(items))),
).map("".join)


@st.composite
def ledgers(draw: st.DrawFn) -> LedgerRecords:
    rows = []
    names = draw(st.lists(_WORDS, min_size=1, max_size=4, unique=True))
    for name in names:
        problems = draw(st.lists(_PROBLEM, min_size=1, max_size=3, unique=True))
        for problem in problems:
            for narrative in draw(st.lists(_SENTENCE, min_size=1, max_size=4)):
                rows.append({"seq": str(len(rows) + 1), "aspect": name + "方面",
                             "feedback": "反馈" + problem, "problem": name + problem,
                             "measure": "措施", "progress": narrative, "status": "已完成"})
    return LedgerRecords(info=dict(BASE_INFO), measures=rows)


def _content(records: LedgerRecords) -> list[tuple[str, str, str]]:
    ledger = ledger_from_records(records)
    return [(p.aspect, p.text, m.progress) for p in ledger.problems for m in p.measures]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers())
def test_generated_ledger_survives_notice_then_import(records: LedgerRecords) -> None:
    from rectify_xl.services.ledger import notice_text

    text = notice_text(ledger_from_records(records))
    back = import_paragraphs(text, "n.txt").records
    assert _content(back) == _content(records)


def test_docx_with_word_automatic_numbering(tmp_path: Path) -> None:
    """Numbers Word generates (not in paragraph.text) are rendered, so the levels are found."""
    from tests.notice_helpers import OPENING, write_docx

    src = write_docx(tmp_path / "auto.docx", [
        (None, OPENING), (0, "巡察反馈意见整改落实情况"), (1, "甲方面。"),
        (2, "关于“乙”问题的整改情况。"), (None, "整改落实情况：一是做了。二是又做了。"),
        (1, "丙方面。"), (2, "关于“丁”问题的整改情况。"), (None, "整改落实情况：做了。"),
    ])
    out = tmp_path / "l.xlsx"
    result = run("import", src, "-o", out)
    assert result.exit_code == 0, result.output
    assert "方面：2个" in result.output and "整改措施：3条" in result.output
    checked = CliRunner().invoke(cli, ["check-notice", str(src), "--json"])
    assert checked.exit_code == 0, checked.output


def test_docx_of_a_provincial_notice_with_aspects_at_level_one(tmp_path: Path) -> None:
    """The run-in provincial shape (tests/notice_shapes.py) with Word's automatic numbering."""
    from tests.notice_helpers import write_docx
    from tests.notice_shapes import PROVINCE_RUN_IN

    paras: list[tuple[int | None, str]] = []
    for line in PROVINCE_RUN_IN.splitlines():
        if line.startswith(("一、", "二、", "三、")):
            paras.append((0, line[2:]))
        elif line.startswith("（") and line[2] == "）":
            paras.append((1, line[3:]))
        else:
            paras.append((None, line))
    src = write_docx(tmp_path / "省委通报.docx", paras)
    out = tmp_path / "l.xlsx"
    result = run("import", src, "-o", out)
    assert result.exit_code == 0, result.output
    assert "方面：3个" in result.output and "具体问题：5个" in result.output
    assert "整改措施：10条" in result.output and "RX781" in result.output  # the intro paragraph


def test_docx_of_a_town_notice_reads_the_contact_lines(tmp_path: Path) -> None:
    from docx import Document
    from openpyxl import load_workbook

    from tests.notice_shapes import TOWN_TASKS

    doc = Document()
    for line in TOWN_TASKS.splitlines():
        doc.add_paragraph(line)
    src = tmp_path / "镇通报.docx"
    doc.save(src)
    out = tmp_path / "l.xlsx"
    result = run("import", src, "-o", out)
    assert result.exit_code == 0, result.output
    assert "具体问题：4个" in result.output and "整改措施：6条" in result.output
    values = [c for row in load_workbook(out, read_only=True)["基本信息"].iter_rows(values_only=True)
              for c in row if c]
    assert "某区某镇府前路8号（邮编：277100）" in values and "xzzg@example.cn" in values
