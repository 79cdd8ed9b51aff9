-- One row per order item of an All Orders Report. Report windows overlap, so an order item can appear
-- in two reports; the newer last-updated-date wins in int_order_lines__deduplicated.
with source as (
    select * from {{ source('amazon', 'all_orders') }}
)

select
    "amazon-order-id" as amazon_order_id,
    {{ iso_text_to_utc('"purchase-date"') }} as purchase_date_utc,
    {{ iso_text_to_utc('"last-updated-date"') }} as last_updated_at_utc,
    "order-status" as channel_status,
    "fulfillment-channel" as fulfillment_channel,
    "sales-channel" as sales_channel,
    "ship-service-level" as ship_service_level,
    "product-name" as item_name,
    "sku" as channel_sku,
    "asin" as asin,
    "item-status" as item_status,
    {{ safe_cast('"quantity"', 'integer') }} as quantity,
    "currency" as currency,
    {{ safe_cast('"item-price"', 'decimal(18, 2)') }} as item_price,
    {{ safe_cast('"item-tax"', 'decimal(18, 2)') }} as item_tax,
    {{ safe_cast('"shipping-price"', 'decimal(18, 2)') }} as shipping_price,
    {{ safe_cast('"item-promotion-discount"', 'decimal(18, 2)') }} as item_promotion_discount,
    "ship-city" as ship_city,
    "ship-state" as ship_state,
    "ship-postal-code" as ship_postal_code,
    "ship-country" as ship_country,
    'UTC' as source_time_zone,
    {{ lineage_columns() }}
from source
