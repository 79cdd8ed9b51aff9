"""Queries of the promise page: the choices (SKUs, channels, warehouses) and the answer of
``planning.promise_answer`` on the published warehouse."""

from __future__ import annotations

import pandas as pd

from core.settings import COMPANY_TIME_ZONE
from dashboards.queries.overview import channel_names as channels  # noqa: F401 (the page's choices)
from dashboards.warehouse import call, query, table_exists


def ready() -> bool:
    return table_exists("marts", "dim_products") and table_exists("marts", "fct_inventory_daily")


def skus() -> dict[str, str]:
    """SKU → product name, active products first."""
    rows = query("select sku, product_name from marts.dim_products order by not is_active, sku")
    return dict(zip(rows["sku"], rows["product_name"], strict=True))


def warehouses() -> list[str]:
    return query(
        "select distinct warehouse_code from marts.fct_inventory_daily "
        "where snapshot_date = (select max(snapshot_date) from marts.fct_inventory_daily) order by 1"
    )["warehouse_code"].tolist()


def answer(sku: str, quantity: int, channel: str | None, warehouse: str | None):
    """The promise (``planning.promise.Promise``), cached per published version."""
    return call("planning.promise_answer.promise", sku, int(quantity), COMPANY_TIME_ZONE, channel, warehouse)


def atp(sku: str, warehouse: str | None) -> pd.DataFrame:
    """ATP per warehouse and day of the SKU, as the promise read it."""
    return call("planning.promise_atp.read_atp_daily", sku, warehouse)
