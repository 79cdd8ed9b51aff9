"""Rush-order what-if on a stored plan: the stored problem and plan tables plus one product's routing in,
the re-solved plan and the orders it delays out. Used by the dashboard and the benchmark, and the way to
try a rush order from Python on a published warehouse::

    tables = {t: conn.execute(f"select * from production.{t}").df()
              for t in ("plan_problem", "plan_blocked", "plan_calendar", "schedule")}
    routing = conn.execute("select * from staging.stg_erp__routings where sku = ?", [sku]).df()
    result = rush_what_if(tables, routing, quantity=200, due_at=pd.Timestamp("2026-11-27 10:00"))
    result.delayed  # the orders it delays, by how many plant minutes
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from scheduling import RUSH_TIME_LIMIT_S

from .calendar import PlantCalendar
from .frames import calendar_from_frame, plan_from_frame, problem_from_frames
from .inputs import build_problem
from .priority import PriorityWeights
from .problem import Order, Plan, Problem
from .rush import RushResult, insert_rush_order

__all__ = ["rush_inputs", "rush_what_if", "RUSH_WEIGHT_FACTOR"]

RUSH_WEIGHT_FACTOR = 2


def rush_inputs(
    tables: dict[str, pd.DataFrame],
    routing: pd.DataFrame,
    quantity: int,
    due_at: pd.Timestamp,
    tier: str = "A",
    margin: float = 0.3,
    order_id: str = "RUSH",
    efficiency: dict[str, float] | None = None,
    method: str = "cpsat",
    weight: int | None = None,
) -> tuple[Problem, Plan, Order, PlantCalendar]:
    """(stored problem, stored ``method`` plan, the new order, calendar): what every insertion into a
    stored plan starts from (the rush what-if here, capable-to-promise in ``planning.promise``).

    A rush order is urgent by definition: unless ``weight`` is given, each minute it is late counts
    ``RUSH_WEIGHT_FACTOR`` (2) times the heaviest regular weight."""
    if routing.empty:
        raise ValueError("the product has no routing: it is not made in the plant")
    problem = problem_from_frames(tables["plan_problem"], tables["plan_blocked"])
    calendar = calendar_from_frame(tables["plan_calendar"])
    sched = tables["schedule"]
    current = plan_from_frame(sched.loc[sched["method"] == method] if "method" in sched else sched)
    ops = routing.assign(
        production_order_id=order_id,
        quantity_to_produce=int(quantity),
        scheduled_at=calendar.origin,
        due_at=pd.Timestamp(due_at),
        customer_tier=tier,
        margin=margin,
        remaining_quantity=int(quantity),
        operation_status="not_started",
        last_machine_id=None,
    )
    if "eligible_machines" not in ops:
        ops["eligible_machines"] = None
    machines = pd.DataFrame(
        {"machine_id": list(problem.machines), "work_center": list(problem.machines.values())}
    )
    rush_problem, _ = build_problem(ops, machines, calendar, efficiency=efficiency)
    heaviest = max((o.weight for o in problem.orders), default=PriorityWeights().max_weight)
    order = replace(rush_problem.orders[0], weight=weight or RUSH_WEIGHT_FACTOR * heaviest)
    return problem, current, order, calendar


def rush_what_if(
    tables: dict[str, pd.DataFrame],
    routing: pd.DataFrame,
    quantity: int,
    due_at: pd.Timestamp,
    frozen_minutes: int = 480,
    time_limit: float = RUSH_TIME_LIMIT_S,
    **order,
) -> RushResult:
    """Insert a rush order of ``quantity`` units made by ``routing`` (rows of ``stg_erp__routings``:
    ``operation_seq, work_center, eligible_machines, setup_minutes, run_minutes_per_unit``) due at
    ``due_at`` (same clock as the calendar, UTC in the warehouse) into the stored plan; ``order``: the
    other keywords of :func:`rush_inputs` (tier, margin, order_id, efficiency, method, weight)."""
    problem, current, rush, _ = rush_inputs(tables, routing, quantity, due_at, **order)
    return insert_rush_order(problem, current, rush, frozen_minutes, time_limit)
