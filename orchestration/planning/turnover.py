"""Inventory turnover days (DIO) per SKU and per category over the last 365 days, against the benchmark.

DIO = average inventory value ÷ COGS × days (shared/reference/domain.md), with the KPI definitions of
``orchestration.kpis.formulas``: COGS = standard cost of units sold (lines confirmed, shipped or delivered,
by order date) net of store returns; average inventory value = mean over the snapshot days of the
end-of-day stock value at standard cost (all warehouses). Status against the band
[band_low_factor × benchmark, band_high_factor × benchmark]: 'below', 'within' or 'above'; stock that
did not sell at all (COGS ≤ 0 with inventory) is 'above' with no DIO.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from orchestration.kpis import formulas

WINDOW_DAYS = 365


def status(days: float | None, low: float, high: float, has_inventory: bool) -> str | None:
    if days is None:
        return "above" if has_inventory else None
    return "below" if days < low else "above" if days > high else "within"


def turnover(
    order_lines: pd.DataFrame,
    inventory_daily: pd.DataFrame,
    products: pd.DataFrame,
    as_of: date,
    benchmark_days: float,
    low_factor: float = 0.8,
    high_factor: float = 1.2,
) -> pd.DataFrame:
    """Rows per SKU (level 'sku') and per category (level 'category').

    ``order_lines``: sku, order_date, line_status, quantity, line_cost_reporting; ``inventory_daily``:
    sku, snapshot_date, inventory_value_reporting; ``products``: sku, product_category.
    """
    start = as_of - timedelta(days=WINDOW_DAYS - 1)
    category = products.set_index("sku")["product_category"]
    lines = order_lines.assign(product_category=order_lines["sku"].map(category))
    stock = inventory_daily.assign(product_category=inventory_daily["sku"].map(category))
    low, high = low_factor * benchmark_days, high_factor * benchmark_days
    rows = []
    for level, key in (("sku", "sku"), ("category", "product_category")):
        lines_by = dict(tuple(lines.groupby(key)))
        for value, inv in stock.groupby(key):
            cogs = formulas.cost_of_goods_sold(lines_by.get(value, lines.iloc[0:0]), start, as_of)
            avg_value, days = formulas.average_inventory_value(inv, start, as_of)
            dio = formulas.inventory_days(avg_value, cogs, days)
            rows.append(
                {
                    "level": level,
                    "sku": value if level == "sku" else None,
                    "product_category": category.get(value) if level == "sku" else value,
                    "cogs_reporting": cogs,
                    "avg_inventory_value": avg_value,
                    "turnover_days": dio,
                    "benchmark_days": float(benchmark_days),
                    "band_low": low,
                    "band_high": high,
                    "status": status(dio, low, high, avg_value > 0),
                }
            )
    return pd.DataFrame(rows)
