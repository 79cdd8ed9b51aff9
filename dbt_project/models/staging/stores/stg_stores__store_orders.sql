-- One row per store-order line (order → stock check → invoice → ship).
with source as (
    select * from {{ source('stores', 'store_orders') }}
)

select
    order_no,
    {{ safe_cast('line_no', 'integer') }} as line_number,
    store_code,
    sales_rep,
    customer_name,
    customer_phone,
    {{ normalise_email('customer_email') }} as customer_email,
    company,
    {{ local_text_to_utc('created_at', 'Asia/Shanghai') }} as created_at_utc,
    {{ safe_cast('promised_date', 'date') }} as promised_date,
    sku as channel_sku,
    {{ safe_cast('qty', 'integer') }} as quantity,
    {{ safe_cast('unit_price', 'decimal(18, 2)') }} as unit_price,
    {{ local_text_to_utc('stock_checked_at', 'Asia/Shanghai') }} as stock_checked_at_utc,
    invoice_no,
    {{ local_text_to_utc('invoiced_at', 'Asia/Shanghai') }} as invoiced_at_utc,
    status as channel_status,
    'CNY' as currency,
    'Asia/Shanghai' as source_time_zone,
    {{ lineage_columns() }}
from source
