"""Asset checks on the forecasting tables (severity ERROR): bounds, horizons, weights, the inventory plan.

The rules are stated in each check's description; docs/forecasting.md lists them with the assets.
"""

from dagster import AssetCheckResult, AssetCheckSeverity, asset_check

from orchestration.resources import WarehouseResource
from planning.tables import SCHEMA


def _check(asset_key: str, name: str, sql: str, warehouse: WarehouseResource, what: str) -> AssetCheckResult:
    with warehouse.get_connection() as conn:
        bad = conn.execute(sql).fetchone()[0]
    return AssetCheckResult(
        asset_key=asset_key,
        check_name=name,
        passed=bad == 0,
        severity=AssetCheckSeverity.ERROR,
        metadata={"failing_rows": int(bad), "rule": what},
    )


@asset_check(asset="demand_forecast", description="0 ≤ yhat_lower ≤ yhat ≤ yhat_upper, nothing missing.")
def forecast_bounds_are_ordered(warehouse: WarehouseResource) -> AssetCheckResult:
    return _check(
        "demand_forecast",
        "forecast_bounds_are_ordered",
        f"select count(*) from {SCHEMA}.demand_forecast where not coalesce("
        "yhat >= 0 and yhat_lower <= yhat + 1e-9 and yhat <= yhat_upper + 1e-9, false)",
        warehouse,
        "yhat >= 0 and yhat_lower <= yhat <= yhat_upper",
    )


@asset_check(
    asset="demand_forecast",
    description="Daily sums equal the weekly forecast on the weeks the daily horizon covers fully, and "
    "the finer horizons (daily where it exists, else weekly ÷ 7 per day) sum to the monthly forecast on "
    "the months the weekly horizon covers fully (the rule of forecasting.horizons.reconcile).",
)
def forecast_horizons_agree(warehouse: WarehouseResource) -> AssetCheckResult:
    return _check(
        "demand_forecast",
        "forecast_horizons_agree",
        HORIZON_MISMATCH_SQL,
        warehouse,
        "|Σ fine − coarse| ≤ 1e-6",
    )


HORIZON_MISMATCH_SQL = f"""
with f as (
    select * from {SCHEMA}.demand_forecast
    where as_of = (select max(as_of) from {SCHEMA}.demand_forecast)
),
d_in_w as (
    select unique_id, date_trunc('week', ds) as week, sum(yhat) as yhat, count(*) as days
    from f where freq = 'D' group by all
),
weeks as (
    select w.unique_id, abs(w.yhat - d.yhat) as diff
    from f w join d_in_w d on d.unique_id = w.unique_id and d.week = w.ds and d.days = 7
    where w.freq = 'W'
),
w_days as (
    select unique_id, cast(ds + to_days(cast(i as integer)) as date) as day, yhat / 7 as yhat
    from f, range(7) t(i) where freq = 'W'
),
fine_days as (
    select w.unique_id, w.day, coalesce(d.yhat, w.yhat) as yhat
    from w_days w left join f d on d.freq = 'D' and d.unique_id = w.unique_id and d.ds = w.day
),
w_in_m as (
    select unique_id, date_trunc('month', day) as month, sum(yhat) as yhat, count(*) as days
    from fine_days group by all
),
months as (
    select m.unique_id, abs(m.yhat - w.yhat) as diff
    from f m join w_in_m w on w.unique_id = m.unique_id and w.month = m.ds
        and w.days = day(last_day(m.ds))
    where m.freq = 'MS'
)
select count(*) from (select diff from weeks union all select diff from months) where diff > 1e-6
"""


@asset_check(asset="forecast_accuracy_series", description="Revenue weights sum to 1 per as_of × freq.")
def revenue_weights_sum_to_one(warehouse: WarehouseResource) -> AssetCheckResult:
    return _check(
        "forecast_accuracy_series",
        "revenue_weights_sum_to_one",
        "select count(*) from (select as_of, freq, sum(revenue_weight) as w from (select distinct as_of, "
        f"freq, unique_id, revenue_weight from {SCHEMA}.forecast_accuracy_series) group by all) "
        "where abs(w - 1) > 1e-9",
        warehouse,
        "Σ revenue_weight = 1 per as_of × freq",
    )


@asset_check(
    asset="inventory_plan", description="Every active SKU × warehouse of the newest snapshot has a row."
)
def every_active_sku_warehouse_is_planned(warehouse: WarehouseResource) -> AssetCheckResult:
    return _check(
        "inventory_plan",
        "every_active_sku_warehouse_is_planned",
        "select count(*) from marts.fct_inventory_daily i join marts.dim_products p using (sku) "
        "where p.is_active and i.snapshot_date = (select max(snapshot_date) from marts.fct_inventory_daily) "
        f"and not exists (select 1 from {SCHEMA}.inventory_plan x "
        "where x.sku = i.sku and x.warehouse_code = i.warehouse_code)",
        warehouse,
        "one plan row per active SKU × warehouse",
    )


@asset_check(
    asset="inventory_plan",
    description="0 ≤ safety stock ≤ reorder point; proposals complete; none for an overstock without reason.",
)
def inventory_plan_is_consistent(warehouse: WarehouseResource) -> AssetCheckResult:
    return _check(
        "inventory_plan",
        "inventory_plan_is_consistent",
        f"select count(*) from {SCHEMA}.inventory_plan where not coalesce(safety_stock >= 0 "
        "and reorder_point >= safety_stock - 1e-9 and abs(atp - (on_hand - reserved + inbound)) < 1e-9 "
        "and ((proposal_qty > 0) = (proposal_date is not null)) "
        "and ((proposal_qty > 0) = (proposal_type is not null)) "
        "and shortage = greatest(-atp, 0) "
        "and not (is_overstock and proposal_qty > 0 and note is null), false)",
        warehouse,
        "safety_stock ≥ 0, reorder_point ≥ safety_stock, ATP formula, proposal fields filled together, "
        "shortage = max(−ATP, 0), no proposal for an overstocked position without its reason",
    )


forecast_checks = [
    forecast_bounds_are_ordered,
    forecast_horizons_agree,
    revenue_weights_sum_to_one,
    every_active_sku_warehouse_is_planned,
    inventory_plan_is_consistent,
]
