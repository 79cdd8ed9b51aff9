"""Plain job-shop scheduling (JSSP): parse the standard instance format and solve it with CP-SAT.

Instance format (as in JSPLIB / OR-Library): optional ``#`` comment lines and blank lines, then a line
``n_jobs n_machines``, then one line per job with ``machine duration`` pairs in processing order,
machines numbered from 0.

Model (:func:`solve_jssp`):

* one interval variable per operation, ``start + duration == end``;
* precedence inside each job: ``end[j, k] <= start[j, k + 1]``;
* ``NoOverlap`` over the intervals of each machine;
* ``makespan == max(end of the last operation of each job)``, minimised.

Speed-ups, kept deliberately simple:

* the horizon is the makespan of a greedy dispatch schedule (shortest-processing-time among the next
  operations, earliest start first), which is a valid upper bound; the greedy schedule is also given
  as a solution hint, so the solver starts from a feasible solution;
* the trivial lower bound ``max(longest job, most loaded machine)`` is added as a constraint on the
  makespan, and each start is bounded by the job's head (work before it) and tail (work after it).

Reporting: ``makespan`` is the best solution found (``None`` if none), ``bound`` is the solver's proven
lower bound (``ObjectiveBound``, never below the trivial bound). ``status`` is ``OPTIMAL`` when
``makespan == bound`` was proven, ``FEASIBLE`` when a solution exists but optimality was not proven in
the time limit (gap = ``(makespan - bound) / makespan``, see :attr:`JsspResult.gap`), ``INFEASIBLE``
or ``UNKNOWN`` otherwise.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from itertools import pairwise

__all__ = ["JobShop", "JsspResult", "parse_jssp", "solve_jssp", "greedy_schedule", "check_schedule"]


@dataclass(frozen=True)
class JobShop:
    """``jobs[j]`` is the list of ``(machine, duration)`` operations of job ``j`` in order."""

    n_jobs: int
    n_machines: int
    jobs: tuple[tuple[tuple[int, int], ...], ...]

    def lower_bound(self) -> int:
        """max(longest job, most loaded machine): a lower bound on any makespan."""
        job_len = max((sum(d for _, d in ops) for ops in self.jobs), default=0)
        load = [0] * self.n_machines
        for ops in self.jobs:
            for m, d in ops:
                load[m] += d
        return max(job_len, max(load, default=0))


@dataclass
class JsspResult:
    makespan: int | None
    bound: int
    status: str
    seconds: float
    starts: list[list[int]] = field(default_factory=list)

    @property
    def gap(self) -> float | None:
        """Relative optimality gap ``(makespan - bound) / makespan`` (0 when optimal)."""
        if not self.makespan:
            return None
        return (self.makespan - self.bound) / self.makespan


def parse_jssp(text: str) -> JobShop:
    """Parse the standard JSSP text format; raise ``ValueError`` naming the line number and reason."""
    lines = text.splitlines()
    i = 0
    while i < len(lines) and (not lines[i].strip() or lines[i].lstrip().startswith("#")):
        i += 1
    if i >= len(lines):
        raise ValueError("no header line 'n_jobs n_machines' found")
    header = lines[i].split()
    try:
        n_jobs, n_machines = (int(x) for x in header)
    except ValueError:
        raise ValueError(
            f"line {i + 1}: header must be two integers 'n_jobs n_machines', got {lines[i].strip()!r}"
        ) from None
    if n_jobs <= 0 or n_machines <= 0:
        raise ValueError(f"line {i + 1}: n_jobs and n_machines must be positive")
    jobs: list[tuple[tuple[int, int], ...]] = []
    for lineno in range(i + 2, len(lines) + 1):
        raw = lines[lineno - 1].strip()
        if not raw or raw.startswith("#"):
            continue
        if len(jobs) == n_jobs:
            raise ValueError(f"line {lineno}: extra data after {n_jobs} jobs")
        try:
            values = [int(x) for x in raw.split()]
        except ValueError:
            raise ValueError(f"line {lineno}: non-integer value in {raw!r}") from None
        if len(values) != 2 * n_machines:
            raise ValueError(
                f"line {lineno}: expected {n_machines} machine/duration pairs ({2 * n_machines} numbers), "
                f"got {len(values)} numbers"
            )
        ops = []
        for k in range(n_machines):
            m, d = values[2 * k], values[2 * k + 1]
            if not 0 <= m < n_machines:
                raise ValueError(f"line {lineno}: machine {m} out of range 0..{n_machines - 1}")
            if d < 0:
                raise ValueError(f"line {lineno}: negative duration {d}")
            ops.append((m, d))
        jobs.append(tuple(ops))
    if len(jobs) < n_jobs:
        raise ValueError(f"line {len(lines)}: missing jobs, expected {n_jobs}, found {len(jobs)}")
    return JobShop(n_jobs, n_machines, tuple(jobs))


def greedy_schedule(shop: JobShop) -> list[list[int]]:
    """A feasible schedule by dispatching: repeatedly place the next operation that can start earliest
    (ties: shortest duration). Returns ``starts[j][k]``."""
    next_op = [0] * shop.n_jobs
    job_ready = [0] * shop.n_jobs
    mach_ready = [0] * shop.n_machines
    starts = [[0] * len(ops) for ops in shop.jobs]
    remaining = sum(len(ops) for ops in shop.jobs)
    while remaining:
        best = None
        for j, ops in enumerate(shop.jobs):
            k = next_op[j]
            if k == len(ops):
                continue
            m, d = ops[k]
            key = (max(job_ready[j], mach_ready[m]), d, j)
            if best is None or key < best:
                best = key
        start, d, j = best
        k = next_op[j]
        m = shop.jobs[j][k][0]
        starts[j][k] = start
        job_ready[j] = mach_ready[m] = start + d
        next_op[j] += 1
        remaining -= 1
    return starts


def _makespan(shop: JobShop, starts: list[list[int]]) -> int:
    return max((s[-1] + ops[-1][1] for s, ops in zip(starts, shop.jobs, strict=True) if ops), default=0)


def check_schedule(shop: JobShop, starts: list[list[int]]) -> list[str]:
    """Return the list of violated constraints (empty when the schedule is feasible)."""
    errors = []
    by_machine: dict[int, list[tuple[int, int, int, int]]] = {}
    for j, ops in enumerate(shop.jobs):
        for k, (m, d) in enumerate(ops):
            s = starts[j][k]
            if s < 0:
                errors.append(f"job {j} op {k}: negative start {s}")
            if k and starts[j][k - 1] + ops[k - 1][1] > s:
                errors.append(f"job {j} op {k}: starts before op {k - 1} ends")
            by_machine.setdefault(m, []).append((s, s + d, j, k))
    for m, items in by_machine.items():
        items.sort()
        for a, b in pairwise(items):
            if a[1] > b[0] and a[1] > a[0] and b[1] > b[0]:
                errors.append(f"machine {m}: job {a[2]} op {a[3]} overlaps job {b[2]} op {b[3]}")
    return errors


def solve_jssp(shop: JobShop, time_limit: float = 10.0, workers: int = 2) -> JsspResult:
    """Minimise the makespan with CP-SAT (see the module docstring for the model and reporting)."""
    from ortools.sat.python import cp_model

    t0 = time.monotonic()
    lb = shop.lower_bound()
    greedy = greedy_schedule(shop)
    horizon = _makespan(shop, greedy)

    model = cp_model.CpModel()
    starts, ends, by_machine = [], [], {}
    for j, ops in enumerate(shop.jobs):
        total = sum(d for _, d in ops)
        head = 0
        js, je = [], []
        for k, (m, d) in enumerate(ops):
            tail = total - head - d
            s = model.NewIntVar(head, horizon - tail - d, f"s{j}_{k}")
            e = model.NewIntVar(head + d, horizon - tail, f"e{j}_{k}")
            iv = model.NewIntervalVar(s, d, e, f"i{j}_{k}")
            by_machine.setdefault(m, []).append(iv)
            model.AddHint(s, greedy[j][k])
            if k:
                model.Add(je[-1] <= s)
            js.append(s)
            je.append(e)
            head += d
        starts.append(js)
        ends.append(je)
    for ivs in by_machine.values():
        model.AddNoOverlap(ivs)
    makespan = model.NewIntVar(lb, horizon, "makespan")
    model.AddMaxEquality(makespan, [je[-1] for je in ends if je])
    model.AddHint(makespan, horizon)
    model.Minimize(makespan)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit)
    solver.parameters.num_workers = int(workers)
    code = solver.Solve(model)
    status = solver.StatusName(code)
    if status == "MODEL_INVALID":
        status = "UNKNOWN"
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        sol = [[int(solver.Value(s)) for s in js] for js in starts]
        value = int(solver.ObjectiveValue())
        bound = max(lb, int(round(solver.BestObjectiveBound())))
        return JsspResult(value, min(bound, value), status, time.monotonic() - t0, sol)
    return JsspResult(None, lb, status, time.monotonic() - t0, [])
