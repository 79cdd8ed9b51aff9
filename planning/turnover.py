"""Inventory turnover days (DIO) per SKU and per category over the last 365 days, against the benchmark.

DIO = average inventory value ÷ COGS × days (shared/reference/domain.md), with the KPI definitions of
``kpis.formulas`` (applied to totals per SKU and day, ``kpis.daily``):
COGS = standard cost of units sold (lines confirmed, shipped or delivered, by order date) net of store
returns; average inventory value = mean over the snapshot days of the end-of-day stock value at
standard cost (all warehouses). Status against the band
[band_low_factor × benchmark, band_high_factor × benchmark]: 'below', 'within' or 'above'; stock that
did not sell at all (COGS ≤ 0 with inventory) is 'above' with no DIO.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import pandas as pd

from kpis import formulas

WINDOW_DAYS = 365


def status(days: float | None, low: float, high: float, has_inventory: bool) -> str | None:
    if days is None:
        return "above" if has_inventory else None
    return "below" if days < low else "above" if days > high else "within"


def turnover(
    cogs: pd.DataFrame,
    stock: pd.DataFrame,
    products: pd.DataFrame,
    as_of: date,
    benchmark_days: float,
    low_factor: float = 0.8,
    high_factor: float = 1.2,
    stocked_skus: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Rows per SKU (level 'sku') and per category (level 'category').

    Per-day totals (``kpis.daily``): ``cogs``: sku, order_date, cogs; ``stock``: sku,
    snapshot_date, inventory_value_reporting; ``products``: sku, product_category. Days outside the
    window do not count, so a caller may pass only the window's; ``stocked_skus`` then names every SKU
    ever in stock (default: those of ``stock``), each of which gets a row.
    """
    start = as_of - timedelta(days=WINDOW_DAYS - 1)
    category = products.set_index("sku")["product_category"]
    sold = cogs.assign(product_category=cogs["sku"].map(category))
    stock = stock.assign(product_category=stock["sku"].map(category))
    skus = pd.Series(stock["sku"].unique() if stocked_skus is None else list(stocked_skus), dtype=object)
    low, high = low_factor * benchmark_days, high_factor * benchmark_days
    rows = []
    for level, key in (("sku", "sku"), ("category", "product_category")):
        sold_by = dict(tuple(sold.groupby(key)))
        stock_by = dict(tuple(stock.groupby(key)))
        values = skus if level == "sku" else skus.map(category)
        for value in sorted(values.dropna().unique()):
            inv = stock_by.get(value, stock.iloc[0:0])
            cogs_value = formulas.cost_of_goods_sold_daily(sold_by.get(value, sold.iloc[0:0]), start, as_of)
            avg_value, days = formulas.average_inventory_value(inv, start, as_of)
            dio = formulas.inventory_days(avg_value, cogs_value, days)
            rows.append(
                {
                    "level": level,
                    "sku": value if level == "sku" else None,
                    "product_category": category.get(value) if level == "sku" else value,
                    "cogs_reporting": cogs_value,
                    "avg_inventory_value": avg_value,
                    "turnover_days": dio,
                    "benchmark_days": float(benchmark_days),
                    "band_low": low,
                    "band_high": high,
                    "status": status(dio, low, high, avg_value > 0),
                }
            )
    return pd.DataFrame(rows)
