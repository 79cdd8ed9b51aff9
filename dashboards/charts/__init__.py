"""Plotly figures of the dashboards, one module per page: data in, figure out, no queries."""
