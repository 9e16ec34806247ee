"""Synthetic data, labelled 演示数据: the demo database (the seed's targets from `data/demo/` plus
generated actuals and monitoring rounds) and the province-scale generator for benchmarks.

May import: the foundation modules, `monitor.store`, `monitor.ingest`, `monitor.rules`, and
`monitor.rounds` with `monitor.auth` (the demo's rounds go through the same workflow as the page's).
"""
