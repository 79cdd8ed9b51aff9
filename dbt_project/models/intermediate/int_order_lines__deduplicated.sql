-- One row per (channel, channel order id, line). Overlapping export windows deliver the same line in
-- two files; the copy with the newest record_updated_at_utc wins, then the copy landed last (a corrected
-- re-export arrives after the export it corrects), then the later file name and record.
-- `source_copies` says how many copies there were.
--
-- Incremental: the orders with a line (re)written upstream since the last build, and the orders whose
-- winning copy came from a file rewritten since, are recomputed from every copy of their lines.
{{ config(
    materialized='incremental' if target.type == 'duckdb' else 'table',
    incremental_strategy='delete+insert',
    unique_key=['channel', 'channel_order_id'],
) }}
with unioned as (
    select {{ star_except(['refresh_unit', 'refreshed_at_utc']) }} from {{ ref('int_order_lines__unioned') }}
),

{% if is_incremental() %}
rewritten as (
    select channel, channel_order_id, source_file, refresh_unit
    from {{ ref('int_order_lines__unioned') }}
    where refreshed_at_utc > {{ last_refreshed_at() }}
),

touched_orders as (
    select channel, channel_order_id from rewritten
    union
    -- a re-landed file may no longer carry an order whose winning copy it held (a social thread is
    -- rewritten whole, so its item file says nothing of other threads)
    select channel, channel_order_id from {{ this }}
    where source_file in (select source_file from rewritten where refresh_unit like 'file:%')
),

lines as (
    select unioned.*
    from unioned
    inner join touched_orders using (channel, channel_order_id)
),
{% else %}
lines as (
    select * from unioned
),
{% endif %}

ranked as (
    select
        *,
        row_number() over (
            partition by channel, channel_order_id, channel_line_id
            order by
                record_updated_at_utc desc nulls last,
                loaded_at desc nulls last,
                source_file desc,
                source_record_number desc
        ) as copy_rank,
        count(*) over (partition by channel, channel_order_id, channel_line_id) as source_copies
    from lines
)

select {{ star_except(['copy_rank']) }}, {{ refreshed_at() }} as refreshed_at_utc
from ranked
where copy_rank = 1
