"""Demand forecast, its accuracy and the inventory plan, as Dagster assets (schema ``forecasting``).

- ``demand_forecast`` (multi-asset, also ``forecast_vintages``, ``forecast_accuracy_series`` and
  ``forecast_accuracy_summary``): the forecast stage (``planning.forecast_stage``) on the marts, each
  run's forecast also stored as a vintage.
- ``inventory_plan``: ATP, safety stock, reorder point, cover and a replenishment proposal per SKU ×
  warehouse (``planning.inventory_plan.build_plan``), with the policy from ``seeds.inventory_policy``.
- ``inventory_turnover``: DIO per SKU and category against the industry band.

Rules and their reasons: docs/forecasting.md. Table contract: the columns written below.
"""

import time
from collections.abc import Iterator
from datetime import timedelta

from dagster import (
    AssetExecutionContext,
    AssetSpec,
    Config,
    MaterializeResult,
    asset,
    multi_asset,
)

from forecasting import vintages
from forecasting.settings import N_WINDOWS
from kpis import daily
from orchestration.assets.dbt import dbt_keys
from orchestration.resources import WarehouseResource
from planning import inventory_plan as planning
from planning.tables import (
    ACCURACY_SERIES,
    ACCURACY_SUMMARY,
    DEMAND_FORECAST,
    FORECAST_ERROR,
    FORECAST_FVA,
    INVENTORY_PLAN,
    INVENTORY_TURNOVER,
    SCHEMA,
    write_table,
)
from planning.turnover import WINDOW_DAYS, turnover

FORECAST_INPUTS = ["fct_demand_daily", "fct_sales_forecast", "dim_products"]
PLAN_INPUTS = ["fct_inventory_daily", "dim_products", "stg_wms__movements", "inventory_policy"]
TURNOVER_INPUTS = ["fct_order_lines", "fct_inventory_daily", "dim_products", "industry_benchmarks"]


class ForecastConfig(Config):
    """Parallel statsforecast workers and backtest origins (defaults suit a 2-core machine)."""

    n_jobs: int = 2
    n_windows: int = N_WINDOWS


FORECAST_OUTPUTS = {
    "demand_forecast": "Newest reconciled forecast: 28 days, 12 weeks, 6 months per SKU × channel.",
    "forecast_vintages": "Every run's forecast, one vintage per as_of × freq (a re-run replaces it).",
    "forecast_accuracy_series": "Backtest score per series and candidate model, with its revenue weight.",
    "forecast_accuracy_summary": "Revenue-weighted WAPE: champion vs baselines vs the sales team, with FVA.",
}


@multi_asset(
    specs=[
        AssetSpec(
            name,
            deps=dbt_keys(FORECAST_INPUTS),
            group_name="forecast",
            kinds={"python", "duckdb"} if name == "demand_forecast" else {"duckdb"},
            description=description,
        )
        for name, description in FORECAST_OUTPUTS.items()
    ]
)
def demand_forecast_assets(
    context: AssetExecutionContext, warehouse: WarehouseResource, config: ForecastConfig
) -> Iterator[MaterializeResult]:
    started = time.monotonic()
    with warehouse.get_connection() as conn:
        demand = conn.execute("select * from marts.fct_demand_daily order by demand_date, sku, channel").df()
        sales_forecast = conn.execute("select * from marts.fct_sales_forecast").df()
        products = conn.execute("select sku, product_category from marts.dim_products").df()
        # Imported here: statsforecast and statsmodels take ~1.7 s to import, and only this asset needs
        # them (the daily job loads this module for the inventory plan and turnover).
        from planning.forecast_stage import run_forecast

        result = run_forecast(
            demand,
            sales_forecast,
            products,
            config.n_jobs,
            config.n_windows,
            log=context.log.info,
            overrides=planner_overrides(warehouse, context.log.info),
        )
        as_of = result["as_of"]
        stored = 0
        for freq, fc in result["forecasts"].items():
            stored += vintages.store_vintage(conn, fc, as_of, freq, schema=SCHEMA)
        rows = {
            "demand_forecast": write_table(
                conn, "demand_forecast", result["demand_forecast"], DEMAND_FORECAST
            ),
            "forecast_accuracy_series": write_table(
                conn, "forecast_accuracy_series", result["forecast_accuracy_series"], ACCURACY_SERIES
            ),
            "forecast_accuracy_summary": write_table(
                conn, "forecast_accuracy_summary", result["forecast_accuracy_summary"], ACCURACY_SUMMARY
            ),
        }
        write_table(conn, "forecast_error_daily", result["forecast_error_daily"], FORECAST_ERROR)
        write_table(conn, "forecast_fva", result["forecast_fva"], FORECAST_FVA)
    summary = result["forecast_accuracy_summary"]
    overall = summary[summary["scope"] == "all"].set_index(["freq", "forecaster"])["revenue_weighted_wape"]
    for freq in result["forecasts"]:
        parts = ", ".join(f"{name} {overall[(freq, name)]:.3f}" for name in overall.loc[freq].index)
        context.log.info(f"{freq} revenue-weighted WAPE: {parts}")
    total = time.monotonic() - started
    context.log.info(f"forecast stage done in {total:.1f} s (as_of {as_of})")
    timing = {f"seconds_{k}": round(v, 1) for k, v in result["seconds"].items()}
    for key, count in rows.items():
        yield MaterializeResult(asset_key=key, metadata={"rows": count, "as_of": str(as_of), **timing})
    yield MaterializeResult(
        asset_key="forecast_vintages", metadata={"rows_stored": stored, "as_of": str(as_of)}
    )


def planner_overrides(warehouse: WarehouseResource, log):
    """The planners' forecast overrides from the operational store (None when it has none or is not
    reachable or not upgraded: the forecast then runs without them)."""
    import sqlalchemy as sa

    from decisions.forecast_overrides import list_overrides, overrides_frame
    from decisions.store import Store, database_url

    store = Store(database_url(warehouse.paths))
    try:
        if store.revision() != store.head():
            return None
        rows = list_overrides(store)
    except sa.exc.OperationalError as error:
        log(f"forecast overrides not read (operational store unavailable: {error.orig})")
        return None
    finally:
        store.engine.dispose()
    log(f"{len(rows)} planner override(s) from the operational store")
    return overrides_frame(rows) if rows else None


@asset(
    group_name="forecast",
    deps=["demand_forecast", *dbt_keys(PLAN_INPUTS)],
    kinds={"python", "duckdb"},
    description="Per SKU × warehouse: ATP, safety stock, reorder point, cover, stock-out date, proposal.",
)
def inventory_plan(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    with warehouse.get_connection() as conn:
        as_of = conn.execute(f"select max(as_of) from {SCHEMA}.demand_forecast").fetchone()[0]
        snapshot = conn.execute(
            "select warehouse_code, sku, on_hand_qty, reserved_qty, in_transit_qty "
            "from marts.fct_inventory_daily "
            "where snapshot_date = (select max(snapshot_date) from marts.fct_inventory_daily) "
            "order by sku, warehouse_code"
        ).df()
        products = conn.execute("select * from marts.dim_products").df()
        outbound = conn.execute(
            "select sku, warehouse_code, -sum(quantity) as quantity, "
            f"-sum(quantity) filter (where moved_at_utc >= ?::date - {planning.RECENT_DAYS}) "
            "as recent_quantity from staging.stg_wms__movements "
            "where movement_type in ('shipment', 'pos_sale') group by all",
            [as_of],
        ).df()
        daily = conn.execute(
            f"select sku, ds, yhat from {SCHEMA}.demand_forecast where freq = 'D' and as_of = ?",
            [as_of],
        ).df()
        error = conn.execute(
            f"select sku, error_std_daily from {SCHEMA}.forecast_error_daily where as_of = ?", [as_of]
        ).df()
        policies = conn.execute("select * from seeds.inventory_policy").df()
        plan = planning.build_plan(snapshot, products, outbound, daily, error, policies, as_of)
        write_table(conn, "inventory_plan", plan, INVENTORY_PLAN)
    proposals = int((plan["proposal_qty"] > 0).sum())
    context.log.info(
        f"{len(plan)} SKU × warehouse rows: {proposals} proposals, {int(plan['is_stockout_risk'].sum())} "
        f"stock-out risks, {int(plan['is_overstock'].sum())} overstocked"
    )
    return MaterializeResult(metadata={"rows": len(plan), "proposals": proposals, "as_of": str(as_of)})


@asset(
    group_name="forecast",
    deps=["demand_forecast", *dbt_keys(TURNOVER_INPUTS)],
    kinds={"python", "duckdb"},
    description="Inventory turnover days per SKU and category over the last 365 days vs the industry band.",
)
def inventory_turnover(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    with warehouse.get_connection() as conn:
        as_of = conn.execute("select max(demand_date) from marts.fct_demand_daily").fetchone()[0]
        # Totals per SKU and day of the window only, summed in DuckDB: the cost grows with a year of
        # days and SKUs, not with the order lines of the history.
        start = as_of - timedelta(days=WINDOW_DAYS - 1)
        cogs = daily.cogs(conn, by_sku=True, start=start, end=as_of)
        stock = daily.stock(conn, by_sku=True, start=start, end=as_of)
        stocked = [
            sku for (sku,) in conn.execute("select distinct sku from marts.fct_inventory_daily").fetchall()
        ]
        products = conn.execute("select sku, product_category from marts.dim_products").df()
        bench = (
            conn.execute(
                "select b.* from seeds.industry_benchmarks b join seeds.company_profile p "
                "on p.setting = 'industry' and p.value = b.industry where b.metric = 'inventory_days'"
            )
            .df()
            .iloc[0]
        )
        table = turnover(
            cogs, stock, products, as_of, float(bench["value"]),
            float(bench["band_low_factor"]), float(bench["band_high_factor"]), stocked,
        ).assign(as_of=as_of)  # fmt: skip
        write_table(conn, "inventory_turnover", table, INVENTORY_TURNOVER)
    counts = table[table["level"] == "category"]["status"].value_counts().to_dict()
    context.log.info(f"{len(table)} rows; categories by status: {counts}")
    return MaterializeResult(metadata={"rows": len(table), "as_of": str(as_of)})


forecast_assets = [demand_forecast_assets, inventory_plan, inventory_turnover]
