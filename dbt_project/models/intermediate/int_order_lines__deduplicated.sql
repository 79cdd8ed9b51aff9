-- One row per (channel, channel order id, line). Overlapping export windows deliver the same line in
-- two files; the copy with the newest record_updated_at_utc wins, then the copy landed last (a corrected
-- re-export arrives after the export it corrects), then the later file name and record.
-- `source_copies` says how many copies there were.
with lines as (
    select * from {{ ref('int_order_lines__unioned') }}
),

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

select {{ star_except(['copy_rank']) }}
from ranked
where copy_rank = 1
