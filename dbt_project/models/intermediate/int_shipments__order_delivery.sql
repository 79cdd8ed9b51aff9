-- Delivery facts per channel order from the WMS: when it shipped, when the last line arrived, and
-- whether every shipped line has arrived.
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
    min(tracking_no) as tracking_no
from {{ ref('stg_wms__shipments') }}
group by channel, channel_order_id
