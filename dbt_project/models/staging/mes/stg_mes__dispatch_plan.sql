-- What the planner dispatched to each machine for each shift (issued the day before).
select
    {{ safe_cast('shift_date', 'date') }} as shift_date,
    shift,
    machine_id,
    production_order as production_order_id,
    {{ safe_cast('operation_seq', 'integer') }} as operation_seq,
    {{ safe_cast('planned_qty', 'integer') }} as planned_qty,
    {{ lineage_columns() }}
from {{ source('mes', 'dispatch_plan') }}
