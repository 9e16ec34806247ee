-- Whether synthetic 演示数据 is loaded (and not undone), so the UI can label it.
SELECT count(*) > 0 FROM import_batches WHERE is_demo AND undone_by IS NULL
