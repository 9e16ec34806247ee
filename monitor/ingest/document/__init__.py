"""The published 绩效目标 document: `layout` holds its raw pieces and turns them into a `TargetSet`
with one set of rules; `text` and `pdf` cut the two carriers (extracted text, the PDF) into those pieces.

May import: the foundation modules, `monitor.store` and the rest of `monitor.ingest`.
"""
