"""Dispatch-rule baselines: the plans a planner gets without an optimiser, to measure CP-SAT against.

Both rules share one list scheduler (Giffler–Thompson style, adapted to eligible machines):

1. started (fixed) operations are placed first, where the MES has them;
2. the *ready* operations are each order's next unplanned one; for each, the eligible machine that
   finishes it earliest (respecting the machine's blocked time, the order's release and the previous
   operation) gives its earliest start ``s`` and end ``c``;
3. the *conflict set* is every ready operation with ``s < min c``: any of them could go next without
   leaving a machine idle for nothing; the rule picks one, which is placed; repeat.

Rules:

* ``EDD`` (earliest due date): the order due first; ties by priority weight, then order id.
* ``ATC`` (apparent tardiness cost, Vepsalainen & Morton 1987), bottleneck-aware:
  ``I = w / p · exp(−max(0, d − t − R) / (k · p̄))`` with ``p`` the operation's minutes, ``p̄`` the mean
  over open operations, ``k`` the look-ahead (2.0), and ``R`` the order's remaining work where each
  operation counts ``p / (1 − ρ)`` with ρ its work center's load ratio (:func:`bottleneck.flow_factors`):
  an order whose remaining route crosses the bottleneck has less real slack, so it moves up.
"""

from __future__ import annotations

import math
import time
from bisect import bisect_right

from .bottleneck import flow_factors, work_center_load
from .problem import Assignment, Operation, OpKey, Plan, Problem, score

__all__ = ["dispatch", "best_dispatch", "RULES", "MachineTimeline"]

RULES = ("EDD", "ATC")
ATC_K = 2.0


class MachineTimeline:
    """Busy intervals of one machine (its blocked time included), sorted; finds the earliest gap."""

    def __init__(self, blocked: tuple[tuple[int, int], ...] = ()) -> None:
        self.starts: list[int] = [a for a, _ in blocked]
        self.ends: list[int] = [b for _, b in blocked]

    def earliest(self, t: int, minutes: int) -> int:
        """Earliest start ≥ t of a ``minutes``-long run that fits between busy intervals."""
        i = bisect_right(self.ends, t)  # first interval ending after t
        while i < len(self.starts):
            if t + minutes <= self.starts[i]:
                return t
            t = max(t, self.ends[i])
            i += 1
        return t

    def add(self, start: int, end: int) -> None:
        if end <= start:
            return
        i = bisect_right(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)


def _timelines(problem: Problem) -> dict[str, MachineTimeline]:
    return {m: MachineTimeline(problem.blocked.get(m, ())) for m in problem.machines}


def place_fixed(problem: Problem, lines: dict[str, MachineTimeline]) -> dict[OpKey, Assignment]:
    """Put the started operations where the MES has them."""
    out = {}
    for op in problem.ops():
        if op.fixed:
            a = Assignment(op.fixed_machine, op.fixed_start, op.fixed_start + op.minutes)
            lines[a.machine].add(a.start, a.end)
            out[op.key] = a
    return out


def dispatch(problem: Problem, rule: str = "ATC", k: float = ATC_K) -> Plan:
    """A feasible plan by the given rule (see the module docstring)."""
    if rule not in RULES:
        raise ValueError(f"unknown dispatch rule {rule!r}; choose one of {', '.join(RULES)}")
    t0 = time.monotonic()
    lines = _timelines(problem)
    plan = place_fixed(problem, lines)
    flow = flow_factors(work_center_load(problem)) if rule == "ATC" else {}
    all_ops = problem.ops()
    pbar = max(1.0, sum(op.minutes for op in all_ops) / max(1, len(all_ops)))

    orders = {o.order: o for o in problem.orders}
    nxt: dict[str, int] = {o.order: 0 for o in problem.orders}
    ready_at: dict[str, int] = {o.order: o.release for o in problem.orders}

    def skip_started(oid: str) -> None:
        """Move past started operations: what comes after waits for them."""
        ops = orders[oid].ops
        while nxt[oid] < len(ops) and ops[nxt[oid]].fixed:
            ready_at[oid] = max(ready_at[oid], plan[ops[nxt[oid]].key].end)
            nxt[oid] += 1

    for oid in orders:
        skip_started(oid)
    remaining = {
        o.order: [
            sum(op.minutes * flow.get(op.work_center, 1.0) for op in o.ops[j:]) for j in range(len(o.ops))
        ]
        for o in problem.orders
    }

    def best_machine(op: Operation, t: int) -> tuple[int, int, str]:
        best = None
        for m in op.machines:
            s = lines[m].earliest(t, op.minutes)
            cand = (s + op.minutes, s, m)
            if best is None or cand < best:
                best = cand
        return best[1], best[0], best[2]

    cache: dict[str, tuple[int, int, str]] = {}
    active = [o for o in orders if nxt[o] < len(orders[o].ops)]
    while active:
        cands = []
        for oid in active:
            if oid not in cache:
                op = orders[oid].ops[nxt[oid]]
                cache[oid] = best_machine(op, ready_at[oid])
            cands.append((oid, *cache[oid]))
        c_min = min(c[2] for c in cands)
        conflict = [c for c in cands if c[1] < c_min] or [min(cands, key=lambda c: c[2])]
        if rule == "EDD":
            pick = min(conflict, key=lambda c: (orders[c[0]].due, -orders[c[0]].weight, c[0]))
        else:
            t_now = min(x[1] for x in conflict)
            scored = []
            for c in conflict:
                o = orders[c[0]]
                p = o.ops[nxt[c[0]]].minutes
                slack = o.due - t_now - remaining[c[0]][nxt[c[0]]]
                index = (o.weight / max(1, p)) * math.exp(-max(0.0, slack) / (k * pbar))
                scored.append((index, -o.due, c[0], c))
            pick = max(scored)[3]
        oid, s, e, m = pick
        op = orders[oid].ops[nxt[oid]]
        plan[op.key] = Assignment(m, s, e)
        lines[m].add(s, e)
        nxt[oid] += 1
        ready_at[oid] = max(ready_at[oid], e)
        skip_started(oid)
        cache = {o: v for o, v in cache.items() if o != oid and v[2] != m}
        if nxt[oid] >= len(orders[oid].ops):
            active.remove(oid)
    return score(problem, Plan(f"dispatch-{rule}", plan, seconds=time.monotonic() - t0))


def best_dispatch(
    problem: Problem, rules: tuple[str, ...] = RULES, looks: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0)
) -> Plan:
    """The best of the given rules, ATC tried with several look-ahead values ``k``: a cheap, good
    starting point for CP-SAT (one pass takes well under a second on a few hundred operations). The
    winner's ``method`` names its rule and k; ``notes["portfolio"]`` has every candidate's objective."""
    plans = []
    for rule in rules:
        for k in looks if rule == "ATC" else (None,):
            plan = dispatch(problem, rule) if k is None else dispatch(problem, rule, k=k)
            if k is not None:
                plan.method = f"dispatch-ATC(k={k:g})"
            plans.append(plan)
    best = min(plans, key=lambda p: (p.objective, p.makespan))
    best.notes["portfolio"] = {p.method: p.objective for p in plans}
    return best
