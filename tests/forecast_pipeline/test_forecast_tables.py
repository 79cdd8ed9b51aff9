"""The forecast, accuracy and inventory-plan tables of the built demo company (tests/conftest.py), checked
against the table contract (planning/tables.py) and recomputed by hand from the warehouse
inputs."""

from __future__ import annotations

import math
from datetime import timedelta
from statistics import NormalDist

import duckdb
import pandas as pd
import pytest

from planning import tables as assets

CONTRACT = {
    "demand_forecast": assets.DEMAND_FORECAST,
    "forecast_accuracy_series": assets.ACCURACY_SERIES,
    "forecast_accuracy_summary": assets.ACCURACY_SUMMARY,
    "inventory_plan": assets.INVENTORY_PLAN,
    "inventory_turnover": assets.INVENTORY_TURNOVER,
}
SQL_TYPE = {
    "date": "DATE",
    "varchar": "VARCHAR",
    "double": "DOUBLE",
    "boolean": "BOOLEAN",
    "integer": "INTEGER",
}


@pytest.mark.parametrize("table", sorted(CONTRACT))
def test_tables_have_the_contract_columns_and_rows(built_instance, table):
    got = built_instance.query(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'forecasting' and table_name = ? order by ordinal_position",
        [table],
    )
    assert got == [(c, SQL_TYPE[t]) for c, t in CONTRACT[table].items()]
    assert built_instance.query(f"select count(*) from forecasting.{table}")[0][0] > 0


def test_fct_demand_daily_has_the_contract_types(built_instance):
    got = dict(
        built_instance.query(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'marts' and table_name = 'fct_demand_daily'"
        )
    )
    assert got == {
        "demand_date": "DATE", "sku": "VARCHAR", "channel": "VARCHAR", "product_category": "VARCHAR",
        "gross_quantity": "BIGINT", "returned_quantity": "BIGINT", "net_quantity": "BIGINT",
        "net_revenue_reporting": "DOUBLE", "refreshed_at_utc": "TIMESTAMP",
    }  # fmt: skip


def test_sales_forecast_months_are_parsed(built_instance):
    nulls, rows = built_instance.query(
        "select count(*) filter (where forecast_month is null), count(*) from staging.stg_erp__sales_forecast"
    )[0]
    assert rows > 0 and nulls == 0


def test_forecast_horizons_and_bounds(built_instance):
    fc = built_instance.df("select * from forecasting.demand_forecast")
    as_of = pd.Timestamp(fc["as_of"].max()).date()
    assert as_of == built_instance.query("select max(demand_date) from marts.fct_demand_daily")[0][0]
    per_series = fc.groupby(["freq", "unique_id"]).size()
    assert set(per_series.loc["D"]) == {28} and set(per_series.loc["W"]) == {12}
    assert set(per_series.loc["MS"]) == {6}
    weeks = pd.to_datetime(fc.loc[fc["freq"] == "W", "ds"])
    assert (weeks.dt.weekday == 0).all()
    assert (pd.to_datetime(fc.loc[fc["freq"] == "MS", "ds"]).dt.day == 1).all()
    assert (fc["yhat"] >= 0).all()
    assert (fc["yhat_lower"] <= fc["yhat"] + 1e-9).all() and (fc["yhat"] <= fc["yhat_upper"] + 1e-9).all()
    first_day = pd.to_datetime(fc.loc[fc["freq"] == "D", "ds"]).min().date()
    assert first_day == as_of + timedelta(days=1)


def test_daily_sums_equal_weekly_and_weekly_equal_monthly_where_covered(built_instance):
    fc = built_instance.df("select freq, unique_id, ds, yhat from forecasting.demand_forecast")
    fc["ds"] = pd.to_datetime(fc["ds"])
    daily, weekly, monthly = (fc[fc["freq"] == f] for f in ("D", "W", "MS"))
    d = daily.assign(week=daily["ds"] - pd.to_timedelta(daily["ds"].dt.weekday, unit="D"))
    full = d.groupby(["unique_id", "week"]).agg(yhat=("yhat", "sum"), days=("yhat", "size")).reset_index()
    full = full[full["days"] == 7]
    merged = full.merge(weekly, left_on=["unique_id", "week"], right_on=["unique_id", "ds"])
    assert len(merged) >= 3 * weekly["unique_id"].nunique()  # at least 3 whole weeks in 28 days
    assert (merged["yhat_x"] - merged["yhat_y"]).abs().max() < 1e-6
    per_day = weekly.loc[weekly.index.repeat(7)].copy()
    per_day["day"] = per_day["ds"] + pd.to_timedelta(per_day.groupby(level=0).cumcount(), unit="D")
    per_day["yhat"] = per_day["yhat"] / 7
    # where the daily horizon speaks, its days replace the weekly rate (forecasting.horizons.reconcile)
    per_day = per_day.merge(
        daily[["unique_id", "ds", "yhat"]].rename(columns={"ds": "day", "yhat": "d"}),
        on=["unique_id", "day"],
        how="left",
    )
    per_day["yhat"] = per_day["d"].fillna(per_day["yhat"])
    per_day["month"] = per_day["day"].dt.to_period("M").dt.to_timestamp()
    m = per_day.groupby(["unique_id", "month"]).agg(yhat=("yhat", "sum"), days=("day", "size")).reset_index()
    m = m[m["days"] == m["month"].dt.days_in_month]
    merged = m.merge(monthly, left_on=["unique_id", "month"], right_on=["unique_id", "ds"])
    assert len(merged) >= monthly["unique_id"].nunique()  # at least one month inside 12 weeks
    assert (merged["yhat_x"] - merged["yhat_y"]).abs().max() < 1e-6


def test_vintage_stored_and_rerun_replaces_it(built_instance, tmp_path):
    from forecasting import vintages

    as_of = built_instance.query("select max(as_of) from forecasting.demand_forecast")[0][0]
    counts = dict(
        built_instance.query(
            "select freq, count(*) from forecasting.forecast_vintages where as_of = ? group by 1", [as_of]
        )
    )
    table = dict(built_instance.query("select freq, count(*) from forecasting.demand_forecast group by 1"))
    assert counts == table
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(built_instance.published_db.read_bytes())
    with duckdb.connect(str(copy)) as conn:
        fc = conn.execute(
            "select unique_id, ds, yhat, yhat_lower, yhat_upper, model from forecasting.demand_forecast "
            "where freq = 'D'"
        ).df()
        vintages.store_vintage(conn, fc, as_of, "D", schema="forecasting")
        again = conn.execute(
            "select count(*) from forecasting.forecast_vintages where as_of = ? and freq = 'D'",
            [as_of],
        ).fetchone()[0]
    assert again == counts["D"]


def test_every_active_sku_warehouse_has_a_plan_row(built_instance):
    missing = built_instance.query(
        "select count(*) from marts.fct_inventory_daily i join marts.dim_products p using (sku) "
        "where p.is_active and i.snapshot_date = (select max(snapshot_date) from marts.fct_inventory_daily) "
        "and not exists (select 1 from forecasting.inventory_plan x "
        "where x.sku = i.sku and x.warehouse_code = i.warehouse_code)"
    )[0][0]
    assert missing == 0


def test_inventory_plan_of_one_sku_warehouse_by_hand(built_instance):
    plan = built_instance.df("select * from forecasting.inventory_plan")
    row = plan.sort_values(["forecast_28d", "sku", "warehouse_code"], ascending=[False, True, True]).iloc[0]
    sku, wh, as_of = row["sku"], row["warehouse_code"], pd.Timestamp(row["as_of"]).date()
    snap = built_instance.query(
        "select on_hand_qty, reserved_qty, in_transit_qty from marts.fct_inventory_daily "
        "where sku = ? and warehouse_code = ? and snapshot_date = "
        "(select max(snapshot_date) from marts.fct_inventory_daily)",
        [sku, wh],
    )[0]
    atp = snap[0] - snap[1] + snap[2]
    assert row["atp"] == pytest.approx(atp)
    out = dict(
        built_instance.query(
            "select warehouse_code, -sum(quantity) from staging.stg_wms__movements "
            "where sku = ? and movement_type in ('shipment', 'pos_sale') group by 1",
            [sku],
        )
    )
    share = out.get(wh, 0) / sum(out.values())
    daily = built_instance.df(
        f"select ds, sum(yhat) as yhat from forecasting.demand_forecast where freq = 'D' and sku = '{sku}' "
        "group by ds order by ds"
    )
    demand = (daily["yhat"] * share).tolist()
    assert row["forecast_28d"] == pytest.approx(sum(demand))
    per_day = sum(demand) / 28
    sigmas = [
        s for (s,) in built_instance.query(
            "select error_std_daily from forecasting.forecast_error_daily where sku = ?", [sku]
        )
    ]  # fmt: skip
    sigma = share * math.sqrt(sum(s * s for s in sigmas))
    assert row["error_std_daily"] == pytest.approx(sigma)
    made, mfg, vendor, category = built_instance.query(
        "select is_made_in_house, manufacturing_lead_time_days, vendor_lead_time_days, product_category "
        "from marts.dim_products where sku = ?",
        [sku],
    )[0]
    lead = mfg if made else vendor
    assert row["lead_time_days"] == lead
    policy = dict(built_instance.query("select product_category, service_level from seeds.inventory_policy"))
    level = policy.get(category, policy["default"])
    z = NormalDist().inv_cdf(level)
    assert row["service_level"] == pytest.approx(level)
    assert row["safety_stock"] == pytest.approx(z * sigma * math.sqrt(lead))
    assert row["reorder_point"] == pytest.approx(per_day * lead + z * sigma * math.sqrt(lead))
    assert row["days_of_cover"] == pytest.approx(max(atp, 0) / per_day)
    left, stockout = atp, None
    for k, d in enumerate(demand):
        left -= d
        if left < 0:
            stockout = as_of + timedelta(days=k + 1)
            break
    assert (pd.Timestamp(row["stockout_date"]).date() if pd.notna(row["stockout_date"]) else None) == stockout
    assert (row["proposal_qty"] > 0) == pd.notna(row["proposal_date"])


def test_turnover_days_of_one_category_by_hand(built_instance):
    row = built_instance.df(
        "select * from forecasting.inventory_turnover where level = 'category' "
        "order by product_category limit 1"
    ).iloc[0]
    as_of, category = pd.Timestamp(row["as_of"]).date(), row["product_category"]
    start = as_of - timedelta(days=364)
    (cogs,) = built_instance.query(
        "select sum(l.line_cost_reporting) from marts.fct_order_lines l "
        "join marts.dim_products p using (sku) "
        "where p.product_category = ? and l.order_date between ? and ? "
        "and (l.line_status in ('confirmed', 'shipped', 'delivered') or l.quantity < 0)",
        [category, start, as_of],
    )[0]
    (avg_value, days) = built_instance.query(
        "select avg(v), count(*) from (select snapshot_date, sum(inventory_value_reporting) as v "
        "from marts.fct_inventory_daily i join marts.dim_products p using (sku) "
        "where p.product_category = ? and snapshot_date between ? and ? group by 1)",
        [category, start, as_of],
    )[0]
    assert row["cogs_reporting"] == pytest.approx(float(cogs))
    assert row["turnover_days"] == pytest.approx(float(avg_value) / float(cogs) * days)
    low, high = row["band_low"], row["band_high"]
    assert (low, high) == pytest.approx((0.8 * row["benchmark_days"], 1.2 * row["benchmark_days"]))
    expected = "below" if row["turnover_days"] < low else "above" if row["turnover_days"] > high else "within"
    assert row["status"] == expected


def test_summary_weighted_wape_recomputed_from_the_series_table(built_instance):
    series = built_instance.df(
        "select * from forecasting.forecast_accuracy_series where freq = 'D' and is_champion"
    )
    channel = sorted(series["channel"].unique())[0]
    scope = series[(series["channel"] == channel) & series["wape"].notna()]
    expected = (scope["wape"] * scope["revenue_weight"]).sum() / scope["revenue_weight"].sum()
    got = built_instance.query(
        "select revenue_weighted_wape, series from forecasting.forecast_accuracy_summary "
        "where freq = 'D' and scope = 'channel' and scope_value = ? and forecaster = 'champion'",
        [channel],
    )[0]
    assert got[0] == pytest.approx(expected)
    assert got[1] == len(scope)
    weights = built_instance.query(
        "select freq, sum(revenue_weight) from (select distinct freq, unique_id, revenue_weight "
        "from forecasting.forecast_accuracy_series) group by 1"
    )
    assert all(w == pytest.approx(1.0) for _, w in weights)


def test_sales_team_fva_row_for_monthly(built_instance):
    rows = built_instance.df(
        "select * from forecasting.forecast_accuracy_summary where freq = 'MS' and scope = 'all'"
    ).set_index("forecaster")
    assert {"champion", "SeasonalNaive", "WindowAverage", "sales_team"} <= set(rows.index)
    assert rows.loc["sales_team", "series"] == rows.loc["champion", "series"] > 0
    fva = rows.loc["sales_team", "revenue_weighted_wape"] - rows.loc["champion", "revenue_weighted_wape"]
    assert rows.loc["champion", "fva_vs_sales_team"] == pytest.approx(fva)
    assert pd.isna(rows.loc["sales_team", "coverage"])
    others = built_instance.query(
        "select count(*) from forecasting.forecast_accuracy_summary where forecaster = 'sales_team' "
        "and freq <> 'MS'"
    )[0][0]
    assert others == 0


def test_champion_is_not_worse_than_the_best_baseline(built_instance):
    rows = built_instance.df(
        "select freq, forecaster, revenue_weighted_wape from forecasting.forecast_accuracy_summary "
        "where scope = 'all'"
    ).pivot(index="freq", columns="forecaster", values="revenue_weighted_wape")
    best = rows[["SeasonalNaive", "WindowAverage"]].min(axis=1)
    assert (rows["champion"] <= best + 1e-9).all()
