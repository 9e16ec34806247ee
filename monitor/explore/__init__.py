"""即席查询: the subjects and the filter/group query builder (whitelisted identifiers, bound
values), the read-only SQL box, and saved views.

May import: the foundation modules, `monitor.store` and `monitor.rules`.
"""
