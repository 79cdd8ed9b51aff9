-- One row per (channel, channel order id, line). Overlapping export windows deliver the same order in
-- two files, and a corrected re-export delivers it again: the copy of the order (the file, or for social
-- commerce the thread) with the newest record_updated_at_utc wins, then the copy landed last (a corrected
-- re-export arrives after the export it corrects), then the later file name. The winning copy replaces
-- the order's lines as a whole: lines are never matched by position across copies, so a line a
-- correction removed does not survive from the older copy. `source_copies` says how many copies there were.
--
-- Incremental: the orders with a line (re)written upstream since the last build, and the orders whose
-- winning copy came from a file rewritten since, are recomputed from every copy of their lines; the
-- post-hook deletes the orders no copy carries any more.
{{ config(
    materialized='incremental' if target.type == 'duckdb' else 'table',
    incremental_strategy='delete+insert',
    unique_key=['channel', 'channel_order_id'],
    post_hook="{{ delete_orders_gone_from(ref('int_order_lines__unioned'), ['channel', 'channel_order_id']) }}",
) }}
with unioned as (
    select {{ star_except(['refreshed_at_utc']) }} from {{ ref('int_order_lines__unioned') }}
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

copies as (
    select
        channel,
        channel_order_id,
        refresh_unit,
        row_number() over (
            partition by channel, channel_order_id
            order by
                max(record_updated_at_utc) desc nulls last,
                max(loaded_at) desc nulls last,
                max(source_file) desc
        ) as copy_rank,
        count(*) over (partition by channel, channel_order_id) as source_copies
    from lines
    group by channel, channel_order_id, refresh_unit
),

winning_lines as (
    select
        lines.*,
        copies.source_copies,
        -- a line written twice within the winning copy: the later record
        row_number() over (
            partition by lines.channel, lines.channel_order_id, lines.channel_line_id
            order by lines.source_record_number desc
        ) as line_rank
    from lines
    inner join copies
        on copies.channel = lines.channel
        and copies.channel_order_id = lines.channel_order_id
        and copies.refresh_unit = lines.refresh_unit
    where copies.copy_rank = 1
)

select {{ star_except(['line_rank', 'refresh_unit']) }}, {{ refreshed_at() }} as refreshed_at_utc
from winning_lines
where line_rank = 1
