"""Every page renders under AppTest on the demo data; 总览 shows the seed's figures."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from contextlib import closing
from decimal import Decimal

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from monitor.i18n import t
from monitor.rules.disbursement import status_report
from monitor.rules.indicators import indicator_report
from monitor.store.db import REPO_ROOT, connect

PAGES = [
    "app_pages/overview.py",
    "app_pages/disbursement.py",
    "app_pages/bulletin.py",
    "app_pages/indicators.py",
    "app_pages/project.py",
    "app_pages/explore.py",
    "app_pages/rounds.py",
    "app_pages/data.py",
]


@pytest.fixture
def app(demo_copy, monkeypatch):
    monkeypatch.setenv("MONITOR_DB", str(demo_copy))
    return AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=60)


def paid_to(db, day: str) -> Decimal:
    """Payments up to `day`, summed here in Python from the raw rows."""
    con = duckdb.connect(str(db))
    try:
        rows = con.execute("SELECT paid_on, amount FROM payments").fetchall()
    finally:
        con.close()
    return sum((amount for paid_on, amount in rows if paid_on <= dt.date.fromisoformat(day)), Decimal(0))


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders(app, page):
    app.run()
    app.switch_page(page).run()
    assert not app.exception, app.exception


def test_overview_headline_figures(app, demo_copy, demo_db):
    app.run()
    assert not app.exception
    metrics = _metrics(app)
    assert metrics["预算总额（万元）"] == "94.00"
    with closing(connect(demo_db, read_only=True)) as con:
        report = status_report(con, 2023, dt.date(2023, 9, 30))
    assert metrics["需关注项目"] == f"{sum(p['status'] != 'green' for p in report['projects'])} / 5"
    # the demo year is not this year: the as-of date follows the last day with data (values reported at 9月底)
    assert any(c.value == "截至 2023-09-30（数据的最后日期）" for c in app.caption)
    assert "as_of" not in app.query_params  # only a chosen date goes into the link
    assert metrics["累计支出（万元）"] == f"{paid_to(demo_copy, '2023-09-30') / 10000:,.2f}"
    assert metrics["部门自评得分（预估）"].endswith(" 优")
    assert any(c.value.startswith("填报率 98%；优 4 · 良 1") for c in app.caption)  # what the one figure hides
    assert any("演示数据" in c.value for c in app.caption)


def test_url_parameters_set_the_view(app):
    app.query_params.update({"unit": "元", "lang": "en", "as_of": "2023-06-30", "dept": "731001", "year": "1999"})
    app.run()
    metrics = _metrics(app)
    assert metrics["Total budget (yuan)"] == "940,000.00"
    assert any(c.value == "As of 2023-06-30 (the date chosen)" for c in app.caption)
    assert "Spent to date (yuan)" in metrics
    assert any("year=1999" in c.value for c in app.caption)  # an unknown year is ignored with a notice
    assert app.query_params["year"] == ["2023"] or app.query_params["year"] == "2023"
    # the quarterly chart is titled by the unit chosen, its name as written (data/demo/departments.csv)
    title = json.loads(app.get("plotly_chart")[0].proto.spec)["layout"]["title"]["text"]
    assert title == "巨鹿县科学技术协会本级: planned vs actual spending by quarter"


@pytest.mark.parametrize("as_of", ["2023-02-15", "2023-06-30", "2023-08-15", "2024-01-10"])
def test_disbursement_page_agrees_with_the_cli(app, demo_copy, demo_db, as_of):
    app.query_params.update({"as_of": as_of, "unit": "元", "project": "13052923P00584011183Y"})
    app.run()
    app.switch_page("app_pages/disbursement.py").run()
    assert not app.exception
    metrics = _metrics(app)
    cli = subprocess.run(
        [sys.executable, "-m", "monitor", "status", "--year", "2023", "--as-of", as_of, "--db", str(demo_db), "--json"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    total = json.loads(cli.stdout)["total"]
    assert metrics["计划累计（元）"] == f"{total['planned_cumulative']:,.2f}"
    assert metrics["累计支出（元）"] == f"{total['actual_cumulative']:,.2f}" == f"{paid_to(demo_copy, as_of):,.2f}"
    assert metrics["预算执行率"] == f"{total['execution_rate'] * 100:.2f}%"
    table = app.dataframe[0].value
    assert len(table) == 5 and set(table["status"]) <= {"正常", "滞后", "严重滞后", "超预算"}
    shown = table["status"].value_counts()
    assert metrics["需关注项目"] == f"{5 - shown.get('正常', 0)} / 5"  # the counts per status under it, in full
    counts = " · ".join(f"{w} {shown[w]}" for w in ("正常", "滞后", "严重滞后") if w in shown)
    assert f"各状态项目数：{counts}" in [c.value for c in app.caption]
    assert app.selectbox(key="project").value == "13052923P00584011183Y"
    assert len(app.get("plotly_chart")) == 2


def test_indicators_page_figures_and_filters(app, demo_db):
    app.query_params.update({"as_of": "2023-09-30", "ind_off": "1"})
    app.run()
    app.switch_page("app_pages/indicators.py").run()
    assert not app.exception
    with closing(connect(demo_db, read_only=True)) as con:
        report = indicator_report(con, 2023, dt.date(2023, 9, 30))
    metrics = _metrics(app)
    indicators = report["indicators"]
    off = sum(i["off_target"] for i in indicators)
    assert metrics["指标数"] == metrics["偏离目标"] == str(off)  # the cards follow the URL's off-target filter too
    table = app.dataframe[0].value
    assert len(table) == off and table["off_target"].all()
    department = next(s for s in report["scores"] if s["project_code"] is None)
    assert metrics["部门自评得分（预估）"] == f"{department['score']:.1f} 优"
    app.toggle(key="ind_off").set_value(False).run()
    metrics = _metrics(app)
    assert metrics["指标数"] == str(len(indicators)) == str(35 + 7)
    assert metrics["达标"] == str(sum(i["status"] == "达标" for i in indicators))
    assert metrics["偏离目标"] == str(off)
    assert len(app.dataframe[0].value) == len(indicators)
    assert "ind_off" not in app.query_params
    cells = app.get("plotly_chart")[0].proto.spec
    app.selectbox(key="ind_project").set_value("13052923P00584011183Y").run()  # 巨鹿县研究院专项经费 alone
    assert _metrics(app)["指标数"] == "7" and _metrics(app)["项目自评得分（预估）"].endswith(" 良")
    assert app.get("plotly_chart")[0].proto.spec != cells  # the heatmap follows the filter
    app.selectbox(key="ind_project").set_value("").run()  # the department-wide indicators alone
    assert _metrics(app)["指标数"] == str(sum(i["project_code"] is None for i in indicators)) == "7"
    app.selectbox(key="ind_project").set_value("*").run()
    app.selectbox(key="ind_status").set_value("未填报").run()
    assert set(app.dataframe[0].value["status_word"]) == {"未填报"}


def test_malformed_page_parameter_is_ignored_with_a_notice(app):
    app.query_params.update({"ind_off": "maybe", "ind_status": "<script>"})
    app.run()
    app.switch_page("app_pages/indicators.py").run()
    assert not app.exception
    notices = [c.value for c in app.caption]
    # shown escaped, so the value cannot act as markup
    assert any("ind\\_off=maybe" in n for n in notices) and any("ind\\_status=\\<script\\>" in n for n in notices)


def test_project_page_shows_one_project(app, demo_db):
    code = "13052923P00584011183Y"  # 巨鹿县研究院专项经费
    app.query_params.update({"project": code, "as_of": "2023-09-30", "unit": "元"})
    app.run()
    app.switch_page("app_pages/project.py").run()
    assert not app.exception
    with closing(connect(demo_db, read_only=True)) as con:
        day = dt.date(2023, 9, 30)
        project = next(p for p in status_report(con, 2023, day)["projects"] if p["project_code"] == code)
        report = indicator_report(con, 2023, day)
        paid = con.execute("SELECT count(*) FROM payments WHERE project_code = ? AND paid_on <= ?", [code, day]).fetchone()[0]
    metrics = _metrics(app)
    assert metrics["预算数（元）"] == "20,000.00"
    assert metrics["累计支出（元）"] == f"{project['actual_cumulative']:,.2f}"
    score = next(s for s in report["scores"] if s["project_code"] == code)
    assert metrics["项目自评得分（预估）"] == f"{score['score']:.1f} 良"
    indicators = app.dataframe[0].value
    payments = next(d.value for d in app.dataframe if "paid_on" in d.value.columns)
    assert len(indicators) == 7 and {"2023-06-30", "2023-09-30"} <= set(indicators.columns)
    assert len(payments) == paid


def test_without_an_earlier_year_the_outlook_says_so(app):
    """The demo holds 2023 only: no forecast anywhere, said plainly instead of a number."""
    none = t("outlook_none", "zh")
    app.query_params.update({"as_of": "2023-09-30"})
    app.run()
    assert [i.value for i in app.info] == [none] and "预计年末执行率" not in _metrics(app)
    app.query_params["project"] = "13052923P00584011183Y"
    app.switch_page("app_pages/project.py").run()
    assert not app.exception and any(c.value == none for c in app.caption)
    names = [trace.get("name") for trace in json.loads(app.get("plotly_chart")[1].proto.spec)["data"]]
    assert names == ["计划累计支出", "实际累计支出", "序时进度（按预算）"]
    app.switch_page("app_pages/bulletin.py").run()
    assert any(t("bul_para_no_outlook", "zh") in m.value for m in app.markdown)
    assert "forecast_rate" not in app.dataframe[0].value.columns
