-- Minutes per machine state within each planned shift. MES events are clipped to the shift's start and
-- end, so an event crossing a shift boundary counts in both shifts for the part inside each.
-- The calendar also plans the weeks after the snapshot: only shifts that started before the MES's last
-- event ended count (a past shift without events stays, with zero recorded minutes).
with events as (
    select * from {{ ref('stg_mes__machine_events') }}
),

shifts as (
    select * from {{ ref('stg_erp__shift_calendar') }}
    where shift_start_utc < (select max(ended_at_utc) from events)
),

clipped as (
    select
        shifts.machine_id,
        shifts.shift_date,
        shifts.shift,
        events.state,
        events.reason_code,
        {{ dbt.datediff(
            'greatest(events.started_at_utc, shifts.shift_start_utc)',
            'least(events.ended_at_utc, shifts.shift_end_utc)',
            'second'
        ) }} / 60.0 as minutes
    from shifts
    inner join events
        on events.machine_id = shifts.machine_id
        and events.started_at_utc < shifts.shift_end_utc
        and events.ended_at_utc > shifts.shift_start_utc
)

select
    shifts.machine_id,
    shifts.shift_date,
    shifts.shift,
    shifts.shift_start_utc,
    shifts.shift_end_utc,
    {{ dbt.datediff('shifts.shift_start_utc', 'shifts.shift_end_utc', 'second') }} / 60.0 as shift_minutes,
    shifts.planned_break_minutes,
    coalesce(sum(case when clipped.state = 'running' then clipped.minutes end), 0) as running_minutes,
    coalesce(sum(case when clipped.state = 'idle' then clipped.minutes end), 0) as idle_minutes,
    coalesce(sum(case when clipped.state = 'planned_stop' then clipped.minutes end), 0) as planned_stop_minutes,
    -- the part of the planned stops with no released work for the machine (idle capacity, not a loss in OEE)
    coalesce(sum(case when clipped.state = 'planned_stop' and clipped.reason_code = 'NO-ORDERS' then clipped.minutes end), 0)
        as no_orders_minutes,
    coalesce(sum(case when clipped.state = 'breakdown' then clipped.minutes end), 0) as breakdown_minutes,
    coalesce(sum(case when clipped.state = 'setup' then clipped.minutes end), 0) as setup_minutes,
    coalesce(sum(clipped.minutes), 0) as recorded_minutes
from shifts
left join clipped
    on clipped.machine_id = shifts.machine_id
    and clipped.shift_date = shifts.shift_date
    and clipped.shift = shifts.shift
group by 1, 2, 3, 4, 5, 6, 7
