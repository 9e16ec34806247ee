-- Codes and names of the synthetic province (monitor/scale.py), as temporary macros so each
-- generator query derives them the same way from the numbers numpy drew. Unit i belongs to
-- department i // 5 and region i // 100 (5 units per department, 20 departments per region);
-- project idx belongs to unit idx % units.
CREATE OR REPLACE TEMP MACRO gen_region_code(unit_idx) AS '13' || lpad((unit_idx // 100 + 1)::TEXT, 4, '0');
CREATE OR REPLACE TEMP MACRO gen_dept_code(unit_idx) AS gen_region_code(unit_idx) || lpad((unit_idx // 5 % 20 + 1)::TEXT, 2, '0');
CREATE OR REPLACE TEMP MACRO gen_unit_code(unit_idx) AS gen_dept_code(unit_idx) || lpad((unit_idx % 5 + 1)::TEXT, 2, '0');
CREATE OR REPLACE TEMP MACRO gen_region_name(unit_idx) AS '县区' || lpad((unit_idx // 100 + 1)::TEXT, 3, '0');
CREATE OR REPLACE TEMP MACRO gen_dept_name(unit_idx) AS gen_region_name(unit_idx) ||
    ['教育局', '卫生健康局', '农业农村局', '科学技术协会', '民政局', '交通运输局', '水利局', '文化广电和旅游局', '住房和城乡建设局',
     '自然资源局', '生态环境局', '人力资源和社会保障局', '财政局', '公安局', '市场监督管理局', '应急管理局', '退役军人事务局',
     '林业局', '商务局', '统计局'][unit_idx // 5 % 20 + 1];
CREATE OR REPLACE TEMP MACRO gen_unit_name(unit_idx) AS gen_dept_name(unit_idx) ||
    ['本级', '事务服务中心', '综合执法大队', '发展研究中心', '培训中心'][unit_idx % 5 + 1];
-- 21 characters like the seed's 13052923P00584011183Y: region, two-digit year, P, number, suffix.
CREATE OR REPLACE TEMP MACRO gen_project_code(idx, units, fy) AS
    gen_region_code(idx % units) || right(fy::TEXT, 2) || 'P' || lpad(idx::TEXT, 10, '0') || '3Y';
CREATE OR REPLACE TEMP MACRO gen_fen(fen) AS round(fen / 100, 2)::DECIMAL(18, 2);
