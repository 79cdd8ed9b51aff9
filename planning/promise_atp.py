"""ATP per SKU × warehouse × day, read from the warehouse for capable-to-promise (``planning.promise``).

Reads ``marts.fct_atp_daily`` (the time-phased ATP of issue 19) when the warehouse has it; until then
:func:`atp_daily_fallback_from_todays_tables` computes the same columns from today's tables. Columns:
``sku, warehouse_id, date, on_hand, open_demand, scheduled_receipts, atp`` with, per warehouse and day d,
atp(d) = on_hand − open_demand + scheduled_receipts due on or before d (projected available on d).
"""

from __future__ import annotations

import pandas as pd

from forecasting.horizons import HORIZONS

ATP_MART = ("marts", "fct_atp_daily")
ATP_COLUMNS = ("sku", "warehouse_id", "date", "on_hand", "open_demand", "scheduled_receipts", "atp")
HORIZON_DAYS = HORIZONS["D"]

# The fallback's rules, in SQL (one parameter: the SKU).
# - on hand: the newest WMS snapshot (in transit arrives the next day, as the inventory plan counts it);
# - open demand: confirmed lines of every channel less what shipped of them, reserved against the
#   warehouse that shipped most of that channel's units (order lines carry no warehouse); pending lines
#   (inquiries, quotes, unpaid) reserve nothing;
# - production receipts: each open production order's remaining quantity at its planned completion in
#   the chosen plan, into the warehouse holding most of the SKU.
FALLBACK_SQL = """
with latest as (select max(snapshot_date) as as_of from marts.fct_inventory_daily),
stock as (
    select i.warehouse_code as warehouse_id, i.on_hand_qty as on_hand, i.in_transit_qty as in_transit
    from marts.fct_inventory_daily as i, latest
    where i.snapshot_date = latest.as_of and i.sku = $sku
),
channel_warehouse as (
    select channel, arg_max(warehouse_code, units) as warehouse_id from (
        select o.channel, s.warehouse_code, sum(s.quantity) as units
        from marts.fct_shipments as s join marts.fct_orders as o using (order_key)
        where s.warehouse_code is not null group by all
    ) group by channel
),
shipped as (
    select order_key, sum(quantity) as quantity from marts.fct_shipments where sku = $sku group by 1
),
open_lines as (
    select l.order_key, l.channel, sum(l.quantity) as quantity
    from marts.fct_order_lines as l
    where l.sku = $sku and l.line_status = 'confirmed' and l.quantity > 0
    group by all
),
open_demand as (
    select cw.warehouse_id, sum(greatest(ol.quantity - coalesce(s.quantity, 0), 0)) as open_demand
    from open_lines as ol left join shipped as s using (order_key)
    join channel_warehouse as cw using (channel)
    group by 1
),
home as (select arg_max(warehouse_id, on_hand) as warehouse_id from stock),
production as (
    select home.warehouse_id, cast(timezone($zone, timezone('UTC', o.planned_completion_utc)) as date)
        as receipt_date, sum(p.remaining_quantity) as quantity
    from production.schedule_orders as o
    join (select production_order_id, arg_max(remaining_quantity, operation_seq) as remaining_quantity
          from marts.fct_production_operations group by 1) as p
        using (production_order_id),
        home
    where o.method = (select method from production.schedule_runs where is_chosen limit 1)
        and o.sku = $sku
    group by all
),
days as (
    select cast(unnest(range(latest.as_of + 1, latest.as_of + 1 + $horizon, interval 1 day)) as date)
        as date
    from latest
),
warehouses as (
    select warehouse_id from stock union select warehouse_id from open_demand
),
receipts as (
    select w.warehouse_id, d.date,
        coalesce((select sum(in_transit) from stock where stock.warehouse_id = w.warehouse_id), 0)
        + coalesce((select sum(quantity) from production as p
                    where p.warehouse_id = w.warehouse_id and p.receipt_date <= d.date), 0)
            as scheduled_receipts
    from warehouses as w, days as d
)
select
    $sku as sku, r.warehouse_id, r.date,
    coalesce(s.on_hand, 0)::double as on_hand,
    coalesce(od.open_demand, 0)::double as open_demand,
    r.scheduled_receipts::double as scheduled_receipts,
    (coalesce(s.on_hand, 0) - coalesce(od.open_demand, 0) + r.scheduled_receipts)::double as atp
from receipts as r
left join stock as s using (warehouse_id)
left join open_demand as od using (warehouse_id)
order by r.warehouse_id, r.date
"""


def has_table(conn, schema: str, name: str) -> bool:
    return bool(
        conn.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
            [schema, name],
        ).fetchone()[0]
    )


def atp_daily_fallback_from_todays_tables(conn, sku: str, zone: str) -> pd.DataFrame:
    """ATP rows of ``sku`` computed from today's tables (the rules above ``FALLBACK_SQL``); ``zone``:
    the company's time zone, which turns a planned completion into a receipt date."""
    params = {"sku": sku, "zone": zone, "horizon": HORIZON_DAYS}
    has_plan = has_table(conn, "production", "schedule_orders")
    sql = FALLBACK_SQL if has_plan else _without_production(FALLBACK_SQL)
    return conn.execute(sql, params).df()


def _without_production(sql: str) -> str:
    """The fallback for a warehouse without a production plan: no production receipts."""
    start = sql.index("production as (")
    end = sql.index("days as (")
    empty = (
        "production as (select cast(null as varchar) as warehouse_id, cast(null as date) as receipt_date, "
        "0 as quantity where false),\n"
    )
    return sql[:start] + empty + sql[end:]


def read_atp_daily(conn, sku: str, zone: str, warehouse: str | None = None) -> pd.DataFrame:
    """ATP per warehouse and day of ``sku`` (optionally one ``warehouse``): the mart when present, else
    the fallback."""
    if has_table(conn, *ATP_MART):
        frame = conn.execute(
            f"select {', '.join(ATP_COLUMNS)} from {'.'.join(ATP_MART)} where sku = ? order by 2, 3", [sku]
        ).df()
    else:
        frame = atp_daily_fallback_from_todays_tables(conn, sku, zone)
    if warehouse is not None:
        frame = frame[frame["warehouse_id"] == warehouse]
    frame = frame.assign(date=pd.to_datetime(frame["date"]).dt.date)
    return frame.reset_index(drop=True)
