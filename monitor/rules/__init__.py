"""The monitoring rules in Python: thresholds, status words, the quarterly headline and the figures of
`monitor status`. The computations themselves are SQL macros (`queries/rules/`), each defined once;
this layer supplies their parameters and shapes their results.

May import: the foundation modules and `monitor.store`.
"""
