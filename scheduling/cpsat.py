"""The CP-SAT model of the plant's flexible job shop.

Variables and constraints, per open operation:

* a start and an end (``end = start + minutes``), fixed for started operations;
* one optional interval per eligible machine with a presence literal; exactly one is present
  (machine choice); a single-machine operation has one plain interval;
* ``NoOverlap`` per machine over its operations' intervals and its blocked time (off-shift minutes and
  planned downtime, see :mod:`scheduling.calendar`);
* the first open operation starts at or after the order's release; every other one after all earlier
  operations of its order end (precedence).

Objective, lexicographic, in two solves:

1. minimise the priority-weighted tardiness Σ wⱼ·max(0, Cⱼ − dⱼ) (``Cⱼ`` the end of order j's last
   operation, ``wⱼ`` from :mod:`scheduling.priority`);
2. keep Σ wⱼ·Tⱼ at or below the best value of solve 1 and minimise the makespan.

Two solves rather than one weighted sum keep the numbers small (a weighted sum needs a factor above
the largest makespan on the tardiness term, which weakens the solver's bounds). Solve 1 gets
``1 − makespan_share`` of the time limit (if it proves optimality early, solve 2 gets the rest). The
reported status, objective, bound and gap are solve 1's: weighted tardiness is what planners are asked
to minimise. A complete feasible hint (the best dispatch plan) is given to both solves, so the result
is never worse than the hint; if the solver returns nothing in time, the hint is returned as is.
"""

from __future__ import annotations

import time

from .problem import Assignment, OpKey, Plan, Problem, makespan, score, weighted_tardiness

__all__ = ["solve"]


def solve(
    problem: Problem,
    time_limit: float = 10.0,
    hint: dict[OpKey, Assignment] | None = None,
    workers: int = 2,
    makespan_share: float = 0.2,
    method: str = "cpsat",
    pinned: dict[OpKey, Assignment] | None = None,
    seed: int = 0,
) -> Plan:
    """Best plan found within ``time_limit`` seconds (see the module docstring). ``pinned`` operations
    keep the given machine and start but otherwise obey every rule (used by :func:`improve`)."""
    from ortools.sat.python import cp_model

    t0 = time.monotonic()
    ops = problem.ops()
    total = sum(op.minutes for op in ops)
    fixed_end = max((op.fixed_start + op.minutes for op in ops if op.fixed), default=0)
    hint_span = makespan(hint) if hint else 0
    last_block = max((b for bl in problem.blocked.values() for _, b in bl), default=0)
    release = max((o.release for o in problem.orders), default=0)
    horizon = max(problem.horizon, hint_span, fixed_end, last_block, release) + total + 1

    model = cp_model.CpModel()
    start: dict[OpKey, cp_model.IntVar] = {}
    end: dict[OpKey, cp_model.IntVar] = {}
    choice: dict[OpKey, dict[str, cp_model.IntVar]] = {}
    per_machine: dict[str, list] = {m: [] for m in problem.machines}
    for m, blocks in problem.blocked.items():
        for a, b in blocks:
            if a < horizon and m in per_machine:
                per_machine[m].append(model.NewFixedSizeIntervalVar(a, min(b, horizon) - a, f"blk_{m}_{a}"))

    tardy = []
    for order in problem.orders:
        head = order.release
        waits: list = [order.release]
        for op in order.ops:
            key = op.key
            name = f"{op.order}_{op.seq}"
            if op.fixed:
                s = model.NewConstant(op.fixed_start)
                e = model.NewConstant(op.fixed_start + op.minutes)
                per_machine[op.fixed_machine].append(
                    model.NewFixedSizeIntervalVar(op.fixed_start, op.minutes, f"iv_{name}")
                )
                choice[key] = {}
            else:
                s = model.NewIntVar(head, horizon - op.minutes, f"s_{name}")
                e = model.NewIntVar(head + op.minutes, horizon, f"e_{name}")
                model.Add(e == s + op.minutes)
                for prev in waits:
                    model.Add(s >= prev)
                if pinned and key in pinned:
                    model.Add(s == pinned[key].start)
                if len(op.machines) == 1:
                    per_machine[op.machines[0]].append(model.NewIntervalVar(s, op.minutes, e, f"iv_{name}"))
                    choice[key] = {}
                else:
                    lits = {}
                    for m in op.machines:
                        lit = model.NewBoolVar(f"x_{name}_{m}")
                        if pinned and key in pinned:
                            model.Add(lit == int(m == pinned[key].machine))
                        per_machine[m].append(
                            model.NewOptionalIntervalVar(s, op.minutes, e, lit, f"iv_{name}_{m}")
                        )
                        lits[m] = lit
                    model.AddExactlyOne(lits.values())
                    choice[key] = lits
                head += op.minutes
            start[key], end[key] = s, e
            # A later operation waits for the one before it and for every started one before that.
            # (A started operation implies nothing about earlier ones, so they stay in the list.)
            if op.fixed:
                waits.append(op.fixed_start + op.minutes)
            else:
                waits = [x for x in waits if isinstance(x, int)] + [e]
        if order.ops:
            t = model.NewIntVar(0, horizon, f"tardy_{order.order}")
            model.Add(t >= end[order.ops[-1].key] - order.due)
            tardy.append((order.weight, t))
    for ivs in per_machine.values():
        if len(ivs) > 1:
            model.AddNoOverlap(ivs)

    if hint:
        for op in ops:
            a = hint.get(op.key)
            if a is None or op.fixed:
                continue
            model.AddHint(start[op.key], a.start)
            for m, lit in choice[op.key].items():
                model.AddHint(lit, m == a.machine)

    wt = sum(w * t for w, t in tardy) if tardy else model.NewConstant(0)
    model.Minimize(wt)

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = int(workers)
    solver.parameters.random_seed = int(seed)
    solver.parameters.max_time_in_seconds = max(0.1, time_limit * (1.0 - makespan_share))
    code = solver.Solve(model)
    status = solver.StatusName(code)

    def read() -> dict[OpKey, Assignment]:
        out = {}
        for op in ops:
            if op.fixed:
                m = op.fixed_machine
            elif choice[op.key]:
                m = next(mm for mm, lit in choice[op.key].items() if solver.Value(lit))
            else:
                m = op.machines[0]
            s = int(solver.Value(start[op.key]))
            out[op.key] = Assignment(m, s, s + op.minutes)
        return out

    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if hint is None:
            return Plan(method, {}, status=status, seconds=time.monotonic() - t0)
        plan = score(problem, Plan(method, dict(hint), status="HINT", seconds=time.monotonic() - t0))
        plan.notes["solver"] = f"no solution in {time_limit:.1f} s ({status}); the hint is returned"
        return plan

    best = read()
    objective = int(round(solver.ObjectiveValue()))
    bound = max(0, int(round(solver.BestObjectiveBound())))
    phase1 = {"status": status, "seconds": round(solver.WallTime(), 2)}

    # Solve 2: the makespan, weighted tardiness held at its best.
    left = time_limit - (time.monotonic() - t0)
    if makespan_share > 0 and left > 0.2:
        model.Add(wt <= objective)
        span = model.NewIntVar(0, horizon, "makespan")
        model.AddMaxEquality(span, [end[op.key] for op in ops] or [model.NewConstant(0)])
        model.ClearHints()
        for op in ops:
            if not op.fixed:
                model.AddHint(start[op.key], best[op.key].start)
                for m, lit in choice[op.key].items():
                    model.AddHint(lit, m == best[op.key].machine)
        model.Minimize(span)
        solver.parameters.max_time_in_seconds = left
        code2 = solver.Solve(model)
        if code2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            best = read()
        phase1["makespan_status"] = solver.StatusName(code2)

    plan = Plan(method, best, status=status, objective=objective, bound=min(bound, objective))
    plan.makespan = makespan(best)
    if hint is not None and weighted_tardiness(problem, hint) < plan.objective:  # cannot happen, but guard
        plan = score(problem, Plan(method, dict(hint), status="HINT"))
    plan.seconds = time.monotonic() - t0
    plan.notes.update(phase1)
    return plan
