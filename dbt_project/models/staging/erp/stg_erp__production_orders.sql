select
    "Reference" as production_order_id,
    "Product" as sku,
    {{ safe_cast('"Quantity To Produce"', 'integer') }} as quantity_to_produce,
    {{ safe_cast('"Quantity Produced"', 'integer') }} as quantity_produced,
    {{ safe_cast('"Scheduled Date"', 'date') }} as scheduled_date,
    {{ safe_cast('"Deadline"', 'date') }} as due_date,
    "State" as state,
    nullif("Source", '') as sales_order_ref,
    split_part("Source", ':', 1) as sales_order_channel,
    nullif(split_part("Source", ':', 2), '') as sales_order_id,
    "Customer Tier" as customer_tier,
    {{ safe_cast('"Margin"', 'decimal(9, 4)') }} as margin,
    {{ lineage_columns() }}
from {{ source('erp', 'production_orders') }}
