-- Whether synthetic 演示数据 is loaded, so the UI can label it.
SELECT count(*) > 0 FROM import_batches WHERE is_demo
