-- Every channel status word must be in the channel_status_map seed: an unmapped status is an error,
-- not a guess. The failure names the channel and the status, so the fix (a row in the seed) is obvious.
select
    channel,
    channel_status,
    count(*) as order_lines
from {{ ref('int_order_lines__enriched') }}
where line_status is null
group by channel, channel_status
having {{ raise_in_filter(
    "'channel status not in seeds/channel_status_map.csv: channel=' || channel || ', status=\"' "
    ~ "|| coalesce(channel_status, '(empty)') || '\" (' || cast(count(*) as " ~ dbt.type_string() ~ ") || ' order lines)'"
) }}
