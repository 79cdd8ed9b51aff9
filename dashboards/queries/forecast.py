"""Queries of the forecast & inventory page: the ``forecasting`` tables and ``marts.fct_demand_daily``.

A scope is a few ``column = ?`` conditions (category, SKU, channel; ``ALL`` leaves one out), built by
``where`` with placeholders only: the chosen values travel as parameters.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from dashboards.queries.inventory_days import inventory_days
from dashboards.queries.overview import inventory_benchmark
from dashboards.warehouse import query, table_exists

ALL = "All"
FORECAST_TABLES = (
    "demand_forecast",
    "forecast_accuracy_summary",
    "forecast_accuracy_series",
    "inventory_plan",
    "inventory_turnover",
    "forecast_fva",
)
# The forecast is of net demand (units sold minus units returned) per SKU × channel and day, a day with
# more returns than sales counting as zero; the actuals are the same measure (a mart row is one such day).
ACTUAL_UNITS = "greatest(net_quantity, 0)"
TRUNCATE_TO = {"D": "day", "W": "week", "MS": "month"}


def where(prefix: str = "", **equals: str) -> tuple[str, tuple]:
    """`` and column = ?`` for every filter not set to ALL, with its parameters."""
    chosen = {column: value for column, value in equals.items() if value != ALL}
    return "".join(f" and {prefix}{column} = ?" for column in chosen), tuple(chosen.values())


def present_tables() -> dict[str, bool]:
    return {table: table_exists("forecasting", table) for table in FORECAST_TABLES}


def has_demand_mart() -> bool:
    return table_exists("marts", "fct_demand_daily")


def newest_as_of(table: str) -> date | None:
    # ``table`` is one of FORECAST_TABLES (never user input), so it may be spliced into the SQL.
    value = query(f"select max(as_of) as as_of from forecasting.{table}")["as_of"].iloc[0]
    return None if pd.isna(value) else pd.Timestamp(value).date()


# ---- demand: actuals and forecast ---------------------------------------------------------------------


def forecast_categories(as_of: date, freq: str) -> list[str]:
    return query(
        "select distinct product_category from forecasting.demand_forecast "
        "where as_of = ? and freq = ? order by 1",
        (as_of, freq),
    )["product_category"].tolist()


def forecast_skus(as_of: date, freq: str, category: str) -> dict[str, str]:
    """SKU → product name, of the SKUs forecast in the category."""
    cat_sql, cat_params = where("f.", product_category=category)
    skus = query(
        "select f.sku, any_value(p.product_name) as product_name "
        "from forecasting.demand_forecast f left join marts.dim_products p using (sku) "
        f"where f.as_of = ? and f.freq = ?{cat_sql} "
        "group by f.sku order by f.sku",
        (as_of, freq, *cat_params),
    )
    return dict(zip(skus["sku"], skus["product_name"], strict=True))


def forecast_channels(as_of: date, freq: str, category: str, sku: str) -> dict[str, str]:
    """Channel → channel name, of the channels forecast for the category and SKU."""
    sku_sql, sku_params = where("f.", product_category=category, sku=sku)
    channels = query(
        "select f.channel, any_value(c.channel_name) as channel_name "
        "from forecasting.demand_forecast f left join marts.dim_channels c using (channel) "
        f"where f.as_of = ? and f.freq = ?{sku_sql} group by f.channel order by f.channel",
        (as_of, freq, *sku_params),
    )
    return dict(zip(channels["channel"], channels["channel_name"], strict=True))


def forecast_sum(as_of: date, freq: str, scope: tuple[str, tuple]) -> pd.DataFrame:
    """The forecast of the scope by period, with the interval of the sum of its series."""
    scope_sql, scope_params = scope
    return query(
        # Several series: their half-widths add as independent errors (√Σ squares), not linearly.
        "select ds, sum(yhat) as yhat, "
        "greatest(sum(yhat) - sqrt(sum((yhat - yhat_lower) ^ 2)), 0) as yhat_lower, "
        "sum(yhat) + sqrt(sum((yhat_upper - yhat) ^ 2)) as yhat_upper "
        "from forecasting.demand_forecast "
        f"where as_of = ? and freq = ?{scope_sql} group by ds order by ds",
        (as_of, freq, *scope_params),
    )


def series_per_model(as_of: date, freq: str, scope: tuple[str, tuple]) -> pd.DataFrame:
    scope_sql, scope_params = scope
    return query(
        "select model, count(distinct unique_id) as series from forecasting.demand_forecast "
        f"where as_of = ? and freq = ?{scope_sql} group by model order by series desc, model",
        (as_of, freq, *scope_params),
    )


def actuals(freq: str, first: date, as_of: date, scope: tuple[str, tuple]) -> pd.DataFrame:
    """Net demand of the scope per period from ``first`` to ``as_of`` (periods without a sale: absent)."""
    scope_sql, scope_params = scope
    return query(
        "select date_trunc(?, demand_date)::date as ds, "
        f"sum({ACTUAL_UNITS})::double as units from marts.fct_demand_daily "
        f"where demand_date between ? and ?{scope_sql} group by 1 order by 1",
        (TRUNCATE_TO[freq], first, as_of, *scope_params),
    )


def champion_accuracy(freq: str, scope: tuple[str, tuple]) -> pd.DataFrame:
    """The backtest score of the model that won the scope's series."""
    scope_sql, scope_params = scope
    return query(
        "select model, wape, coverage from forecasting.forecast_accuracy_series "
        "where as_of = (select max(as_of) from forecasting.forecast_accuracy_series) "
        f"and freq = ? and is_champion{scope_sql}",
        (freq, *scope_params),
    )


# ---- accuracy ---------------------------------------------------------------------------------------------


def accuracy_summary(as_of: date | None, freq: str) -> pd.DataFrame:
    return query(
        "select scope, scope_value, forecaster, revenue_weighted_wape, bias, coverage, series, "
        "fva_vs_sales_team from forecasting.forecast_accuracy_summary "
        "where as_of = ? and freq = ? order by scope, scope_value, forecaster",
        (as_of, freq),
    )


def fva_table(as_of: date | None) -> pd.DataFrame:
    """The monthly stair-step of the newest run: layer × scope WAPE, bias, FVA and the team's weight."""
    return query(
        "select scope, scope_value, layer, wape, bias, fva_vs_below, series, team_weight "
        "from forecasting.forecast_fva where as_of = ? and freq = 'MS' order by scope, scope_value",
        (as_of,),
    )


def champion_mix(freq: str) -> pd.DataFrame:
    """How many series each model won in the newest backtest."""
    return query(
        "select model, count(distinct unique_id) as series from forecasting.forecast_accuracy_series "
        "where as_of = (select max(as_of) from forecasting.forecast_accuracy_series) and freq = ? "
        "and is_champion group by model order by series desc, model",
        (freq,),
    )


# ---- inventory plan and turnover --------------------------------------------------------------------------


def plan_warehouses(as_of: date | None) -> list[str]:
    return query(
        "select distinct warehouse_code from forecasting.inventory_plan where as_of = ? order by 1",
        (as_of,),
    )["warehouse_code"].tolist()


def plan_categories(as_of: date | None) -> list[str]:
    return query(
        "select distinct product_category from forecasting.inventory_plan where as_of = ? order by 1",
        (as_of,),
    )["product_category"].tolist()


class Plan:
    """The inventory plan of one date, narrowed to a warehouse and a category (``ALL``: every one)."""

    def __init__(self, as_of: date | None, warehouse: str, category: str) -> None:
        inv_sql, inv_params = where(warehouse_code=warehouse, product_category=category)
        self.base = f"from forecasting.inventory_plan where as_of = ?{inv_sql}"
        self.params = (as_of, *inv_params)

    def counts(self) -> dict[str, float]:
        counts = (
            query(
                "select count(*) as positions, count(*) filter (where is_stockout_risk) as at_risk, "
                "count(*) filter (where is_overstock) as overstocked, "
                "count(*) filter (where proposal_qty > 0) as proposals, "
                "count(*) filter (where shortage > 0) as short, "
                "count(*) filter (where proposal_qty > 0 and is_overstock) as overstocked_proposals, "
                f"coalesce(sum(proposal_qty), 0) as proposal_units {self.base}",
                self.params,
            )
            .iloc[0]
            .to_dict()
        )
        return {key: int(value) if key != "proposal_units" else value for key, value in counts.items()}

    def at_risk(self, limit: int) -> pd.DataFrame:
        """Positions at risk of a stock-out, soonest first."""
        return query(
            "select warehouse_code, sku, product_name, product_category, atp, shortage, "
            "forecast_daily_demand, days_of_cover, stockout_date, lead_time_days, reorder_point, "
            f"proposal_type, proposal_qty, proposal_date, note {self.base} and is_stockout_risk "
            "order by stockout_date nulls last, days_of_cover nulls last, warehouse_code, sku limit ?",
            (*self.params, limit),
        )

    def overstock(self, limit: int) -> pd.DataFrame:
        """Overstocked positions, most days of cover first."""
        return query(
            "select warehouse_code, sku, product_name, product_category, atp, safety_stock, "
            f"forecast_daily_demand, days_of_cover, forecast_28d, note {self.base} and is_overstock "
            "order by days_of_cover desc nulls first, atp desc, warehouse_code, sku limit ?",
            (*self.params, limit),
        )

    def proposals(self, limit: int) -> pd.DataFrame:
        """Replenishment and production proposals, by order date."""
        return query(
            "select proposal_date, proposal_type, proposal_qty, warehouse_code, sku, product_name, "
            "product_category, atp, shortage, reorder_point, safety_stock, lead_time_days, stockout_date, "
            f"note {self.base} and proposal_qty > 0 "
            "order by proposal_date, proposal_type, warehouse_code, sku limit ?",
            (*self.params, limit),
        )


def category_turnover(window_days: int = 365) -> tuple[pd.DataFrame, date | None, date | None]:
    """Inventory days per category over the last ``window_days`` with data, with the same query as the
    overview's card and drill-down (``queries.inventory_days``): (rows, first day, last day)."""
    end = query("select max(kpi_date) as d from marts.kpi_inventory_daily")["d"].iloc[0]
    if pd.isna(end):
        return pd.DataFrame(), None, None
    end = pd.Timestamp(end).date()
    start = end - timedelta(days=window_days - 1)
    bench = inventory_benchmark()
    value = float(bench["value"].iloc[0]) if len(bench) else None
    low = float(bench["band_low_factor"].iloc[0]) * value if value else None
    high = float(bench["band_high_factor"].iloc[0]) * value if value else None
    rows = inventory_days(start, end, ("product_category",), band=(low, high))
    rows = rows[rows["product_category"].notna() & (rows["inventory_value"] > 0)]
    rows = rows.rename(columns={"inventory_days": "turnover_days"}).assign(
        benchmark_days=value, band_low=low, band_high=high
    )
    return rows.sort_values("turnover_days", ascending=False, na_position="first"), start, end
