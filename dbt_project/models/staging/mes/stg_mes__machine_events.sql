select
    event_id,
    machine_id,
    state,
    {{ local_text_to_utc('started_at', 'Asia/Shanghai') }} as started_at_utc,
    {{ local_text_to_utc('ended_at', 'Asia/Shanghai') }} as ended_at_utc,
    reason_code,
    'Asia/Shanghai' as source_time_zone,
    {{ lineage_columns() }}
from {{ source('mes', 'machine_events') }}
