"""The SQL of the dashboards, one module per page; the pages call these functions and hold no SQL."""
