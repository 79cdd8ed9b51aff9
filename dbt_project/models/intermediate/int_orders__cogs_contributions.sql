-- Each order's contribution to the cost of goods sold in kpi_inventory_daily: the standard cost of its
-- sold lines per order date × warehouse the units left from × product category (rules in
-- kpi_inventory_daily).
--
-- Incremental by order: the orders re-stamped since the last build in fct_order_lines, fct_shipments
-- (their warehouse moves) and int_orders__register (withdrawn orders), and the orders named by store
-- movements landed since, are rebuilt whole; every order when products landed (categories move).
{%- set since_last_build = {
    'restamped': ['fct_order_lines', 'fct_shipments', 'int_orders__register'],
    'joined': [
        {'from': 'stg_wms__movements', 'stamp': 'loaded_at', 'join': 'fct_orders',
         'on': "fct_orders.channel_order_id = stg_wms__movements.reference"
             ~ " and stg_wms__movements.movement_type in ('pos_sale', 'return')"},
    ],
    'reference': ['stg_erp__products'],
} %}
{{ config(incremental_by_order_config(since_last_build)) }}
{%- set touched = orders_touched(since_last_build) %}
with products as (
    select sku, product_category from {{ ref('dim_products') }}
),

sold_lines as (
    select order_key, channel_order_id, fulfilment_type, sku, order_date, quantity, line_cost_reporting
    from {{ ref('fct_order_lines') }}
    where (line_status in ('confirmed', 'shipped', 'delivered') or quantity < 0)
        and not coalesce(is_partial_order, false) and {{ on_orders('order_key', touched) }}
),

shipments as (
    select order_key, sku, warehouse_code, sum(quantity) as units
    from {{ ref('fct_shipments') }}
    where order_key is not null
    {%- if touched is not none %}
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
    {%- if touched is not none %}
        and reference in (select channel_order_id from sold_lines)
    {%- endif %}
    group by 1, 2, 3
),

store_from as (
    select reference, sku, warehouse_code
    from store_movements
    qualify row_number() over (partition by reference, sku order by units desc, warehouse_code) = 1
)

select
    sold_lines.order_key,
    sold_lines.order_date as kpi_date,
    case
        when sold_lines.fulfilment_type = 'counter' then store_from.warehouse_code
        else shipped_from.warehouse_code
    end as warehouse_code,
    coalesce(products.product_category, 'Unmapped SKU') as product_category,
    sum(sold_lines.line_cost_reporting) as cogs,
    {{ refreshed_at() }} as refreshed_at_utc
from sold_lines
left join products on products.sku = sold_lines.sku
left join shipped_from on shipped_from.order_key = sold_lines.order_key and shipped_from.sku = sold_lines.sku
left join store_from
    on store_from.reference = sold_lines.channel_order_id and store_from.sku = sold_lines.sku
group by 1, 2, 3, 4
