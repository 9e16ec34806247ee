-- The department-wide goals of $year (unit $dept, NULL = all) as published: 总体绩效目标,
-- 分项绩效目标/指标 and 工作保障措施, in document order.
SELECT g.dept_code, d.name AS dept_name, g.section, g.seq, g.title, g.text
FROM dept_goals g
JOIN departments d USING (dept_code)
WHERE g.year = $year AND in_scope(g.dept_code, $dept::TEXT)
ORDER BY g.dept_code,
         CASE g.section WHEN '总体绩效目标' THEN 0 WHEN '分项绩效目标' THEN 1 WHEN '分项绩效指标' THEN 2 ELSE 3 END, g.seq
