"""Publish the finished build for readers: the published name is pointed at it, nothing is copied.

DuckDB allows one writer and, while a file is held for writing, no reader in another process. The run
therefore writes ``build.duckdb`` and, once everything upstream succeeded, turns it into a new
version of the published warehouse and points ``omniops.duckdb`` at it in one atomic step
(``core.warehouse_versions``: versioned files, a link swapped by rename, old versions deleted when no
reader holds them). Readers open the published name read-only and always see one complete build.
"""

import time

from dagster import AssetExecutionContext, MaterializeResult, asset

from core.warehouse_versions import publish_build, start_next_build
from orchestration.resources import WarehouseResource

# Everything the dashboards read must be built before the swap.
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
    "ops_decisions",
    "daily_close",
    "daily_close_materials",
    "fct_atp_daily",
    "fct_atp_sync_gap",
    "channel_stock_feeds",
    "fct_oversell_lines",
    "kpi_oversell_daily",
]


@asset(group_name="publish", deps=PUBLISHED_ASSETS, kinds={"duckdb"})
def published_warehouse(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    """The read-only warehouse the dashboards serve from."""
    paths = warehouse.paths
    with warehouse.get_connection() as conn:
        conn.execute("checkpoint")
    started = time.monotonic()
    published = publish_build(paths)
    swapped = time.monotonic()
    # The next run builds on a clone or copy of this, made by a process of its own (a copy grows with
    # the warehouse); the next run waits for it only if it starts before the copy is done.
    restoring = start_next_build(paths)
    size_mb = published.stat().st_size / 1e6
    context.log.info(
        f"published {paths.published_db} → {published.name} ({size_mb:.1f} MB) in {swapped - started:.2f} s; "
        f"the next build's starting point is being made by process {restoring.pid}"
    )
    return MaterializeResult(
        metadata={
            "path": str(published),
            "size_mb": round(size_mb, 1),
            "publish_seconds": round(swapped - started, 3),
        }
    )
