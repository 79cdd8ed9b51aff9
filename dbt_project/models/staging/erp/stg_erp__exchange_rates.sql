select
    {{ safe_cast('"Date"', 'date') }} as rate_date,
    "Currency" as currency,
    {{ safe_cast('"Rate"', 'decimal(18, 6)') }} as cny_per_unit,
    {{ lineage_columns() }}
from {{ source('erp', 'exchange_rates') }}
