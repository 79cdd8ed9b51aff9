"""Queries of the KPI overview: Σ numerator and Σ denominator from the daily KPI marts.

Every headline figure and trend is Σ numerator ÷ Σ denominator over the pre-aggregated daily marts in
``dbt_project/models/marts/kpis`` (their YAML documents each rule); only a drill-down into one channel or
one order reads order-level tables, always filtered. Dates: OTD, OTIF and cycle time by delivery date;
fill rate by order date; OEE by shift date; inventory days by snapshot date (stock) and order date
(COGS); first response by ticket date, all in company time. Which filters each mart follows is set by
the ``dimensions`` each function passes to ``Filters.where``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from dashboards.warehouse import query, table_exists

KPI_MARTS = (
    "kpi_delivery_daily",
    "kpi_fill_daily",
    "kpi_machine_daily",
    "kpi_inventory_daily",
    "kpi_cs_daily",
)
ORDER_DIMENSIONS = {"channels": "channel", "categories": "product_category", "warehouses": "warehouse_code"}
INVENTORY_DIMENSIONS = {"categories": "product_category", "warehouses": "warehouse_code"}


def in_clause(column: str, values: tuple[str, ...]) -> tuple[str, tuple]:
    """``column in (?, ?, …)`` for a chosen filter, or nothing when the filter is empty (= all).

    Only placeholders are added to the SQL; the values travel as parameters.
    """
    if not values:
        return "", ()
    return f" and {column} in ({', '.join('?' * len(values))})", tuple(values)


@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    channels: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    work_centers: tuple[str, ...] = ()
    warehouses: tuple[str, ...] = ()

    def where(self, date_column: str, **dimensions: str) -> tuple[str, tuple]:
        """SQL condition and parameters: the date range plus the filters this mart can follow.

        ``dimensions`` maps a filter name (channels, categories, work_centers, warehouses) to the mart's
        column for it.
        """
        sql, params = f"{date_column} between ? and ?", (self.start, self.end)
        for name, column in dimensions.items():
            clause, values = in_clause(column, getattr(self, name))
            sql, params = sql + clause, params + values
        return sql, params


# ---- what the page needs before any filter ------------------------------------------------------------


def missing_marts() -> list[str]:
    return [name for name in KPI_MARTS if not table_exists("marts", name)]


def date_bounds() -> pd.Series:
    """First and last day with orders or stock (``first_day``, ``last_day``)."""
    return query(
        "select min(d) as first_day, max(d) as last_day from ("
        "select min(order_date) as d from marts.fct_orders "
        "union all select max(order_date) from marts.fct_orders "
        "union all select min(snapshot_date) from marts.fct_inventory_daily "
        "union all select max(snapshot_date) from marts.fct_inventory_daily)"
    ).iloc[0]


def kpi_targets() -> pd.DataFrame:
    return query("select kpi, target, direction, unit from seeds.kpi_targets").set_index("kpi")


def inventory_benchmark() -> pd.DataFrame:
    """The industry benchmark of inventory days for the company's industry (no row: none)."""
    return query(
        "select b.value, b.band_low_factor, b.band_high_factor, b.source from seeds.industry_benchmarks b "
        "join seeds.company_profile p on p.setting = 'industry' and p.value = b.industry "
        "where b.metric = 'inventory_days'"
    )


def channel_names() -> dict[str, str]:
    names = query("select channel, channel_name from marts.dim_channels order by channel")
    return dict(zip(names["channel"], names["channel_name"], strict=True))


def categories() -> list[str]:
    return query(
        "select product_category from marts.kpi_inventory_daily union "
        "select product_category from marts.kpi_delivery_daily union "
        "select product_category from marts.kpi_fill_daily order by 1"
    )["product_category"].tolist()


def work_center_names() -> dict[str, str]:
    names = query(
        "select distinct work_center, work_center_name from marts.kpi_machine_daily order by work_center"
    )
    return dict(zip(names["work_center"], names["work_center_name"], strict=True))


def warehouses() -> list[str]:
    return query(
        "select distinct warehouse_code from marts.kpi_inventory_daily where warehouse_code is not null "
        "union select distinct warehouse_code from marts.kpi_delivery_daily where warehouse_code is not null "
        "order by 1"
    )["warehouse_code"].tolist()


# ---- headline figures: one query per mart, by trend bucket ("week" or "month", never user text) ------


def delivery_by_bucket(filters: Filters, bucket: str) -> pd.DataFrame:
    sql, params = filters.where("delivered_date", **ORDER_DIMENSIONS)
    return query(
        f"select date_trunc('{bucket}', delivered_date) as bucket, sum(delivered_orders) as delivered, "
        "sum(on_time_orders) as on_time, sum(otif_orders) as otif, sum(in_full_orders) as in_full, "
        "sum(cycle_time_hours) as cycle_time_hours "
        f"from marts.kpi_delivery_daily where {sql} group by 1 order by 1",
        params,
    )


def fill_by_bucket(filters: Filters, bucket: str) -> pd.DataFrame:
    sql, params = filters.where("order_date", **ORDER_DIMENSIONS)
    return query(
        f"select date_trunc('{bucket}', order_date) as bucket, sum(units_ordered) as ordered, "
        f"sum(units_filled) as filled from marts.kpi_fill_daily where {sql} group by 1 order by 1",
        params,
    )


def machines_by_bucket(filters: Filters, bucket: str) -> pd.DataFrame:
    sql, params = filters.where("shift_date", work_centers="work_center")
    return query(
        f"select date_trunc('{bucket}', shift_date) as bucket, sum(planned_production_minutes) as ppt, "
        "sum(oee_weighted) as oee, sum(availability_weighted) as run, sum(net_run_minutes) as net_run, "
        "sum(shift_minutes) as shift_minutes "
        f"from marts.kpi_machine_daily where {sql} group by 1 order by 1",
        params,
    )


def inventory_by_bucket(filters: Filters, bucket: str) -> pd.DataFrame:
    sql, params = filters.where("kpi_date", **INVENTORY_DIMENSIONS)
    return query(
        f"select date_trunc('{bucket}', kpi_date) as bucket, sum(inventory_value) as inventory_value, "
        "sum(cogs) as cogs, count(distinct kpi_date) filter (where is_snapshot_day) as days "
        f"from marts.kpi_inventory_daily where {sql} group by 1 order by 1",
        params,
    )


def tickets_by_bucket(filters: Filters, bucket: str) -> pd.DataFrame:
    sql, params = filters.where("created_date", channels="channel")
    return query(
        f"select date_trunc('{bucket}', created_date) as bucket, sum(tickets) as tickets, "
        "sum(answered_tickets) as answered, sum(first_response_minutes) as minutes "
        f"from marts.kpi_cs_daily where {sql} group by 1 order by 1",
        params,
    )


# ---- drill-downs --------------------------------------------------------------------------------------


def otd_by_channel(filters: Filters) -> pd.DataFrame:
    sql, params = filters.where("delivered_date", **ORDER_DIMENSIONS)
    return query(
        "select channel, sum(delivered_orders) as delivered, sum(on_time_orders) as on_time, "
        "sum(late_orders) as late, sum(late_production_orders) as late_production, "
        "sum(late_shipment_orders) as late_shipment, sum(carrier_late_orders) as carrier "
        f"from marts.kpi_delivery_daily where {sql} group by channel order by channel",
        params,
    )


def late_orders(filters: Filters, channel: str, limit: int) -> pd.DataFrame:
    """The channel's late orders, newest first, at most ``limit`` rows."""
    sql, params = filters.where("delivered_date", **INVENTORY_DIMENSIONS)
    return query(
        "select order_key, channel_order_id, order_date, promised_date, ship_by_date, shipped_date, "
        "delivered_date, days_late, carrier, standard_transit_days, warehouse_code, product_category, "
        "late_reason, late_production_order_id "
        f"from marts.kpi_late_orders where channel = ? and {sql} "
        f"order by delivered_date desc, channel_order_id limit {limit}",
        (channel, *params),
    )


def order_lines(order_key: str) -> pd.DataFrame:
    """The lines of one order with what was shipped and delivered of each SKU."""
    return query(
        "select l.line_number, l.sku, p.product_name, p.product_category, l.quantity, l.line_status, "
        "l.unit_price, l.currency, l.line_amount_reporting, s.shipped_quantity, s.delivered_quantity, "
        "s.warehouse_code, s.shipped_at_utc, s.delivered_at_utc "
        "from marts.fct_order_lines l left join marts.dim_products p on p.sku = l.sku "
        "left join (select sku, sum(quantity) as shipped_quantity, "
        "sum(case when delivered_at_utc is not null then quantity else 0 end) as delivered_quantity, "
        "min(warehouse_code) as warehouse_code, min(shipped_at_utc) as shipped_at_utc, "
        "max(delivered_at_utc) as delivered_at_utc "
        "from marts.fct_shipments where order_key = ? group by sku) s "
        "on s.sku = l.sku where l.order_key = ? order by l.line_number",
        (order_key, order_key),
    )


def oee_by_machine(filters: Filters) -> pd.DataFrame:
    sql, params = filters.where("shift_date", work_centers="work_center")
    return query(
        "select machine_id, max(machine_name) as machine_name, work_center, "
        "max(work_center_name) as work_center_name, sum(planned_production_minutes) as ppt, "
        "sum(oee_weighted) / sum(planned_production_minutes) as oee, "
        "sum(availability_weighted) / sum(planned_production_minutes) as availability, "
        "sum(net_run_minutes) / nullif(sum(availability_weighted), 0) as performance, "
        "sum(oee_weighted) / nullif(sum(net_run_minutes), 0) as quality, "
        "sum(planned_production_minutes) / nullif(sum(shift_minutes), 0) as utilisation, "
        "sum(lost_minutes) as lost, "
        "sum(breakdown_minutes) as breakdown_minutes, sum(setup_minutes) as setup_minutes, "
        "sum(minor_stop_minutes) as minor_stop_minutes, sum(reduced_speed_minutes) as reduced_speed_minutes, "
        "sum(quality_loss_minutes) as quality_loss_minutes, sum(shifts_over_ideal_speed) as over_ideal "
        f"from marts.kpi_machine_daily where {sql} "
        "group by machine_id, work_center having sum(planned_production_minutes) > 0 "
        "order by work_center, machine_id",
        params,
    )


def delivery_by_channel(filters: Filters) -> pd.DataFrame:
    sql, params = filters.where("delivered_date", **ORDER_DIMENSIONS)
    return query(
        "select d.channel, sum(delivered_orders) as delivered, sum(on_time_orders) as on_time, "
        "sum(in_full_orders) as in_full, sum(otif_orders) as otif, "
        "sum(cycle_time_hours) / sum(delivered_orders) / 24 as cycle_days, "
        "max(c.service_level_days) as service_level_days "
        "from marts.kpi_delivery_daily d left join marts.dim_channels c on c.channel = d.channel "
        f"where {sql} group by d.channel order by d.channel",
        params,
    )


def fill_by_channel(filters: Filters) -> pd.DataFrame:
    sql, params = filters.where("order_date", **ORDER_DIMENSIONS)
    return query(
        "select channel, sum(units_ordered) as ordered, sum(units_filled) as filled "
        f"from marts.kpi_fill_daily where {sql} group by channel order by channel",
        params,
    )


def tickets_by_channel(filters: Filters) -> pd.DataFrame:
    sql, params = filters.where("created_date", channels="channel")
    return query(
        "select channel, sum(tickets) as tickets, sum(answered_tickets) as answered, "
        "sum(first_response_minutes) / nullif(sum(answered_tickets), 0) as response_minutes "
        f"from marts.kpi_cs_daily where {sql} group by channel order by channel",
        params,
    )
