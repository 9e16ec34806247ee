-- The evidence files of $year, newest first; $kind / $key (NULL = all) narrow it to one target.
SELECT attachment_id, target_kind, target_key, original_name, file_type, size_bytes, sha256, uploaded_by, uploaded_at
FROM attachments
WHERE year = $year
  AND ($kind::TEXT IS NULL OR target_kind = $kind::TEXT)
  AND ($key::TEXT IS NULL OR target_key = $key::TEXT)
ORDER BY attachment_id DESC
