select
    {{ adapter.quote('Code') }} as work_center,
    {{ adapter.quote('Work Center') }} as work_center_name,
    {{ adapter.quote('Owner') }} as owner,
    {{ safe_cast(adapter.quote('Time Efficiency'), 'decimal(9, 4)') }} as time_efficiency,
    {{ safe_cast(adapter.quote('OEE Target'), 'decimal(9, 4)') }} as oee_target,
    {{ lineage_columns() }}
from {{ source('erp', 'work_centers') }}
