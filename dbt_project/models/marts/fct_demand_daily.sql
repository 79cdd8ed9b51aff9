-- Net demand per day × SKU × channel: what customers committed to, less what they brought back.
-- Demand lines are the sold lines (status confirmed, shipped or delivered, and lines later returned:
-- the customer did take the goods) plus the return lines (negative quantity, `is_return_line`).
-- Pending lines (inquiries, quotes, unpaid) and cancelled lines are not demand. Lines whose channel SKU
-- resolves to no master SKU cannot be forecast or stocked and are left out (see dq_unmapped_skus).
--
-- Incremental by demand date: the dates of the lines re-stamped since the last build (new, changed,
-- cancelled or returned) are rebuilt whole; every date when products landed (categories move).
{%- set since_last_build = {
    'restamped': [['fct_order_lines', 'order_date'], ['int_orders__register', 'order_date']],
    'reference': ['stg_erp__products'],
} %}
{{ config(incremental_by_date_config('demand_date', since_last_build)) }}
{%- set dates = dates_touched(since_last_build) %}
with order_lines as (
    select * from {{ ref('fct_order_lines') }}
    where {{ on_dates('order_date', dates) }}
),

products as (
    select sku, product_category from {{ ref('dim_products') }}
),

demand_lines as (
    select
        order_date as demand_date,
        sku,
        channel,
        is_return_line,
        quantity,
        coalesce(line_amount_reporting, 0) as amount_reporting
    from order_lines
    where sku is not null
      and (is_return_line or line_status in ('confirmed', 'shipped', 'delivered', 'returned'))
)

select
    demand_lines.demand_date,
    demand_lines.sku,
    demand_lines.channel,
    products.product_category,
    cast(sum(case when not demand_lines.is_return_line then demand_lines.quantity else 0 end) as bigint)
        as gross_quantity,
    cast(sum(case when demand_lines.is_return_line then -demand_lines.quantity else 0 end) as bigint)
        as returned_quantity,
    cast(sum(demand_lines.quantity) as bigint) as net_quantity,
    cast(sum(demand_lines.amount_reporting) as double) as net_revenue_reporting,
    {{ refreshed_at() }} as refreshed_at_utc
from demand_lines
left join products on products.sku = demand_lines.sku
group by demand_lines.demand_date, demand_lines.sku, demand_lines.channel, products.product_category
