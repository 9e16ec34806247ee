"""绩效运行监控: budget-project performance monitoring (targets vs actuals) on DuckDB."""
