-- OEE per machine and shift, per ../shared definitions:
--   planned production time (PPT) = shift time − planned stops (MES planned_stop: breaks, planned maintenance)
--   run time = PPT − unplanned stops (breakdowns, setups and adjustments); idle time stays in run time,
--     where it shows up as lost performance (minor stops, reduced speed)
--   availability = run time / PPT
--   performance = ideal cycle time × total count / run time, capped at 1 (above 1 is flagged: the ideal
--     cycle time is wrong)
--   quality = good count / total count
--   OEE = availability × performance × quality; roll-ups weight by PPT.
-- Every planned shift of the past is a row, also an idle one (`is_idle_shift`: no planned production time,
-- the whole shift a planned stop such as no released work): it has no OEE, but its shift time counts in
-- utilisation and TEEP (kpi_machine_daily), which would be overstated without it.
with shifts as (
    select * from {{ ref('int_machine_shifts__state_minutes') }}
),

machines as (
    select machine_id, machine_name, work_center, ideal_cycle_time_s from {{ ref('stg_erp__machines') }}
),

counts as (
    select machine_id, shift_date, shift, sum(total_count) as total_count, sum(good_count) as good_count
    from {{ ref('stg_mes__production_counts') }}
    group by machine_id, shift_date, shift
),

measured as (
    select
        shifts.machine_id,
        machines.machine_name,
        machines.work_center,
        shifts.shift_date,
        shifts.shift,
        shifts.shift_start_utc,
        shifts.shift_end_utc,
        shifts.shift_minutes,
        shifts.planned_stop_minutes,
        shifts.no_orders_minutes,
        shifts.breakdown_minutes,
        shifts.setup_minutes,
        shifts.idle_minutes,
        shifts.running_minutes,
        shifts.recorded_minutes,
        shifts.shift_minutes - shifts.planned_stop_minutes as planned_production_minutes,
        shifts.breakdown_minutes + shifts.setup_minutes as unplanned_stop_minutes,
        shifts.shift_minutes - shifts.planned_stop_minutes - shifts.breakdown_minutes - shifts.setup_minutes
            as run_minutes,
        machines.ideal_cycle_time_s,
        coalesce(counts.total_count, 0) as total_count,
        coalesce(counts.good_count, 0) as good_count
    from shifts
    left join machines on machines.machine_id = shifts.machine_id
    left join counts
        on counts.machine_id = shifts.machine_id
        and counts.shift_date = shifts.shift_date
        and counts.shift = shifts.shift
),

ratios as (
    select
        *,
        case when planned_production_minutes > 0 then run_minutes / planned_production_minutes end
            as availability,
        case when run_minutes > 0 then ideal_cycle_time_s * total_count / 60.0 / run_minutes end
            as performance_uncapped,
        case when total_count > 0 then cast(good_count as double) / total_count end as quality
    from measured
)

select
    {{ dbt.hash(dbt.concat([
        "machine_id", "'|'", "cast(shift_date as " ~ dbt.type_string() ~ ")", "'|'", "shift"
    ])) }} as machine_shift_key,
    *,
    least(performance_uncapped, 1.0) as performance,
    performance_uncapped > 1.0 as is_performance_over_ideal,
    availability * least(performance_uncapped, 1.0) * coalesce(quality, 1.0) as oee,
    planned_production_minutes <= 0 as is_idle_shift
from ratios
