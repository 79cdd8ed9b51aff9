-- Planned downtime per machine (preventive maintenance, calibration), past and planned ahead. The ERP
-- writes plant local times; they become UTC like every other timestamp.
select
    {{ adapter.quote('Machine') }} as machine_id,
    {{ local_text_to_utc(adapter.quote('Start'), 'Asia/Shanghai') }} as downtime_start,
    {{ local_text_to_utc(adapter.quote('End'), 'Asia/Shanghai') }} as downtime_end,
    {{ adapter.quote('Reason') }} as reason,
    'Asia/Shanghai' as source_time_zone,
    {{ lineage_columns() }}
from {{ source('erp', 'machine_downtime') }}
