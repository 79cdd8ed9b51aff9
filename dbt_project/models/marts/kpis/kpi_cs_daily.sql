-- Customer-service tickets per creation date (company zone) × channel, for the first response time:
-- first agent reply − ticket created, averaged over the answered tickets (Σ minutes ÷ answered tickets).
-- A ticket still unanswered has no first response yet: it is counted in `tickets` but not in the average.
--
-- Incremental by creation date: the dates of the tickets re-stamped since the last build are rebuilt
-- whole, and so is every date whose number of tickets no longer matches (a ticket that moved or left).
{%- set since_last_build = {
    'restamped': [['fct_cs_tickets', 'created_date']],
    'counted': [['fct_cs_tickets', 'created_date', 'tickets']],
} %}
{{ config(incremental_by_date_config('created_date', since_last_build)) }}
{%- set dates = dates_touched(since_last_build) %}
select
    created_date,
    channel,
    count(*) as tickets,
    count(first_response_minutes) as answered_tickets,
    coalesce(sum(first_response_minutes), 0) as first_response_minutes,
    {{ refreshed_at() }} as refreshed_at_utc
from {{ ref('fct_cs_tickets') }}
where {{ on_dates('created_date', dates) }}
group by 1, 2
