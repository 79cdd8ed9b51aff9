select
    "Product" as sku,
    {{ safe_cast('"Sequence"', 'integer') }} as operation_seq,
    "Operation" as operation_name,
    "Work Center" as work_center,
    {{ safe_cast('"Setup Time (min)"', 'decimal(10, 2)') }} as setup_minutes,
    {{ safe_cast('"Time per Unit (min)"', 'decimal(10, 4)') }} as run_minutes_per_unit,
    nullif(trim("Eligible Machines"), '') as eligible_machines,
    {{ lineage_columns() }}
from {{ source('erp', 'routings') }}
