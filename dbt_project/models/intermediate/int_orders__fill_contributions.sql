-- Each order's contribution to kpi_fill_daily: units ordered and units filled per order × product
-- category × warehouse, with the order date and channel the daily mart groups by (rules in kpi_fill_daily).
--
-- Incremental by order: the orders re-stamped since the last build in kpi_order_facts, fct_orders (an
-- order cancelled since, which left kpi_order_facts), fct_order_lines, fct_shipments and
-- int_orders__register (withdrawn orders) are rebuilt whole; every order when products landed (categories
-- move). An order that no longer counts leaves no row: the pre-hook deleted its old ones.
{%- set since_last_build = {
    'restamped': ['kpi_order_facts', 'fct_orders', 'fct_order_lines', 'fct_shipments', 'int_orders__register'],
    'reference': ['stg_erp__products'],
} %}
{{ config(incremental_by_order_config(since_last_build)) }}
{%- set touched = orders_touched(since_last_build) %}
with orders as (
    select order_key, channel, order_date, first_shipment_id
    from {{ ref('kpi_order_facts') }}
    where counts_in_fill_rate and {{ on_orders('order_key', touched) }}
),

order_lines as (
    select order_key, sku, quantity
    from {{ ref('fct_order_lines') }}
    where counts_as_ordered
    {%- if touched is not none %}
        and order_key in (select order_key from orders)
    {%- endif %}
),

products as (
    select sku, product_category from {{ ref('dim_products') }}
),

shipments as (
    select order_key, shipment_id, warehouse_code, sku, quantity
    from {{ ref('fct_shipments') }}
    where order_key is not null
    {%- if touched is not none %}
        and order_key in (select order_key from orders)
    {%- endif %}
),

ordered as (
    select orders.order_key, orders.channel, orders.order_date, orders.first_shipment_id, order_lines.sku,
        sum(order_lines.quantity) as units_ordered
    from orders
    inner join order_lines on order_lines.order_key = orders.order_key
    group by 1, 2, 3, 4, 5
),

first_shipment_units as (
    select shipments.order_key, shipments.sku, sum(shipments.quantity) as units
    from shipments
    inner join orders
        on orders.order_key = shipments.order_key and orders.first_shipment_id = shipments.shipment_id
    group by 1, 2
),

sku_warehouse as (
    select order_key, sku, warehouse_code
    from (
        select order_key, sku, warehouse_code, sum(quantity) as units
        from shipments
        group by 1, 2, 3
    )
    qualify row_number() over (partition by order_key, sku order by units desc, warehouse_code) = 1
),

first_warehouse as (
    select shipments.order_key, shipments.warehouse_code
    from shipments
    inner join orders
        on orders.order_key = shipments.order_key and orders.first_shipment_id = shipments.shipment_id
    qualify row_number() over (partition by shipments.order_key order by shipments.warehouse_code) = 1
)

select
    ordered.order_key,
    ordered.order_date,
    ordered.channel,
    coalesce(products.product_category, 'Unmapped SKU') as product_category,
    coalesce(sku_warehouse.warehouse_code, first_warehouse.warehouse_code) as warehouse_code,
    sum(ordered.units_ordered) as units_ordered,
    sum(case when coalesce(first_shipment_units.units, 0) >= ordered.units_ordered then ordered.units_ordered else 0 end)
        as units_filled,
    {{ refreshed_at() }} as refreshed_at_utc
from ordered
left join products on products.sku = ordered.sku
left join first_shipment_units
    on first_shipment_units.order_key = ordered.order_key and first_shipment_units.sku = ordered.sku
left join sku_warehouse on sku_warehouse.order_key = ordered.order_key and sku_warehouse.sku = ordered.sku
left join first_warehouse on first_warehouse.order_key = ordered.order_key
group by 1, 2, 3, 4, 5
