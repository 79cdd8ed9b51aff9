-- Shifts are planned in plant local time (Start and End are local timestamps; a night shift may end the
-- next day); they become UTC, the local date stays the shift date.
select
    {{ safe_cast(adapter.quote('Date'), 'date') }} as shift_date,
    {{ adapter.quote('Machine') }} as machine_id,
    {{ adapter.quote('Shift') }} as shift,
    {{ local_text_to_utc(adapter.quote('Start'), 'Asia/Shanghai') }} as shift_start_utc,
    {{ local_text_to_utc(adapter.quote('End'), 'Asia/Shanghai') }} as shift_end_utc,
    {{ safe_cast(adapter.quote('Planned Break (min)'), 'decimal(10, 2)') }} as planned_break_minutes,
    'Asia/Shanghai' as source_time_zone,
    {{ lineage_columns() }}
from {{ source('erp', 'shift_calendar') }}
