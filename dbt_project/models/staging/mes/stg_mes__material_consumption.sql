-- Components actually issued (backflushed) at the operation that consumes them.
select
    {{ safe_cast('shift_date', 'date') }} as shift_date,
    shift,
    machine_id,
    production_order as production_order_id,
    {{ safe_cast('operation_seq', 'integer') }} as operation_seq,
    component,
    {{ safe_cast('quantity', 'decimal(14, 3)') }} as quantity,
    unit_of_measure,
    {{ lineage_columns() }}
from {{ source('mes', 'material_consumption') }}
