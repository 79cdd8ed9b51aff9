"""Plain job-shop scheduling (JSSP): parse the standard instance format and solve it with CP-SAT.

Instance format (as in JSPLIB / OR-Library): optional ``#`` comment lines and blank lines, then a line
``n_jobs n_machines``, then one line per job with ``machine duration`` pairs in processing order,
machines numbered from 0.

Model (:func:`solve_jssp`), the textbook one: one interval per operation (domain cut by the job's head,
tail and a known upper bound), precedence inside each job, ``NoOverlap`` per machine, the makespan
minimised from the greedy schedule as hint. Search in two phases: (1) with ``workers >= 2``, an upper
bound from a complete search without LP plus LNS workers, stopped at ``_UB_SHARE`` of the time limit or
when the makespan stalls; (2) the proof, a new model with the horizon set to the best makespan, solved
by one worker for the rest of the time (one thread proves faster on a shared machine). Strong
disjunctive propagation on and the LP off are the settings that matter. What was measured and what was
tried and dropped: docs/choices_and_measurements.md.

Reporting: ``makespan`` is the best schedule found (the greedy one at worst, so never ``None`` in
practice), ``bound`` is the best proven lower bound (the Jackson bound or CP-SAT's objective bound,
whichever is higher). ``status`` is ``OPTIMAL`` only when ``makespan == bound`` was proven, ``FEASIBLE``
when the time limit ran out first (gap = ``(makespan - bound) / makespan``, see
:attr:`JsspResult.gap`).
"""

from __future__ import annotations

import heapq
import time
from dataclasses import dataclass, field
from itertools import pairwise

from scheduling import DEFAULT_TIME_LIMIT_S

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


def _jackson_bound(shop: JobShop) -> int:
    """One-machine relaxation bound: for every machine, the optimal *preemptive* schedule of its operations
    with heads (work before them in their job) and tails (work after them), computed by Jackson's rule
    (always run the released operation with the longest tail); the makespan is at least
    ``max(completion + tail)`` on every machine. At least the bound of :meth:`JobShop.lower_bound`."""
    by_machine: dict[int, list[tuple[int, int, int]]] = {}
    for ops in shop.jobs:
        total = sum(d for _, d in ops)
        head = 0
        for m, d in ops:
            by_machine.setdefault(m, []).append((head, d, total - head - d))
            head += d
    best = shop.lower_bound()
    for tasks in by_machine.values():
        tasks.sort()
        t, i, n, ready = 0, 0, len(tasks), []
        while i < n or ready:
            if not ready:
                t = max(t, tasks[i][0])
            while i < n and tasks[i][0] <= t:
                head, d, tail = tasks[i]
                heapq.heappush(ready, (-tail, d))
                i += 1
            neg_tail, d = heapq.heappop(ready)
            if i < n and t + d > tasks[i][0]:  # preempted by the next release
                heapq.heappush(ready, (neg_tail, d - (tasks[i][0] - t)))
                t = tasks[i][0]
            else:
                t += d
                best = max(best, t - neg_tail)
    return best


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


# CP-SAT parameters shared by every phase (see the module docstring for the measurements behind them).
_SEARCH_PARAMS = {
    "use_strong_propagation_in_disjunctive": True,
    "linearization_level": 0,
}
# Phase 1 (upper bound, ``workers >= 2``): at most this share of the time limit, and it stops earlier
# once the best makespan has not improved for max(_UB_STALL, _UB_STALL_SHARE * time_limit) seconds.
_UB_SHARE = 0.3
_UB_STALL = 0.5
_UB_STALL_SHARE = 0.05


@dataclass
class _Phase:
    code: int
    makespan: int | None
    bound: int
    starts: list[list[int]]


def _solve_phase(
    shop: JobShop,
    horizon: int,
    lb: int,
    hint: list[list[int]],
    time_limit: float,
    workers: int,
    stall: float | None = None,
) -> _Phase:
    """One CP-SAT run on the model with makespan <= ``horizon``, hinted with the schedule ``hint``."""
    import threading

    from ortools.sat.python import cp_model

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
            by_machine.setdefault(m, []).append(model.NewIntervalVar(s, d, e, f"i{j}_{k}"))
            model.AddHint(s, hint[j][k])
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
    model.AddHint(makespan, _makespan(shop, hint))
    model.Minimize(makespan)

    solver = cp_model.CpSolver()
    for key, value in _SEARCH_PARAMS.items():
        setattr(solver.parameters, key, value)
    solver.parameters.max_time_in_seconds = max(float(time_limit), 0.01)
    solver.parameters.num_workers = int(workers)
    if workers >= 2:
        # one complete search without LP (the LP relaxation is empty here) plus the LNS workers
        solver.parameters.subsolvers.append("no_lp")

    callback = None
    if stall is not None:
        # Stop once the makespan has not improved for `stall` seconds since the last improvement (the
        # solver keeps its best solution and its bound); the clock starts at the first solution.
        last: list[float | None] = [None]

        class _Improved(cp_model.CpSolverSolutionCallback):
            def on_solution_callback(self) -> None:
                last[0] = time.monotonic()

        callback = _Improved()
        done = threading.Event()

        def watch() -> None:
            while not done.wait(0.05):
                if last[0] is not None and time.monotonic() - last[0] > stall:
                    solver.StopSearch()
                    return

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
    try:
        code = solver.Solve(model, callback)
    finally:
        if callback is not None:
            done.set()
            watcher.join()
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        sol = [[int(solver.Value(s)) for s in js] for js in starts]
        value = int(solver.ObjectiveValue())
        bound = max(lb, int(round(solver.BestObjectiveBound())))
        return _Phase(code, value, min(bound, value), sol)
    return _Phase(code, None, lb, [])


def solve_jssp(shop: JobShop, time_limit: float = DEFAULT_TIME_LIMIT_S, workers: int = 2) -> JsspResult:
    """Minimise the makespan with CP-SAT (see the module docstring for the model, search and reporting)."""
    from ortools.sat.python import cp_model

    t0 = time.monotonic()
    lb = _jackson_bound(shop)
    best = greedy_schedule(shop)
    ub = _makespan(shop, best)
    bound = lb
    if ub <= lb:
        return JsspResult(ub, ub, "OPTIMAL", time.monotonic() - t0, best)

    def remaining() -> float:
        return time_limit - (time.monotonic() - t0)

    if workers >= 2:
        phase = _solve_phase(
            shop,
            ub,
            lb,
            best,
            min(remaining(), _UB_SHARE * time_limit),
            workers,
            stall=max(_UB_STALL, _UB_STALL_SHARE * time_limit),
        )
        if phase.makespan is not None and phase.makespan <= ub:
            best, ub = phase.starts, phase.makespan
        bound = max(bound, phase.bound)
        if phase.code == cp_model.OPTIMAL or bound >= ub:
            return JsspResult(ub, ub, "OPTIMAL", time.monotonic() - t0, best)
    if remaining() > 0:
        phase = _solve_phase(shop, ub, bound, best, remaining(), 1)
        if phase.makespan is not None and phase.makespan <= ub:
            best, ub = phase.starts, phase.makespan
        bound = max(bound, phase.bound)
        if phase.code == cp_model.OPTIMAL:
            bound = ub
    status = "OPTIMAL" if bound >= ub else "FEASIBLE"
    return JsspResult(ub, min(bound, ub), status, time.monotonic() - t0, best)
