-- Every import batch, newest first, with the undo that removed it (if any).
SELECT b.batch_id, b.kind, b.file_name, b.row_count, b.imported_by, b.imported_at, b.is_demo,
       b.undone_by, u.imported_by AS undone_by_user, u.imported_at AS undone_at, b.note
FROM import_batches b
LEFT JOIN import_batches u ON u.batch_id = b.undone_by
ORDER BY b.batch_id DESC
