"""Problems, plans and calendars as flat tables, and back: how the pipeline stores what it solved so the
dashboard's rush-order what-if can re-solve exactly the same problem from the published warehouse."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .calendar import PlantCalendar
from .problem import Assignment, Operation, Order, Plan, Problem

__all__ = [
    "problem_to_frames",
    "problem_from_frames",
    "plan_to_frame",
    "plan_from_frame",
    "calendar_to_frame",
    "calendar_from_frame",
]


def problem_to_frames(problem: Problem) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(operations, blocked): one row per open operation with its order's due/release/weight, and one
    row per blocked interval of a machine; machines without blocked time get a row with NULLs so the
    machine list survives."""
    ops = [
        {
            "production_order_id": o.order,
            "order_position": i,
            "due_minute": o.due,
            "release_minute": o.release,
            "weight": o.weight,
            "operation_seq": op.seq,
            "work_center": op.work_center,
            "eligible_machines": ";".join(op.machines),
            "minutes": op.minutes,
            "fixed_machine": op.fixed_machine,
            "fixed_start_minute": op.fixed_start,
        }
        for i, o in enumerate(problem.orders)
        for op in o.ops
    ]
    blocked = []
    for m, wc in problem.machines.items():
        spans = problem.blocked.get(m, ())
        for a, b in spans or [(None, None)]:
            blocked.append(
                {
                    "machine_id": m,
                    "work_center": wc,
                    "start_minute": a,
                    "end_minute": b,
                    "horizon_minutes": problem.horizon,
                }
            )
    return pd.DataFrame(ops), pd.DataFrame(blocked)


def problem_from_frames(operations: pd.DataFrame, blocked: pd.DataFrame) -> Problem:
    """The inverse of :func:`problem_to_frames`."""
    machines = dict(zip(blocked["machine_id"], blocked["work_center"], strict=True))
    spans: dict[str, list[tuple[int, int]]] = {m: [] for m in machines}
    for r in blocked.dropna(subset=["start_minute"]).itertuples():
        spans[r.machine_id].append((int(r.start_minute), int(r.end_minute)))
    horizon = int(blocked["horizon_minutes"].max()) if len(blocked) else 0
    orders = []
    ops = operations.sort_values(["order_position", "operation_seq"])
    for oid, g in ops.groupby("production_order_id", sort=False):
        first = g.iloc[0]
        items = tuple(
            Operation(
                str(oid),
                int(r.operation_seq),
                str(r.work_center),
                tuple(str(r.eligible_machines).split(";")),
                int(r.minutes),
                None if pd.isna(r.fixed_machine) else str(r.fixed_machine),
                None if pd.isna(r.fixed_start_minute) else int(r.fixed_start_minute),
            )
            for r in g.itertuples()
        )
        orders.append(
            Order(str(oid), int(first.due_minute), int(first.release_minute), int(first.weight), items)
        )
    return Problem(tuple(orders), machines, {m: tuple(s) for m, s in spans.items()}, horizon)


def plan_to_frame(plan: Plan) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "production_order_id": k[0],
                "operation_seq": k[1],
                "machine_id": a.machine,
                "start_minute": a.start,
                "end_minute": a.end,
            }
            for k, a in plan.assignments.items()
        ]
    )


def plan_from_frame(frame: pd.DataFrame, method: str = "stored") -> Plan:
    return Plan(
        method,
        {
            (str(r.production_order_id), int(r.operation_seq)): Assignment(
                str(r.machine_id), int(r.start_minute), int(r.end_minute)
            )
            for r in frame.itertuples()
        },
    )


def calendar_to_frame(calendar: PlantCalendar) -> pd.DataFrame:
    """The plant windows (clock) with their offsets on the plant axis, and the origin on every row."""
    return pd.DataFrame(
        {
            "window_start": calendar.starts.astype("datetime64[m]").astype("datetime64[ns]"),
            "window_end": calendar.ends.astype("datetime64[m]").astype("datetime64[ns]"),
            "offset_minutes": calendar.offsets,
            "origin": calendar.origin,
        }
    )


def calendar_from_frame(frame: pd.DataFrame) -> PlantCalendar:
    """A calendar for converting times (machine blocks come with the problem, not from here)."""
    f = frame.sort_values("window_start")
    to_min = lambda s: pd.to_datetime(s).to_numpy(dtype="datetime64[m]").astype(np.int64)  # noqa: E731
    return PlantCalendar(
        pd.Timestamp(f["origin"].iloc[0]),
        to_min(f["window_start"]),
        to_min(f["window_end"]),
        f["offset_minutes"].to_numpy(dtype=np.int64),
        {},
    )
