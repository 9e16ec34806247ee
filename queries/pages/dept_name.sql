-- The name of unit, department or region $dept (the title of a 支出进度通报).
SELECT name FROM departments WHERE dept_code = $dept
