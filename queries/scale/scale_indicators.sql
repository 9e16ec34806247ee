-- Synthetic indicators of $year, seven per project (kind 0..6 = 数量, 质量, 时效, 成本,
-- 社会效益, 可持续影响, 满意度) with targets written as the seed writes them.
INSERT INTO indicators (year, project_code, indicator_id, seq, level1, level2, level3, description, target_text, op, target_value, unit, basis)
WITH g AS (
    SELECT *, gen_project_code(idx, $units, $year) AS project_code,
           CASE kind WHEN 0 THEN ['人次', '人', '个', '家'][idx % 4 + 1] WHEN 3 THEN '万元' ELSE '%' END AS unit,
           CASE kind WHEN 0 THEN ['培训人次', '服务对象人数', '完成项目个数', '覆盖单位数'][idx % 4 + 1]
                     WHEN 1 THEN '验收合格率' WHEN 2 THEN '任务完成及时率' WHEN 3 THEN '项目成本控制'
                     WHEN 4 THEN '群众受益覆盖率' WHEN 5 THEN CASE WHEN qual THEN '长效机制发挥作用' ELSE '设施长期使用率' END
                     ELSE '服务对象满意度' END AS level3
    FROM gen
)
SELECT $year, project_code, project_code || '-' || lpad((kind + 1)::TEXT, 2, '0'), kind + 1,
       CASE WHEN kind < 4 THEN '产出指标' WHEN kind < 6 THEN '效益指标' ELSE '满意度指标' END,
       ['数量指标', '质量指标', '时效指标', '成本指标', '社会效益指标', '可持续影响指标', '服务对象满意度指标'][kind + 1],
       level3, level3,
       CASE WHEN qual THEN '长期' WHEN kind = 0 THEN target::BIGINT || ' ' || unit
            WHEN kind = 3 THEN printf('%.2f', target) || ' 万元' ELSE '≥' || target::BIGINT || '%' END,
       CASE WHEN qual THEN 'qual' WHEN kind = 3 THEN '<=' ELSE '>=' END,
       CASE WHEN NOT qual THEN target END,
       CASE WHEN NOT qual THEN unit END,
       CASE kind WHEN 0 THEN '年度工作计划' WHEN 3 THEN '预算安排' ELSE '问卷调查' END
FROM g
