-- A warning, not a failure: a channel whose newest day brought far fewer order lines than usual
-- (dq_order_volume) may have a missing or emptied export; the run still publishes what landed.
-- The stored failures name the channel, the day and both volumes.
{{ config(severity='warn', store_failures=true) }}
select channel, checked_day, lines, usual_lines
from {{ ref('dq_order_volume') }}
where is_sharp_drop
