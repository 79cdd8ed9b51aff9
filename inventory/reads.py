"""What the ATP, the feeds and the oversell replay read from the build warehouse (times in UTC, company
days in the company's time zone). The only module of the library that runs SQL.

Rules (docs/inventory.md):
- An open line = a line of an order accepted and not finished (status confirmed or shipped) that is not
  cancelled; its open units = ordered − shipped for the order and SKU. It is reserved against the
  warehouse its order ships from (its first shipment), else its channel's home warehouse (the one that
  shipped most of the channel's units), and due on its promised date.
- Production receipts: the open production orders of the chosen plan (``production.schedule_runs``),
  quantity to produce − produced, on the company day of their planned completion, into the warehouse that
  received most production receipts.
- Purchase and transfer receipts: the WMS's in-transit units of the newest snapshot, due at the latest
  one vendor lead time after it (the WMS gives no due date).
- The oversell replay judges the lines shipped from stock: counter sales (handed over from the shelf)
  and made-to-order lines (a production order names their order, by its channel order id or its
  fulfilment reference: a social order is made against its conversation's quote) are left out.
"""

from __future__ import annotations

import pandas as pd

SNAPSHOT_SQL = """
select snapshot_date, warehouse_code as warehouse_id, sku, on_hand_qty as on_hand,
    reserved_qty as reserved, in_transit_qty as in_transit
from marts.fct_inventory_daily
where snapshot_date = (select max(snapshot_date) from marts.fct_inventory_daily)
"""

OPEN_LINES_SQL = """
with shipped as (
    select order_key, sku, sum(quantity) as shipped_qty, min(warehouse_code) as first_warehouse,
        count(distinct shipment_id) as shipments
    from marts.fct_shipments where order_key is not null group by 1, 2
),
order_warehouse as (
    select order_key, arg_min(warehouse_code, shipped_at_utc) as warehouse_id
    from marts.fct_shipments where order_key is not null group by 1
),
home as (
    select channel, arg_max(warehouse_code, units) as warehouse_id
    from (select channel, warehouse_code, sum(quantity) as units from marts.fct_shipments group by 1, 2)
    group by 1
)
select l.channel, l.channel_order_id, l.line_number, l.sku, l.channel_sku,
    coalesce(w.warehouse_id, h.warehouse_id) as warehouse_id,
    coalesce(o.promised_date, l.order_date) as date,
    greatest(l.quantity - coalesce(s.shipped_qty, 0), 0) as qty
from marts.fct_order_lines l
join marts.fct_orders o on o.order_key = l.order_key
left join shipped s on s.order_key = l.order_key and s.sku = l.sku
left join order_warehouse w on w.order_key = l.order_key
left join home h on h.channel = l.channel
where o.order_status in ('confirmed', 'shipped') and l.line_status in ('confirmed', 'shipped')
    and not coalesce(l.is_line_cancelled, false) and l.quantity > 0
    and l.quantity - coalesce(s.shipped_qty, 0) > 0
"""

PRODUCTION_SQL = """
with plan as (
    select o.production_order_id, o.sku, o.planned_completion_utc
    from production.schedule_orders o
    join production.schedule_runs r on r.method = o.method and r.as_of = o.as_of and r.is_chosen
),
plant as (
    select warehouse_code from staging.stg_wms__movements where movement_type = 'production_receipt'
    group by 1 order by count(*) desc, 1 limit 1
)
select 'production' as source, p.production_order_id as reference, p.sku,
    (select warehouse_code from plant) as warehouse_id,
    cast(timezone(?, p.planned_completion_utc at time zone 'UTC') as date) as date,
    greatest(e.quantity_to_produce - coalesce(e.quantity_produced, 0), 0) as qty
from plan p
join staging.stg_erp__production_orders e on e.production_order_id = p.production_order_id
where e.quantity_to_produce > coalesce(e.quantity_produced, 0)
"""

IN_TRANSIT_SQL = """
select 'in transit' as source, s.warehouse_code || ' ' || s.sku as reference, s.sku,
    s.warehouse_code as warehouse_id,
    s.snapshot_date + cast(coalesce(p.vendor_lead_time_days, 0) as integer) as date,
    s.in_transit_qty as qty
from marts.fct_inventory_daily s
left join marts.dim_products p on p.sku = s.sku
where s.snapshot_date = (select max(snapshot_date) from marts.fct_inventory_daily) and s.in_transit_qty > 0
"""


def table_exists(conn, schema: str, name: str) -> bool:
    return bool(
        conn.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
            [schema, name],
        ).fetchone()[0]
    )


def company_time_zone(conn) -> str:
    row = conn.execute("select value from seeds.company_profile where setting = 'time_zone'").fetchone()
    return row[0] if row else "Asia/Shanghai"


def snapshot(conn) -> pd.DataFrame:
    return conn.execute(SNAPSHOT_SQL).df()


def open_lines(conn) -> pd.DataFrame:
    return conn.execute(OPEN_LINES_SQL).df()


def receipts(conn) -> pd.DataFrame:
    """Production receipts of the chosen plan (when one is published) and WMS in-transit units."""
    frames = [conn.execute(IN_TRANSIT_SQL).df()]
    if table_exists(conn, "production", "schedule_orders") and table_exists(
        conn, "production", "schedule_runs"
    ):
        frames.append(conn.execute(PRODUCTION_SQL, [company_time_zone(conn)]).df())
    return pd.concat(frames, ignore_index=True)


def products(conn) -> pd.DataFrame:
    return conn.execute("select sku, product_name, product_category from marts.dim_products").df()


def aliases(conn) -> pd.DataFrame:
    return conn.execute("select distinct channel, channel_sku, sku from staging.stg_erp__sku_aliases").df()


def channels(conn) -> list[str]:
    return [r[0] for r in conn.execute("select channel from seeds.channels order by 1").fetchall()]


def allocation_seed(conn) -> pd.DataFrame:
    return conn.execute("select * from seeds.channel_allocation").df()


ACCEPTED_LINES_SQL = """
with shipped as (
    select order_key, sku, count(distinct shipment_id) as shipments, sum(quantity) as shipped_qty,
        max(shipped_at_utc) as last_shipped_at_utc
    from marts.fct_shipments where order_key is not null group by 1, 2
)
select l.order_line_key, l.channel, l.channel_order_id, l.line_number, l.sku, l.quantity as qty,
    l.ordered_at_utc as accepted_at, o.promised_date,
    l.is_line_cancelled or l.line_status = 'cancelled' or o.order_status = 'cancelled' as cancelled,
    coalesce(s.shipments, 0) as shipments, coalesce(s.shipped_qty, 0) > 0 as shipped,
    case when o.delivered_at_utc is not null then not coalesce(o.is_delivered_on_time, true)
        else s.last_shipped_at_utc::date > o.promised_date end as shipped_late
from marts.fct_order_lines l
join marts.fct_orders o on o.order_key = l.order_key
left join shipped s on s.order_key = l.order_key and s.sku = l.sku
where l.counts_as_ordered and l.sku is not null and l.quantity > 0 and l.ordered_at_utc is not null
    and l.fulfilment_type = 'ship'
    and not exists (
        select 1 from staging.stg_erp__production_orders p
        where p.sales_order_channel = l.channel and p.sales_order_id in (l.channel_order_id, o.fulfilment_ref)
    )
"""

OPENING_SQL = """
select sku, snapshot_date + 1 as day, sum(on_hand_qty - reserved_qty) as opening
from marts.fct_inventory_daily group by 1, 2
"""

STOCK_RECEIPTS_SQL = """
select sku, moved_at_utc as at, quantity as qty
from staging.stg_wms__movements
where movement_type in ('receipt', 'production_receipt') and quantity > 0
"""


def company_day(utc: pd.Series, time_zone: str) -> pd.Series:
    """The company's calendar day of naive UTC timestamps."""
    return pd.to_datetime(utc).dt.tz_localize("UTC").dt.tz_convert(time_zone).dt.date


def accepted_lines(conn) -> pd.DataFrame:
    lines = conn.execute(ACCEPTED_LINES_SQL).df()
    return lines.assign(day=company_day(lines["accepted_at"], company_time_zone(conn)))


def opening_stock(conn) -> pd.DataFrame:
    opening = conn.execute(OPENING_SQL).df()
    return opening.assign(day=pd.to_datetime(opening["day"]).dt.date)


def stock_receipts(conn) -> pd.DataFrame:
    received = conn.execute(STOCK_RECEIPTS_SQL).df()
    return received.assign(day=company_day(received["at"], company_time_zone(conn)))
