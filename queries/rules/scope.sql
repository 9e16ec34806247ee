-- Where a unit stands in the hierarchy: the scope of the sidebar's 单位 filter.
-- Temporary macros defined on every connection by monitor.store.db (in the order of RULE_FILES).

-- The departments under `root` (itself included), down the region 财政区划 → department 部门 →
-- unit 单位 hierarchy of departments.parent_code: a filter on a department or region covers
-- every unit below it.
CREATE OR REPLACE TEMP MACRO dept_scope(root) AS TABLE
WITH RECURSIVE tree(dept_code) AS (
    SELECT root
    UNION
    SELECT d.dept_code FROM departments d JOIN tree t ON d.parent_code = t.dept_code
)
SELECT dept_code FROM tree;


-- Whether a unit is in the scope of the filter `root` (NULL = everything).
CREATE OR REPLACE TEMP MACRO in_scope(code, root) AS root IS NULL OR code IN (SELECT dept_code FROM dept_scope(root));
