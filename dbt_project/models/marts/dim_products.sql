select
    sku,
    product_name,
    product_category,
    product_family,
    product_type,
    barcode,
    list_price,
    unit_cost,
    currency,
    route,
    route = 'Manufacture' as is_made_in_house,
    customer_lead_time_days,
    manufacturing_lead_time_days,
    vendor_lead_time_days,
    is_active
from {{ ref('stg_erp__products') }}
