select
    machine_id,
    {{ safe_cast('shift_date', 'date') }} as shift_date,
    shift,
    production_order as production_order_id,
    {{ safe_cast('operation_seq', 'integer') }} as operation_seq,
    {{ safe_cast('total_count', 'integer') }} as total_count,
    {{ safe_cast('good_count', 'integer') }} as good_count,
    {{ lineage_columns() }}
from {{ source('mes', 'production_counts') }}
