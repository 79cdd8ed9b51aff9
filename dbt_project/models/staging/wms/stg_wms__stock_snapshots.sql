select
    {{ safe_cast('snapshot_date', 'date') }} as snapshot_date,
    warehouse_code,
    sku,
    {{ safe_cast('on_hand_qty', 'integer') }} as on_hand_qty,
    {{ safe_cast('reserved_qty', 'integer') }} as reserved_qty,
    {{ safe_cast('in_transit_qty', 'integer') }} as in_transit_qty,
    {{ lineage_columns() }}
from {{ source('wms', 'stock_snapshots') }}
