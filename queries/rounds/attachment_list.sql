-- The evidence files of $year for the units of $dept (NULL = all), newest first; $kind / $key
-- (NULL = all) narrow it to one target. A file belongs to the unit of what it is attached to: a
-- project, an indicator (of a project, or department-wide) or a round's unit ("task/unit").
SELECT a.attachment_id, a.target_kind, a.target_key, a.original_name, a.file_type, a.size_bytes, a.sha256, a.uploaded_by, a.uploaded_at
FROM attachments a
LEFT JOIN projects p ON a.target_kind = 'project' AND p.year = a.year AND p.project_code = a.target_key
LEFT JOIN indicators i ON a.target_kind = 'indicator' AND i.year = a.year AND i.indicator_id = a.target_key
LEFT JOIN projects ip ON ip.year = i.year AND ip.project_code = i.project_code
LEFT JOIN dept_indicators di ON a.target_kind = 'indicator' AND di.year = a.year AND di.indicator_id = a.target_key
WHERE a.year = $year
  AND in_scope(coalesce(p.dept_code, ip.dept_code, di.dept_code,
                        CASE WHEN a.target_kind = 'round' THEN split_part(a.target_key, '/', 2) END), $dept::TEXT)
  AND ($kind::TEXT IS NULL OR a.target_kind = $kind::TEXT)
  AND ($key::TEXT IS NULL OR a.target_key = $key::TEXT)
ORDER BY a.attachment_id DESC
