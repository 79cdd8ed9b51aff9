"""Publish the finished build for readers: an atomic replace of the file the dashboards open.

DuckDB allows one writer and, while a file is held for writing, no reader in another process. The run
therefore writes ``build.duckdb`` and, once everything upstream succeeded, copies it next to the
published file and renames it over ``omniops.duckdb`` in one step. Readers open the published file
read-only, per query, and always see the last complete build.
"""

import os
import shutil

import duckdb
from dagster import AssetExecutionContext, MaterializeResult, asset

from orchestration.resources import WarehouseResource

# Everything the dashboards read must be built before the copy.
PUBLISHED_ASSETS = [
    "kpi_monthly",
    "demand_forecast",
    "forecast_vintages",
    "forecast_accuracy_series",
    "forecast_accuracy_summary",
    "inventory_plan",
    "inventory_turnover",
    "production_schedule",
    "schedule_orders",
    "schedule_runs",
    "work_center_load",
    "plan_problem",
    "t3_warnings",
    "daily_close",
    "daily_close_materials",
]


@asset(group_name="publish", deps=PUBLISHED_ASSETS, kinds={"duckdb"})
def published_warehouse(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    """The read-only warehouse the dashboards serve from."""
    paths = warehouse.paths
    with duckdb.connect(str(paths.build_db)) as conn:
        conn.execute("checkpoint")
    staging = paths.published_db.with_name(paths.published_db.name + ".publishing")
    shutil.copyfile(paths.build_db, staging)
    os.replace(staging, paths.published_db)
    size_mb = paths.published_db.stat().st_size / 1e6
    context.log.info(f"published {paths.published_db} ({size_mb:.1f} MB)")
    return MaterializeResult(metadata={"path": str(paths.published_db), "size_mb": round(size_mb, 1)})
