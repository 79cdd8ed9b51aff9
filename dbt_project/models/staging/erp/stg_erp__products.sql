select
    {{ adapter.quote('Internal Reference') }} as sku,
    {{ adapter.quote('Name') }} as product_name,
    {{ adapter.quote('Product Category') }} as product_category,
    trim(split_part({{ adapter.quote('Product Category') }}, '/', 1)) as product_family,
    {{ adapter.quote('Product Type') }} as product_type,
    {{ adapter.quote('Barcode') }} as barcode,
    {{ safe_cast(adapter.quote('Sales Price'), 'decimal(18, 2)') }} as list_price,
    {{ safe_cast(adapter.quote('Cost'), 'decimal(18, 4)') }} as unit_cost,
    {{ adapter.quote('Currency') }} as currency,
    {{ safe_cast(adapter.quote('Customer Lead Time'), 'integer') }} as customer_lead_time_days,
    {{ safe_cast(adapter.quote('Manufacturing Lead Time'), 'integer') }} as manufacturing_lead_time_days,
    {{ safe_cast(adapter.quote('Vendor Lead Time'), 'integer') }} as vendor_lead_time_days,
    {{ adapter.quote('Route') }} as route,
    lower({{ adapter.quote('Active') }}) in ('true', '1', 'yes') as is_active,
    {{ lineage_columns() }}
from {{ source('erp', 'products') }}
