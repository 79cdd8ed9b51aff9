"""Queries of the oversell card: lines accepted when the SKU's ATP across channels was gone.

The rate is Σ oversold lines ÷ Σ accepted lines judged, from ``marts.kpi_oversell_daily`` by company day
of acceptance; the drill-down reads ``marts.fct_oversell_lines`` (inventory/oversell.py states the rule).
"""

from __future__ import annotations

import pandas as pd

from dashboards.queries.overview import Filters
from dashboards.warehouse import query, table_exists


def available() -> bool:
    return table_exists("marts", "kpi_oversell_daily") and table_exists("marts", "fct_oversell_lines")


def by_channel(filters: Filters) -> pd.DataFrame:
    """Per channel in the range: accepted lines, oversold lines and units."""
    where, params = filters.where("day", channels="channel")
    return query(
        "select channel, sum(accepted_lines) as accepted_lines, sum(oversold_lines) as oversold_lines, "
        f"sum(oversold_units) as oversold_units from marts.kpi_oversell_daily where {where} "
        "group by channel order by channel",
        params,
    )


def oversold_lines(filters: Filters, channel: str) -> pd.DataFrame:
    """The oversold lines of one channel in the range, newest first."""
    where, params = filters.where("day")
    return query(
        "select day, channel_order_id as order_id, sku, qty, available_before, outcome, accepted_at "
        f"from marts.fct_oversell_lines where {where} and channel = ? "
        "order by accepted_at desc, order_id limit 500",
        (*params, channel),
    )


def sync_gap() -> pd.DataFrame:
    """SKU × warehouse positions where WMS reserved units and open orders disagree, largest first."""
    if not table_exists("marts", "fct_atp_sync_gap"):
        return pd.DataFrame(columns=["sku", "warehouse_id", "wms_reserved", "open_order_demand", "gap"])
    return query(
        "select sku, warehouse_id, wms_reserved, open_order_demand, gap from marts.fct_atp_sync_gap "
        "where gap <> 0 order by abs(gap) desc, sku, warehouse_id limit 500"
    )
