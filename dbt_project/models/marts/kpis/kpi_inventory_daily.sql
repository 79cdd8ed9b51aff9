-- Stock value and cost of goods sold per day × warehouse × product category, for inventory turnover days:
-- DIO = average inventory value ÷ COGS × days = Σ daily stock value ÷ Σ COGS over the days of the range
-- (the average is Σ value ÷ days, so the days cancel).
--   inventory_value = end-of-day stock at standard cost (fct_inventory_daily) on kpi_date = snapshot date.
--   cogs = standard cost of the units sold on kpi_date = order date, the same lines as kpi_monthly: line
--     status confirmed, shipped or delivered, and return lines (negative) subtract; not the lines of a
--     partial order (fct_orders.is_partial) until its complete copy lands.
-- A unit KPI, so each line counts under its own category. COGS is attributed to the warehouse the units
-- left from: for a shipped line the warehouse that shipped its SKU for the order (most units; ties: first
-- code), for a counter sale or store return the warehouse of its WMS `pos_sale` / `return` movement
-- (reference = receipt). A line sold but not shipped yet has no warehouse (null): it counts in totals
-- and category filters but not under any one warehouse.
--
-- Incremental by kpi_date: rebuilt whole are the dates of the stock re-stamped since the last build, of
-- the lines re-stamped, of the lines of orders with shipments re-stamped (their warehouse moves) and of
-- the lines of store movements landed since; every date when products landed (categories move).
{%- set since_last_build = {
    'restamped': [['fct_inventory_daily', 'snapshot_date'], ['fct_order_lines', 'order_date'],
        ['int_orders__register', 'order_date']],
    'joined': [
        {'from': 'fct_shipments', 'stamp': 'refreshed_at_utc', 'join': 'fct_order_lines',
         'on': 'fct_order_lines.order_key = fct_shipments.order_key', 'date': 'fct_order_lines.order_date'},
        {'from': 'stg_wms__movements', 'stamp': 'loaded_at', 'join': 'fct_order_lines',
         'on': "fct_order_lines.channel_order_id = stg_wms__movements.reference"
             ~ " and stg_wms__movements.movement_type in ('pos_sale', 'return')",
         'date': 'fct_order_lines.order_date'},
    ],
    'reference': ['stg_erp__products'],
} %}
{{ config(incremental_by_date_config('kpi_date', since_last_build)) }}
{%- set dates = dates_touched(since_last_build) %}
with stock as (
    select snapshot_date, warehouse_code, sku, inventory_value_reporting from {{ ref('fct_inventory_daily') }}
    where {{ on_dates('snapshot_date', dates) }}
),

products as (
    select sku, product_category from {{ ref('dim_products') }}
),

sold_lines as (
    select order_key, channel_order_id, fulfilment_type, sku, order_date, quantity, line_cost_reporting
    from {{ ref('fct_order_lines') }}
    where (line_status in ('confirmed', 'shipped', 'delivered') or quantity < 0)
        and not coalesce(is_partial_order, false) and {{ on_dates('order_date', dates) }}
),

shipments as (
    select order_key, sku, warehouse_code, sum(quantity) as units
    from {{ ref('fct_shipments') }}
    where order_key is not null
    {%- if dates is not none %}
        and order_key in (select order_key from sold_lines)
    {%- endif %}
    group by 1, 2, 3
),

shipped_from as (
    select order_key, sku, warehouse_code
    from shipments
    qualify row_number() over (partition by order_key, sku order by units desc, warehouse_code) = 1
),

store_movements as (
    select reference, sku, warehouse_code, sum(abs(quantity)) as units
    from {{ ref('stg_wms__movements') }}
    where movement_type in ('pos_sale', 'return')
    {%- if dates is not none %}
        and reference in (select channel_order_id from sold_lines)
    {%- endif %}
    group by 1, 2, 3
),

store_from as (
    select reference, sku, warehouse_code
    from store_movements
    qualify row_number() over (partition by reference, sku order by units desc, warehouse_code) = 1
),

cogs as (
    select
        sold_lines.order_date as kpi_date,
        case
            when sold_lines.fulfilment_type = 'counter' then store_from.warehouse_code
            else shipped_from.warehouse_code
        end as warehouse_code,
        coalesce(products.product_category, 'Unmapped SKU') as product_category,
        sum(sold_lines.line_cost_reporting) as cogs
    from sold_lines
    left join products on products.sku = sold_lines.sku
    left join shipped_from on shipped_from.order_key = sold_lines.order_key and shipped_from.sku = sold_lines.sku
    left join store_from
        on store_from.reference = sold_lines.channel_order_id and store_from.sku = sold_lines.sku
    group by 1, 2, 3
),

inventory as (
    select
        stock.snapshot_date as kpi_date,
        stock.warehouse_code,
        coalesce(products.product_category, 'Unmapped SKU') as product_category,
        sum(stock.inventory_value_reporting) as inventory_value
    from stock
    left join products on products.sku = stock.sku
    group by 1, 2, 3
)

select
    coalesce(inventory.kpi_date, cogs.kpi_date) as kpi_date,
    coalesce(inventory.warehouse_code, cogs.warehouse_code) as warehouse_code,
    coalesce(inventory.product_category, cogs.product_category) as product_category,
    inventory.kpi_date is not null as is_snapshot_day,
    coalesce(inventory.inventory_value, 0) as inventory_value,
    coalesce(cogs.cogs, 0) as cogs,
    {{ refreshed_at() }} as refreshed_at_utc
from inventory
full outer join cogs
    on cogs.kpi_date = inventory.kpi_date
    and cogs.warehouse_code = inventory.warehouse_code
    and cogs.product_category = inventory.product_category
