-- Changes whenever data is written (an import batch, an undo, a note); cached page queries
-- are keyed on it.
SELECT (SELECT count(*) FROM import_batches), (SELECT coalesce(max(batch_id), 0) FROM import_batches),
       (SELECT coalesce(max(note_id), 0) FROM project_notes)
