"""Rush-order what-if on a stored plan: the stored problem and plan tables plus one product's routing in,
the re-solved plan and the orders it delays out. Used by the dashboard and the benchmark, and the way to
try a rush order from Python on a published warehouse::

    tables = {t: conn.execute(f"select * from production.{t}").df()
              for t in ("plan_problem", "plan_blocked", "plan_calendar", "schedule")}
    routing = conn.execute("select * from staging.stg_erp__routings where sku = ?", [sku]).df()
    result = rush_what_if(tables, routing, quantity=200, due_at=pd.Timestamp("2026-11-27 10:00"))
    result.delayed  # the orders it delays, by how many plant minutes

Rush orders already agreed but not yet in a stored plan (``held``) are inserted first, one after the
other in the order given, each as its own what-if; the new one is then inserted into the plan that holds
them, so two proposals at once are judged one on top of the other. The solver runs in its deterministic
mode (``scheduling.cpsat``): the same tables and arguments give the same answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import pandas as pd

from scheduling import RUSH_TIME_LIMIT_S

from .calendar import PlantCalendar
from .frames import calendar_from_frame, plan_from_frame, problem_from_frames
from .inputs import build_problem
from .priority import PriorityWeights
from .problem import Order, Plan, Problem
from .rush import RushResult, insert_rush_order

__all__ = ["rush_inputs", "rush_what_if", "HeldRush", "RUSH_WEIGHT_FACTOR"]

RUSH_WEIGHT_FACTOR = 2


@dataclass(frozen=True)
class HeldRush:
    """A rush order agreed before this one and not yet in the stored plan: the plan holds it first."""

    order_id: str
    routing: pd.DataFrame
    quantity: int
    due_at: pd.Timestamp
    tier: str = "A"
    frozen_minutes: int = 480


def _new_order(
    problem: Problem,
    calendar: PlantCalendar,
    order_id: str,
    routing: pd.DataFrame,
    quantity: int,
    due_at,
    tier: str,
    margin: float,
    efficiency: dict[str, float] | None,
    weight: int,
) -> Order:
    """One new production order of ``quantity`` units by ``routing``, on the stored problem's machines."""
    if routing.empty:
        raise ValueError(f"{order_id}: the product has no routing: it is not made in the plant")
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
    return replace(rush_problem.orders[0], weight=weight)


def _rush_weight(problem: Problem) -> int:
    """A rush order is urgent by definition: each minute it is late counts ``RUSH_WEIGHT_FACTOR`` (2)
    times the heaviest regular weight."""
    heaviest = max((o.weight for o in problem.orders), default=PriorityWeights().max_weight)
    return RUSH_WEIGHT_FACTOR * heaviest


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
    stored plan starts from (the rush what-if here, capable-to-promise in ``planning.promise``); the new
    order weighs ``weight``, else a rush order's weight (:func:`_rush_weight`)."""
    if routing.empty:
        raise ValueError("the product has no routing: it is not made in the plant")
    problem = problem_from_frames(tables["plan_problem"], tables["plan_blocked"])
    calendar = calendar_from_frame(tables["plan_calendar"])
    sched = tables["schedule"]
    current = plan_from_frame(sched.loc[sched["method"] == method] if "method" in sched else sched)
    order = _new_order(
        problem,
        calendar,
        order_id,
        routing,
        quantity,
        due_at,
        tier,
        margin,
        efficiency,
        weight or _rush_weight(problem),
    )
    return problem, current, order, calendar


def rush_what_if(
    tables: dict[str, pd.DataFrame],
    routing: pd.DataFrame,
    quantity: int,
    due_at: pd.Timestamp,
    tier: str = "A",
    margin: float = 0.3,
    order_id: str = "RUSH",
    frozen_minutes: int = 480,
    time_limit: float = RUSH_TIME_LIMIT_S,
    efficiency: dict[str, float] | None = None,
    method: str = "cpsat",
    weight: int | None = None,
    held: Sequence[HeldRush] = (),
) -> RushResult:
    """Insert a rush order of ``quantity`` units made by ``routing`` (rows of ``stg_erp__routings``:
    ``operation_seq, work_center, eligible_machines, setup_minutes, run_minutes_per_unit``) due at
    ``due_at`` (same clock as the calendar, UTC in the warehouse) into the stored ``method`` plan, after
    the ``held`` ones (each weighing a rush order's weight)."""
    problem, current, rush, calendar = rush_inputs(
        tables, routing, quantity, due_at, tier, margin, order_id, efficiency, method, weight
    )
    held_weight = _rush_weight(problem)  # of the stored plan, before any held order is in it
    for h in held:
        agreed = _new_order(
            problem,
            calendar,
            h.order_id,
            h.routing,
            h.quantity,
            h.due_at,
            h.tier,
            margin,
            efficiency,
            held_weight,
        )
        placed = insert_rush_order(problem, current, agreed, h.frozen_minutes, time_limit)
        problem, current = placed.problem, placed.plan
    return insert_rush_order(problem, current, rush, frozen_minutes, time_limit)


def longest_wait(result: RushResult, order_id: str) -> tuple[int, int, str]:
    """Where an order waits longest for a machine after its previous operation (or its release), in a
    what-if's plan: (plant minutes, operation, work center). With the rush order planned first, this is
    why it cannot be done sooner."""
    ops = sorted((key, a) for key, a in result.plan.assignments.items() if key[0] == order_id)
    ready = next(o.release for o in result.problem.orders if o.order == order_id)
    waits = []
    for (_, seq), a in ops:
        waits.append((a.start - ready, seq, result.problem.machines[a.machine]))
        ready = a.end
    return max(waits)
