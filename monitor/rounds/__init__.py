"""Monitoring rounds 监控任务 (tasks, submissions frozen as snapshots, the bureau's review),
rectification 整改, evidence files 佐证材料 and quarterly notes: the workflow between a unit and the
finance bureau, with its permission checks.

May import: the foundation modules, `monitor.auth`, `monitor.store`, `monitor.rules` and `monitor.ingest`.
"""
