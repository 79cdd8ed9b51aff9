select
    "Internal Reference" as sku,
    "Name" as product_name,
    "Product Category" as product_category,
    trim(split_part("Product Category", '/', 1)) as product_family,
    "Product Type" as product_type,
    "Barcode" as barcode,
    {{ safe_cast('"Sales Price"', 'decimal(18, 2)') }} as list_price,
    {{ safe_cast('"Cost"', 'decimal(18, 4)') }} as unit_cost,
    "Currency" as currency,
    {{ safe_cast('"Customer Lead Time"', 'integer') }} as customer_lead_time_days,
    {{ safe_cast('"Manufacturing Lead Time"', 'integer') }} as manufacturing_lead_time_days,
    {{ safe_cast('"Vendor Lead Time"', 'integer') }} as vendor_lead_time_days,
    "Route" as route,
    lower("Active") in ('true', '1', 'yes') as is_active,
    {{ lineage_columns() }}
from {{ source('erp', 'products') }}
