-- Units ordered and units filled per order date (company zone) × channel × product category × warehouse,
-- for the fill rate: units shipped complete from stock on the first shipment ÷ units ordered.
--
-- Choices (also in the YAML):
--   * Orders: delivered by carrier, confirmed or further (not pending, not cancelled), and not made to
--     order (kpi_order_facts.counts_in_fill_rate). Counter sales are handed over at the till.
--   * Units ordered: the quantities of the order's lines that are neither cancelled nor pending.
--   * A line is filled when the order's first shipment (earliest shipped_at; ties: first shipment id)
--     carried at least the ordered quantity of its SKU; then all its units count as filled, else none.
--     An order that has not shipped yet counts as not filled, so the newest days are provisional.
--   * A unit KPI: each line counts under its own product category, and under the warehouse that shipped
--     its SKU for the order (most units; ties: first code), else the first shipment's warehouse; null
--     while nothing has shipped.
--
-- Incremental by order date: the dates of the orders and lines re-stamped since the last build are
-- rebuilt whole (an order that left kpi_order_facts, e.g. cancelled, is still re-stamped in fct_orders);
-- every date when products landed (categories move).
{%- set since_last_build = {
    'restamped': [['kpi_order_facts', 'order_date'], ['fct_orders', 'order_date'], ['fct_order_lines', 'order_date'],
        ['int_orders__register', 'order_date']],
    'reference': ['stg_erp__products'],
} %}
{{ config(incremental_by_date_config('order_date', since_last_build)) }}
{%- set dates = dates_touched(since_last_build) %}
with orders as (
    select order_key, channel, order_date, first_shipment_id
    from {{ ref('kpi_order_facts') }}
    where counts_in_fill_rate and {{ on_dates('order_date', dates) }}
),

order_lines as (
    select order_key, sku, quantity
    from {{ ref('fct_order_lines') }}
    where counts_as_ordered
    {%- if dates is not none %}
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
    {%- if dates is not none %}
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
group by 1, 2, 3, 4
