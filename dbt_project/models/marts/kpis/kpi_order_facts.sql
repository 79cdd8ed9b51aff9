-- One row per order delivered by carrier (fulfilment_type `ship`) that is not cancelled, and complete (a
-- partial copy, fct_orders.is_partial, waits in dq_partial_orders for its complete copy): what the order
-- KPIs (OTD, OTIF, order cycle time) and their drill-down need, so the page never reads order lines for
-- a headline. Counter sales are left out as in OTD (handed over at the till: nothing to promise or ship).
--
-- Attribution (one category and one warehouse per order, so the daily marts partition the orders and
-- every filtered total adds up to the unfiltered one):
--   product_category = the order's primary category: the category with the largest amount (reporting
--     currency) over the order's lines that are not cancelled; ties go to the first name. 'Unmapped SKU'
--     when no line has a master SKU.
--   warehouse_code = the warehouse that shipped most of the order's units (ties: first code); null while
--     nothing has shipped.
-- In full (domain.md): every line delivered complete, measured per SKU: units delivered by the WMS for
-- the order and SKU ≥ units ordered on its lines that are neither cancelled nor pending.
--
-- Incremental: the row of every order whose order, lines, shipments or production order changed since
-- the last build is rebuilt; all of them when products landed (the primary category moves). An order
-- that became cancelled (or counter, or partial) is not in the new batch, so the post-hook deletes its old row.
{{ config(
    materialized='incremental' if target.type == 'duckdb' else 'table',
    incremental_strategy='delete+insert',
    unique_key='order_key',
    post_hook=["{{ delete_orders_gone_from(ref('fct_orders')) }}", "{% if is_incremental() %}
        delete from {{ this }} where order_key in (
            select orders.order_key
            from {{ ref('fct_orders') }} as orders
            inner join {{ this }} as built on built.order_key = orders.order_key
            where orders.refreshed_at_utc > built.refreshed_at_utc
                and (orders.fulfilment_type <> 'ship' or orders.order_status = 'cancelled'
                    or coalesce(orders.is_partial, false))
        )
    {% endif %}"],
) }}
-- depends_on: {{ ref('stg_erp__products') }} (read only on incremental runs)
{%- set recompute_all = not is_incremental() or loaded_since([ref('stg_erp__products')], last_refreshed_at()) %}
with
{% if not recompute_all %}
touched_orders as (
    select order_key from {{ ref('fct_orders') }}
    where refreshed_at_utc > {{ last_refreshed_at() }}
    union
    select order_key from {{ ref('fct_order_lines') }}
    where refreshed_at_utc > {{ last_refreshed_at() }}
    union
    select order_key from {{ ref('fct_shipments') }}
    where refreshed_at_utc > {{ last_refreshed_at() }} and order_key is not null
    union
    select built.order_key
    from {{ ref('fct_orders') }} as built
    inner join {{ ref('stg_erp__production_orders') }} as changed
        on changed.sales_order_channel = built.channel and changed.sales_order_id = built.fulfilment_ref
    where changed.loaded_at > {{ last_refreshed_at() }}
),
{% endif %}

orders as (
    select * from {{ ref('fct_orders') }}
    where fulfilment_type = 'ship' and order_status <> 'cancelled' and not coalesce(is_partial, false)
    {%- if not recompute_all %}
        and order_key in (select order_key from touched_orders)
    {%- endif %}
),

order_lines as (
    select order_key, sku, line_status, quantity, line_amount_reporting, counts_as_ordered
    from {{ ref('fct_order_lines') }}
    where fulfilment_type = 'ship' and order_status <> 'cancelled' and not coalesce(is_partial_order, false)
    {%- if not recompute_all %}
        and order_key in (select order_key from touched_orders)
    {%- endif %}
),

products as (
    select sku, product_category from {{ ref('dim_products') }}
),

shipments as (
    select order_key, shipment_id, warehouse_code, sku, quantity, shipped_at_utc, delivered_at_utc
    from {{ ref('fct_shipments') }}
    where order_key is not null
    {%- if not recompute_all %}
        and order_key in (select order_key from touched_orders)
    {%- endif %}
),

made_to_order as (
    select distinct sales_order_channel as channel, sales_order_id as fulfilment_ref
    from {{ ref('stg_erp__production_orders') }}
    where sales_order_id is not null and state <> 'cancel'
),

category_amounts as (
    select
        order_lines.order_key,
        coalesce(products.product_category, 'Unmapped SKU') as product_category,
        sum(order_lines.line_amount_reporting) as amount
    from order_lines
    left join products on products.sku = order_lines.sku
    where order_lines.line_status <> 'cancelled'
    group by 1, 2
),

primary_category as (
    select order_key, product_category
    from category_amounts
    qualify row_number() over (partition by order_key order by amount desc nulls last, product_category) = 1
),

warehouse_units as (
    select order_key, warehouse_code, sum(quantity) as units
    from shipments
    group by 1, 2
),

primary_warehouse as (
    select order_key, warehouse_code
    from warehouse_units
    qualify row_number() over (partition by order_key order by units desc, warehouse_code) = 1
),

first_shipment as (
    select order_key, shipment_id
    from shipments
    qualify row_number() over (partition by order_key order by shipped_at_utc, shipment_id) = 1
),

last_shipment as (
    select order_key, max(shipped_at_utc) as last_shipped_at_utc
    from shipments
    group by 1
),

ordered_by_sku as (
    select order_key, sku, sum(quantity) as ordered_units
    from order_lines
    where counts_as_ordered
    group by 1, 2
),

delivered_by_sku as (
    select order_key, sku, sum(case when delivered_at_utc is not null then quantity else 0 end) as delivered_units
    from shipments
    group by 1, 2
),

in_full as (
    select
        ordered_by_sku.order_key,
        bool_and(coalesce(delivered_by_sku.delivered_units, 0) >= ordered_by_sku.ordered_units) as is_in_full
    from ordered_by_sku
    left join delivered_by_sku
        on delivered_by_sku.order_key = ordered_by_sku.order_key and delivered_by_sku.sku = ordered_by_sku.sku
    group by 1
)

select
    orders.order_key,
    orders.channel,
    orders.channel_order_id,
    orders.fulfilment_ref,
    orders.order_status,
    orders.ordered_at_utc,
    orders.order_date,
    orders.promised_date,
    orders.shipped_at_utc,
    {{ utc_to_local_date('orders.shipped_at_utc', var('company_time_zone')) }} as shipped_date,
    coalesce(last_shipment.last_shipped_at_utc, orders.shipped_at_utc) as last_shipped_at_utc,
    {{ utc_to_local_date('coalesce(last_shipment.last_shipped_at_utc, orders.shipped_at_utc)', var('company_time_zone')) }}
        as last_shipped_date,
    orders.delivered_at_utc,
    orders.delivered_date,
    orders.carrier,
    orders.tracking_no,
    first_shipment.shipment_id as first_shipment_id,
    coalesce(primary_category.product_category, 'Unmapped SKU') as product_category,
    primary_warehouse.warehouse_code,
    made_to_order.fulfilment_ref is not null as is_made_to_order,
    orders.order_lines,
    orders.units,
    orders.order_amount_reporting,
    orders.sold_amount_reporting,
    orders.delivered_date is not null as is_delivered,
    case when orders.delivered_date is not null then coalesce(orders.delivered_date <= orders.promised_date, false) end
        as is_on_time,
    case when orders.delivered_date is not null then coalesce(in_full.is_in_full, false) end as is_in_full,
    case
        when orders.delivered_date is not null
            then coalesce(orders.delivered_date <= orders.promised_date, false) and coalesce(in_full.is_in_full, false)
    end as is_otif,
    case when orders.delivered_date is not null
        then {{ dbt.datediff('orders.promised_date', 'orders.delivered_date', 'day') }} end as days_late,
    case
        when orders.delivered_date is not null
            then {{ dbt.datediff('orders.ordered_at_utc', 'orders.delivered_at_utc', 'second') }} / 3600.0
    end as cycle_time_hours,
    -- fill rate counts orders confirmed or further that are served from stock; made-to-order orders
    -- (a production order made for them) wait for production by design
    orders.order_status in ('confirmed', 'shipped', 'delivered', 'returned') and made_to_order.fulfilment_ref is null
        as counts_in_fill_rate,
    {{ refreshed_at() }} as refreshed_at_utc
from orders
left join primary_category on primary_category.order_key = orders.order_key
left join primary_warehouse on primary_warehouse.order_key = orders.order_key
left join first_shipment on first_shipment.order_key = orders.order_key
left join last_shipment on last_shipment.order_key = orders.order_key
left join in_full on in_full.order_key = orders.order_key
left join made_to_order
    on made_to_order.channel = orders.channel and made_to_order.fulfilment_ref = orders.fulfilment_ref
