select
    {{ safe_cast('"Month"', 'date') }} as forecast_month,
    "Internal Reference" as sku,
    lower("Channel") as channel,
    {{ safe_cast('"Forecast Quantity"', 'decimal(18, 2)') }} as forecast_quantity,
    "Sales Team" as sales_team,
    "Version" as forecast_version,
    {{ lineage_columns() }}
from {{ source('erp', 'sales_forecast') }}
