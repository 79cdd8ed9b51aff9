-- One row per order the order chain has built, with its order date; `withdrawn_at_utc` is set on an
-- incremental run that found the order gone (a corrected export no longer carries it). The daily
-- aggregates read the re-stamped rows here to rebuild the dates of withdrawn orders, which leave no row
-- behind in the order marts. A log of what incremental runs saw: unlike the marts, a full rebuild
-- knows no withdrawn orders.
{{ config(
    materialized='incremental' if target.type == 'duckdb' else 'table',
    incremental_strategy='delete+insert',
    unique_key='order_key',
) }}
with built as (
    select
        order_key,
        channel,
        channel_order_id,
        min(order_date) as order_date,
        cast(null as timestamp) as withdrawn_at_utc
    from {{ ref('int_order_lines__enriched') }}
    {%- if is_incremental() %}
    where refreshed_at_utc > {{ last_refreshed_at() }}
    {%- endif %}
    group by order_key, channel, channel_order_id
)

{%- if is_incremental() %},

withdrawn as (
    select order_key, channel, channel_order_id, order_date, {{ refreshed_at() }} as withdrawn_at_utc
    from {{ this }}
    where withdrawn_at_utc is null
        and order_key not in (select order_key from {{ ref('int_order_lines__enriched') }})
)
{%- endif %}

select *, {{ refreshed_at() }} as refreshed_at_utc from built
{%- if is_incremental() %}
union all
select *, {{ refreshed_at() }} as refreshed_at_utc from withdrawn
{%- endif %}
