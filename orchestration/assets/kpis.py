"""KPI assets: OTD, OEE and inventory turnover days per month, against their targets.

The maths is in ``kpis.formulas``; this module only reads the marts, applies the
formulas per period and writes ``marts.kpi_monthly`` for the dashboards.
"""

from datetime import date

import pandas as pd
from dagster import AssetExecutionContext, MaterializeResult, asset

from kpis import daily, formulas
from kpis.periods import monthly_periods
from orchestration.assets.dbt import omniops_dbt_models
from orchestration.dbt_cli import get_asset_key_for_model
from orchestration.resources import WarehouseResource

KPI_INPUTS = ["fct_orders", "fct_order_lines", "fct_machine_shifts", "fct_inventory_daily"]


def compute_kpis(
    deliveries: pd.DataFrame,
    cogs: pd.DataFrame,
    machine_shifts: pd.DataFrame,
    stock: pd.DataFrame,
    targets: pd.DataFrame,
    benchmark: pd.Series,
    order_days: tuple[date | None, date | None],
) -> pd.DataFrame:
    """One row per KPI and period with value, numerator, denominator, target band and status.

    ``deliveries``, ``cogs`` and ``stock`` are the per-day totals of ``kpis.daily``;
    ``machine_shifts`` the rows of ``fct_machine_shifts``; ``order_days`` the first and last order date.
    """
    days = pd.concat([pd.to_datetime(pd.Series(order_days)), pd.to_datetime(stock["snapshot_date"])])
    first_day, last_day = days.min(), days.max()
    target = targets.set_index("kpi")["target"].astype(float)
    bench = float(benchmark["value"])
    band = (float(benchmark["band_low_factor"]) * bench, float(benchmark["band_high_factor"]) * bench)

    rows = []
    for period in monthly_periods(first_day.date(), last_day.date()):
        base = {
            "period_type": period.period_type,
            "period": period.label,
            "period_start": period.start,
            "period_end": period.end,
            "is_complete": period.is_complete,
        }
        otd = formulas.on_time_delivery_daily(deliveries, period.start, period.end)
        rows.append(
            base
            | {
                "kpi": "otd_rate",
                "value": otd.value,
                "numerator": otd.numerator,
                "denominator": otd.denominator,
                "target_low": target["otd_rate"],
                "target_high": None,
            }
        )
        oee = formulas.oee(machine_shifts, period.start, period.end)
        parts = formulas.oee_components(machine_shifts, period.start, period.end)
        rows.append(
            base
            | {
                "kpi": "oee",
                "value": oee.value,
                "numerator": oee.numerator,
                "denominator": oee.denominator,
                "target_low": target["oee"],
                "target_high": None,
            }
        )
        for part, value in parts.items():
            rows.append(
                base
                | {
                    "kpi": f"oee_{part}",
                    "value": value,
                    "numerator": None,
                    "denominator": None,
                    "target_low": None,
                    "target_high": None,
                }
            )
        sold = formulas.cost_of_goods_sold_daily(cogs, period.start, period.end)
        avg_inventory, days = formulas.average_inventory_value(stock, period.start, period.end)
        rows.append(
            base
            | {
                "kpi": "inventory_days",
                "value": formulas.inventory_days(avg_inventory, sold, days),
                "numerator": avg_inventory * days,
                "denominator": sold,
                "target_low": band[0],
                "target_high": band[1],
            }
        )
    frame = pd.DataFrame(rows)
    value = frame["value"].astype(float)
    low = frame["target_low"].astype(float)
    high = frame["target_high"].astype(float)
    on_target = (value >= low) & (high.isna() | (value <= high))
    frame["status"] = "info"
    has_target = low.notna() & value.notna()
    frame.loc[has_target, "status"] = on_target[has_target].map({True: "on_target", False: "off_target"})
    return frame


@asset(
    group_name="kpis",
    deps=[get_asset_key_for_model([omniops_dbt_models], name) for name in KPI_INPUTS],
    kinds={"python", "duckdb"},
    description="OTD, OEE (with its parts) and inventory turnover days per month and over the history.",
)
def kpi_monthly(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    with warehouse.get_connection() as conn:
        # Per-day totals summed in DuckDB (money as exact decimals, so every run gives the same sums):
        # a few rows per day rather than every order and line of the history in pandas.
        deliveries = daily.deliveries(conn)
        cogs = daily.cogs(conn)
        stock = daily.stock(conn)
        machine_shifts = conn.sql(
            "select shift_date, planned_production_minutes, availability, performance, quality, oee "
            "from marts.fct_machine_shifts order by machine_shift_key"
        ).df()
        targets = conn.sql("select kpi, target from seeds.kpi_targets where target is not null").df()
        benchmark = (
            conn.sql(
                "select b.* from seeds.industry_benchmarks b join seeds.company_profile p "
                "on p.setting = 'industry' and p.value = b.industry where b.metric = 'inventory_days'"
            )
            .df()
            .iloc[0]
        )
        kpis = compute_kpis(
            deliveries, cogs, machine_shifts, stock, targets, benchmark, daily.order_days(conn)
        )
        conn.register("kpis_frame", kpis)
        conn.execute("create or replace table marts.kpi_monthly as select * from kpis_frame")
        conn.unregister("kpis_frame")
    history = kpis[kpis["period_type"] == "history"].set_index("kpi")["value"]
    context.log.info(
        f"history: OTD {history['otd_rate']:.1%}, OEE {history['oee']:.1%}, "
        f"inventory days {history['inventory_days']:.1f}"
    )
    return MaterializeResult(
        metadata={
            "rows": len(kpis),
            "otd_rate": float(history["otd_rate"]),
            "oee": float(history["oee"]),
            "inventory_days": float(history["inventory_days"]),
        }
    )
