-- One row per production order × routing operation: what was planned (standard minutes), what the
-- MES counted, and what is still to do. The scheduler and the T-3 list start from here.
with production_orders as (
    select * from {{ ref('stg_erp__production_orders') }}
),

routings as (
    select * from {{ ref('stg_erp__routings') }}
),

work_centers as (
    select work_center, work_center_name, owner from {{ ref('stg_erp__work_centers') }}
),

counts as (
    select
        production_order_id,
        operation_seq,
        sum(total_count) as total_count,
        sum(good_count) as good_count,
        min(shift_date) as first_shift_date,
        max(shift_date) as last_shift_date,
        count(distinct machine_id) as machines_used
    from {{ ref('stg_mes__production_counts') }}
    group by production_order_id, operation_seq
)

select
    {{ dbt.hash(dbt.concat([
        "production_orders.production_order_id", "'|'", "cast(routings.operation_seq as " ~ dbt.type_string() ~ ")"
    ])) }} as production_operation_key,
    production_orders.production_order_id,
    production_orders.sku,
    production_orders.state as production_order_state,
    production_orders.quantity_to_produce,
    production_orders.scheduled_date,
    production_orders.due_date,
    production_orders.scheduled_at,
    production_orders.due_at,
    production_orders.sales_order_ref,
    production_orders.customer_tier,
    production_orders.margin,
    routings.operation_seq,
    routings.operation_name,
    routings.work_center,
    routings.eligible_machines,
    work_centers.work_center_name,
    work_centers.owner as work_center_owner,
    routings.setup_minutes,
    routings.run_minutes_per_unit,
    routings.setup_minutes + routings.run_minutes_per_unit * production_orders.quantity_to_produce
        as standard_minutes,
    coalesce(counts.total_count, 0) as total_count,
    coalesce(counts.good_count, 0) as good_count,
    greatest(production_orders.quantity_to_produce - coalesce(counts.good_count, 0), 0) as remaining_quantity,
    case
        when production_orders.state = 'cancel' then 'cancelled'
        when production_orders.state = 'done'
            or coalesce(counts.good_count, 0) >= production_orders.quantity_to_produce then 'done'
        when counts.total_count > 0 then 'in_progress'
        else 'not_started'
    end as operation_status,
    counts.first_shift_date,
    counts.last_shift_date,
    counts.machines_used
from production_orders
inner join routings on routings.sku = production_orders.sku
left join work_centers on work_centers.work_center = routings.work_center
left join counts
    on counts.production_order_id = production_orders.production_order_id
    and counts.operation_seq = routings.operation_seq
