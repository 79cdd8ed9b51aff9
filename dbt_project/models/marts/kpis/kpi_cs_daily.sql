-- Customer-service tickets per creation date (company zone) × channel, for the first response time:
-- first agent reply − ticket created, averaged over the answered tickets (Σ minutes ÷ answered tickets).
-- A ticket still unanswered has no first response yet: it is counted in `tickets` but not in the average.
select
    created_date,
    channel,
    count(*) as tickets,
    count(first_response_minutes) as answered_tickets,
    coalesce(sum(first_response_minutes), 0) as first_response_minutes
from {{ ref('fct_cs_tickets') }}
group by 1, 2
