-- Synthetic projects of $year from the numbers in `gen` (idx, topic, budget_fen, fiscal_fen).
INSERT INTO projects (year, dept_code, project_code, name, budget, fiscal_funds, other_funds, purpose, batch_id)
SELECT $year, gen_unit_code(idx % $units), gen_project_code(idx, $units, $year),
       ['科普', '乡村振兴', '义务教育', '基层医疗', '道路养护', '水利设施', '文化惠民', '就业培训', '养老服务', '环境整治'][topic % 10 + 1]
       || ['专项经费', '工作经费', '补助资金', '奖励资金', '建设项目'][topic // 10 % 5 + 1] || '（' || (idx + 1) || '）',
       gen_fen(budget_fen), gen_fen(fiscal_fen), gen_fen(budget_fen - fiscal_fen),
       '合成数据：用于规模测试的' || ['日常业务', '专项任务', '基础设施', '民生补助', '能力建设'][topic // 50 % 5 + 1] || '支出',
       $batch
FROM gen
