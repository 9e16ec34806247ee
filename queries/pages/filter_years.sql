-- Fiscal years that have projects, newest first.
SELECT DISTINCT year FROM projects ORDER BY year DESC
