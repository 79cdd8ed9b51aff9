"""OmniOps orchestration: Dagster definitions, landing, KPIs and the `omniops` CLI."""
