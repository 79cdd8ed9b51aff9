select
    movement_id,
    {{ local_text_to_utc('moved_at', 'Asia/Shanghai') }} as moved_at_utc,
    warehouse_code,
    sku,
    movement_type,
    {{ safe_cast('qty', 'integer') }} as quantity,
    reference,
    'Asia/Shanghai' as source_time_zone,
    {{ lineage_columns() }}
from {{ source('wms', 'movements') }}
