select
    "Code" as work_center,
    "Work Center" as work_center_name,
    "Owner" as owner,
    {{ safe_cast('"Time Efficiency"', 'decimal(9, 4)') }} as time_efficiency,
    {{ safe_cast('"OEE Target"', 'decimal(9, 4)') }} as oee_target,
    {{ lineage_columns() }}
from {{ source('erp', 'work_centers') }}
