-- One row per shipped line; `channel_order_id` is the order id exactly as the channel writes it.
select
    shipment_id,
    lower(channel) as channel,
    channel_order_id,
    warehouse_code,
    carrier,
    tracking_no,
    {{ local_text_to_utc('shipped_at', 'Asia/Shanghai') }} as shipped_at_utc,
    {{ local_text_to_utc('delivered_at', 'Asia/Shanghai') }} as delivered_at_utc,
    sku,
    {{ safe_cast('qty', 'integer') }} as quantity,
    'Asia/Shanghai' as source_time_zone,
    {{ lineage_columns() }}
from {{ source('wms', 'shipments') }}
