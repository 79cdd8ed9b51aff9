select
    {{ adapter.quote('Product') }} as sku,
    {{ safe_cast(adapter.quote('Sequence'), 'integer') }} as operation_seq,
    {{ adapter.quote('Operation') }} as operation_name,
    {{ adapter.quote('Work Center') }} as work_center,
    {{ safe_cast(adapter.quote('Setup Time (min)'), 'decimal(10, 2)') }} as setup_minutes,
    {{ safe_cast(adapter.quote('Time per Unit (min)'), 'decimal(10, 4)') }} as run_minutes_per_unit,
    nullif(trim({{ adapter.quote('Eligible Machines') }}), '') as eligible_machines,
    {{ lineage_columns() }}
from {{ source('erp', 'routings') }}
