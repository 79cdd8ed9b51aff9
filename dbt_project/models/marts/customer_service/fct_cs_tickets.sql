-- One row per customer-service ticket, linked to its unified order when the ticket names one.
-- first_response_minutes is the KPI's measure (first agent reply − ticket created); NULL while unanswered.
--
-- Incremental: the tickets landed since the last build, and those whose order may have changed: the
-- ones naming a reference of an order re-stamped since (a new order, a new fulfilment reference, a new
-- customer), or linked to such an order (or to an order since withdrawn) before.
{{ config(
    materialized='incremental' if target.type == 'duckdb' else 'table',
    incremental_strategy='delete+insert',
    unique_key='ticket_id',
) }}
with
{% if is_incremental() %}
changed_orders as (
    select order_key, channel, channel_order_id, fulfilment_ref from {{ ref('fct_orders') }}
    where refreshed_at_utc > {{ last_refreshed_at() }}
),

touched_tickets as (
    select ticket_id from {{ ref('stg_cs__tickets') }}
    where loaded_at > {{ last_refreshed_at() }}
    union
    -- two equality joins, not one join on `in (...)`, so both are hash joins
    select tickets.ticket_id
    from {{ ref('stg_cs__tickets') }} as tickets
    inner join changed_orders
        on changed_orders.channel = tickets.channel and changed_orders.channel_order_id = tickets.channel_order_id
    union
    select tickets.ticket_id
    from {{ ref('stg_cs__tickets') }} as tickets
    inner join changed_orders
        on changed_orders.channel = tickets.channel and changed_orders.fulfilment_ref = tickets.channel_order_id
    union
    select ticket_id from {{ this }}
    where order_key in (select order_key from changed_orders)
    union
    -- linked to an order a correction withdrew
    select ticket_id from {{ this }}
    where order_key not in (select order_key from {{ ref('fct_orders') }})
),
{% endif %}

tickets as (
    select * from {{ ref('stg_cs__tickets') }}
    {%- if is_incremental() %}
    where ticket_id in (select ticket_id from touched_tickets)
    {%- endif %}
),

orders as (
    select order_key, customer_key, channel, channel_order_id, fulfilment_ref from {{ ref('fct_orders') }}
),

-- A ticket names an order by its channel order id or its fulfilment reference: two equality joins (hash
-- joins), not one join on `in (...)`, which joins every ticket with every order of its channel (at 10 M
-- order lines that ran for over half an hour). A reference that matches one order's id and another's
-- fulfilment reference keeps the id match.
matches as (
    select tickets.ticket_id, orders.order_key, orders.customer_key, 0 as preference
    from tickets
    inner join orders
        on orders.channel = tickets.channel and orders.channel_order_id = tickets.channel_order_id
    union all
    select tickets.ticket_id, orders.order_key, orders.customer_key, 1 as preference
    from tickets
    inner join orders
        on orders.channel = tickets.channel and orders.fulfilment_ref = tickets.channel_order_id
),

best_match as (
    select ticket_id, order_key, customer_key
    from matches
    qualify row_number() over (partition by ticket_id order by preference, order_key) = 1
),

linked as (
    select tickets.*, best_match.order_key, best_match.customer_key
    from tickets
    left join best_match on best_match.ticket_id = tickets.ticket_id
)

select
    ticket_id,
    channel,
    channel_order_id,
    order_key,
    customer_key,
    customer_contact,
    subject,
    category,
    created_at_utc,
    {{ utc_to_local_date('created_at_utc', var('company_time_zone')) }} as created_date,
    first_response_at_utc,
    {{ dbt.datediff('created_at_utc', 'first_response_at_utc', 'second') }} / 60.0 as first_response_minutes,
    resolved_at_utc,
    {{ dbt.datediff('created_at_utc', 'resolved_at_utc', 'second') }} / 3600.0 as resolution_hours,
    agent,
    status,
    {{ refreshed_at() }} as refreshed_at_utc
from linked
