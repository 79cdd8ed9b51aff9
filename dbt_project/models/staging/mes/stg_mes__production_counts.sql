select
    machine_id,
    {{ dbt.safe_cast('shift_date', 'date') }} as shift_date,
    shift,
    production_order as production_order_id,
    {{ dbt.safe_cast('operation_seq', 'integer') }} as operation_seq,
    {{ dbt.safe_cast('total_count', 'integer') }} as total_count,
    {{ dbt.safe_cast('good_count', 'integer') }} as good_count,
    {{ lineage_columns() }}
from {{ source('mes', 'production_counts') }}
