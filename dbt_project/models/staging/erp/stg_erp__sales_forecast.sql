-- The ERP exports "Month" and "Version" as year-month text ('2025-11'); a plain cast to date gives
-- null, so both become the first day of their month ('2025-11' || '-01').
select
    {{ safe_cast(dbt.concat(['trim(' ~ adapter.quote('Month') ~ ')', "'-01'"]), 'date') }} as forecast_month,
    {{ adapter.quote('Internal Reference') }} as sku,
    lower({{ adapter.quote('Channel') }}) as channel,
    {{ safe_cast(adapter.quote('Forecast Quantity'), 'decimal(18, 2)') }} as forecast_quantity,
    {{ adapter.quote('Sales Team') }} as sales_team,
    {{ adapter.quote('Version') }} as forecast_version,
    {{ safe_cast(dbt.concat(['trim(' ~ adapter.quote('Version') ~ ')', "'-01'"]), 'date') }} as forecast_version_month,
    {{ lineage_columns() }}
from {{ source('erp', 'sales_forecast') }}
