"""UI strings in Chinese (default) and English. Data labels are never translated."""

from __future__ import annotations

LANGUAGES = {"zh": "中文", "en": "English"}

_TEXT: dict[str, tuple[str, str]] = {
    "app_title": ("绩效运行监控", "Performance Monitoring"),
    "page_overview": ("总览", "Overview"),
    "page_disbursement": ("预算执行", "Budget execution"),
    "page_indicators": ("绩效指标", "Indicators"),
    "page_project": ("项目详情", "Project detail"),
    "page_explore": ("即席查询", "Explore"),
    "page_data": ("数据管理", "Data management"),
    "filters": ("筛选条件", "Filters"),
    "year": ("预算年度", "Fiscal year"),
    "dept": ("单位", "Unit"),
    "all_depts": ("全部单位", "All units"),
    "as_of": ("截至日期", "As of"),
    "unit": ("金额单位", "Money unit"),
    "lang": ("语言 / Language", "语言 / Language"),
    "demo_notice": (
        "演示数据：支付流水和指标完成值为程序生成，仅供演示。",
        "Demo data (演示数据): payments and indicator values are generated for demonstration.",
    ),
    "url_ignored": ("链接参数 {param} 无效，已忽略。", "Link parameter {param} is not valid and was ignored."),
    "no_data": (
        "数据库中还没有项目。请在「数据管理」导入绩效目标。",
        "No projects in the database yet. Import targets under Data management.",
    ),
    "total_budget": ("预算总额（{unit}）", "Total budget ({unit})"),
    "actual_to_date": ("累计支出（{unit}）", "Spent to date ({unit})"),
    "as_of_caption": ("截至 {as_of}", "As of {as_of}"),
    "execution_rate": ("预算执行率", "Execution rate"),
    "projects_count": ("项目数", "Projects"),
    "execution_rate_help": ("实际支出 ÷ 预算数", "Actual spending ÷ budget"),
    "projects_table": ("项目预算与执行", "Projects: budget and spending"),
    "col_project_code": ("项目编码", "Project code"),
    "col_project": ("项目名称", "Project"),
    "col_budget": ("预算数（{unit}）", "Budget ({unit})"),
    "col_actual": ("实际支出（{unit}）", "Actual ({unit})"),
    "col_rate": ("执行率", "Execution rate"),
    "placeholder": (
        "本页面尚在建设中，当前版本仅提供「总览」。计划内容：{what}",
        "This page is not built yet; this version only has the Overview. Planned: {what}",
    ),
    "plan_disbursement": (
        "按季度对比计划与实际支出、项目执行进度与状态、S 曲线、支付明细。",
        "planned vs actual quarterly disbursement, project status, S-curves, payments.",
    ),
    "plan_indicators": (
        "全部绩效指标的目标值、最新完成值、状态与偏差，完成值录入。",
        "every indicator with target, latest actual, status and gap; entry of actuals.",
    ),
    "plan_project": (
        "单个项目的全部信息：资金、目标、计划与实际、指标、支付、评分、备注。",
        "one project on one page: funds, goals, plan vs actual, indicators, payments, score, notes.",
    ),
    "plan_explore": ("按任意字段筛选、分组汇总、下载和分享查询结果。", "filter, group, download and share any view."),
    "plan_data": (
        "导入绩效目标、支付流水和指标完成值，校验报告、导入历史与撤销。",
        "imports of targets, payments and indicator actuals, validation reports, history and undo.",
    ),
}


def t(key: str, lang: str = "zh", **values: object) -> str:
    zh, en = _TEXT[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text
