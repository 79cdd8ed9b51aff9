select
    {{ safe_cast(adapter.quote('Date'), 'date') }} as rate_date,
    {{ adapter.quote('Currency') }} as currency,
    {{ safe_cast(adapter.quote('Rate'), 'decimal(18, 6)') }} as cny_per_unit,
    {{ lineage_columns() }}
from {{ source('erp', 'exchange_rates') }}
