-- End-of-day stock per SKU and warehouse, valued at standard cost in the reporting currency.
with snapshots as (
    select * from {{ ref('stg_wms__stock_snapshots') }}
),

products as (
    select sku, unit_cost from {{ ref('stg_erp__products') }}
)

select
    {{ dbt.hash(dbt.concat([
        "cast(snapshots.snapshot_date as " ~ dbt.type_string() ~ ")", "'|'", "snapshots.warehouse_code", "'|'", "snapshots.sku"
    ])) }} as inventory_day_key,
    snapshots.snapshot_date,
    snapshots.warehouse_code,
    snapshots.sku,
    snapshots.on_hand_qty,
    snapshots.reserved_qty,
    snapshots.in_transit_qty,
    snapshots.on_hand_qty - snapshots.reserved_qty as available_qty,
    products.unit_cost,
    snapshots.on_hand_qty * products.unit_cost as inventory_value_reporting
from snapshots
left join products on products.sku = snapshots.sku
