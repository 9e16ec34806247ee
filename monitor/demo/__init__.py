"""Synthetic data, labelled 演示数据: the demo database (the seed's targets from `data/demo/` plus
generated actuals) and the province-scale generator for benchmarks.

May import: the foundation modules, `monitor.store`, `monitor.ingest` and `monitor.rules`.
"""
