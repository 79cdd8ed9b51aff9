"""Pure planning helpers for the forecast and inventory-plan assets (no Dagster, no database)."""
