-- Changes whenever data is written (an import batch, an undo, a note, a monitoring round step,
-- a rectification or an attachment); cached page queries are keyed on it.
SELECT (SELECT count(*) FROM import_batches), (SELECT coalesce(max(batch_id), 0) FROM import_batches),
       (SELECT coalesce(max(note_id), 0) FROM project_notes),
       (SELECT count(*) FROM round_tasks), (SELECT count(*) FROM round_transitions),
       (SELECT count(*) + count(closed_at) FROM rectifications), (SELECT count(*) FROM attachments)
