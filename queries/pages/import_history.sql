-- Every import batch, newest first, with the undo that removed it (if any) and where it came from:
-- the app, the command line (imported_by cli:…), the scheduled feed (watch:…) or the demo builder.
SELECT b.batch_id, b.kind, b.file_name, b.row_count, b.imported_by, b.imported_at, b.is_demo,
       CASE WHEN b.is_demo THEN 'demo' WHEN b.imported_by LIKE 'cli:%' THEN 'cli'
            WHEN b.imported_by LIKE 'watch:%' THEN 'watch' ELSE 'app' END AS origin,
       b.undone_by, u.imported_by AS undone_by_user, u.imported_at AS undone_at, b.note
FROM import_batches b
LEFT JOIN import_batches u ON u.batch_id = b.undone_by
ORDER BY b.batch_id DESC
