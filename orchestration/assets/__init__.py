"""Dagster assets, one module per domain: landing, dbt models, KPIs, publishing."""
