"""Rush-order insertion (插单): what a new urgent order does to the current plan.

1. Operations already started, and every operation of the current plan that starts inside the frozen
   window ``[0, frozen_minutes)``, keep their machine and start: the floor has been told about them.
2. Two complete, feasible hints are built and the better one (weighted tardiness) is kept: the
   current plan unchanged with the rush order fitted into the first free gaps (:func:`fit_in`, "put
   it where there is room"), and the rush order first with everything else pushed back in its
   current sequence (:func:`push_in`, "it goes first"). So the answer is never worse than either,
   and CP-SAT starts from a plan the floor already knows.
3. CP-SAT re-solves the non-frozen part with the usual objective (weighted tardiness, then makespan)
   within ``time_limit`` (deterministic) seconds, in its deterministic mode with ``workers`` (2) and seed 0:
   the same plan and rush order give the same answer on every run (``scheduling.cpsat``).
4. The answer lists, per order, the completion before and after and the change in minutes and in
   weighted tardiness: the orders the rush order delays, for planning and production to agree on.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from . import RUSH_TIME_LIMIT_S
from .check import check_plan
from .cpsat import solve
from .dispatch import MachineTimeline
from .problem import Assignment, OpKey, Order, Plan, Problem, completion, weighted_tardiness

__all__ = ["RushResult", "insert_rush_order", "freeze", "fit_in", "push_in"]


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


def _timelines(problem: Problem, busy: dict[OpKey, Assignment]) -> dict[str, MachineTimeline]:
    lines = {m: MachineTimeline(problem.blocked.get(m, ())) for m in problem.machines}
    for a in busy.values():
        lines[a.machine].add(a.start, a.end)
    return lines


def _place(order: Order, lines: dict[str, MachineTimeline], out: dict[OpKey, Assignment]) -> None:
    """Each operation of ``order`` on the eligible machine where it ends first, in the first gap after
    its predecessor and the order's release."""
    ready = order.release
    for op in order.ops:
        end, m = min((lines[m].earliest(ready, op.minutes) + op.minutes, m) for m in op.machines)
        lines[m].add(end - op.minutes, end)
        out[op.key] = Assignment(m, end - op.minutes, end)
        ready = end


def fit_in(problem: Problem, current: dict[OpKey, Assignment], order: Order) -> dict[OpKey, Assignment]:
    """``current`` unchanged plus ``order`` in the first gaps that fit ("where there is room")."""
    out = dict(current)
    _place(order, _timelines(problem, current), out)
    return out


def push_in(
    problem: Problem, current: dict[OpKey, Assignment], frozen: dict[OpKey, Assignment], order: Order
) -> dict[OpKey, Assignment]:
    """The frozen plan, then ``order`` first at the earliest it can run, then every other operation of
    ``current`` in its current sequence on its current machine, shifted as far as the rush order
    pushes it (a list schedule, so precedence and machine capacity hold)."""
    lines = _timelines(problem, frozen)
    out = dict(frozen)
    _place(order, lines, out)
    release = {o.order: o.release for o in problem.orders}
    done: dict[str, int] = {}
    for key, a in frozen.items():
        done[key[0]] = max(done.get(key[0], 0), a.end)
    for key, a in sorted(current.items(), key=lambda kv: (kv[1].start, kv[0])):
        if key in frozen:
            continue
        minutes = a.end - a.start
        s = lines[a.machine].earliest(max(release[key[0]], done.get(key[0], 0)), minutes)
        lines[a.machine].add(s, s + minutes)
        out[key] = Assignment(a.machine, s, s + minutes)
        done[key[0]] = max(done.get(key[0], 0), s + minutes)
    return out


def insert_rush_order(
    problem: Problem,
    current: Plan,
    rush: Order,
    frozen_minutes: int = 480,
    time_limit: float = RUSH_TIME_LIMIT_S,
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

    hints = [
        fit_in(new_problem, current.assignments, rush),
        push_in(new_problem, current.assignments, frozen, rush),
    ]
    hint = min(hints, key=lambda h: weighted_tardiness(new_problem, h))
    plan = solve(
        new_problem,
        time_limit=time_limit,
        hint=hint,
        workers=workers,
        method="cpsat-rush",
        deterministic=True,
    )

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
