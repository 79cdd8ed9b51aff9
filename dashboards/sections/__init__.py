"""Parts of a page too long to read inline (a drill-down, a tab); layout only, queries come from
``dashboards.queries``."""
