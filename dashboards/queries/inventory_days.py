"""Inventory days (DIO), the one query behind the overview card, its drill-down and the forecast page's
turnover chart, so the three always agree.

DIO of a group over [start, end] = Σ daily stock value ÷ Σ COGS (= average stock ÷ COGS × days), from
``marts.kpi_inventory_daily`` (stock by snapshot date, COGS by order date; COGS of lines not shipped
yet has no warehouse). Status against the band [low, high]: 'below', 'within', 'above'; a group with
stock and no COGS is 'above' with no DIO (stock that did not sell).
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboards.warehouse import query

GROUPS = ("product_category", "warehouse_code")


def band_status(days: float | None, low: float | None, high: float | None, stock: float) -> str | None:
    if days is None or pd.isna(days):
        return "above" if stock > 0 else None
    if low is None or high is None:
        return None
    return "below" if days < low else "above" if days > high else "within"


def inventory_days(
    start: date,
    end: date,
    by: tuple[str, ...] = (),
    categories: tuple[str, ...] = (),
    warehouses: tuple[str, ...] = (),
    band: tuple[float | None, float | None] = (None, None),
) -> pd.DataFrame:
    """One row per group of ``by`` (a subset of ``GROUPS``; none: one row for everything): inventory_value
    (Σ daily stock value), cogs, days (snapshot days in the range), average_stock, inventory_days, status."""
    if not set(by) <= set(GROUPS):
        raise ValueError(f"group by {by}: only {GROUPS}")
    sql, params = "kpi_date between ? and ?", [start, end]
    for column, values in (("product_category", categories), ("warehouse_code", warehouses)):
        if values:
            sql += f" and {column} in ({', '.join('?' * len(values))})"
            params += list(values)
    keys = ", ".join(by)
    select = f"{keys}, " if by else ""
    group = f"group by {keys} " if by else ""
    frame = query(
        f"select {select}coalesce(sum(inventory_value), 0) as inventory_value, "
        "coalesce(sum(cogs), 0) as cogs, "
        "(select count(distinct kpi_date) from marts.kpi_inventory_daily "
        f"where {sql} and is_snapshot_day) as days "
        f"from marts.kpi_inventory_daily where {sql} {group}",
        tuple(params + params),
    )
    frame["average_stock"] = frame["inventory_value"] / frame["days"].where(frame["days"] > 0)
    cogs = frame["cogs"].where(frame["cogs"] > 0)
    frame["inventory_days"] = (frame["inventory_value"] / cogs).astype(float)
    low, high = band
    frame["status"] = [
        band_status(None if pd.isna(d) else float(d), low, high, float(v))
        for d, v in zip(frame["inventory_days"], frame["inventory_value"], strict=True)
    ]
    return frame
