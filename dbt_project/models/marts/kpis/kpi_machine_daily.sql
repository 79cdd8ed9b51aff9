-- OEE and the six big losses per machine and shift date, summed over the machine's shifts that day, so the
-- page rolls OEE up over any machines and dates as Σ (OEE × planned production time) ÷ Σ planned production
-- time (domain.md) without reading shifts. A shift whose OEE cannot be computed counts as 0 (as in
-- kpi_monthly); a missing availability or performance counts as 0 and a missing quality as 1.
--
-- The six big losses, in minutes of planned production time (PPT), per shift (run = run_minutes,
-- P = performance, Q = quality of fct_machine_shifts):
--   breakdowns            = MES `breakdown` minutes                      (availability)
--   setups & adjustments  = MES `setup` minutes (changeovers)            (availability)
--   performance loss      = run × (1 − P), split into
--     minor stops & idling = MES `idle` minutes (minor stops, short adjustments and material waits, which
--                            the OEE definition keeps in run time), at most the performance loss
--     reduced speed        = the rest of the performance loss
--   quality loss          = run × P × (1 − Q): the ideal time spent on units that were not good
-- The MES counts only total and good units per machine × shift × operation: it cannot tell start-up
-- rejects from defects or rework, so the quality loss is one figure ("defects & start-up rejects"), not two.
-- By construction the six sum to the lost time: PPT − run × P × Q = PPT × (1 − OEE).
--
-- The shown parts multiply to the shown OEE over any machines and days, because each is a ratio of time
-- sums (docs/kpi_definitions.md): A = Σ availability_weighted ÷ Σ PPT (run time), P = Σ net_run_minutes
-- ÷ Σ availability_weighted (net run = run × P), Q = Σ oee_weighted ÷ Σ net_run_minutes (fully productive
-- time = run × P × Q = OEE × PPT), so A × P × Q = Σ oee_weighted ÷ Σ PPT = OEE.
--
-- Idle capacity: time without released work is a planned stop, outside PPT, so OEE does not show it.
-- shift_minutes (of every shift, idle shifts included) and no_orders_minutes sit beside it:
-- utilisation = Σ PPT ÷ Σ shift_minutes, TEEP on scheduled time = Σ oee_weighted ÷ Σ shift_minutes
-- = OEE × utilisation.
with shifts as (
    select * from {{ ref('fct_machine_shifts') }}
),

work_centers as (
    select work_center, work_center_name from {{ ref('stg_erp__work_centers') }}
),

per_shift as (
    select
        shift_date,
        machine_id,
        machine_name,
        work_center,
        shift_minutes,
        coalesce(no_orders_minutes, 0) as no_orders_minutes,
        planned_production_minutes,
        run_minutes,
        total_count,
        good_count,
        is_performance_over_ideal,
        is_idle_shift,
        planned_production_minutes * coalesce(availability, 0) as availability_weighted,
        planned_production_minutes * coalesce(availability, 0) * coalesce(performance, 0) as net_run_minutes,
        planned_production_minutes * coalesce(oee, 0) as oee_weighted,
        breakdown_minutes,
        setup_minutes,
        greatest(run_minutes, 0) * (1 - coalesce(performance, 0)) as performance_loss_minutes,
        idle_minutes,
        greatest(run_minutes, 0) * coalesce(performance, 0) * (1 - coalesce(quality, 1)) as quality_loss_minutes
    from shifts
)

select
    per_shift.shift_date,
    per_shift.machine_id,
    max(per_shift.machine_name) as machine_name,
    per_shift.work_center,
    max(work_centers.work_center_name) as work_center_name,
    count(*) as shifts,
    count(*) filter (where per_shift.is_idle_shift) as idle_shifts,
    sum(per_shift.shift_minutes) as shift_minutes,
    sum(per_shift.no_orders_minutes) as no_orders_minutes,
    sum(per_shift.planned_production_minutes) as planned_production_minutes,
    sum(per_shift.run_minutes) as run_minutes,
    sum(per_shift.availability_weighted) as availability_weighted,
    sum(per_shift.net_run_minutes) as net_run_minutes,
    sum(per_shift.oee_weighted) as oee_weighted,
    sum(per_shift.planned_production_minutes) - sum(per_shift.oee_weighted) as lost_minutes,
    sum(per_shift.breakdown_minutes) as breakdown_minutes,
    sum(per_shift.setup_minutes) as setup_minutes,
    sum(least(per_shift.idle_minutes, per_shift.performance_loss_minutes)) as minor_stop_minutes,
    sum(per_shift.performance_loss_minutes - least(per_shift.idle_minutes, per_shift.performance_loss_minutes))
        as reduced_speed_minutes,
    sum(per_shift.quality_loss_minutes) as quality_loss_minutes,
    sum(per_shift.total_count) as total_count,
    sum(per_shift.good_count) as good_count,
    count(*) filter (where per_shift.is_performance_over_ideal) as shifts_over_ideal_speed
from per_shift
left join work_centers on work_centers.work_center = per_shift.work_center
group by per_shift.shift_date, per_shift.machine_id, per_shift.work_center
