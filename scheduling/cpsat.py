"""The CP-SAT model of the plant's flexible job shop, and how its time limit is spent.

Variables and constraints, per open operation:

* a start and an end (``end = start + minutes``), fixed for started operations;
* one optional interval per eligible machine with a presence literal; exactly one is present
  (machine choice); a single-machine operation has one plain interval;
* ``NoOverlap`` per machine over its operations' intervals and its blocked time (off-shift minutes and
  planned downtime, see :mod:`scheduling.calendar`);
* the first open operation starts at or after the order's release; every other one after all earlier
  operations of its order end (precedence).

Objective, lexicographic: (1) the priority-weighted tardiness Σ wⱼ·max(0, Cⱼ − dⱼ) (``Cⱼ`` the end of
order j's last operation, ``wⱼ`` from :mod:`scheduling.priority`); then (2) the makespan, with (1) held
at its best value. Two solves rather than one weighted sum keep the numbers small (a weighted sum needs
a factor above the largest makespan on the tardiness term, which weakens the solver's bounds).

The time limit is spent in three parts: (1) ``full_share`` (30 %) of the tardiness time on the whole
model from the hint (the best dispatch plan), which proves the bound; (2) the rest of the tardiness time
on *time-window LNS*: pin every operation that starts outside a window of ``LNS_WINDOW_SHARE`` of the
plan, re-solve the window for up to ``LNS_STEP_SECONDS``, keep it if better, repeat (small sub-models
find re-sequencings the full model does not reach in time), until the full solve's bound is reached;
(3) ``makespan_share`` (20 %) of the whole limit on the makespan with the tardiness held. The
measurements behind these shares: docs/choices_and_measurements.md.

The reported status, objective, bound and gap are for (1): status ``OPTIMAL`` only when the full solve
proved it (or the hint has no tardiness at all: then (1) and (2) are skipped), ``FEASIBLE`` otherwise;
the bound is the full solve's. The hint is complete and feasible, so the answer is never worse than
it; if the solver returns nothing in time, the hint is returned as is.

``deterministic=True`` (the rush-order what-if) makes the same problem give the same plan: the limit is
CP-SAT's deterministic time (a count of work, not the clock) with ``interleave_search`` (one search,
the same for any number of workers), the fixed ``seed`` and ``workers``; the LNS and every share are
decided without the clock (the tardiness solve gets all the tardiness time). A wall-clock cap of
``DETERMINISTIC_WALL_FACTOR`` × the limit stays as a guard: only a machine that slow can break the
repeatability.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from . import DEFAULT_TIME_LIMIT_S
from .problem import Assignment, OpKey, Plan, Problem, makespan, score, weighted_tardiness

__all__ = ["solve"]

LNS_WINDOW_SHARE = 0.2  # window width as a share of the current plan's length
LNS_STEP_SECONDS = 1.0  # time limit of one window re-solve
DETERMINISTIC_WALL_FACTOR = 5.0  # deterministic mode: wall-clock guard, × the deterministic limit


@dataclass
class _Model:
    model: object
    start: dict
    end: dict
    choice: dict  # operation -> {machine: presence literal}, for operations with a machine choice
    machine: dict  # operation -> its only machine, for the others
    wt: object
    horizon: int


def _build(problem: Problem, hint: dict[OpKey, Assignment] | None, pinned: dict[OpKey, Assignment] | None):
    from ortools.sat.python import cp_model

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
    only: dict[OpKey, str] = {}
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
            pin = pinned.get(key) if pinned else None
            if op.fixed:
                s = model.NewConstant(op.fixed_start)
                e = model.NewConstant(op.fixed_start + op.minutes)
                per_machine[op.fixed_machine].append(
                    model.NewFixedSizeIntervalVar(op.fixed_start, op.minutes, f"iv_{name}")
                )
                choice[key], only[key] = {}, op.fixed_machine
            else:
                if pin is not None:
                    s = model.NewIntVar(pin.start, pin.start, f"s_{name}")
                    e = model.NewIntVar(pin.start + op.minutes, pin.start + op.minutes, f"e_{name}")
                else:
                    s = model.NewIntVar(head, horizon - op.minutes, f"s_{name}")
                    e = model.NewIntVar(head + op.minutes, horizon, f"e_{name}")
                model.Add(e == s + op.minutes)
                for prev in waits:
                    model.Add(s >= prev)
                machines = (pin.machine,) if pin is not None else op.machines
                if len(machines) == 1:
                    per_machine[machines[0]].append(model.NewIntervalVar(s, op.minutes, e, f"iv_{name}"))
                    choice[key], only[key] = {}, machines[0]
                else:
                    lits = {}
                    for m in machines:
                        lit = model.NewBoolVar(f"x_{name}_{m}")
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
    wt = sum(w * t for w, t in tardy) if tardy else model.NewConstant(0)
    built = _Model(model, start, end, choice, only, wt, horizon)
    _hint(built, problem, hint)
    return built


def _hint(m: _Model, problem: Problem, hint: dict[OpKey, Assignment] | None) -> None:
    m.model.ClearHints()
    for op in problem.ops():
        a = (hint or {}).get(op.key)
        if a is None or op.fixed:
            continue
        m.model.AddHint(m.start[op.key], a.start)
        for machine, lit in m.choice[op.key].items():
            m.model.AddHint(lit, machine == a.machine)


def _run(m: _Model, problem: Problem, seconds: float, workers: int, seed: int, deterministic: bool = False):
    """Solve; return (status name, objective, bound, assignments or None)."""
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = int(workers)
    solver.parameters.random_seed = int(seed)
    solver.parameters.max_time_in_seconds = max(0.05, seconds)
    if deterministic:
        solver.parameters.interleave_search = True
        solver.parameters.max_deterministic_time = max(0.05, seconds)
        solver.parameters.max_time_in_seconds = max(0.05, seconds) * DETERMINISTIC_WALL_FACTOR
    code = solver.Solve(m.model)
    status = solver.StatusName(code)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return status, None, None, None
    out = {}
    for op in problem.ops():
        if m.choice[op.key]:
            machine = next(mm for mm, lit in m.choice[op.key].items() if solver.Value(lit))
        else:
            machine = m.machine[op.key]
        s = int(solver.Value(m.start[op.key]))
        out[op.key] = Assignment(machine, s, s + op.minutes)
    return status, int(round(solver.ObjectiveValue())), int(round(solver.BestObjectiveBound())), out


def _window_lns(
    problem: Problem,
    best: dict[OpKey, Assignment],
    objective: int,
    deadline: float,
    workers: int,
    seed: int,
    pinned: dict[OpKey, Assignment] | None,
    bound: int = 0,
) -> tuple[dict[OpKey, Assignment], int, int, int]:
    """Improve ``best`` by re-solving time windows until ``deadline``, or until the objective reaches
    the full solve's ``bound`` (nothing better exists); returns (plan, objective, windows tried,
    windows improved)."""
    rng = random.Random(seed)
    free = [op for op in problem.ops() if not op.fixed and not (pinned and op.key in pinned)]
    tried = improved = 0
    while free and objective > bound and time.monotonic() < deadline - 0.05:
        tried += 1
        width = max(1, int(LNS_WINDOW_SHARE * makespan(best)))
        t = rng.randint(0, max(0, makespan(best) - width))
        pins = {op.key: best[op.key] for op in free if not t <= best[op.key].start < t + width}
        pins.update(pinned or {})
        m = _build(problem, best, pins)
        m.model.Minimize(m.wt)
        left = min(LNS_STEP_SECONDS, deadline - time.monotonic())
        _, value, _, plan = _run(m, problem, left, workers, seed + tried)
        if plan is not None and value < objective:
            best, objective = plan, value
            improved += 1
    return best, objective, tried, improved


def solve(
    problem: Problem,
    time_limit: float = DEFAULT_TIME_LIMIT_S,
    hint: dict[OpKey, Assignment] | None = None,
    workers: int = 2,
    makespan_share: float = 0.2,
    full_share: float = 0.3,
    method: str = "cpsat",
    pinned: dict[OpKey, Assignment] | None = None,
    seed: int = 0,
    deterministic: bool = False,
) -> Plan:
    """Best plan found within ``time_limit`` seconds (see the module docstring). ``pinned`` operations
    keep the given machine and start but otherwise obey every rule. ``full_share=1`` turns the window
    LNS off; ``makespan_share=0`` skips the makespan solve; ``deterministic``: see the module docstring."""
    t0 = time.monotonic()
    if deterministic:
        full_share = 1.0
    tardiness_time = time_limit * (1.0 - makespan_share)
    m = _build(problem, hint, pinned)
    m.model.Minimize(m.wt)
    if not pinned and _on_time(problem, hint):
        # No order late in the hint: 0 is the least tardiness there is, nothing to search for.
        m.model.Add(m.wt <= 0)
        left = time_limit * makespan_share
        if not deterministic:
            left = min(left, time_limit - (time.monotonic() - t0))
        skipped = {"full_solve": "skipped: the hint has no tardiness"}
        return _finish(
            problem, m, method, "OPTIMAL", 0, dict(hint), skipped, left, workers, seed, t0, deterministic
        )
    status, objective, bound, best = _run(
        m, problem, tardiness_time * full_share, workers, seed, deterministic
    )
    if best is None:
        if hint is None:
            return Plan(method, {}, status=status, seconds=time.monotonic() - t0)
        plan = score(problem, Plan(method, dict(hint), status="HINT", seconds=time.monotonic() - t0))
        plan.notes["solver"] = f"no solution in {time_limit:.1f} s ({status}); the hint is returned"
        return plan
    notes: dict[str, object] = {"full_solve": status, "full_objective": objective}

    left_share = None
    if status != "OPTIMAL" and full_share < 1:
        best, objective, tried, improved = _window_lns(
            problem, best, objective, t0 + tardiness_time, workers, seed, pinned, bound
        )
        notes["lns_windows"] = f"{improved}/{tried} improved"
        # The makespan solve gets its share, not the tardiness time an early stop at the bound left.
        left_share = time_limit * makespan_share

    left = time_limit - (time.monotonic() - t0)
    if left_share is not None:
        left = min(left, left_share)
    if deterministic:
        left = time_limit * makespan_share
    if makespan_share > 0 and left > 0.2 and status != "INFEASIBLE":
        m.model.Add(m.wt <= objective)
    else:
        left = 0.0
    return _finish(problem, m, method, status, bound, best, notes, left, workers, seed, t0, deterministic)


def _on_time(problem: Problem, hint: dict[OpKey, Assignment] | None) -> bool:
    """The hint plans every operation and no order ends after its due date."""
    ops = problem.ops()
    if not hint or not ops or any(op.key not in hint for op in ops):
        return False
    return weighted_tardiness(problem, hint) == 0


def _finish(
    problem: Problem,
    m: _Model,
    method: str,
    status: str,
    bound: int,
    best: dict[OpKey, Assignment],
    notes: dict,
    left: float,
    workers: int,
    seed: int,
    t0: float,
    deterministic: bool = False,
) -> Plan:
    """Shorten the makespan for ``left`` seconds (the tardiness held: the model's constraint), then
    the plan with its status, bound and notes."""
    if left > 0.2:
        span = m.model.NewIntVar(0, m.horizon, "makespan")
        m.model.AddMaxEquality(span, [m.end[op.key] for op in problem.ops()] or [m.model.NewConstant(0)])
        _hint(m, problem, best)
        m.model.Minimize(span)
        status2, _, _, plan2 = _run(m, problem, left, workers, seed, deterministic)
        if plan2 is not None:
            best = plan2
        notes["makespan_solve"] = status2

    plan = score(problem, Plan(method, best, status=status))
    plan.bound = max(0, min(bound, plan.objective))
    plan.seconds = time.monotonic() - t0
    plan.notes.update(notes)
    return plan
