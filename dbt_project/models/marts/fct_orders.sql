-- One row per unified order. Status: the channel's own (mapped) status, moved forward by what the
-- WMS knows (shipped, delivered) unless the order is cancelled or returned. Promised date: the
-- channel's when it gives one, else order date + the channel's service level (seed), else the due date
-- of the production order made for it. `is_partial`: the copy landed is incomplete (its lines do not
-- add up to its own subtotal, `partial_reason` says how); the KPI marts leave it out until a complete copy
-- lands, and dq_partial_orders lists it.
--
-- Incremental: the orders whose lines, shipments, production order or customer changed since the last
-- build are recomputed (a later shipment, cancellation or return updates an old order).
{{ config(
    materialized='incremental' if target.type == 'duckdb' else 'table',
    incremental_strategy='delete+insert',
    unique_key='order_key',
    post_hook="{{ delete_orders_gone_from(ref('int_order_lines__enriched')) }}",
) }}
with
{% if is_incremental() %}
touched_orders as (
    select order_key from {{ ref('int_order_lines__enriched') }}
    where refreshed_at_utc > {{ last_refreshed_at() }}
    union
    select built.order_key
    from {{ this }} as built
    inner join {{ ref('int_shipments__order_delivery') }} as changed
        on changed.channel = built.channel and changed.fulfilment_ref = built.fulfilment_ref
    where changed.refreshed_at_utc > {{ last_refreshed_at() }}
    union
    select built.order_key
    from {{ this }} as built
    inner join {{ ref('stg_erp__production_orders') }} as changed
        on changed.sales_order_channel = built.channel and changed.sales_order_id = built.fulfilment_ref
    where changed.loaded_at > {{ last_refreshed_at() }}
    union
    -- identity resolution is rebuilt in full: a new order can join two customers into one
    select built.order_key
    from {{ this }} as built
    left join {{ ref('int_customers__identity') }} as identity
        on identity.contact_record_id = built.order_key
    where identity.customer_key is distinct from built.customer_key
),
{% endif %}

lines as (
    select * from {{ ref('int_order_lines__enriched') }}
    {%- if is_incremental() %}
    where order_key in (select order_key from touched_orders)
    {%- endif %}
),

delivery as (
    select * from {{ ref('int_shipments__order_delivery') }}
),

identity as (
    select contact_record_id as order_key, customer_key from {{ ref('int_customers__identity') }}
),

service_levels as (
    select channel, service_level_days from {{ ref('channel_service_levels') }}
),

statuses as (
    select unified_status, status_rank from {{ ref('unified_statuses') }}
),

production_due as (
    select sales_order_channel as channel, sales_order_id as fulfilment_ref, max(due_date) as due_date
    from {{ ref('stg_erp__production_orders') }}
    where sales_order_id is not null
    group by 1, 2
),

orders as (
    select
        order_key,
        channel,
        channel_order_id,
        max(fulfilment_ref) as fulfilment_ref,
        max(sub_channel) as sub_channel,
        max(fulfilment_type) as fulfilment_type,
        max(channel_status) as channel_status,
        -- an order is as far as its least advanced active line; only when every line is in a side
        -- state (cancelled, returned) does the order take that state, returned before cancelled
        coalesce(
            min(case when line_statuses.status_rank < 9 then line_statuses.status_rank end),
            max(case when line_statuses.status_rank = 9 then case when line_status = 'returned' then 11 else 10 end end)
        ) as line_status_code,
        min(ordered_at_utc) as ordered_at_utc,
        min(order_date) as order_date,
        max(paid_at_utc) as paid_at_utc,
        max(channel_promised_date) as channel_promised_date,
        max(currency) as currency,
        count(*) as order_lines,
        sum(quantity) as units,
        sum(gross_amount) as order_gross_amount,
        sum(discount_amount) as order_discount_amount,
        sum(line_amount) as order_amount,
        sum(line_amount_reporting) as order_amount_reporting,
        sum(line_cost_reporting) as order_cost_reporting,
        -- what was sold: the lines not cancelled or refunded before they shipped
        sum(case when line_status <> 'cancelled' then line_amount_reporting end) as sold_amount_reporting,
        sum(case when line_status <> 'cancelled' then line_cost_reporting end) as sold_cost_reporting,
        max(source_copies) as source_copies,
        max(partial_reason) as partial_reason,
        -- a line without a price, or without an exchange rate for its month
        max(case when has_data_issue or fx_rate_to_reporting is null then 1 else 0 end) = 1 as has_data_issue,
        max(source_time_zone) as source_time_zone
    from lines
    left join statuses as line_statuses on line_statuses.unified_status = lines.line_status
    group by order_key, channel, channel_order_id
),

joined as (
    select
        orders.*,
        case orders.line_status_code
            when 11 then 'returned'
            when 10 then 'cancelled'
            else active_status.unified_status
        end as any_line_status,
        identity.customer_key,
        delivery.shipments,
        delivery.first_shipped_at_utc,
        delivery.last_delivered_at_utc,
        delivery.is_fully_delivered,
        delivery.shipped_quantity,
        delivery.delivered_quantity,
        delivery.carrier,
        delivery.tracking_no,
        service_levels.service_level_days,
        production_due.due_date as production_due_date
    from orders
    left join statuses as active_status on active_status.status_rank = orders.line_status_code
    left join identity on identity.order_key = orders.order_key
    left join delivery
        on delivery.channel = orders.channel and delivery.fulfilment_ref = orders.fulfilment_ref
    left join service_levels on service_levels.channel = orders.channel
    left join production_due
        on production_due.channel = orders.channel and production_due.fulfilment_ref = orders.fulfilment_ref
),

with_status as (
    select
        joined.*,
        case
            when any_line_status in ('cancelled', 'returned', 'pending') then any_line_status
            when fulfilment_type = 'counter' then any_line_status
            when is_fully_delivered then 'delivered'
            when first_shipped_at_utc is not null and any_line_status = 'confirmed' then 'shipped'
            else any_line_status
        end as order_status,
        case
            when fulfilment_type = 'counter' then ordered_at_utc
            when is_fully_delivered then last_delivered_at_utc
        end as delivered_at_utc,
        case
            when fulfilment_type = 'counter' then null
            when channel_promised_date is not null then channel_promised_date
            when service_level_days is not null
                then cast({{ dbt.dateadd('day', 'service_level_days', 'order_date') }} as date)
            else production_due_date
        end as promised_date,
        case
            when fulfilment_type = 'counter' then null
            when channel_promised_date is not null then 'channel'
            when service_level_days is not null then 'service_level'
            when production_due_date is not null then 'production_order'
        end as promised_date_source
    from joined
)

select
    with_status.order_key,
    with_status.channel,
    with_status.channel_order_id,
    with_status.fulfilment_ref,
    with_status.sub_channel,
    with_status.fulfilment_type,
    with_status.customer_key,
    with_status.channel_status,
    with_status.order_status,
    statuses.status_rank,
    with_status.ordered_at_utc,
    with_status.order_date,
    with_status.paid_at_utc,
    with_status.first_shipped_at_utc as shipped_at_utc,
    with_status.delivered_at_utc,
    {{ utc_to_local_date('with_status.delivered_at_utc', var('company_time_zone')) }} as delivered_date,
    with_status.promised_date,
    with_status.promised_date_source,
    case
        when with_status.fulfilment_type = 'counter' or with_status.order_status = 'cancelled' then null
        when with_status.delivered_at_utc is null then null
        else {{ utc_to_local_date('with_status.delivered_at_utc', var('company_time_zone')) }}
            <= with_status.promised_date
    end as is_delivered_on_time,
    case
        when with_status.delivered_at_utc is null then null
        else with_status.delivered_quantity >= with_status.units
    end as is_delivered_in_full,
    with_status.shipments,
    with_status.carrier,
    with_status.tracking_no,
    with_status.order_lines,
    with_status.units,
    with_status.currency,
    with_status.order_gross_amount,
    with_status.order_discount_amount,
    with_status.order_amount,
    with_status.order_amount_reporting,
    with_status.order_cost_reporting,
    with_status.sold_amount_reporting,
    with_status.sold_cost_reporting,
    with_status.source_copies,
    with_status.has_data_issue,
    -- the copy of the order landed is incomplete: kept out of the KPI marts until a complete copy lands
    with_status.partial_reason is not null as is_partial,
    with_status.partial_reason,
    with_status.source_time_zone,
    {{ refreshed_at() }} as refreshed_at_utc
from with_status
left join statuses on statuses.unified_status = with_status.order_status
