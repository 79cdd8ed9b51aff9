-- Delivery facts per channel order from the WMS: when it shipped, when the last line arrived, and
-- whether every shipped line has arrived.
--
-- Incremental: the channel orders with a shipment line landed since the last build, recomputed from
-- all their shipment lines.
{{ config(
    materialized='incremental' if target.type == 'duckdb' else 'table',
    incremental_strategy='delete+insert',
    unique_key=['channel', 'fulfilment_ref'],
) }}
with shipments as (
    select * from {{ ref('stg_wms__shipments') }}
),

{% if is_incremental() %}
touched as (
    select distinct channel, channel_order_id from shipments
    where loaded_at > {{ last_refreshed_at() }}
),

lines as (
    select shipments.* from shipments inner join touched using (channel, channel_order_id)
)
{% else %}
lines as (
    select * from shipments
)
{% endif %}

select
    channel,
    channel_order_id as fulfilment_ref,
    count(distinct shipment_id) as shipments,
    sum(quantity) as shipped_quantity,
    sum(case when delivered_at_utc is not null then quantity else 0 end) as delivered_quantity,
    min(shipped_at_utc) as first_shipped_at_utc,
    max(shipped_at_utc) as last_shipped_at_utc,
    max(delivered_at_utc) as last_delivered_at_utc,
    count(*) = count(delivered_at_utc) as is_fully_delivered,
    min(carrier) as carrier,
    min(tracking_no) as tracking_no,
    {{ refreshed_at() }} as refreshed_at_utc
from lines
group by channel, channel_order_id
