-- Changes whenever any import or undo is written; cached page queries are keyed on it.
SELECT count(*), coalesce(max(batch_id), 0) FROM import_batches
