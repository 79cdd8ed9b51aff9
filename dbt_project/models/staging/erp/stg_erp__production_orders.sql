select
    "Reference" as production_order_id,
    "Product" as sku,
    {{ safe_cast('"Quantity To Produce"', 'integer') }} as quantity_to_produce,
    {{ safe_cast('"Quantity Produced"', 'integer') }} as quantity_produced,
    {{ safe_cast('"Scheduled Date"', 'date') }} as scheduled_date,
    {{ safe_cast('"Deadline"', 'date') }} as due_date,
    {{ local_text_to_utc('"Scheduled Date"', 'Asia/Shanghai') }} as scheduled_at,
    {{ local_text_to_utc('"Deadline"', 'Asia/Shanghai') }} as due_at,
    "State" as state,
    nullif("Source", '') as sales_order_ref,
    split_part("Source", ':', 1) as sales_order_channel,
    nullif(split_part("Source", ':', 2), '') as sales_order_id,
    "Customer Tier" as customer_tier,
    {{ safe_cast('"Margin"', 'decimal(9, 4)') }} as margin,
    'Asia/Shanghai' as source_time_zone,
    {{ lineage_columns() }}
from {{ source('erp', 'production_orders') }}
