"""What leaves the app for people to read or file: plotly charts, the 绩效运行监控表 workbook, the
quarterly review report (HTML, PDF) and tables as CSV/xlsx downloads. Figures come from the same named
queries as the pages.

May import: the foundation modules, `monitor.store` and `monitor.rules`.
"""
