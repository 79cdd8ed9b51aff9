"""The forecasting tables' contract: column order and SQL types, and the one writer that enforces them.

Kept apart from the Dagster assets so tests and the dashboards' checks can read the contract without
loading the dbt manifest. The tables live in schema ``forecasting`` of the build warehouse;
docs/forecasting.md describes each.
"""

import pandas as pd

SCHEMA = "forecasting"

# Column order and SQL types of each table.
DEMAND_FORECAST = {
    "as_of": "date", "freq": "varchar", "unique_id": "varchar", "sku": "varchar", "channel": "varchar",
    "product_category": "varchar", "ds": "date", "yhat": "double", "yhat_lower": "double",
    "yhat_upper": "double", "model": "varchar",
}  # fmt: skip
ACCURACY_SERIES = {
    "as_of": "date", "freq": "varchar", "unique_id": "varchar", "sku": "varchar", "channel": "varchar",
    "product_category": "varchar", "model": "varchar", "is_champion": "boolean", "is_baseline": "boolean",
    "wape": "double", "mase": "double", "bias": "double", "coverage": "double", "n_points": "integer",
    "revenue_weight": "double",
}  # fmt: skip
ACCURACY_SUMMARY = {
    "as_of": "date", "freq": "varchar", "scope": "varchar", "scope_value": "varchar",
    "forecaster": "varchar", "revenue_weighted_wape": "double", "bias": "double", "coverage": "double",
    "series": "integer", "fva_vs_sales_team": "double",
}  # fmt: skip
FORECAST_FVA = {
    "as_of": "date", "freq": "varchar", "scope": "varchar", "scope_value": "varchar", "layer": "varchar",
    "wape": "double", "bias": "double", "fva_vs_below": "double", "series": "integer",
    "team_weight": "double",
}  # fmt: skip
FORECAST_ERROR = {
    "as_of": "date", "unique_id": "varchar", "sku": "varchar", "channel": "varchar", "model": "varchar",
    "error_std_daily": "double", "source": "varchar",
}  # fmt: skip
INVENTORY_PLAN = {
    "as_of": "date", "warehouse_code": "varchar", "sku": "varchar", "product_name": "varchar",
    "product_category": "varchar", "on_hand": "double", "reserved": "double", "inbound": "double",
    "atp": "double", "forecast_daily_demand": "double", "forecast_28d": "double",
    "error_std_daily": "double", "lead_time_days": "integer", "replenishment": "varchar",
    "service_level": "double", "safety_stock": "double", "reorder_point": "double",
    "days_of_cover": "double", "stockout_date": "date", "is_stockout_risk": "boolean",
    "is_overstock": "boolean", "proposal_qty": "double", "proposal_date": "date", "proposal_type": "varchar",
    "shortage": "double", "note": "varchar",
}  # fmt: skip
INVENTORY_TURNOVER = {
    "as_of": "date", "level": "varchar", "sku": "varchar", "product_category": "varchar",
    "cogs_reporting": "double", "avg_inventory_value": "double", "turnover_days": "double",
    "benchmark_days": "double", "band_low": "double", "band_high": "double", "status": "varchar",
}  # fmt: skip


def write_table(conn, name: str, frame: pd.DataFrame, columns: dict[str, str], schema: str = SCHEMA) -> int:
    """Replace ``<schema>.<name>`` with ``frame``, cast to the contract's column types and order."""
    conn.execute(f"create schema if not exists {schema}")
    conn.register("frame_to_write", frame[list(columns)])
    select = ", ".join(f"cast({col} as {typ}) as {col}" for col, typ in columns.items())
    conn.execute(f"create or replace table {schema}.{name} as select {select} from frame_to_write")
    conn.unregister("frame_to_write")
    return len(frame)
