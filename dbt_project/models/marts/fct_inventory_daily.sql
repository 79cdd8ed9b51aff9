-- End-of-day stock per SKU and warehouse, valued at standard cost in the reporting currency.
--
-- Incremental by snapshot date: the dates of the snapshot rows landed since the last build are rebuilt
-- whole (a re-exported snapshot replaces its day); every date when products landed (unit costs move).
{%- set since_last_build = {
    'landed': [['stg_wms__stock_snapshots', 'snapshot_date']],
    'reference': ['stg_erp__products'],
} %}
{{ config(incremental_by_date_config('snapshot_date', since_last_build)) }}
{%- set dates = dates_touched(since_last_build) %}
with snapshots as (
    select * from {{ ref('stg_wms__stock_snapshots') }}
    where {{ on_dates('snapshot_date', dates) }}
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
    snapshots.on_hand_qty * products.unit_cost as inventory_value_reporting,
    {{ refreshed_at() }} as refreshed_at_utc
from snapshots
left join products on products.sku = snapshots.sku
