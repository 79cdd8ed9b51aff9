-- The ERP exports "Month" and "Version" as year-month text ('2025-11'); a plain cast to date gives
-- null, so both become the first day of their month ('2025-11' || '-01').
select
    {{ safe_cast(dbt.concat(['trim("Month")', "'-01'"]), 'date') }} as forecast_month,
    "Internal Reference" as sku,
    lower("Channel") as channel,
    {{ safe_cast('"Forecast Quantity"', 'decimal(18, 2)') }} as forecast_quantity,
    "Sales Team" as sales_team,
    "Version" as forecast_version,
    {{ safe_cast(dbt.concat(['trim("Version")', "'-01'"]), 'date') }} as forecast_version_month,
    {{ lineage_columns() }}
from {{ source('erp', 'sales_forecast') }}
