"""即席查询 and the page URLs under AppTest: a link opens the same view, widgets write the link,
bad parameters are ignored with a notice; downloads on every table; saved views; the SQL box."""

from __future__ import annotations

import datetime as dt
import json
from contextlib import closing

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from monitor.auth import add_user
from monitor.explore.saved_views import list_views, save_view
from monitor.fmt import plain
from monitor.store.db import REPO_ROOT, connect, sql

SCIENCE = "13052923P00584011181P"


@pytest.fixture
def app(demo_copy, monkeypatch):
    monkeypatch.setenv("MONITOR_DB", str(demo_copy))
    return AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=60)


def open_page(app: AppTest, page: str, **params) -> AppTest:
    app.query_params.update(params)
    app.run()
    app.switch_page(page).run()
    assert not app.exception, app.exception
    return app


def url(app: AppTest) -> dict[str, list[str]]:
    """The app's address parameters, each as a list (AppTest gives single values bare)."""
    return {k: v if isinstance(v, list) else [v] for k, v in app.query_params.items()}


def test_a_link_opens_the_same_grouped_view(app, demo_db):
    open_page(
        app,
        "app_pages/explore.py",
        as_of="2023-09-30",
        unit="元",
        subject="payments",
        group=["quarter", "fund_source"],
        measure="sum:amount",
        **{"f.name": "科普", "f.month": ["6", "7", "8"]},
    )
    table = app.dataframe[0].value
    with closing(duckdb.connect(str(demo_db), read_only=True)) as con:  # the app holds its own copy open
        expected = con.execute(
            """SELECT quarter(paid_on), fund_source, sum(amount) FROM payments WHERE project_code = $p
               AND month(paid_on) IN (6, 7, 8) GROUP BY ALL ORDER BY 1, 2""",
            {"p": SCIENCE},
        ).fetchall()
    quarter = {2: "二季度", 3: "三季度"}  # a category of codes is shown in words
    assert [(q, s, round(v, 2)) for q, s, v in table.itertuples(index=False, name=None)] == [
        (quarter[q], s, float(v)) for q, s, v in expected
    ]
    assert app.multiselect(key="f.month").value == [6, 7, 8]
    assert app.text_input(key="f.name").value == "科普"
    layout = json.loads(app.get("plotly_chart")[0].proto.spec)["layout"]
    assert layout["title"]["text"] == "金额合计：按季度、资金来源" and layout["yaxis"]["title"]["text"] == "金额合计（元）"
    assert layout["xaxis"]["title"]["text"] == "季度" and layout["legend"]["title"]["text"] == "资金来源"
    assert len(app.get("download_button")) == 2


def test_widgets_write_the_link(app):
    open_page(app, "app_pages/explore.py", subject="projects")
    app.multiselect(key="filter_on").set_value(["status", "budget"]).run()
    app.multiselect(key="f.status").set_value(["green"]).run()
    app.number_input(key="f.budget.min").set_value(2.0).run()
    app.multiselect(key="group").set_value(["dept_name"]).run()
    app.selectbox(key="measure").set_value("rate:execution").run()
    assert not app.exception
    params = {k: v for k, v in url(app).items() if k in ("subject", "f.status", "f.budget.min", "group", "measure")}
    assert params == {"f.status": ["green"], "f.budget.min": ["2"], "group": ["dept_name"], "measure": ["rate:execution"]}
    # another subject forgets the last one's filters
    app.segmented_control(key="subject").set_value("indicators").run()
    assert not any(k.startswith("f.") for k in app.query_params) and "group" not in app.query_params
    assert url(app)["subject"] == ["indicators"]


def test_bad_explore_parameters_are_ignored_with_a_notice(app):
    open_page(
        app,
        "app_pages/explore.py",
        subject="indicators",
        measure="sum(budget); DROP TABLE projects",
        group=["level1", "status", "project_name"],
        **{
            "f.nope": "1",
            "f.level1": ["满意度指标", "'; DROP TABLE projects; --"],
            "f.actual_value.min": "NaN",
            "f.period_end.max": "2023-13-45",
            "f.project_name": "x" * 500,
        },
    )
    notices = " ".join(c.value for c in app.caption)
    ignored = ["f.nope", "measure=", "group=project_name", "f.actual_value.min=NaN", "f.period_end.max=", "f.project_name="]
    for name in ignored:
        assert plain(name) in notices, name
    assert app.multiselect(key="f.level1").value == ["满意度指标"]
    assert set(app.dataframe[0].value["level1"]) == {"满意度指标"}
    assert app.selectbox(key="measure").value == "count"


@pytest.mark.parametrize("subject", ["projects", "quarters", "indicators", "payments"])
def test_each_subject_lists_rows_and_charts_a_group(app, subject):
    open_page(app, "app_pages/explore.py", subject=subject)
    assert len(app.dataframe[0].value) > 0
    app.multiselect(key="group").set_value([app.multiselect(key="group").options[0]]).run()
    assert not app.exception and len(app.get("plotly_chart")) == 1


def test_sql_box_runs_a_select_and_refuses_the_rest(app):
    open_page(app, "app_pages/explore.py")
    app.text_area(key="sql_text").set_value("SELECT name, budget FROM projects ORDER BY budget DESC").run()
    app.button(key="sql_run").click().run()
    assert not app.exception and not app.error
    assert app.dataframe[-1].value["name"].iloc[0] == "科普专项经费"
    for text in ["SELECT * FROM read_csv('/etc/passwd')", "COPY projects TO '/tmp/x.csv'", "SELECT 1; DROP TABLE projects"]:
        app.text_area(key="sql_text").set_value(text).run()
        app.button(key="sql_run").click().run()
        assert not app.exception and len(app.error) == 1, text


def test_saving_a_view_lists_it_as_a_link(app, demo_copy):
    with closing(connect(demo_copy)) as con:
        add_user(con, "ed", "editor", "explore-test-password")
    app.run()
    app.text_input(key="auth_name").input("ed")
    app.text_input(key="auth_password").input("explore-test-password")
    app.button(key="auth_submit").click()
    open_page(app, "app_pages/explore.py", subject="payments", group="fund_source")
    form = app.get("form")[0]
    form.text_input[0].input("6月 按资金来源 **bold**")
    form.button[0].click()
    app.run()
    assert not app.exception
    assert any("6月 按资金来源 \\*\\*bold\\*\\*" in s.value for s in app.success)
    links = [link for link in app.get("page_link") if link.proto.label == plain("6月 按资金来源 **bold**")]  # shown as written
    assert links and "subject=payments" in links[0].proto.query_string and "group=fund_source" in links[0].proto.query_string
    with closing(connect(demo_copy)) as con:
        assert list_views(con, "explore")["created_by"].tolist() == ["ed"]


def test_saved_views_are_idempotent_by_name(demo_copy):
    with closing(connect(demo_copy)) as con:
        save_view(con, "v", "explore", "subject=projects", "anonymous")
        save_view(con, "v", "explore", "subject=payments", "anonymous")
        con.execute(sql("schema"))  # the schema applies again
        views = list_views(con, "explore")
        assert views[["name", "query_string", "created_by"]].values.tolist() == [["v", "subject=payments", "anonymous"]]
        with pytest.raises(ValueError):
            save_view(con, "  ", "explore", "", "anonymous")


def test_disbursement_project_round_trips(app):
    open_page(app, "app_pages/disbursement.py", project=SCIENCE)
    assert app.selectbox(key="project").value == SCIENCE
    app.selectbox(key="project").set_value("13052923P00584011177H").run()
    assert url(app)["project"] == ["13052923P00584011177H"]
    assert len(app.get("download_button")) == 4  # projects and payments, CSV and xlsx each


def test_indicator_filters_round_trip(app):
    open_page(app, "app_pages/indicators.py", as_of=dt.date(2023, 9, 30).isoformat(), ind_project=SCIENCE, ind_level1="满意度指标")
    table = app.dataframe[0].value
    # the project's one 满意度指标 (data/demo/indicators.csv), by the columns the table shows
    assert set(table["project_name"]) == {"科普专项经费"} and list(table["level3"]) == ["满意度"]
    assert list(table["target_text"]) == ["≥95%"]
    app.selectbox(key="ind_status").set_value("达标").run()
    assert {k: url(app)[k] for k in ("ind_project", "ind_level1", "ind_status")} == {
        "ind_project": [SCIENCE],
        "ind_level1": ["满意度指标"],
        "ind_status": ["达标"],
    }
    assert len(app.get("download_button")) == 4  # indicators and scores
