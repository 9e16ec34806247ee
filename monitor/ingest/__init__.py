"""Reading input files into checked records and writing them as one batch: the published targets
document (`document/`: extracted text and PDF), the structured targets template, payment ledgers,
indicator actuals, the target notation (`≥95%`, `一年一次`) and the upload reader shared by them.
Every problem is an `InputError` naming file, row and column; nothing is written unless all is valid.

May import: the foundation modules and `monitor.store`.
"""
