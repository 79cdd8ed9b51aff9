-- One row per social-commerce thread line. A thread is one channel order: its status is the latest
-- event, its content the items of the latest event that carries items, its order time the first
-- `order` event (the first event for threads that never reached an order).
--
-- Incremental: the threads with an event in a file landed since the last build are recomputed from all
-- their events and replace their lines (a later quote may carry fewer items). Events are never withdrawn,
-- so a thread that had lines keeps some.
{{ config(
    materialized='incremental' if target.type == 'duckdb' else 'table',
    incremental_strategy='delete+insert',
    unique_key='thread_id',
) }}
{%- set new_files = files_landed_since([['social', 'events']], last_refreshed_at()) %}
{%- set touched_threads = [] %}
{%- if execute and is_incremental() %}
    {#- a constant list, so the filter reaches below the staging view's JSON parsing -#}
    {%- set touched_threads = run_query(
        "select distinct thread_id from " ~ ref('stg_social__events') ~ " where source_file in " ~ sql_list(new_files)
    ).columns[0].values() | list %}
{%- endif %}
with events as (
    select * from {{ ref('stg_social__events') }}
    {%- if is_incremental() %}
    where thread_id in {{ sql_list(touched_threads) }}
    {%- endif %}
),

ranked as (
    select
        *,
        row_number() over (partition by thread_id order by event_at_utc desc, event_id desc) as recency,
        case when items is not null then
            row_number() over (
                partition by thread_id, items is not null order by event_at_utc desc, event_id desc
            )
        end as item_recency
    from events
),

threads as (
    select
        thread_id,
        max(platform) as platform,
        max(case when recency = 1 then event_type end) as channel_status,
        max(case when recency = 1 then event_at_utc end) as last_event_at_utc,
        coalesce(
            min(case when event_type = 'order' then event_at_utc end), min(event_at_utc)
        ) as ordered_at_utc,
        min(case when event_type = 'paid' then event_at_utc end) as paid_at_utc,
        max(order_no) as order_no,
        max(promised_date) as promised_date,
        max(customer_nickname) as customer_nickname,
        max(customer_phone) as customer_phone,
        max(customer_wechat_id) as customer_wechat_id,
        max(currency) as currency,
        max(sales_rep) as sales_rep,
        max(case when item_recency = 1 then items end) as items,
        max(case when item_recency = 1 then source_file end) as source_file,
        max(case when item_recency = 1 then source_record_number end) as source_record_number,
        max(case when item_recency = 1 then loaded_at end) as loaded_at,
        count(*) as events
    from ranked
    group by thread_id
),

thread_items as (
    select
        threads.*,
        {{ json_array_indexes('threads.items') }} as item_index
    from threads
    where threads.items is not null
)

select
    thread_id,
    item_index + 1 as line_number,
    platform,
    channel_status,
    last_event_at_utc,
    ordered_at_utc,
    paid_at_utc,
    order_no,
    promised_date,
    customer_nickname,
    customer_phone,
    customer_wechat_id,
    coalesce(currency, 'CNY') as currency,
    sales_rep,
    {{ json_text(json_array_item('items', 'item_index'), '$.sku') }} as channel_sku,
    {{ safe_cast(json_text(json_array_item('items', 'item_index'), '$.qty'), 'integer') }} as quantity,
    {{ safe_cast(json_text(json_array_item('items', 'item_index'), '$.unit_price'), 'decimal(18, 2)') }}
        as unit_price,
    events,
    source_file,
    source_record_number,
    loaded_at,
    {{ refreshed_at() }} as refreshed_at_utc
from thread_items
