select
    "Reference" as erp_customer_id,
    "Name" as customer_name,
    {{ normalise_email('"Email"') }} as customer_email,
    "Phone" as customer_phone,
    "Company" as company,
    "Customer Tier" as customer_tier,
    "Channel" as acquisition_channel,
    "City" as city,
    "Country" as country,
    {{ safe_cast('"Created on"', 'date') }} as created_on,
    {{ lineage_columns() }}
from {{ source('erp', 'customers') }}
