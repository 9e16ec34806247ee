-- The units under $dept (itself included), down the hierarchy (rule: dept_scope in
-- queries/rules/scope.sql): what the sidebar's 单位 filter covers.
SELECT dept_code FROM dept_scope($dept::TEXT)
