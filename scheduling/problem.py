"""The flexible job-shop problem the plant planner solves, and the plan that answers it.

Times are plant minutes (see :mod:`scheduling.calendar`): 0 is the planning moment. An order's
operations run in route order; each runs on exactly one of its eligible machines, which all belong to
the operation's work center and take the same time (setup + per-unit time × quantity still to make).
An operation that the MES shows as started is *fixed*: it stays on its machine from its fixed start.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

__all__ = [
    "Operation", "Order", "Problem", "Assignment", "Plan", "OpKey",
    "completion", "weighted_tardiness", "makespan", "score",
]  # fmt: skip

OpKey = tuple[str, int]  # (order id, operation sequence)


@dataclass(frozen=True)
class Operation:
    order: str
    seq: int
    work_center: str
    machines: tuple[str, ...]  # eligible machines
    minutes: int  # processing time in plant minutes on any eligible machine
    fixed_machine: str | None = None
    fixed_start: int | None = None

    @property
    def key(self) -> OpKey:
        return (self.order, self.seq)

    @property
    def fixed(self) -> bool:
        return self.fixed_machine is not None


@dataclass(frozen=True)
class Order:
    order: str
    due: int  # plant minute by which the last operation should end
    release: int  # plant minute before which the first open operation may not start
    weight: int  # tardiness weight per minute late (from the priority score, >= 1)
    ops: tuple[Operation, ...]  # open operations in route order


@dataclass(frozen=True)
class Problem:
    orders: tuple[Order, ...]
    machines: dict[str, str]  # machine -> work center
    blocked: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    horizon: int = 0  # plant minutes the calendar covers (the model may run past it)

    def ops(self) -> list[Operation]:
        return [op for o in self.orders for op in o.ops]

    def order(self, order_id: str) -> Order:
        for o in self.orders:
            if o.order == order_id:
                return o
        raise KeyError(order_id)

    def with_orders(self, orders: tuple[Order, ...]) -> Problem:
        return replace(self, orders=orders)


@dataclass(frozen=True)
class Assignment:
    machine: str
    start: int
    end: int


@dataclass
class Plan:
    """A schedule for a :class:`Problem` with how it was made and how good it is.

    ``status`` is the solver's (``OPTIMAL``, ``FEASIBLE``) or ``HEURISTIC`` for a dispatch rule.
    ``objective`` is the priority-weighted tardiness Σ wⱼ·Tⱼ (plant minutes × weight), ``bound`` the
    best proven lower bound on it (0 for heuristics, which prove nothing), ``gap`` = (objective - bound)
    / objective (0 when the objective is 0).
    """

    method: str
    assignments: dict[OpKey, Assignment]
    status: str = "HEURISTIC"
    objective: int = 0
    bound: int = 0
    makespan: int = 0
    seconds: float = 0.0
    notes: dict[str, object] = field(default_factory=dict)

    @property
    def gap(self) -> float:
        return 0.0 if self.objective <= 0 else (self.objective - self.bound) / self.objective


def completion(problem: Problem, assignments: dict[OpKey, Assignment]) -> dict[str, int]:
    """Each order's completion: the end of its last open operation."""
    return {o.order: max(assignments[op.key].end for op in o.ops) for o in problem.orders if o.ops}


def weighted_tardiness(problem: Problem, assignments: dict[OpKey, Assignment]) -> int:
    """Σ wⱼ · max(0, Cⱼ − dⱼ) over orders (plant minutes)."""
    done = completion(problem, assignments)
    return sum(o.weight * max(0, done[o.order] - o.due) for o in problem.orders if o.order in done)


def makespan(assignments: dict[OpKey, Assignment]) -> int:
    return max((a.end for a in assignments.values()), default=0)


def score(problem: Problem, plan: Plan) -> Plan:
    """Fill a plan's objective and makespan from its assignments."""
    plan.objective = weighted_tardiness(problem, plan.assignments)
    plan.makespan = makespan(plan.assignments)
    return plan
