"""Rush-order insertion (插单): what a new urgent order does to the current plan.

1. Operations already started, and every operation of the current plan that starts inside the frozen
   window ``[0, frozen_minutes)``, keep their machine and start: the floor has been told about them.
2. The hint is the current plan unchanged with the rush order fitted into the first free gaps of its
   machines (:func:`fit_in`): complete and feasible, so the answer is never worse than "put it at
   the end", and CP-SAT starts from the plan the floor already knows.
3. CP-SAT re-solves the non-frozen part with the usual objective (weighted tardiness, then makespan)
   within ``time_limit`` seconds.
4. The answer lists, per order, the completion before and after and the change in minutes and in
   weighted tardiness: the orders the rush order delays, for planning and production to agree on.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from .check import check_plan
from .cpsat import solve
from .dispatch import MachineTimeline
from .problem import Assignment, OpKey, Order, Plan, Problem, completion

__all__ = ["RushResult", "insert_rush_order", "freeze", "fit_in"]


@dataclass
class RushResult:
    plan: Plan
    problem: Problem  # the problem re-solved: frozen operations fixed, the rush order added
    frozen: dict[OpKey, Assignment]
    moves: pd.DataFrame  # one row per order: before/after completion, delay, tardiness change
    violations: list[str]

    @property
    def delayed(self) -> pd.DataFrame:
        return self.moves.loc[self.moves["delay_minutes"] > 0]


def freeze(problem: Problem, current: dict[OpKey, Assignment], frozen_minutes: int) -> tuple[Problem, dict]:
    """The problem with started operations and those starting before ``frozen_minutes`` fixed."""
    frozen: dict[OpKey, Assignment] = {}
    orders = []
    for o in problem.orders:
        ops = []
        for op in o.ops:
            a = current[op.key]
            if op.fixed or a.start < frozen_minutes:
                frozen[op.key] = a
                op = replace(op, fixed_machine=a.machine, fixed_start=a.start)
            ops.append(op)
        orders.append(replace(o, ops=tuple(ops)))
    return problem.with_orders(tuple(orders)), frozen


def fit_in(problem: Problem, current: dict[OpKey, Assignment], order: Order) -> dict[OpKey, Assignment]:
    """``current`` plus ``order``'s operations, each on the eligible machine where it ends first, in
    the first gap that fits after its predecessor and the order's release."""
    lines = {m: MachineTimeline(problem.blocked.get(m, ())) for m in problem.machines}
    for a in current.values():
        lines[a.machine].add(a.start, a.end)
    out = dict(current)
    ready = order.release
    for op in order.ops:
        options = []
        for m in op.machines:
            s = lines[m].earliest(ready, op.minutes)
            options.append((s + op.minutes, m, s))
        end, m, s = min(options)
        lines[m].add(s, end)
        out[op.key] = Assignment(m, s, end)
        ready = end
    return out


def insert_rush_order(
    problem: Problem,
    current: Plan,
    rush: Order,
    frozen_minutes: int = 480,
    time_limit: float = 4.0,
    workers: int = 2,
) -> RushResult:
    """Insert ``rush`` into ``current`` (see the module docstring). ``frozen_minutes`` are plant minutes
    from now (480 = one shift's net time)."""
    if any(o.order == rush.order for o in problem.orders):
        raise ValueError(f"order {rush.order} is already in the plan")
    for op in rush.ops:
        unknown = [m for m in op.machines if m not in problem.machines]
        if unknown or not op.machines:
            raise ValueError(f"{rush.order} op {op.seq}: no known eligible machine ({', '.join(unknown)})")
    fixed_problem, frozen = freeze(problem, current.assignments, frozen_minutes)
    new_problem = fixed_problem.with_orders((*fixed_problem.orders, rush))

    hint = fit_in(new_problem, current.assignments, rush)
    plan = solve(new_problem, time_limit=time_limit, hint=hint, workers=workers, method="cpsat-rush")

    before = completion(problem, current.assignments)
    after = completion(new_problem, plan.assignments)
    rows = []
    for o in new_problem.orders:
        b, a = before.get(o.order), after.get(o.order)
        tb = None if b is None else o.weight * max(0, b - o.due)
        ta = None if a is None else o.weight * max(0, a - o.due)
        rows.append(
            {
                "production_order_id": o.order,
                "is_rush_order": o.order == rush.order,
                "due_minute": o.due,
                "completion_before": b,
                "completion_after": a,
                "delay_minutes": None if b is None or a is None else a - b,
                "late_before": None if b is None else b > o.due,
                "late_after": None if a is None else a > o.due,
                "weighted_tardiness_before": tb,
                "weighted_tardiness_after": ta,
            }
        )
    moves = pd.DataFrame(rows).sort_values(["is_rush_order", "delay_minutes"], ascending=[False, False])
    violations = check_plan(new_problem, plan.assignments, frozen=frozen)
    return RushResult(plan, new_problem, frozen, moves.reset_index(drop=True), violations)
