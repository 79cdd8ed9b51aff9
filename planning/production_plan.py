"""The plant's plan for a warehouse: read open orders, routings, machines, calendars and MES progress,
solve with the dispatch rules and CP-SAT (``scheduling``), and shape the ``production`` tables.

``read_plant`` is the only function here that touches the warehouse; ``plan_production`` is pure, so
tests and benchmarks run it on frames.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from scheduling import DEFAULT_TIME_LIMIT_S
from scheduling.bottleneck import work_center_load
from scheduling.calendar import PlantCalendar
from scheduling.cpsat import solve
from scheduling.dispatch import best_dispatch, dispatch
from scheduling.frames import calendar_to_frame, problem_to_frames
from scheduling.inputs import build_problem
from scheduling.priority import PriorityWeights
from scheduling.problem import Plan, Problem, completion

OPEN_STATES = ("confirmed", "progress")
HORIZON_DAYS = 42  # how far ahead the calendar is read

OPERATIONS_SQL = """
with last_machine as (
    select production_order_id, operation_seq, machine_id,
        row_number() over (
            partition by production_order_id, operation_seq order by shift_date desc, shift desc, machine_id
        ) as rn
    from staging.stg_mes__production_counts
)
select o.production_order_id, o.sku, o.quantity_to_produce, o.scheduled_at,
    o.due_at, o.customer_tier, o.margin, o.operation_seq, o.operation_name, o.work_center,
    o.work_center_owner as owner, o.eligible_machines, o.setup_minutes, o.run_minutes_per_unit,
    o.remaining_quantity, o.operation_status, m.machine_id as last_machine_id
from marts.fct_production_operations o
left join last_machine m
    on m.production_order_id = o.production_order_id and m.operation_seq = o.operation_seq and m.rn = 1
where o.production_order_state in ('confirmed', 'progress')
order by o.production_order_id, o.operation_seq
"""


@dataclass
class PlantInputs:
    as_of: pd.Timestamp  # UTC, naive: the end of the newest MES record
    operations: pd.DataFrame
    machines: pd.DataFrame
    work_centers: pd.DataFrame
    shifts: pd.DataFrame
    downtime: pd.DataFrame


def read_plant(conn) -> PlantInputs:
    """Everything the planner needs, from the build warehouse (times in UTC)."""
    as_of = pd.Timestamp(
        conn.execute("select max(ended_at_utc) from staging.stg_mes__machine_events").fetchone()[0]
    )
    end = as_of + pd.Timedelta(days=HORIZON_DAYS)
    shifts = conn.execute(
        "select machine_id, shift_start_utc as shift_start, shift_end_utc as shift_end, "
        "planned_break_minutes as break_minutes from staging.stg_erp__shift_calendar "
        "where shift_end_utc > ? and shift_start_utc < ?",
        [as_of, end],
    ).df()
    downtime = conn.execute(
        "select machine_id, downtime_start, downtime_end, reason "
        "from staging.stg_erp__machine_downtime where downtime_end > ? and downtime_start < ?",
        [as_of, end],
    ).df()
    return PlantInputs(
        as_of=as_of,
        operations=conn.execute(OPERATIONS_SQL).df(),
        machines=conn.execute("select machine_id, work_center from staging.stg_erp__machines").df(),
        work_centers=conn.execute(
            "select work_center, work_center_name, owner, time_efficiency from staging.stg_erp__work_centers"
        ).df(),
        shifts=shifts,
        downtime=downtime,
    )


def plan_production(
    plant: PlantInputs,
    weights: PriorityWeights | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT_S,
    workers: int = 2,
    log: Callable[[str], None] = print,
) -> dict[str, pd.DataFrame]:
    """Solve the plant's problem three ways and return the ``production`` tables (without ``as_of``)."""
    t0 = time.monotonic()
    calendar = PlantCalendar.from_frames(
        plant.shifts, plant.as_of, plant.downtime, plant.machines["machine_id"]
    )
    eff = {
        r.work_center: float(r.time_efficiency)
        for r in plant.work_centers.itertuples()
        if pd.notna(r.time_efficiency) and r.time_efficiency > 0
    }
    problem, orders = build_problem(plant.operations, plant.machines, calendar, weights, eff)
    n_ops = len(problem.ops())
    log(
        f"{len(problem.orders)} open orders, {n_ops} open operations on {len(problem.machines)} machines; "
        f"calendar {calendar.horizon} plant minutes from {plant.as_of:%Y-%m-%d %H:%M} UTC"
    )

    load = work_center_load(problem).merge(
        plant.work_centers[["work_center", "work_center_name", "owner"]], on="work_center", how="left"
    )
    load["is_bottleneck"] = (load["rank"] == 1) | (load["load_ratio"] >= 0.9)
    top = load.iloc[0] if len(load) else None
    if top is not None:
        log(f"bottleneck: {top.work_center} at {top.load_ratio:.0%} of capacity to the last due date")

    edd = dispatch(problem, "EDD")
    atc = best_dispatch(problem, rules=("ATC",))
    hint = min((edd, atc), key=lambda p: (p.objective, p.makespan))
    cp = solve(problem, time_limit=time_limit, hint=hint.assignments, workers=workers)
    log(
        f"weighted tardiness: EDD {edd.objective:,}, ATC {atc.objective:,} ({atc.method}), "
        f"CP-SAT {cp.objective:,} "
        f"({cp.status}, bound {cp.bound:,}, gap {cp.gap:.1%}, {cp.seconds:.1f} s)"
    )
    plans = {"cpsat": cp, "edd": edd, "atc": atc}
    tables = _tables(problem, orders, plant, calendar, plans)
    ops_frame, blocked_frame = problem_to_frames(problem)
    tables.update(
        plan_problem=ops_frame,
        plan_blocked=blocked_frame,
        plan_calendar=calendar_to_frame(calendar),
        work_center_load=load,
    )
    log(f"production plan done in {time.monotonic() - t0:.1f} s")
    return tables


def _tables(
    problem: Problem,
    orders: pd.DataFrame,
    plant: PlantInputs,
    calendar: PlantCalendar,
    plans: dict[str, Plan],
) -> dict[str, pd.DataFrame]:
    # Rows by key in dicts: a pandas ``.loc`` per operation and method cost seconds.
    first = plant.operations.drop_duplicates(["production_order_id", "operation_seq"])
    info = {(r.production_order_id, r.operation_seq): r for r in first.itertuples(index=False)}
    per_order = {r.production_order_id: r for r in orders.itertuples(index=False)}
    ops_by_key = {op.key: op for op in problem.ops()}
    sched, order_rows, runs = [], [], []
    for method, plan in plans.items():
        for key, a in plan.assignments.items():
            r = info[key]
            op = ops_by_key[key]
            sched.append(
                {
                    "method": method,
                    "production_order_id": key[0],
                    "sku": r.sku,
                    "operation_seq": key[1],
                    "operation_name": r.operation_name,
                    "work_center": r.work_center,
                    "machine_id": a.machine,
                    "start_minute": a.start,
                    "end_minute": a.end,
                    "minutes": a.end - a.start,
                    "planned_start_utc": calendar.to_clock(a.start),
                    "planned_end_utc": calendar.to_clock(a.end, end=True),
                    "is_started": op.fixed,
                    "customer_tier": r.customer_tier,
                    "due_at_utc": r.due_at,
                }
            )
        done = completion(problem, plan.assignments)
        late = 0
        for o in problem.orders:
            p = per_order[o.order]
            c = done[o.order]
            finish = calendar.to_clock(c, end=True)
            lateness = (finish - pd.Timestamp(p.due_at)) / pd.Timedelta(hours=1)
            late += c > o.due
            order_rows.append(
                {
                    "method": method,
                    "production_order_id": o.order,
                    "sku": info[o.ops[0].key].sku,
                    "customer_tier": p.customer_tier,
                    "margin": p.margin,
                    "priority_score": p.priority_score,
                    "priority_rank": p.priority_rank,
                    "weight": o.weight,
                    "due_at_utc": p.due_at,
                    "planned_completion_utc": finish,
                    "tardiness_minutes": max(0, c - o.due),
                    "lateness_hours": lateness,
                    "is_late": c > o.due,
                    "open_operations": len(o.ops),
                }
            )
        runs.append(
            {
                "method": method,
                "status": plan.status,
                "weighted_tardiness": plan.objective,
                "bound": plan.bound,
                "gap": plan.gap,
                "makespan_minutes": plan.makespan,
                "makespan_at_utc": calendar.to_clock(plan.makespan, end=True),
                "late_orders": late,
                "orders": len(problem.orders),
                "operations": len(plan.assignments),
                "seconds": round(plan.seconds, 2),
                "is_chosen": method == "cpsat",
                "note": "; ".join(f"{k}={v}" for k, v in plan.notes.items() if k != "portfolio"),
            }
        )
    return {
        "schedule": pd.DataFrame(sched),
        "schedule_orders": pd.DataFrame(order_rows),
        "schedule_runs": pd.DataFrame(runs),
    }
