-- The synthetic hierarchy for $units budget units: regions 财政区划, departments 部门, units 单位.
INSERT INTO departments (dept_code, name, parent_code, region_code, level)
WITH u AS (SELECT range AS i FROM range($units))
SELECT DISTINCT gen_region_code(i), gen_region_name(i), NULL, gen_region_code(i), '区划' FROM u
UNION ALL
SELECT DISTINCT gen_dept_code(i), gen_dept_name(i), gen_region_code(i), gen_region_code(i), '部门' FROM u
UNION ALL
SELECT gen_unit_code(i), gen_unit_name(i), gen_dept_code(i), gen_region_code(i), '单位' FROM u
