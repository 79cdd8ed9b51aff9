-- Delivered orders per delivery date (company zone) × channel × primary category × shipping warehouse:
-- the additive counts behind OTD, OTIF, order cycle time and the late reasons. A ratio for any filter and
-- range is Σ numerator ÷ Σ denominator over the rows it selects. Orders are attributed as in
-- kpi_order_facts (one primary category, one warehouse), so the rows partition the delivered orders.
--
-- Incremental by delivery date: the dates of the orders and late orders re-stamped since the last build
-- are rebuilt whole, and so is every date whose number of delivered orders no longer matches: the old
-- date of an order whose delivery moved (or that left kpi_order_facts).
{%- set since_last_build = {
    'restamped': [['kpi_order_facts', 'delivered_date'], ['kpi_late_orders', 'delivered_date']],
    'counted': [['kpi_order_facts', 'delivered_date', 'delivered_orders']],
} %}
{{ config(incremental_by_date_config('delivered_date', since_last_build)) }}
{%- set dates = dates_touched(since_last_build) %}
with orders as (
    select * from {{ ref('kpi_order_facts') }}
    where is_delivered and {{ on_dates('delivered_date', dates) }}
),

late as (
    select order_key, late_reason from {{ ref('kpi_late_orders') }}
    where {{ on_dates('delivered_date', dates) }}
)

select
    orders.delivered_date,
    orders.channel,
    orders.product_category,
    orders.warehouse_code,
    count(*) as delivered_orders,
    count(*) filter (where orders.is_on_time) as on_time_orders,
    count(*) filter (where orders.is_in_full) as in_full_orders,
    count(*) filter (where orders.is_otif) as otif_orders,
    count(late.order_key) as late_orders,
    count(*) filter (where late.late_reason = 'late_production') as late_production_orders,
    count(*) filter (where late.late_reason = 'late_shipment') as late_shipment_orders,
    count(*) filter (where late.late_reason = 'carrier') as carrier_late_orders,
    sum(orders.cycle_time_hours) as cycle_time_hours,
    {{ refreshed_at() }} as refreshed_at_utc
from orders
left join late on late.order_key = orders.order_key
group by 1, 2, 3, 4
