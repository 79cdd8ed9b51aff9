-- One row per order item of an All Orders Report. Report windows overlap, so an order item can appear
-- in two reports; the newer last-updated-date wins in int_order_lines__deduplicated.
with source as (
    select * from {{ source('amazon', 'all_orders') }}
)

select
    {{ adapter.quote('amazon-order-id') }} as amazon_order_id,
    {{ iso_text_to_utc(adapter.quote('purchase-date')) }} as purchase_date_utc,
    {{ iso_text_to_utc(adapter.quote('last-updated-date')) }} as last_updated_at_utc,
    {{ adapter.quote('order-status') }} as channel_status,
    {{ adapter.quote('fulfillment-channel') }} as fulfillment_channel,
    {{ adapter.quote('sales-channel') }} as sales_channel,
    {{ adapter.quote('ship-service-level') }} as ship_service_level,
    {{ adapter.quote('product-name') }} as item_name,
    {{ adapter.quote('sku') }} as channel_sku,
    {{ adapter.quote('asin') }} as asin,
    {{ adapter.quote('item-status') }} as item_status,
    {{ safe_cast(adapter.quote('quantity'), 'integer') }} as quantity,
    {{ adapter.quote('currency') }} as currency,
    {{ safe_cast(adapter.quote('item-price'), 'decimal(18, 2)') }} as item_price,
    {{ safe_cast(adapter.quote('item-tax'), 'decimal(18, 2)') }} as item_tax,
    {{ safe_cast(adapter.quote('shipping-price'), 'decimal(18, 2)') }} as shipping_price,
    {{ safe_cast(adapter.quote('item-promotion-discount'), 'decimal(18, 2)') }} as item_promotion_discount,
    {{ adapter.quote('ship-city') }} as ship_city,
    {{ adapter.quote('ship-state') }} as ship_state,
    {{ adapter.quote('ship-postal-code') }} as ship_postal_code,
    {{ adapter.quote('ship-country') }} as ship_country,
    'UTC' as source_time_zone,
    {{ lineage_columns() }}
from source
