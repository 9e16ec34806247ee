"""Reading published 绩效目标 documents: the seed, documents of the same family written for
these tests (other units, other quirks), a real PDF rendered by Chromium, and bad input."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from monitor.demo.build import DEMO_DIR
from monitor.errors import InputError
from monitor.ingest.targets import preview
from monitor.ingest.template import read_template

DOCUMENTS = Path(__file__).parent / "fixtures" / "documents"
COUNTY_A = (DOCUMENTS / "county_a.txt").read_text(encoding="utf-8")
EXPECTED_A = json.loads((DOCUMENTS / "county_a.expected.json").read_text(encoding="utf-8"))


def _read(text: str, year: int | None = 2024, name: str = "doc.txt"):
    return preview(text.encode("utf-8"), name, year).targets


def _problems(text: str) -> list[str]:
    with pytest.raises(InputError) as error:
        _read(text)
    return [str(p) for p in error.value.problems]


def _line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if fragment in line)


# ---------------------------------------------------------------- the seed


def test_seed_gives_exactly_the_demo_transcription(seed_text):
    parsed = _read(seed_text, 2023, "seed.txt").to_json()
    demo = read_template(DEMO_DIR).to_json()
    assert parsed["year"] == demo["year"] == 2023
    assert parsed["departments"] == demo["departments"]
    assert [p["project_code"] for p in parsed["projects"]] == [p["project_code"] for p in demo["projects"]]
    for got, want in zip(parsed["projects"], demo["projects"]):
        for key in want:
            if key == "indicators":
                for n, (gi, wi) in enumerate(zip(got[key], want[key], strict=True), start=1):
                    assert gi == wi, (want["project_code"], n)
            else:
                assert got[key] == want[key], (want["project_code"], key)
    assert parsed == demo


_HEADER_AGAIN = "一级指标 二级指标 三级指标 绩效指标描述 指标值\n指标值确定\n\n依据\n"
_SEED_VARIANTS = {
    # a page break before every 时效指标 row: page number, running header, the header row again
    "page breaks in the tables": lambda seed: re.sub(
        r"(?m)^时效指标$", lambda m: f"- 3 -\n 巨鹿县科学技术协会2023年部门预算公开\n{_HEADER_AGAIN}时效指标", seed
    ),
    "a 依据 across a page break": lambda seed: seed.replace(
        "政府与河北\n\n省科学院签", f"政府与河北\n第 3 页\n 巨鹿县科学技术协会2023年部门预算公开\n{_HEADER_AGAIN}省科学院签"
    ),
    "form feeds between pages": lambda seed: re.sub(r"(?m)^ (\S)", "\f\\1", seed),
    "no blank lines": lambda seed: re.sub(r"\n\n+", "\n", seed),
    "blank lines everywhere": lambda seed: seed.replace("\n", "\n\n"),
    "CRLF line ends": lambda seed: seed.replace("\n", "\r\n"),
}


@pytest.mark.parametrize("variant", list(_SEED_VARIANTS))
def test_the_seed_laid_out_otherwise_reads_the_same(seed_text, variant):
    """What other documents of its family do with the same content: page breaks inside a table,
    other page marks, other blank lines."""
    result = preview(_SEED_VARIANTS[variant](seed_text).encode("utf-8"), "seed.txt", 2023)
    assert result.targets.to_json() == read_template(DEMO_DIR).to_json()
    assert not result.doubts


def test_seed_year_is_proposed_from_the_project_codes(seed_text):
    result = preview(seed_text.encode("utf-8"), "seed.txt", None)
    assert result.year_proposed and result.targets.year == 2023
    assert "2023" in str(result.warnings[0])
    assert result.targets.projects[0].plan[0].date.isoformat() == "2023-03-31"


def test_seed_figures(seed_text):
    targets = _read(seed_text, 2023)
    assert sum(p.budget for p in targets.projects) == Decimal("940000.00")  # 94.00 万元
    assert sum(len(p.indicators) for p in targets.projects) == 35
    assert targets.projects[0].project_code == "13052923P0058401118" + "3Y"
    assert targets.projects[0].indicators[1].level3 == "研究院利用" + "率"


# ---------------------------------------------------------------- other documents of the family


def test_county_a_text():
    assert _read(COUNTY_A).to_json() == EXPECTED_A


def test_county_a_rules_checked_one_by_one():
    """The same document, with the figures computed here from the printed values."""
    a, b = _read(COUNTY_A).projects
    # codes broken after 7 characters and before the last one
    assert (a.project_code, b.project_code) == ("1305312" + "4P00712300215X", "13053124P00712300220" + "7")
    assert a.name == "高标准农田建设管护经费"  # name wrapped over two lines
    # 12.50 万元 = 10.00 + 2.50; percentages 30/60/100 of 125000 元 at 6/9/12 月底
    assert (a.budget, a.fiscal_funds, a.other_funds) == (Decimal(125000), Decimal(100000), Decimal(25000))
    assert [(c.date.isoformat(), c.planned_cumulative) for c in a.plan] == [
        ("2024-06-30", Decimal(125000) * 30 / 100),
        ("2024-09-30", Decimal(125000) * 60 / 100),
        ("2024-12-31", Decimal(125000)),
    ]
    # five checkpoints as amounts in 万元, 2 月底 of a leap year, 其他资金 left empty
    assert [c.date.isoformat() for c in b.plan] == ["2024-02-29", "2024-04-30", "2024-06-30", "2024-09-30", "2024-12-31"]
    assert [c.planned_cumulative for c in b.plan] == [Decimal(v) * 10000 for v in ("0.30", "0.90", "1.50", "2.40", "3.00")]
    assert b.other_funds == 0
    # two indicators under one 数量指标; 依据 wrapped over three lines
    assert [(i.level2, i.level3, i.basis) for i in a.indicators[:2]] == [
        ("数量指标", "管护面积", "县农业农村" + "局年度工作" + "计划"),
        ("数量指标", "巡查次数", "管护制度"),
    ]
    # notations: 每季度一次 is 4 a year; a bare cost is a ceiling; words are qualitative
    targets = {i.level3: (i.op, i.target_value, i.unit) for i in a.indicators + b.indicators}
    assert targets["巡查次数"] == (">=", 4.0, "次")
    assert targets["管护成本"] == ("<=", 5.0, "万元")
    assert targets["培训成本"] == ("<=", 60.0, "元")
    assert targets["带动农户增收"] == ("qual", None, None)
    assert targets["农户满意度"] == ("qual", None, None)
    # 三级指标 wrapped and different from its (also wrapped) description
    assert (b.indicators[3].level3, b.indicators[3].description) == ("新技术推广应用", "新技术推广应用的覆盖比例")


def test_county_a_part_one():
    (dept,) = _read(COUNTY_A).departments
    assert (dept.dept_code, dept.name, dept.region_code, dept.parent_code) == ("512003", "示例县农业农村局本级", "130531", None)
    assert [g.section for g in dept.goals] == ["总体绩效目标"] + ["分项绩效目标"] * 2 + ["分项绩效指标"] * 2 + ["工作保障措施"] * 2
    # a page break inside the paragraph: the leading space and the page number are dropped
    assert dept.goals[0].text.endswith("确保粮食生产稳定，全年培训农民不少于 500 人次。")
    assert [(i.target_text, i.op, i.target_value, i.unit) for i in dept.indicators] == [
        ("达到 100%", ">=", 100.0, "%"),
        ("不低于 2 万亩", ">=", 2.0, "万亩"),
        ("群众对培训工作满意", "qual", None, None),
    ]
    assert dept.indicators[2].source == "分项绩效指标（二）农业技术推广培训"


def test_second_unit_in_gbk_without_part_one():
    data = (DOCUMENTS / "county_b.txt").read_text(encoding="utf-8").encode("gbk")
    result = preview(data, "county_b.txt", None)
    assert result.targets.year == 2024
    (dept,) = result.targets.departments
    (project,) = result.targets.projects
    assert (dept.dept_code, dept.goals, dept.indicators) == ("512004", [], [])
    assert project.project_code == "13053124P008" + "23400118Q"
    # percentages 25/50/75/100 of 8.00 万元
    assert [c.planned_cumulative for c in project.plan] == [Decimal(20000), Decimal(40000), Decimal(60000), Decimal(80000)]
    assert [(i.op, i.target_value, i.unit) for i in project.indicators] == [(">=", 3.0, "座"), ("<=", 8.0, "万元"), (">=", 90.0, "%")]


def test_two_units_in_one_document():
    b = (DOCUMENTS / "county_b.txt").read_text(encoding="utf-8")
    targets = _read(COUNTY_A + b)
    assert [d.dept_code for d in targets.departments] == ["512003", "512004"]
    assert [p.dept_code for p in targets.projects] == ["512003", "512003", "512004"]
    assert len(targets.departments[0].goals) == 7 and targets.departments[1].goals == []


def test_running_page_headers_and_page_numbers_are_ignored():
    header = " 示例县农业农村局2024年部门预算绩效目标"
    assert COUNTY_A.count(header) == 2 and "- 1 -" in COUNTY_A
    text = COUNTY_A.replace("\n 质量指标\n", f"\n\n- 4 -\n{header}\n 质量指标\n")  # a page break inside the indicator table
    assert _read(text).to_json() == EXPECTED_A


def _chromium_pdf(browser, html: str, path: Path, page_numbers: bool = True) -> None:
    """Print HTML to a real PDF with the OS Chromium (the session's browser fixture)."""
    page = browser.new_page()
    try:
        page.set_content(html)
        page.pdf(
            path=str(path),
            format="A4",
            display_header_footer=page_numbers,
            header_template="<span></span>",
            footer_template='<div style="font-size:10px;width:100%;text-align:center">- <span class="pageNumber"></span> -</div>',
            margin={"top": "20mm", "bottom": "20mm", "left": "15mm", "right": "15mm"},
        )
    finally:
        page.close()


@pytest.fixture(scope="module")
def county_a_pdf(browser, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "county_a.pdf"
    _chromium_pdf(browser, (DOCUMENTS / "county_a.html").read_text(encoding="utf-8"), path)
    return path


def test_pdf_reads_the_same_as_its_text(county_a_pdf):
    assert county_a_pdf.read_bytes().startswith(b"%PDF")
    result = preview(county_a_pdf, county_a_pdf.name, None)
    assert result.year_proposed and result.targets.year == 2024
    assert result.targets.to_json() == EXPECTED_A


# ---------------------------------------------------------------- documents that cannot be read fully


def test_project_without_budget_names_project_and_line():
    text = COUNTY_A.replace("预算数 3.00", "预算数")
    (message,) = _problems(text)
    assert "13053124P007123002207" in message and "预算数" in message
    empty_budget_line = text.splitlines().index("预算数") + 1
    assert f"第 {empty_budget_line} 行" in message


def test_plan_that_does_not_reach_the_budget():
    (message,) = _problems(COUNTY_A.replace("0.30 0.90 1.50 2.40 3.00", "0.30 0.90 1.50 2.40 2.90"))
    assert "13053124P007123002207" in message and "2.90" in message and "预算数" in message
    assert f"第 {_line_of(COUNTY_A, '13053124P00712300220') - 1} 行" in message  # the 项目编码 line


def test_percentages_that_do_not_reach_100():
    (message,) = _problems(COUNTY_A.replace("30.00 60.00 100.00", "30.00 60.00 90.00"))
    assert "13053124P00712300215X" in message and "100" in message


def test_indicator_row_without_value_names_its_line():
    text = COUNTY_A.replace("培训完成及时率 ≥90% 工作台账", "培训完成及时率 工作台账")
    (message,) = _problems(text)
    assert "13053124P007123002207" in message and "培训完成及时率" in message and "指标值" in message
    assert f"第 {_line_of(text, '时效指标')} 行" in message


def test_several_problems_are_reported_together():
    text = COUNTY_A.replace("预算数 3.00", "预算数").replace("培训完成及时率 ≥90% 工作台账", "培训完成及时率 工作台账")
    assert len(_problems(text)) == 2


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("empty.txt", b"", "文件为空"),
        ("blank.pdf", b"  \n", "文件为空"),
        ("binary.txt", bytes(range(256)) * 4, "不是文本文件"),
        ("notes.txt", "会议纪要\n今天讨论了春耕工作。\n".encode(), "不是绩效目标文件"),
        ("broken.pdf", b"%PDF-1.4\nthis is not really a pdf", "PDF"),
        ("photo.png", b"\x89PNG\r\n\x1a\n0000", "应为结构化模板"),
    ],
)
def test_files_that_are_not_targets_documents(name, data, expected):
    with pytest.raises(InputError) as error:
        preview(data, name, 2024)
    assert expected in str(error.value) and name in str(error.value)


def test_image_only_pdf(browser, tmp_path):
    path = tmp_path / "scan.pdf"
    _chromium_pdf(browser, '<div style="width:400px;height:300px;background:linear-gradient(#888,#eee)"></div>', path, page_numbers=False)
    with pytest.raises(InputError) as error:
        preview(path, path.name, 2024)
    assert "没有可提取的文字" in str(error.value)


def test_random_spreadsheet(tmp_path):
    workbook = Workbook()
    workbook.active.append(["姓名", "电话"])
    workbook.active.append(["张三", "123"])
    path = tmp_path / "contacts.xlsx"
    workbook.save(path)
    with pytest.raises(InputError) as error:
        preview(path, path.name, None)
    assert "缺少表 projects" in str(error.value)
