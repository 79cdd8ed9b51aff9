-- One row per unified order line, with the order's status and dates, the master SKU and amounts in
-- the original and the reporting currency.
--
-- Incremental: the lines of every order fct_orders rewrote since the last build.
{{ config(
    materialized='incremental' if target.type == 'duckdb' else 'table',
    incremental_strategy='delete+insert',
    unique_key='order_key',
    post_hook="{{ delete_orders_gone_from(ref('fct_orders')) }}",
) }}
with orders as (
    select order_key, customer_key, order_status, promised_date, delivered_at_utc, is_partial
    from {{ ref('fct_orders') }}
    {%- if is_incremental() %}
    where refreshed_at_utc > {{ last_refreshed_at() }}
    {%- endif %}
),

lines as (
    select * from {{ ref('int_order_lines__enriched') }}
    {%- if is_incremental() %}
    where order_key in (select order_key from orders)
    {%- endif %}
)

select
    lines.order_line_key,
    lines.order_key,
    orders.customer_key,
    lines.channel,
    lines.channel_order_id,
    lines.channel_line_id,
    lines.line_number,
    lines.sub_channel,
    lines.fulfilment_type,
    lines.channel_status,
    lines.channel_line_status,
    lines.line_status,
    lines.is_line_cancelled,
    -- ordered in an order that went ahead: what fill rate and in-full measure against, including the
    -- lines the channel refunded or cancelled because they could not be shipped
    lines.quantity > 0 and (lines.line_status not in ('cancelled', 'pending') or lines.is_line_cancelled)
        as counts_as_ordered,
    orders.order_status,
    orders.is_partial as is_partial_order,
    lines.ordered_at_utc,
    lines.order_date,
    orders.promised_date,
    orders.delivered_at_utc,
    lines.sku,
    lines.channel_sku,
    lines.sku_resolution,
    lines.item_name,
    lines.quantity,
    lines.quantity < 0 as is_return_line,
    lines.unit_price,
    lines.gross_amount,
    lines.discount_amount,
    lines.line_amount,
    lines.currency,
    lines.fx_rate_to_reporting,
    lines.gross_amount_reporting,
    lines.discount_amount_reporting,
    lines.line_amount_reporting,
    lines.unit_cost,
    lines.line_cost_reporting,
    lines.has_data_issue,
    lines.source_copies,
    lines.source_time_zone,
    lines.source_file,
    lines.source_record_number,
    {{ refreshed_at() }} as refreshed_at_utc
from lines
inner join orders on orders.order_key = lines.order_key
