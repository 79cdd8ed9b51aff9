select
    {{ adapter.quote('Reference') }} as erp_customer_id,
    {{ adapter.quote('Name') }} as customer_name,
    {{ normalise_email(adapter.quote('Email')) }} as customer_email,
    {{ adapter.quote('Phone') }} as customer_phone,
    {{ adapter.quote('Company') }} as company,
    {{ adapter.quote('Customer Tier') }} as customer_tier,
    {{ adapter.quote('Channel') }} as acquisition_channel,
    {{ adapter.quote('City') }} as city,
    {{ adapter.quote('Country') }} as country,
    {{ safe_cast(adapter.quote('Created on'), 'date') }} as created_on,
    {{ lineage_columns() }}
from {{ source('erp', 'customers') }}
