-- One row per shipped line from the WMS, linked to its unified order.
with shipments as (
    select * from {{ ref('stg_wms__shipments') }}
),

orders as (
    select order_key, channel, fulfilment_ref from {{ ref('fct_orders') }}
)

select
    {{ dbt.hash(dbt.concat([
        "shipments.shipment_id", "'|'", "shipments.sku", "'|'", "cast(shipments.source_record_number as " ~ dbt.type_string() ~ ")",
        "'|'", "shipments.source_file"
    ])) }} as shipment_line_key,
    shipments.shipment_id,
    orders.order_key,
    shipments.channel,
    shipments.channel_order_id,
    shipments.warehouse_code,
    shipments.carrier,
    shipments.tracking_no,
    shipments.shipped_at_utc,
    shipments.delivered_at_utc,
    {{ utc_to_local_date('shipments.shipped_at_utc', var('company_time_zone')) }} as shipped_date,
    {{ utc_to_local_date('shipments.delivered_at_utc', var('company_time_zone')) }} as delivered_date,
    shipments.sku,
    shipments.quantity,
    shipments.source_time_zone
from shipments
left join orders
    on orders.channel = shipments.channel and orders.fulfilment_ref = shipments.channel_order_id
