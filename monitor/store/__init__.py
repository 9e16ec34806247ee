"""The database: opening it (schema, rule macros, memory budget), running the named queries of
`queries/`, and the write primitives every writer shares: one transaction at a time, import batches,
undo, and the monthly payment totals kept in step with the payments.

May import: the foundation modules (`monitor.errors`, `monitor.settings`, `monitor.i18n`, `monitor.fmt`).
"""
