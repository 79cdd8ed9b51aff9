"""Check a produced plan against every rule of the model; used by tests on every schedule and by the
pipeline's asset check, so a broken plan is caught wherever it is made."""

from __future__ import annotations

from itertools import pairwise

from .problem import Assignment, OpKey, Problem

__all__ = ["check_plan"]


def check_plan(
    problem: Problem,
    assignments: dict[OpKey, Assignment],
    frozen: dict[OpKey, Assignment] | None = None,
) -> list[str]:
    """Violations, as sentences naming the order, operation and machine (empty = valid).

    Rules: every open operation planned exactly once; on an eligible machine; for its full processing
    time; not before its order's release; after its predecessor ends; no two operations on one
    machine at once; none overlapping its machine's blocked time (off-shift, downtime); fixed
    (started) operations where the MES has them; ``frozen`` operations unchanged. An operation waits
    for every earlier operation of its order (started ones included), not only the one before."""
    errors: list[str] = []
    by_machine: dict[str, list[tuple[int, int, str]]] = {}
    wanted = set()
    for order in problem.orders:
        prev_end, prev_seq = order.release, None
        for op in order.ops:
            wanted.add(op.key)
            name = f"{op.order} op {op.seq}"
            a = assignments.get(op.key)
            if a is None:
                errors.append(f"{name}: not planned")
                continue
            if a.machine not in op.machines:
                errors.append(f"{name}: machine {a.machine} is not eligible ({', '.join(op.machines)})")
            if a.end - a.start != op.minutes:
                errors.append(f"{name}: runs {a.end - a.start} min, needs {op.minutes}")
            if op.fixed and (a.machine, a.start) != (op.fixed_machine, op.fixed_start):
                errors.append(f"{name}: started on {op.fixed_machine} at {op.fixed_start}, moved")
            if not op.fixed and a.start < prev_end:
                what = "its order's release" if prev_seq is None else f"op {prev_seq} ends"
                errors.append(f"{name}: starts at {a.start}, before {what} ({prev_end})")
            prev_end, prev_seq = max(prev_end, a.end), op.seq
            if a.end > a.start:
                by_machine.setdefault(a.machine, []).append((a.start, a.end, name))
                for bs, be in problem.blocked.get(a.machine, ()):
                    if a.start < be and bs < a.end:
                        errors.append(f"{name}: overlaps {a.machine}'s blocked time [{bs}, {be})")
                        break
    for key in assignments.keys() - wanted:
        errors.append(f"{key[0]} op {key[1]}: planned but not an open operation")
    for machine, items in by_machine.items():
        items.sort()
        for x, y in pairwise(items):
            if x[1] > y[0]:
                errors.append(f"{machine}: {x[2]} [{x[0]}, {x[1]}) overlaps {y[2]} [{y[0]}, {y[1]})")
    for key, a in (frozen or {}).items():
        if assignments.get(key) != a:
            errors.append(f"{key[0]} op {key[1]}: frozen at {a}, now {assignments.get(key)}")
    return errors
