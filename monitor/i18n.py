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
    # --- issue 7: sign-in, payments import, import history and undo ---
    "signin_title": ("登录（修改数据需要）", "Sign in (needed to change data)"),
    "signin_user": ("用户名", "User name"),
    "signin_password": ("密码", "Password"),
    "signin_submit": ("登录", "Sign in"),
    "signin_failed": ("用户名或密码不正确。", "Wrong user name or password."),
    "signin_locked": ("登录失败次数过多，请 {seconds} 秒后再试。", "Too many failed sign-ins: try again in {seconds} s."),
    "signed_in_as": ("已登录：{name}（{role}）", "Signed in: {name} ({role})"),
    "signout": ("退出登录", "Sign out"),
    "session_expired": ("长时间未操作，已自动退出登录。", "You were signed out after a period of inactivity."),
    "signin_to_view": ("请先在左侧栏登录后查看。", "Please sign in (sidebar) to view this dashboard."),
    "signin_needed": (
        "修改数据需要以「{role}」或更高角色登录：请在左侧栏登录。",
        "Changing data needs a signed-in user with the {role} role or higher: sign in in the sidebar.",
    ),
    "role_refused": (
        "{name} 的角色是「{role}」，不能修改数据（需要「{needed}」或更高角色）。",
        "{name} has the {role} role and cannot change data (needs {needed} or higher).",
    ),
    "role_viewer": ("查看", "viewer"),
    "role_editor": ("编辑", "editor"),
    "role_admin": ("管理员", "admin"),
    "tab_payments": ("支付流水", "Payments"),
    "tab_history": ("导入历史", "Import history"),
    "payments_intro": (
        "上传支付流水（xlsx，或 UTF-8/GBK 编码、逗号或制表符分隔的 CSV）。必需的列：项目编码、支付日期、金额；"
        "可选：凭证号、摘要、资金来源、收款单位。金额单位写在表头（如「金额（元）」「金额（万元）」）或在下面选择；退款写负数。",
        "Upload a payment ledger (xlsx, or CSV in UTF-8/GBK with commas or tabs). Required columns: project code, "
        "payment date, amount; optional: voucher number, summary, fund source, payee. State the money unit in the header "
        "(e.g. 金额（元）, 金额（万元）) or choose it below; refunds are negative.",
    ),
    "upload_payments": ("支付流水文件", "Payment ledger file"),
    "amount_unit": ("金额单位", "Amount unit"),
    "unit_from_header": ("按表头", "From the header"),
    "fiscal_year": ("预算年度", "Fiscal year"),
    "year_from_dates": ("按支付日期推断", "From the payment dates"),
    "already_imported": (
        "该文件已于批次 {batch} 导入过，不会重复添加任何数据。",
        "This file was already imported as batch {batch}; nothing will be added.",
    ),
    "check_ok": (
        "校验通过：{rows} 笔支付，合计 {total} {unit}，{year} 年度。",
        "Valid: {rows} payments, {total} {unit} in total, fiscal year {year}.",
    ),
    "year_inferred": (
        "预算年度 {year} 由支付日期推断（全部日期都在该年）。",
        "Fiscal year {year} taken from the payment dates (all fall in it).",
    ),
    "check_failed": (
        "发现 {n} 个问题，不会写入任何数据。请修改文件后重新上传。",
        "{n} problem(s) found; nothing will be written. Correct the file and upload it again.",
    ),
    "duplicates_found": (
        "{n} 行与已导入的支付疑似重复（项目、日期、金额相同，凭证号或摘要也相同）。请核对；确认后才会导入。",
        "{n} row(s) look like payments already stored (same project, date, amount and voucher or summary). Check them; "
        "they are imported only when you confirm.",
    ),
    "confirm_duplicates": (
        "我已核对：疑似重复的行是新的支付，一并导入",
        "I have checked: the likely duplicates are new payments, import them",
    ),
    "confirm_import": ("确认导入", "Import"),
    "import_done": (
        "已导入批次 {batch}：{rows} 笔支付，合计 {total} {unit}。",
        "Imported as batch {batch}: {rows} payments, {total} {unit} in total.",
    ),
    "ignored_columns": ("未使用的列：{columns}", "Columns not used: {columns}"),
    "by_project": ("按项目汇总", "By project"),
    "col_rows": ("笔数", "Rows"),
    "col_amount": ("金额（{unit}）", "Amount ({unit})"),
    "report_title": ("校验报告", "Validation report"),
    "report_download": ("下载校验报告（CSV）", "Download the report (CSV)"),
    "col_level": ("级别", "Level"),
    "col_file": ("文件", "File"),
    "col_row": ("行", "Row"),
    "col_column": ("列", "Column"),
    "col_value": ("值", "Value"),
    "col_expected": ("问题与要求", "Problem and what is expected"),
    "level_error": ("错误", "Error"),
    "level_duplicate": ("疑似重复", "Likely duplicate"),
    "history_intro": (
        "每次导入和撤销都记录为一个批次。支付流水和指标完成值的批次可以整批撤销；绩效目标批次不能撤销（请导入更正后的目标文件）。",
        "Every import and undo is a batch. Payments and indicator-actuals batches can be undone as a whole; targets batches "
        "cannot (import a corrected targets file instead).",
    ),
    "col_batch": ("批次", "Batch"),
    "col_kind": ("类型", "Kind"),
    "col_file_name": ("文件", "File"),
    "col_by": ("操作人", "By"),
    "col_at": ("时间", "When"),
    "col_demo": ("演示数据", "Demo data"),
    "col_undone": ("撤销情况", "Undone"),
    "col_note": ("说明", "Note"),
    "undone_label": ("已撤销：批次 {batch}，{by}，{at}", "Undone: batch {batch}, {by}, {at}"),
    "kind_payments": ("支付流水", "payments"),
    "kind_indicator_actuals": ("指标完成值", "indicator actuals"),
    "kind_targets": ("绩效目标", "targets"),
    "kind_undo": ("撤销", "undo"),
    "undo_title": ("撤销导入", "Undo an import"),
    "undo_select": ("选择批次", "Batch"),
    "undo_none": ("没有可撤销的批次。", "No batch to undo."),
    "undo_confirm": (
        "确认整批撤销批次 {batch}（删除该批次导入的全部 {rows} 行）",
        "Undo batch {batch} completely (delete all its {rows} rows)",
    ),
    "undo_button": ("撤销", "Undo"),
    "undo_done": (
        "已撤销批次 {batch}：删除 {rows} 行，撤销记录为批次 {undo}。",
        "Batch {batch} undone: {rows} rows deleted, recorded as batch {undo}.",
    ),
    # --- end of issue 7 block ---
}


def t(key: str, lang: str = "zh", **values: object) -> str:
    zh, en = _TEXT[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text
