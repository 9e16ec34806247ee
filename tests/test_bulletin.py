"""支出进度通报 on a generated two-year county at 09-30: the ranking, the comparisons (previous month
end, same day last year), the red and yellow lists and every figure of the Word document and the
workbook the command line writes, against figures recomputed here from the raw tables with pandas."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil

import duckdb
import openpyxl
import pandas as pd
import pytest
from app_helpers import app_on
from browser_helpers import assert_no_exception, needs_chromium, streamlit_server, wait_until_idle
from cli_run import run_cli
from docx import Document
from reference_rules import planned_at

from monitor.demo.scale import generate
from monitor.explore.builder import Query
from monitor.explore.builder import run as explore
from monitor.i18n import t
from monitor.review.bulletin import paragraph
from monitor.rules.bulletin import bulletin, previous_month_end, same_day_last_year
from monitor.rules.disbursement import status_label
from monitor.settings import settings
from monitor.store.db import connect, query_df

YEAR, AS_OF, REGION = 2024, dt.date(2024, 9, 30), "130001"


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """1,000 projects in 100 units, 2023 and 2024."""
    path = tmp_path_factory.mktemp("county") / "county.duckdb"
    con = connect(path)
    generate(con, 1000, 20_000, year=YEAR, seed=7, years=2)
    con.close()
    return path


@pytest.fixture(scope="module")
def raw(county) -> dict[str, pd.DataFrame]:
    """The raw tables, as pandas reads them."""
    con = duckdb.connect(str(county), read_only=True)
    try:
        return {name: con.execute(f"SELECT * FROM {name}").df() for name in ("departments", "projects", "plan_checkpoints", "payments")}
    finally:
        con.close()


def expected(raw: dict[str, pd.DataFrame], year: int, day: dt.date) -> pd.DataFrame:
    """Per unit holding projects of `year`: budget, planned, actual, forecast (元) at the end of `day`."""
    projects = raw["projects"][raw["projects"]["year"] == year]
    plans = raw["plan_checkpoints"][raw["plan_checkpoints"]["year"] == year].sort_values("checkpoint_date")
    paid = raw["payments"][(raw["payments"]["year"] == year) & (raw["payments"]["paid_on"].dt.date <= day)]
    actual = paid.groupby("project_code")["amount"].sum().astype(float)
    by_project = dict(tuple(plans.groupby("project_code")))
    rows = []
    for p in projects.itertuples():
        mine = by_project[p.project_code]
        plan = [(d.date(), float(v)) for d, v in mine[["checkpoint_date", "planned_cumulative"]].values]
        planned, budget, spent = planned_at(day, plan), float(p.budget), float(actual.get(p.project_code, 0.0))
        total = float(mine["planned_cumulative"].max())
        forecast = spent if spent > budget else min(budget, spent + max(total - planned, 0))
        rows.append((p.dept_code, budget, planned, spent, forecast))
    units = pd.DataFrame(rows, columns=["dept_code", "budget", "planned", "actual", "forecast"]).groupby("dept_code").sum()
    units["rate"] = units["actual"] / units["budget"]
    return units


def forecast_by_hand(raw: dict[str, pd.DataFrame], year: int, day: dt.date) -> pd.DataFrame:
    """The year-end outlook recomputed from the raw tables (README "Year-end outlook"), per project of
    `year`: each unit's share s (paid by the same month-day / paid in the year) and prior r (paid in the
    year / budget), averaged over its earlier years; forecast = (actual + (1 − s) × r × budget) / budget,
    at most 1 unless already over."""
    projects, payments = raw["projects"], raw["payments"]
    paid = payments.assign(by=payments["paid_on"].dt.strftime("%m-%d") <= day.strftime("%m-%d"))
    totals = paid.groupby("project_code")["amount"].sum().astype(float)
    by_day = paid[paid["by"]].groupby("project_code")["amount"].sum().astype(float)
    earlier = projects[projects["year"] < year].assign(
        paid_total=lambda f: f["project_code"].map(totals).fillna(0), paid_by=lambda f: f["project_code"].map(by_day).fillna(0)
    )
    years = earlier.assign(budget=earlier["budget"].astype(float)).groupby(["dept_code", "year"])[["paid_by", "paid_total", "budget"]].sum()
    years["s"], years["r"] = years["paid_by"] / years["paid_total"], years["paid_total"] / years["budget"]
    habits = years.groupby("dept_code")[["s", "r"]].mean()
    now = projects[projects["year"] == year].join(habits, on="dept_code")
    budget = now["budget"].astype(float)
    actual = now["project_code"].map(paid[paid["paid_on"].dt.date <= day].groupby("project_code")["amount"].sum()).fillna(0).astype(float)
    rate = ((actual + (1 - now["s"]) * now["r"] * budget) / budget).clip(upper=1.0)
    return now.assign(budget=budget, forecast=rate.where(actual <= budget, actual / budget))


@pytest.fixture(scope="module")
def truth(raw) -> pd.DataFrame:
    """The 通报 recomputed: rank by rate, the comparisons and the status by the thresholds."""
    now = expected(raw, YEAR, AS_OF)
    before = expected(raw, YEAR, previous_month_end(AS_OF))
    last = expected(raw, YEAR - 1, same_day_last_year(AS_OF))
    names = raw["departments"].set_index("dept_code")["name"]
    now["name"] = names.reindex(now.index)
    now["rank"] = now["rate"].rank(ascending=False, method="min").astype(int)
    now["prev_rate"] = before["rate"]
    now["prev_rank"] = before["rate"].rank(ascending=False, method="min").astype(int)
    now["last_year_rate"] = last["rate"]
    now["gap_pp"] = (now["actual"] - now["planned"]) / now["budget"] * 100
    ahead = forecast_by_hand(raw, YEAR, AS_OF).assign(money=lambda f: f["forecast"] * f["budget"]).groupby("dept_code")
    now["forecast_rate"] = ahead["money"].sum() / ahead["budget"].sum()
    t = settings().thresholds
    now["status"] = [
        "red"
        if r.actual > r.budget or r.gap_pp < -t.red_behind_pp
        else "amber"
        if r.gap_pp < -t.amber_behind_pp or (r.actual <= 0 < r.planned) or r.forecast > r.budget
        else "green"
        for r in now.itertuples()
    ]
    return now.sort_values(["rank", "dept_code"])


def test_the_units_are_ranked_as_the_raw_tables_say(county, raw, truth):
    con = connect(county, read_only=True)
    try:
        b = bulletin(lambda name, **params: query_df(con, name, **params), YEAR, REGION, AS_OF)
    finally:
        con.close()
    assert b is not None and b.scope_name == "县区001" and len(b.units) == 100 == len(truth)
    got = b.units.set_index("dept_code")
    assert list(got.index) == list(truth.index)  # in rank order
    assert got["rank"].tolist() == truth["rank"].tolist()
    assert got["prev_rank"].tolist() == truth["prev_rank"].tolist()
    for column, want in (("execution_rate", "rate"), ("prev_rate", "prev_rate"), ("last_year_rate", "last_year_rate")):
        assert got[column].astype(float).tolist() == pytest.approx(truth[want].tolist(), abs=1e-9), column
    assert got["planned"].astype(float).tolist() == pytest.approx(truth["planned"].tolist(), abs=0.011 * 10)  # fen per project
    assert got["status"].tolist() == truth["status"].tolist()
    assert sorted(b.red["dept_code"]) == sorted(truth.index[truth["status"] == "red"])
    assert sorted(b.yellow["dept_code"]) == sorted(truth.index[truth["status"] == "amber"])
    assert len(b.red) > 0 and len(b.yellow) > 0 and (truth["status"] == "green").any()  # the test sees every list
    total = b.total
    assert float(total["budget"]) == pytest.approx(truth["budget"].sum(), abs=0.01)
    assert float(total["actual"]) == pytest.approx(truth["actual"].sum(), abs=0.01)
    assert float(total["last_year_rate"]) == pytest.approx(
        expected(raw, YEAR - 1, same_day_last_year(AS_OF))[["actual", "budget"]].sum().pipe(lambda s: s["actual"] / s["budget"])
    )
    assert (int(total["red_units"]), int(total["amber_units"]), int(total["green_units"])) == tuple(
        int((truth["status"] == s).sum()) for s in ("red", "amber", "green")
    )


def _rows_checked(rows: list[list], truth: pd.DataFrame, number) -> None:
    """Every unit row of a table (header, units, 合计) against the recomputed figures; `number` reads a cell."""
    header, units, total = rows[0], rows[1:-1], rows[-1]
    col = {name: i for i, name in enumerate(header)}
    assert len(units) == len(truth)
    for row, want in zip(units, truth.itertuples()):
        assert number(row[col["排名"]]) == want.rank
        assert row[col["单位"]] == want.name
        assert number(row[col["预算数（万元）"]]) == pytest.approx(round(want.budget / 10000, 2), abs=0.005)
        assert number(row[col["计划支出数（万元）"]]) == pytest.approx(round(want.planned / 10000, 2), abs=0.011)
        assert number(row[col["实际支出数（万元）"]]) == pytest.approx(round(want.actual / 10000, 2), abs=0.005)
        assert number(row[col["执行率"]]) == pytest.approx(round(want.rate * 100, 2), abs=0.005)
        assert number(row[col["与计划进度差（百分点）"]]) == pytest.approx(round(want.gap_pp, 2), abs=0.011)
        prev = next(c for c in header if c.startswith("上月末执行率"))
        assert number(row[col[prev]]) == pytest.approx(round(want.prev_rate * 100, 2), abs=0.005)
        assert number(row[col["较上月末（百分点）"]]) == pytest.approx(round((want.rate - want.prev_rate) * 100, 2), abs=0.011)
        assert number(row[col["上月末排名"]]) == want.prev_rank
        last = next(c for c in header if c.startswith("上年同期执行率"))
        assert number(row[col[last]]) == pytest.approx(round(want.last_year_rate * 100, 2), abs=0.005)
        assert number(row[col["预计年末执行率"]]) == pytest.approx(round(want.forecast_rate * 100, 2), abs=0.005)
        assert row[col["状态"]] in {status_label(want.status, reason) for reason in ("", "over_budget", "forecast_over_budget")}
    assert total[col["单位"]] == "合计"
    assert number(total[col["预算数（万元）"]]) == pytest.approx(round(truth["budget"].sum() / 10000, 2), abs=0.005)
    assert number(total[col["实际支出数（万元）"]]) == pytest.approx(round(truth["actual"].sum() / 10000, 2), abs=0.005)
    assert number(total[col["执行率"]]) == pytest.approx(round(truth["actual"].sum() / truth["budget"].sum() * 100, 2), abs=0.005)
    money = (truth["forecast_rate"] * truth["budget"]).sum() / truth["budget"].sum()
    assert number(total[col["预计年末执行率"]]) == pytest.approx(round(money * 100, 2), abs=0.005)
    counts = [int((truth["status"] == s).sum()) for s in ("red", "amber", "green")]
    assert total[col["状态"]] == f"红色 {counts[0]} · 黄色 {counts[1]} · 正常 {counts[2]}"


def _docx_number(text: str) -> float:
    return float(re.sub(r"[,%+]", "", text))


def test_the_word_document_reads_back_with_every_figure(county, truth, tmp_path):
    out = tmp_path / "通报.docx"
    done = run_cli("bulletin", "--year", str(YEAR), "--as-of", AS_OF.isoformat(), "--dept", REGION, "--out", str(out), "--db", str(county))
    assert done.returncode == 0, done.stderr
    doc = Document(str(out))
    section = doc.sections[0]
    assert {round(section.page_width.cm, 1), round(section.page_height.cm, 1)} == {29.7, 21.0}  # A4
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "2024年县区001预算支出进度通报"
    assert texts[1] == "〔2024〕　　号"  # the 文号 placeholder
    assert texts[2].startswith("数据截至2024年9月30日")
    red, yellow = (truth[truth["status"] == s] for s in ("red", "amber"))
    assert f"{len(red)}个单位列入红色名单" in texts[3] and f"{len(yellow)}个单位列入黄色名单" in texts[3]
    below = int((truth["forecast_rate"] < settings().outlook.flag_below).sum())
    assert 0 < below < len(truth) and f"，{below}个单位预计低于90%。" in texts[3]  # the outlook's sentence
    main, red_table, yellow_table = doc.tables
    _rows_checked([[c.text for c in row.cells] for row in main.rows], truth, _docx_number)
    for table, want in ((red_table, red), (yellow_table, yellow)):
        listed = [[c.text for c in row.cells] for row in table.rows][1:]
        assert [row[1] for row in listed] == list(want.sort_values(["gap_pp"]).name)
        assert [_docx_number(row[3]) for row in listed] == pytest.approx(
            [round(g, 2) for g in want.sort_values("gap_pp").gap_pp], abs=0.011
        )
    assert f"红色名单（{len(red)}个单位）" in texts and f"黄色名单（{len(yellow)}个单位）" in texts


def test_the_workbook_reads_back_with_every_figure(county, truth, tmp_path):
    out = tmp_path / "通报.xlsx"
    done = run_cli("bulletin", "--year", str(YEAR), "--as-of", AS_OF.isoformat(), "--dept", REGION, "--out", str(out), "--db", str(county))
    assert done.returncode == 0, done.stderr
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["通报", "红色名单", "黄色名单", "说明"]
    _rows_checked([list(r) for r in wb["通报"].iter_rows(values_only=True)], truth, float)
    assert [r[1] for r in wb["红色名单"].iter_rows(min_row=2, values_only=True)] == list(
        truth[truth["status"] == "red"].sort_values("gap_pp").name
    )
    assert wb["说明"]["A1"].value == "2024年县区001预算支出进度通报"


def test_the_paragraph_and_the_comparisons_follow_the_dates(county):
    con = connect(county, read_only=True)
    try:
        run = lambda name, **params: query_df(con, name, **params)  # noqa: E731
        january = bulletin(run, YEAR, REGION, dt.date(2024, 1, 20))
        september = bulletin(run, YEAR, REGION, AS_OF)
        first_year = bulletin(run, YEAR - 1, REGION, dt.date(2023, 9, 30))
    finally:
        con.close()
    assert not january.has_previous_month and january.units["prev_rank"].isna().all()  # 2023-12-31 is another fiscal year
    assert not first_year.has_last_year and "上年同期" not in paragraph(first_year, "万元", "zh")
    text = paragraph(september, "万元", "zh")
    assert "2024年9月30日" in text and "上年同期（2023年9月30日）" in text and "较上月末（2024年8月31日）" in text
    assert september.units.iloc[0]["name"] in text and september.units.iloc[-1]["name"] in text
    english = paragraph(september, "元", "en")
    assert "As of 2024-09-30" in english and f"{float(september.total['budget']):,.2f} 元" in english


@pytest.mark.parametrize(
    ("day", "before", "last"),
    [
        ("2024-09-30", "2024-08-31", "2023-09-30"),
        ("2024-03-12", "2024-02-29", "2023-03-12"),
        ("2024-02-29", "2024-01-31", "2023-02-28"),
        ("2024-01-05", "2023-12-31", "2023-01-05"),
    ],
)
def test_comparison_dates(day, before, last):
    d = dt.date.fromisoformat(day)
    assert (previous_month_end(d).isoformat(), same_day_last_year(d).isoformat()) == (before, last)


def test_the_command_refuses_other_files_and_unknown_units(county, tmp_path):
    wrong = run_cli("bulletin", "--year", "2024", "--as-of", "2024-09-30", "--out", str(tmp_path / "x.pdf"), "--db", str(county))
    assert wrong.returncode == 2 and ".docx" in wrong.stderr and not (tmp_path / "x.pdf").exists()
    unknown = run_cli(
        "bulletin", "--year", "2024", "--as-of", "2024-09-30", "--dept", "999", "--out", str(tmp_path / "x.docx"), "--db", str(county)
    )
    assert unknown.returncode == 5 and "999" in unknown.stderr
    assert t("cli_bulletin_empty", "zh", year=2024, dept="999") in unknown.stderr


def test_the_page_shows_the_ranking_lists_and_last_year(county, raw, truth, monkeypatch):
    at = app_on(county, monkeypatch, "app_pages/bulletin.py", timeout=120, year="2024", as_of="2024-09-30", dept=REGION)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["单位数"] == "100"
    assert metrics["红色名单"] == str((truth["status"] == "red").sum()) and metrics["黄色名单"] == str((truth["status"] == "amber").sum())
    earlier = expected(raw, YEAR - 1, same_day_last_year(AS_OF))
    last = earlier["actual"].sum() / earlier["budget"].sum()
    assert metrics["上年同期执行率"] == f"{last:.2%}"
    table = at.dataframe[0].value
    assert table["name"].tolist()[:-1] == truth["name"].tolist() and table["name"].iloc[-1] == "合计"
    assert at.get("plotly_chart") and not at.exception
    assert any("个单位预计低于90%。" in m.value for m in at.markdown)  # the outlook's sentence in the paragraph
    for page, rate in (("app_pages/overview.py", last), ("app_pages/disbursement.py", last)):
        at.switch_page(page).run()
        assert any(f"上年同期（2023-09-30）执行率 {rate:.2%}" in c.value for c in at.caption), page


def test_the_outlook_on_overview_and_project_pages(county, raw, monkeypatch):
    """总览: the forecast rate, the unspent budget and the flagged projects (linked), recomputed from the raw
    tables; 项目详情: the forecast line and its band on the S-curve, with legends a reader understands."""
    ahead = forecast_by_hand(raw, YEAR, AS_OF)
    at = app_on(county, monkeypatch, "app_pages/overview.py", timeout=120, year="2024", as_of="2024-09-30", unit="元")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["预计年末执行率"] == f"{(ahead['forecast'] * ahead['budget']).sum() / ahead['budget'].sum():.2%}"
    unspent = (ahead["budget"] * (1 - ahead["forecast"]).clip(lower=0)).sum()
    assert float(metrics["预计年末未支出（元）"].replace(",", "")) == pytest.approx(unspent, abs=0.01)
    flagged = ahead[ahead["forecast"] < 0.9].sort_values("forecast")
    assert metrics["预计执行率低于90%的项目"] == f"{len(flagged):,}"
    links = [link for link in at.get("page_link") if "预计" in link.proto.label]
    assert len(links) == settings().limits.attention_rows
    assert links[0].proto.label.startswith(f"{flagged['name'].iloc[0]} — 预计 {flagged['forecast'].iloc[0]:.2%}")
    code = flagged["project_code"].iloc[0]
    at.query_params["project"] = code
    at.switch_page("app_pages/project.py").run()
    assert not at.exception, at.exception
    spec = json.loads(at.get("plotly_chart")[1].proto.spec)
    names = [trace.get("name") for trace in spec["data"]]
    forecast = next(trace for trace in spec["data"] if str(trace.get("name", "")).startswith("预测（年末"))
    assert forecast["y"][-1] == pytest.approx(flagged["forecast"].iloc[0] * flagged["budget"].iloc[0])
    assert any(str(n).startswith("80%区间") for n in names)
    assert spec["layout"]["yaxis"]["title"]["text"] == "金额（元）" and spec["layout"]["xaxis"]["title"]["text"] == "日期"
    assert any(c.value.startswith("按本单位往年 1 年的支出规律预测：年末执行率") for c in at.caption)


@needs_chromium
def test_the_page_in_the_browser(browser, county, raw, truth, artifacts, tmp_path):
    """Both languages at 1440×900 on one server; screenshots tests/artifacts/bulletin-zh.png and -en.png; then
    the outlook on 总览 and 项目详情 (outlook-overview-county.png, outlook-project-county.png)."""
    db = tmp_path / "county.duckdb"
    shutil.copy(county, db)
    headings = {"zh": "2024年县区001预算支出进度通报", "en": "县区001: budget disbursement bulletin 2024"}
    with streamlit_server(db) as url:
        for lang, heading in headings.items():
            page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
            page.goto(f"{url}/bulletin?year=2024&as_of=2024-09-30&dept={REGION}&lang={lang}")
            wait_until_idle(page)
            assert_no_exception(page)
            page.get_by_role("heading", name=heading).wait_for(timeout=30000)
            values = page.get_by_test_id("stMetricValue").all_inner_texts()
            assert values[0] == "100" and values[3] == str((truth["status"] == "red").sum())
            page.screenshot(path=str(artifacts / f"bulletin-{lang}.png"))
            page.close()
        # the outlook where decisions are made: 总览's section and 项目详情's S-curve (tests/artifacts/outlook-*.png)
        ahead = forecast_by_hand(raw, YEAR, AS_OF)
        low = ahead.sort_values("forecast").iloc[0]
        for name, path, label, want in (
            ("overview", "/", "预计年末执行率", f"{(ahead['forecast'] * ahead['budget']).sum() / ahead['budget'].sum():.2%}"),
            ("project", f"/project?project={low['project_code']}", None, f"预测（年末 {low['forecast']:.1%}）"),
        ):
            page = browser.new_page(viewport={"width": 1440, "height": 2200}, locale="zh-CN")
            page.goto(f"{url}{path}{'&' if '?' in path else '?'}year=2024&as_of=2024-09-30")
            wait_until_idle(page)
            assert_no_exception(page)
            if label:
                metric = page.get_by_test_id("stMetric").filter(has_text=label)
                assert metric.get_by_test_id("stMetricValue").inner_text() == want
            else:
                page.locator(".legendtext", has_text=want).wait_for(timeout=30000)
                assert page.locator(".legendtext", has_text="80%区间").count() == 1
            page.screenshot(path=str(artifacts / f"outlook-{name}-county.png"), full_page=True)
            page.close()


def test_explore_groups_this_year_and_last_by_fiscal_year(county, raw):
    context = {"year": YEAR, "dept": REGION, "as_of": AS_OF, "last_year_as_of": same_day_last_year(AS_OF), "amber_pp": 5.0, "red_pp": 15.0}
    con = connect(county, read_only=True)
    try:
        found = explore(con, Query("years", groups=("fiscal_year",), measure="rate:execution"), context)
    finally:
        con.close()
    want = {str(y): expected(raw, y, day) for y, day in ((YEAR, AS_OF), (YEAR - 1, same_day_last_year(AS_OF)))}
    assert found["fiscal_year"].tolist() == ["2023", "2024"]
    assert found["value"].tolist() == pytest.approx([want[y]["actual"].sum() / want[y]["budget"].sum() for y in ("2023", "2024")])
