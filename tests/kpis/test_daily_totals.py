"""The per-day totals DuckDB sums (kpis.daily) give the figures of the row formulas."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import numpy as np
import pandas as pd
import pytest

from kpis import daily, formulas

DAYS = [date(2026, 1, 1) + timedelta(days=d) for d in range(90)]
PERIODS = [(date(2026, 1, 1), date(2026, 1, 31)), (date(2026, 2, 10), date(2026, 3, 31)), (DAYS[0], DAYS[-1])]


@pytest.fixture(scope="module")
def conn():
    """Random marts with the awkward rows: missing statuses and dates, cancelled orders, counter sales,
    returns (negative lines), lines without cost, partial orders."""
    rng = np.random.default_rng(3)
    n = 2_000

    def pick(values, size=n):
        return [values[i] for i in rng.integers(0, len(values), size)]

    delivered = pd.Series(pick([*DAYS, None]))
    orders = pd.DataFrame(
        {
            "order_date": pick(DAYS),
            "delivered_date": delivered,
            "promised_date": pick([*DAYS, None]),
            "order_status": pick(["delivered", "shipped", "cancelled", "returned", None]),
            "fulfilment_type": pick(["ship", "ship", "counter", None]),
            "is_partial": rng.random(n) < 0.05,
        }
    )
    lines = pd.DataFrame(
        {
            "sku": pick(["A", "B", "C", None]),
            "order_date": pick(DAYS),
            "line_status": pick(
                ["confirmed", "shipped", "delivered", "pending", "cancelled", "refunded", None]
            ),
            "quantity": rng.integers(-2, 5, n),
            "line_cost_reporting": [
                None if rng.random() < 0.05 else round(float(x), 4) for x in rng.random(n) * 90
            ],
            "is_partial_order": rng.random(n) < 0.05,
        }
    )
    stock = pd.DataFrame(
        {
            "sku": pick(["A", "B", "C"]),
            "snapshot_date": pick(DAYS[:80]),
            "inventory_value_reporting": [round(float(x), 4) for x in rng.random(n) * 500],
        }
    )
    db = duckdb.connect()
    db.execute("create schema marts")
    for name, frame, casts in (
        ("fct_orders", orders, "cast(order_date as date) order_date, cast(delivered_date as date) "
         "delivered_date, cast(promised_date as date) promised_date, order_status, fulfilment_type, "
         "is_partial"),
        ("fct_order_lines", lines, "sku, cast(order_date as date) order_date, line_status, quantity, "
         "cast(line_cost_reporting as decimal(18, 4)) line_cost_reporting, is_partial_order"),
        ("fct_inventory_daily", stock, "sku, cast(snapshot_date as date) snapshot_date, "
         "cast(inventory_value_reporting as decimal(18, 4)) inventory_value_reporting"),
    ):  # fmt: skip
        db.register("frame", frame)
        db.execute(f"create table marts.{name} as select {casts} from frame")
        db.unregister("frame")
    yield db
    db.close()


def rows(conn, table: str) -> pd.DataFrame:
    return conn.execute(f"select * from marts.{table}").df()


@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_otd_from_daily_counts_equals_otd_from_orders(conn, start, end):
    expected = formulas.on_time_delivery(rows(conn, "fct_orders"), start, end)
    actual = formulas.on_time_delivery_daily(daily.deliveries(conn), start, end)
    assert (actual.numerator, actual.denominator) == (expected.numerator, expected.denominator)
    assert expected.denominator > 0


@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_cogs_and_stock_from_daily_totals_equal_those_from_rows(conn, start, end):
    lines, stock = rows(conn, "fct_order_lines"), rows(conn, "fct_inventory_daily")
    expected_cogs = formulas.cost_of_goods_sold(lines, start, end)
    assert formulas.cost_of_goods_sold_daily(daily.cogs(conn), start, end) == pytest.approx(
        expected_cogs, rel=1e-12
    )
    assert formulas.average_inventory_value(daily.stock(conn), start, end) == pytest.approx(
        formulas.average_inventory_value(stock, start, end), rel=1e-12
    )
    # per SKU, in a window: what inventory turnover reads
    per_sku = daily.cogs(conn, by_sku=True, start=start, end=end)
    for sku, got in per_sku.groupby("sku"):
        want = formulas.cost_of_goods_sold(lines[lines["sku"] == sku], start, end)
        assert formulas.cost_of_goods_sold_daily(got, start, end) == pytest.approx(want, rel=1e-12)
    assert set(per_sku["sku"]) == {"A", "B", "C"}
    assert per_sku["order_date"].between(pd.Timestamp(start), pd.Timestamp(end)).all()
    stock_sku = daily.stock(conn, by_sku=True, start=start, end=end)
    for sku, got in stock_sku.groupby("sku"):
        want = formulas.average_inventory_value(stock[stock["sku"] == sku], start, end)
        assert formulas.average_inventory_value(got, start, end) == pytest.approx(want, rel=1e-12)


def test_order_days_are_the_first_and_last_order_date(conn):
    assert daily.order_days(conn) == (DAYS[0], DAYS[-1])
