select
    {{ adapter.quote('Reference') }} as production_order_id,
    {{ adapter.quote('Product') }} as sku,
    {{ safe_cast(adapter.quote('Quantity To Produce'), 'integer') }} as quantity_to_produce,
    {{ safe_cast(adapter.quote('Quantity Produced'), 'integer') }} as quantity_produced,
    {{ safe_cast(adapter.quote('Scheduled Date'), 'date') }} as scheduled_date,
    {{ safe_cast(adapter.quote('Deadline'), 'date') }} as due_date,
    {{ local_text_to_utc(adapter.quote('Scheduled Date'), 'Asia/Shanghai') }} as scheduled_at,
    {{ local_text_to_utc(adapter.quote('Deadline'), 'Asia/Shanghai') }} as due_at,
    {{ adapter.quote('State') }} as state,
    nullif({{ adapter.quote('Source') }}, '') as sales_order_ref,
    split_part({{ adapter.quote('Source') }}, ':', 1) as sales_order_channel,
    nullif(split_part({{ adapter.quote('Source') }}, ':', 2), '') as sales_order_id,
    {{ adapter.quote('Customer Tier') }} as customer_tier,
    {{ safe_cast(adapter.quote('Margin'), 'decimal(9, 4)') }} as margin,
    'Asia/Shanghai' as source_time_zone,
    {{ lineage_columns() }}
from {{ source('erp', 'production_orders') }}
