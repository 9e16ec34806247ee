"""The demo database holds exactly the seed's targets (figures computed here independently)."""

from __future__ import annotations

import re
from decimal import Decimal

import duckdb
import pytest

from monitor.ingest.notation import parse_target

CODES = {
    "巨鹿县研究院专项经费": "13052923P00584011183Y",
    "科普专项经费": "13052923P00584011181P",
    "老科协工作经费": "13052923P00584011177H",
    "青少年科技教育经费": "13052923P005840111856",
    "优秀科技工作者奖励资金": "13052923P005840111804",
}


@pytest.fixture(scope="module")
def con(demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    yield con
    con.close()


def test_counts_and_totals(con):
    assert con.execute("SELECT count(*), sum(budget), sum(fiscal_funds), sum(other_funds) FROM projects").fetchone() == (
        5,
        Decimal("940000.00"),
        Decimal("940000.00"),
        Decimal("0.00"),
    )
    assert con.execute("SELECT count(*) FROM plan_checkpoints").fetchone()[0] == 20
    assert con.execute("SELECT count(*) FROM indicators").fetchone()[0] == 35
    assert con.execute("SELECT count(DISTINCT indicator_id) FROM indicators").fetchone()[0] == 35
    assert con.execute("SELECT count(*) FROM project_goals").fetchone()[0] == 15
    assert con.execute("SELECT dept_code, name, region_code FROM departments").fetchall() == [
        ("731001", "巨鹿县科学技术协会本级", "130529")
    ]
    assert dict(con.execute("SELECT name, project_code FROM projects").fetchall()) == CODES
    assert all(len(code) == 21 for code in CODES.values())


def test_plan_checkpoints_are_cumulative_amounts(con):
    rows = con.execute(
        "SELECT checkpoint_date::VARCHAR, planned_cumulative FROM plan_checkpoints WHERE project_code = ? ORDER BY 1",
        [CODES["科普专项经费"]],
    ).fetchall()
    assert rows == [
        ("2023-03-31", Decimal("217500.00")),
        ("2023-06-30", Decimal("430000.00")),
        ("2023-10-31", Decimal("652500.00")),
        ("2023-12-31", Decimal("870000.00")),
    ]
    # the last checkpoint of every project equals its budget
    assert (
        con.execute(
            "SELECT count(*) FROM projects p JOIN plan_checkpoints c USING (year, project_code)"
            " WHERE c.checkpoint_date = DATE '2023-12-31' AND c.planned_cumulative = p.budget"
        ).fetchone()[0]
        == 5
    )


@pytest.mark.parametrize(
    ("project", "level3", "expected"),
    [
        ("巨鹿县研究院专项经费", "研究院利用率", ("≥95%", ">=", 95.0, "%")),
        ("巨鹿县研究院专项经费", "研究院数量", ("1 家", ">=", 1.0, "家")),
        ("科普专项经费", "工作经费成本", ("87 万元", "<=", 87.0, "万元")),
        ("老科协工作经费", "该项经费所需金额", ("≥2 万元", ">=", 2.0, "万元")),
        ("青少年科技教育经费", "科普进校园活动举办次数", ("一年一次", ">=", 1.0, "次")),
        ("优秀科技工作者奖励资金", "参赛优秀科技工作者奖励人数", ("≥10 人", ">=", 10.0, "人")),
        ("老科协工作经费", "满意率", ("≥99%", ">=", 99.0, "%")),
    ],
)
def test_indicator_spot_checks(con, project, level3, expected):
    row = con.execute(
        "SELECT target_text, op, target_value, unit FROM indicators WHERE project_code = ? AND level3 = ?", [CODES[project], level3]
    ).fetchone()
    assert row == expected


def test_transcribed_op_value_unit_agree_with_the_notation_rule(con):
    rows = con.execute("SELECT target_text, level2, op, target_value, unit FROM indicators").fetchall()
    for text, level2, op, value, unit in rows:
        parsed = parse_target(text, level2)
        assert (parsed.op, parsed.value, parsed.unit) == (op, value, unit), text


def test_department_wide_targets_are_kept(con):
    sections = dict(con.execute("SELECT section, count(*) FROM dept_goals GROUP BY 1").fetchall())
    assert sections == {"总体绩效目标": 1, "分项绩效目标": 5, "分项绩效指标": 5, "工作保障措施": 4}
    row = con.execute("SELECT op, target_value, unit FROM dept_indicators WHERE description LIKE '%全县基本科学素质公民比例%'").fetchone()
    assert row == (">=", 10.0, "%")


def _seed_projects(seed_text: str) -> dict[str, dict]:
    """Each project table of the seed: code (rejoined), budget, plan, indicator-row count."""
    blocks = re.split(r"\n\s*\d+\.(\S+?)绩效目标表\n", seed_text)[1:]
    found = {}
    for name, block in zip(blocks[::2], blocks[1::2]):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        code_at = lines.index("项目编码")
        plan_at = next(i for i, line in enumerate(lines) if line.startswith("3 月底"))
        found[name] = {
            "code": lines[code_at + 1] + lines[code_at + 2],
            "budget": Decimal(re.search(r"预算数 ([\d.]+)", block).group(1)),
            "plan": [Decimal(v) for v in lines[plan_at + 1].split()],
            "indicators": sum(
                1 for line in lines if re.match(r"(数量指标|质量指标|时效指标|成本指标|社会效益指|可持续影响|服务对象满)", line)
            ),
            "text": re.sub(r"\s+", "", block),
        }
    return found


def test_demo_transcription_matches_the_seed(con, seed_text):
    seed = _seed_projects(seed_text)
    assert len(seed) == 5
    assert sum(p["budget"] for p in seed.values()) == Decimal("94.00")
    assert sum(p["indicators"] for p in seed.values()) == 35
    for name, p in seed.items():
        code, budget = con.execute("SELECT project_code, budget FROM projects WHERE name = ?", [name]).fetchone()
        assert code == p["code"]
        assert budget == p["budget"] * 10000
        plan = [
            v
            for (v,) in con.execute(
                "SELECT planned_cumulative FROM plan_checkpoints WHERE project_code = ? ORDER BY checkpoint_date", [code]
            ).fetchall()
        ]
        assert plan == [v * 10000 for v in p["plan"]]
        for level3, description, target, basis in con.execute(
            "SELECT level3, description, target_text, basis FROM indicators WHERE project_code = ?", [code]
        ).fetchall():
            for text in (level3, description, target, basis):
                assert re.sub(r"\s+", "", text) in p["text"], (name, text)
