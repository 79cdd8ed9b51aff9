-- A warning, not a failure: an order whose landed copy is incomplete (dq_partial_orders) stays out of the
-- KPI marts until its complete copy lands, and must not block the publish of everything else.
-- The stored failures name each order, why it is partial and its file(s).
{{ config(severity='warn', store_failures=true) }}
select channel, channel_order_id, partial_reason, source_files
from {{ ref('dq_partial_orders') }}
