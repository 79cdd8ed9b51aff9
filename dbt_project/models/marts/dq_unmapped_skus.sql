-- Channel SKUs that no alias and no master SKU explain: listed, never dropped, with what they cost us
-- in unreported product revenue, newest first.
select
    channel,
    channel_sku,
    max(item_name) as item_name,
    count(*) as order_lines,
    count(distinct order_key) as orders,
    sum(quantity) as units,
    sum(line_amount_reporting) as revenue_reporting,
    min(order_date) as first_seen,
    max(order_date) as last_seen,
    min(channel_order_id) as example_channel_order_id
from {{ ref('fct_order_lines') }}
where sku is null
group by channel, channel_sku
