select
    {{ adapter.quote('Machine') }} as machine_id,
    {{ adapter.quote('Name') }} as machine_name,
    {{ adapter.quote('Work Center') }} as work_center,
    {{ safe_cast(adapter.quote('Ideal Cycle Time (s)'), 'decimal(10, 3)') }} as ideal_cycle_time_s,
    {{ safe_cast(adapter.quote('Commissioned on'), 'date') }} as commissioned_on,
    {{ lineage_columns() }}
from {{ source('erp', 'machines') }}
