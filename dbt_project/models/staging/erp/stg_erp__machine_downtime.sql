-- Planned downtime per machine (preventive maintenance, calibration), past and planned ahead. The ERP
-- writes plant local times; they become UTC like every other timestamp.
select
    "Machine" as machine_id,
    {{ local_text_to_utc('"Start"', 'Asia/Shanghai') }} as downtime_start,
    {{ local_text_to_utc('"End"', 'Asia/Shanghai') }} as downtime_end,
    "Reason" as reason,
    'Asia/Shanghai' as source_time_zone,
    {{ lineage_columns() }}
from {{ source('erp', 'machine_downtime') }}
