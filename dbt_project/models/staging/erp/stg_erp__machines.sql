select
    "Machine" as machine_id,
    "Name" as machine_name,
    "Work Center" as work_center,
    {{ safe_cast('"Ideal Cycle Time (s)"', 'decimal(10, 3)') }} as ideal_cycle_time_s,
    {{ safe_cast('"Commissioned on"', 'date') }} as commissioned_on,
    {{ lineage_columns() }}
from {{ source('erp', 'machines') }}
