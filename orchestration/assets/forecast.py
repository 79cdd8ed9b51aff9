"""Demand forecast, its accuracy and the inventory plan, as Dagster assets (schema ``forecasting``).

- ``demand_forecast`` (multi-asset, also ``forecast_vintages``, ``forecast_accuracy_series`` and
  ``forecast_accuracy_summary``): net demand per SKU × channel from ``marts.fct_demand_daily`` forecast by
  day (28 days), week (12 W-MON weeks) and month (6 months) with each series' backtest champion
  (``forecasting.select``), reconciled bottom-up (``forecasting.horizons``), stored as a vintage, and
  scored against the baselines and the sales team's forecast.
- ``inventory_plan``: ATP, safety stock, reorder point, cover and a replenishment proposal per SKU ×
  warehouse (``planning.inventory_plan``), with the policy from ``seeds.inventory_policy``.
- ``inventory_turnover``: DIO per SKU and category against the industry band.

Rules and their reasons: docs/forecasting.md. Table contract: the columns written below.
"""

import time
from collections.abc import Iterator
from datetime import date, timedelta

import numpy as np
import pandas as pd
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetExecutionContext,
    AssetSpec,
    Config,
    MaterializeResult,
    asset,
    asset_check,
    multi_asset,
)

from forecasting import horizons, vintages
from forecasting.parallel import safe_workers
from kpis import daily
from orchestration.assets.dbt import dbt_keys
from orchestration.resources import WarehouseResource
from planning import demand_series
from planning import inventory_plan as planning
from planning.tables import (
    ACCURACY_SERIES,
    ACCURACY_SUMMARY,
    DEMAND_FORECAST,
    FORECAST_ERROR,
    INVENTORY_PLAN,
    INVENTORY_TURNOVER,
    SCHEMA,
    write_table,
)
from planning.turnover import WINDOW_DAYS, turnover

HORIZONS = {"D": 28, "W": 12, "MS": 6}
FORECAST_INPUTS = ["fct_demand_daily", "fct_sales_forecast", "dim_products"]
PLAN_INPUTS = ["fct_inventory_daily", "dim_products", "stg_wms__movements", "inventory_policy"]
TURNOVER_INPUTS = ["fct_order_lines", "fct_inventory_daily", "dim_products", "industry_benchmarks"]


class ForecastConfig(Config):
    """Parallel statsforecast workers and backtest origins (defaults suit a 2-core machine)."""

    n_jobs: int = 2
    n_windows: int = 4


def _split_id(frame: pd.DataFrame, categories: pd.Series) -> pd.DataFrame:
    parts = frame["unique_id"].str.split("|", n=1, expand=True)
    return frame.assign(sku=parts[0], channel=parts[1], product_category=parts[0].map(categories))


def _reconciled(forecasts: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Reconcile yhat across horizons; bounds move with yhat (the coarse model's interval width kept)."""
    cols = ["unique_id", "ds", "yhat"]
    rec = horizons.reconcile(*(forecasts[f][cols] for f in ("D", "W", "MS")))
    out = {"D": forecasts["D"]}
    for freq in ("W", "MS"):
        fc = forecasts[freq].assign(ds=lambda f: pd.to_datetime(f["ds"]))
        new = fc.merge(rec[freq].rename(columns={"yhat": "yhat_rec"}), on=["unique_id", "ds"], how="left")
        new["yhat_rec"] = new["yhat_rec"].fillna(new["yhat"])
        shift = new["yhat_rec"] - new["yhat"]
        new["yhat_lower"] = (new["yhat_lower"] + shift).clip(lower=0.0).clip(upper=new["yhat_rec"])
        new["yhat_upper"] = (new["yhat_upper"] + shift).clip(lower=new["yhat_rec"])
        out[freq] = new.assign(yhat=new["yhat_rec"]).drop(columns="yhat_rec")
    return out


def run_forecast(
    demand: pd.DataFrame,
    sales_forecast: pd.DataFrame,
    products: pd.DataFrame,
    n_jobs: int = 2,
    n_windows: int = 4,
    log=print,
) -> dict:
    """The whole forecast stage on plain frames (no database): see the module and docs/forecasting.md.

    ``demand``: fct_demand_daily; ``sales_forecast``: fct_sales_forecast; ``products``: sku,
    product_category. Returns as_of and the frames of the tables to write.
    """
    with safe_workers(n_jobs):  # not plain fork: the caller may be a threaded Dagster run
        return _run_forecast(demand, sales_forecast, products, n_jobs, n_windows, log)


def _run_forecast(demand, sales_forecast, products, n_jobs, n_windows, log) -> dict:
    # Imported here: statsforecast and statsmodels take ~1.7 s to import, and only the weekly
    # forecast uses them (the daily job loads this module for the inventory plan and turnover).
    from forecasting.backtest import cross_validate
    from forecasting.holdout import holdout_summary
    from forecasting.models import BASELINES
    from forecasting.select import forecast_with_champions
    from planning import accuracy

    as_of = pd.to_datetime(demand["demand_date"]).max().date()
    history_start = pd.to_datetime(demand["demand_date"]).min().date()
    categories = products.set_index("sku")["product_category"]
    daily = demand_series.long_enough(demand_series.daily_series(demand, as_of), "D")
    series = {
        "D": daily,
        "W": demand_series.long_enough(demand_series.aggregate(daily, "W", history_start, as_of), "W"),
        "MS": demand_series.long_enough(demand_series.aggregate(daily, "MS", history_start, as_of), "MS"),
    }
    forecasts, scores, seconds = {}, {}, {}
    for freq, h in HORIZONS.items():
        started = time.monotonic()
        fc, sc = forecast_with_champions(series[freq], h, freq, n_windows=n_windows, n_jobs=n_jobs)
        forecasts[freq] = demand_series.fill_missing_forecasts(fc, series[freq], freq)
        scores[freq] = sc
        seconds[freq] = time.monotonic() - started
        log(
            f"{freq}: {series[freq]['unique_id'].nunique()} series, {sc['unique_id'].nunique()} backtested, "
            f"{(forecasts[freq]['model'] == 'FallbackMean').sum() // h} on the fallback mean, "
            f"{seconds[freq]:.1f} s"
        )

    # The daily backtest once more, long: σ of each champion's daily error and the W/MS roll-ups.
    started = time.monotonic()
    cv = cross_validate(daily, HORIZONS["D"], "D", n_windows=n_windows, n_jobs=n_jobs)
    seconds["D_cv"] = time.monotonic() - started
    champion_d = scores["D"].loc[scores["D"]["is_champion"]].set_index("unique_id")["model"].to_dict()
    chosen = cv[cv["model"] == cv["unique_id"].map(champion_d)]
    rmse = chosen.assign(e2=(chosen["y"] - chosen["yhat"]) ** 2).groupby("unique_id")["e2"].mean() ** 0.5
    demand_std = daily.groupby("unique_id")["y"].std(ddof=0)
    error = pd.DataFrame({"unique_id": sorted(daily["unique_id"].unique())})
    error["error_std_daily"] = error["unique_id"].map(rmse).fillna(error["unique_id"].map(demand_std))
    error["source"] = np.where(error["unique_id"].isin(rmse.index), "backtest_rmse", "demand_std")
    daily_model = forecasts["D"].drop_duplicates("unique_id").set_index("unique_id")["model"]
    error["model"] = error["unique_id"].map(daily_model)
    log(f"D cross-validation for error σ and W/MS roll-ups: {seconds['D_cv']:.1f} s")

    # Accuracy per series: native backtest where the library could run one, else the daily roll-up.
    prices = accuracy.unit_prices(
        demand.assign(unique_id=demand_series.series_id(demand["sku"], demand["channel"]))
    )
    team = sales_forecast[sales_forecast["lead_months"] == 1]
    team = pd.DataFrame(
        {
            "unique_id": demand_series.series_id(team["sku"], team["channel"]),
            "ds": pd.to_datetime(team["forecast_month"]),
            "yhat": team["forecast_quantity"].astype(float),
        }
    )
    # Out of sample: champions chosen on the first cut-offs, scored with the baselines on the last window.
    holdout = holdout_summary(cv, prices)
    log("D out-of-sample check (revenue-weighted WAPE, last window): " + _fmt(holdout))
    series_rows, team_rows = [], None
    for freq, h in HORIZONS.items():
        native = scores[freq][accuracy.SERIES_COLUMNS]
        periods = accuracy.scored_periods_native(
            series[freq], native["unique_id"].unique(), h, n_windows, freq
        )
        if freq != "D":
            rolled = accuracy.rollup_backtest(cv[~cv["unique_id"].isin(native["unique_id"])], freq)
            rolled_scores = accuracy.score_periods(rolled, series[freq], freq, champion_d)
            parts = [f for f in (native, rolled_scores) if len(f)]
            native = pd.concat(parts, ignore_index=True) if parts else native
            rolled_periods = rolled.loc[rolled["model"] == rolled["unique_id"].map(champion_d)]
            periods = pd.concat([periods, rolled_periods[["unique_id", "ds", "y"]]], ignore_index=True)
        weight = accuracy.value_weights(prices, periods)
        rows = native.assign(freq=freq, revenue_weight=native["unique_id"].map(weight))
        series_rows.append(rows)
        if freq == "MS":
            team_rows = accuracy.sales_team_scores(periods, team).assign(freq=freq)
            team_rows["revenue_weight"] = team_rows["unique_id"].map(weight)
            log(f"sales team scored on {len(periods)} series-months ({periods['ds'].nunique()} months)")
    acc = _split_id(pd.concat(series_rows, ignore_index=True), categories)
    acc["is_baseline"] = acc["model"].isin(BASELINES)
    acc["as_of"] = as_of
    team_rows = _split_id(team_rows, categories) if team_rows is not None and len(team_rows) else None
    summary = accuracy.summarize(acc, team_rows).assign(as_of=as_of)

    rec = _reconciled(forecasts)
    frames = []
    for freq in HORIZONS:
        frames.append(_split_id(rec[freq], categories).assign(freq=freq, as_of=as_of))
    forecast_table = pd.concat(frames, ignore_index=True)
    forecast_table["ds"] = pd.to_datetime(forecast_table["ds"])
    return {
        "as_of": as_of,
        "forecasts": rec,
        "demand_forecast": forecast_table,
        "forecast_accuracy_series": acc,
        "forecast_accuracy_summary": summary,
        "forecast_error_daily": _split_id(error, categories).assign(as_of=as_of),
        "holdout_check": holdout,
        "seconds": seconds,
    }


def _fmt(wapes: dict[str, float]) -> str:
    return ", ".join(f"{name} {value:.3f}" for name, value in wapes.items())


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
        result = run_forecast(
            demand, sales_forecast, products, config.n_jobs, config.n_windows, log=context.log.info
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
    summary = result["forecast_accuracy_summary"]
    overall = summary[summary["scope"] == "all"].set_index(["freq", "forecaster"])["revenue_weighted_wape"]
    for freq in HORIZONS:
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


def build_inventory_plan(
    snapshot: pd.DataFrame,
    products: pd.DataFrame,
    outbound: pd.DataFrame,
    daily_forecast: pd.DataFrame,
    error: pd.DataFrame,
    policies: pd.DataFrame,
    as_of: date,
) -> pd.DataFrame:
    """One plan row per active SKU × warehouse of the newest snapshot (docs/forecasting.md).

    SKU demand per day = Σ channels' daily forecast; a warehouse gets its share
    (``planning.warehouse_shares``) of the demand and of the error σ; σ of a SKU = √(Σ channel σ²).
    """
    active = products[products["is_active"].astype(bool)].set_index("sku")
    stock = snapshot[snapshot["sku"].isin(active.index)]
    shares = planning.warehouse_shares(outbound, stock.rename(columns={"on_hand_qty": "on_hand"}))
    share = shares.set_index(["sku", "warehouse_code"])["share"]
    days = pd.date_range(pd.Timestamp(as_of) + pd.Timedelta(days=1), periods=HORIZONS["D"], freq="D")
    per_sku = (
        daily_forecast.assign(ds=pd.to_datetime(daily_forecast["ds"]))
        .groupby(["sku", "ds"])["yhat"]
        .sum()
        .unstack(fill_value=0.0)
        .reindex(columns=days, fill_value=0.0)
    )
    sigma = error.groupby("sku")["error_std_daily"].apply(planning.combined_error_std)
    policy_rows = {
        r.product_category: planning.Policy(
            float(r.service_level), float(r.max_cover_days), float(r.review_period_days)
        )
        for r in policies.itertuples(index=False)
    }
    rows = []
    for r in stock.itertuples(index=False):
        product = active.loc[r.sku]
        w = float(share.get((r.sku, r.warehouse_code), 0.0))
        demand = per_sku.loc[r.sku].to_numpy() * w if r.sku in per_sku.index else np.zeros(len(days))
        made = bool(product["is_made_in_house"])
        lead = product["manufacturing_lead_time_days"] if made else product["vendor_lead_time_days"]
        row = planning.plan(
            on_hand=float(r.on_hand_qty),
            reserved=float(r.reserved_qty),
            inbound=float(r.in_transit_qty),
            daily_forecast=[float(x) for x in demand],
            error_std_daily=w * float(sigma.get(r.sku, 0.0)),
            lead_time_days=int(lead or 0),
            replenishment="production" if made else "purchase",
            as_of=as_of,
            policy=planning.policy_for(policy_rows, product["product_category"]),
        )
        rows.append(
            {
                "as_of": as_of,
                "warehouse_code": r.warehouse_code,
                "sku": r.sku,
                "product_name": product["product_name"],
                "product_category": product["product_category"],
                **row,
            }
        )
    return pd.DataFrame(rows, columns=list(INVENTORY_PLAN))


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
            "select sku, warehouse_code, -sum(quantity) as quantity from staging.stg_wms__movements "
            "where movement_type in ('shipment', 'pos_sale') group by all"
        ).df()
        daily = conn.execute(
            f"select sku, ds, yhat from {SCHEMA}.demand_forecast where freq = 'D' and as_of = ?",
            [as_of],
        ).df()
        error = conn.execute(
            f"select sku, error_std_daily from {SCHEMA}.forecast_error_daily where as_of = ?", [as_of]
        ).df()
        policies = conn.execute("select * from seeds.inventory_policy").df()
        plan = build_inventory_plan(snapshot, products, outbound, daily, error, policies, as_of)
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


# ---- data-quality checks on the outputs -------------------------------------------------------------


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


@asset_check(asset="inventory_plan", description="0 ≤ safety stock ≤ reorder point; proposals are complete.")
def inventory_plan_is_consistent(warehouse: WarehouseResource) -> AssetCheckResult:
    return _check(
        "inventory_plan",
        "inventory_plan_is_consistent",
        f"select count(*) from {SCHEMA}.inventory_plan where not coalesce(safety_stock >= 0 "
        "and reorder_point >= safety_stock - 1e-9 and abs(atp - (on_hand - reserved + inbound)) < 1e-9 "
        "and ((proposal_qty > 0) = (proposal_date is not null)) "
        "and ((proposal_qty > 0) = (proposal_type is not null)), false)",
        warehouse,
        "safety_stock ≥ 0, reorder_point ≥ safety_stock, ATP formula, proposal fields filled together",
    )


forecast_checks = [
    forecast_bounds_are_ordered,
    forecast_horizons_agree,
    revenue_weights_sum_to_one,
    every_active_sku_warehouse_is_planned,
    inventory_plan_is_consistent,
]
forecast_assets = [demand_forecast_assets, inventory_plan, inventory_turnover]
