"""Per-day totals of the KPI inputs, summed in DuckDB, for the KPI assets to apply the formulas to.

The formulas of ``kpis.formulas`` are sums over the rows of a period, so summing per day
first gives the same figures, and a run reads a few rows per day (or per SKU and day) instead of every
order and order line of the history into pandas. The ``where`` clauses are the formulas' row rules
(tests/kpis/test_daily_totals.py checks both paths agree). Money is summed exactly (DECIMAL) per day.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from kpis.formulas import SOLD_STATUSES

_SOLD = ", ".join(f"'{s}'" for s in SOLD_STATUSES)

# on_time_delivery: shipped orders not cancelled, by delivery date (not a partial order, until complete).
DELIVERIES_SQL = """
select delivered_date, count(*) filter (where delivered_date <= promised_date) as on_time,
    count(*) as delivered
from marts.fct_orders
where delivered_date is not null and order_status is distinct from 'cancelled' and fulfilment_type = 'ship'
    and not is_partial
group by 1 order by 1
"""

# cost_of_goods_sold: sold lines and store returns, by order date (not a partial order's lines).
COGS_SQL = f"""
select {{keys}}order_date, cast(sum(line_cost_reporting) as double) as cogs
from marts.fct_order_lines
where (line_status in ({_SOLD}) or quantity < 0) and not is_partial_order {{where}}
group by all order by all
"""

# average_inventory_value: the end-of-day stock value of all warehouses, per day.
STOCK_SQL = """
select {keys}snapshot_date, cast(sum(inventory_value_reporting) as double) as inventory_value_reporting
from marts.fct_inventory_daily
where true {where}
group by all order by all
"""


def _window(column: str, start: date | None, end: date | None) -> tuple[str, list]:
    if start is None or end is None:
        return "", []
    return f"and {column} between ? and ?", [start, end]


def deliveries(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """``delivered_date, on_time, delivered``: the orders OTD counts, per delivery day."""
    return conn.execute(DELIVERIES_SQL).df()


def cogs(
    conn: duckdb.DuckDBPyConnection, by_sku: bool = False, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """``[sku,] order_date, cogs``: cost of goods sold per order day (and SKU), optionally in [start, end]."""
    where, params = _window("order_date", start, end)
    if by_sku:
        where += " and sku is not null"
    sql = COGS_SQL.format(keys="sku, " if by_sku else "", where=where)
    return conn.execute(sql, params).df()


def stock(
    conn: duckdb.DuckDBPyConnection, by_sku: bool = False, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """``[sku,] snapshot_date, inventory_value_reporting``: stock value per day (and SKU)."""
    where, params = _window("snapshot_date", start, end)
    sql = STOCK_SQL.format(keys="sku, " if by_sku else "", where=where)
    return conn.execute(sql, params).df()


def order_days(conn: duckdb.DuckDBPyConnection) -> tuple[date | None, date | None]:
    """The first and last order date: with the stock days, the span the KPI periods cover."""
    [(first, last)] = conn.execute("select min(order_date), max(order_date) from marts.fct_orders").fetchall()
    return first, last
