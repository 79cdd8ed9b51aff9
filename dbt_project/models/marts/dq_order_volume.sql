-- Order lines per channel on the newest day of the data, against the channel's own history: a sharp drop
-- is what a missing or emptied daily export, or a channel feed that broke, looks like. One row per channel.
--   day        = the date of the order in the channel's own zone (what its export files are named by);
--                the checked day is the newest such day of any channel (the data's as-of), so a channel
--                whose export of that day brought nothing shows 0.
--   lines      = distinct order lines of that day (a line exported twice, overlapping files, counts once)
--   usual_lines = the mean lines per day over the 28 days before it (days without orders count as 0)
--   is_sharp_drop = lines < volume_drop_ratio (0.5) × usual_lines, for a channel whose usual volume is at
--                least volume_min_usual_lines (5) a day; smaller channels vary too much day to day.
-- The test assert_order_volume_holds warns for each sharp drop (it never blocks the run).
{%- set zones = ['America/New_York', 'UTC', var('company_time_zone')] %}
with lines as (
    select distinct
        channel,
        channel_order_id,
        channel_line_id,
        case source_time_zone
        {%- for zone in zones %}
            when '{{ zone }}' then {{ utc_to_local_date('ordered_at_utc', zone) }}
        {%- endfor %}
            else {{ utc_to_local_date('ordered_at_utc', var('company_time_zone')) }}
        end as channel_day
    from {{ ref('int_order_lines__unioned') }}
    where ordered_at_utc is not null
),

as_of as (
    select max(channel_day) as checked_day from lines
),

per_channel as (
    select
        lines.channel,
        as_of.checked_day,
        count(case when lines.channel_day = as_of.checked_day then 1 end) as lines,
        count(case
            when lines.channel_day < as_of.checked_day
                and lines.channel_day >= {{ dbt.dateadd('day', -28, 'as_of.checked_day') }} then 1
        end) / 28.0 as usual_lines
    from lines
    cross join as_of
    group by lines.channel, as_of.checked_day
)

select
    channel,
    checked_day,
    lines,
    usual_lines,
    usual_lines >= {{ var('volume_min_usual_lines') }}
        and lines < {{ var('volume_drop_ratio') }} * usual_lines as is_sharp_drop
from per_channel
