"""From the plant's records (open operations, machines, shift calendar, downtime) to a :class:`Problem`.

Rules, stated once here:

* An operation's time is ``(setup, unless it has started) + per-unit time × quantity still to make``,
  divided by its work center's time efficiency (ERP, 1.0 when missing), rounded up to whole minutes.
  The quantity still to make is the order quantity minus the good count the MES booked at that
  operation.
* An operation the MES shows in progress is *fixed* on the machine that last booked it, from the first
  moment that machine is free (its blocked time and other started work before it, most urgent first).
  If that machine is not one of its eligible ones, the operation is planned like any other.
* An order's release is its scheduled start (ERP) on the plant axis; orders in progress are released.
* Its due date is the ERP deadline on the plant axis (a deadline at night counts from the last shift
  before it). Its tardiness weight follows :mod:`scheduling.priority`.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd

from .calendar import PlantCalendar
from .dispatch import MachineTimeline
from .priority import PriorityWeights, priority_score, tardiness_weight
from .problem import Operation, Order, Problem

__all__ = ["build_problem", "OPERATION_COLUMNS"]

OPERATION_COLUMNS = (
    "production_order_id",
    "quantity_to_produce",
    "scheduled_at",
    "due_at",
    "customer_tier",
    "margin",
    "operation_seq",
    "work_center",
    "eligible_machines",
    "setup_minutes",
    "run_minutes_per_unit",
    "remaining_quantity",
    "operation_status",
    "last_machine_id",
)


def _eligible(value, work_center: str, by_work_center: dict[str, list[str]]) -> tuple[str, ...]:
    """The listed machines of the work center (all of them when none is listed), sorted."""
    in_wc = by_work_center.get(work_center, [])
    if value is None or (isinstance(value, float) and math.isnan(value)) or not str(value).strip():
        return tuple(sorted(in_wc))
    listed = [m.strip() for m in str(value).split(";") if m.strip()]
    return tuple(sorted(m for m in listed if m in in_wc))


def _minutes(row, efficiency: float) -> int:
    setup = 0.0 if row.operation_status == "in_progress" else float(row.setup_minutes or 0)
    work = setup + float(row.run_minutes_per_unit or 0) * max(0, int(row.remaining_quantity))
    return max(1, math.ceil(work / (efficiency or 1.0)))


def build_problem(
    operations: pd.DataFrame,
    machines: pd.DataFrame,
    calendar: PlantCalendar,
    weights: PriorityWeights | None = None,
    efficiency: dict[str, float] | None = None,
) -> tuple[Problem, pd.DataFrame]:
    """The problem and one row per order with its priority inputs, score and weight.

    ``operations``: one row per routing operation of the orders to plan (columns
    :data:`OPERATION_COLUMNS`; done operations are skipped). ``machines``: ``machine_id,
    work_center``. Raises ``ValueError`` naming the order and operation when an operation has no
    eligible machine."""
    missing = [c for c in OPERATION_COLUMNS if c not in operations.columns]
    if missing:
        raise ValueError(f"operations frame lacks columns: {', '.join(missing)}")
    weights = weights or PriorityWeights()
    efficiency = efficiency or {}
    machine_wc = dict(
        zip(machines["machine_id"].astype(str), machines["work_center"].astype(str), strict=True)
    )
    open_ops = operations.loc[operations["operation_status"].isin(["in_progress", "not_started"])]
    open_ops = open_ops.sort_values(["production_order_id", "operation_seq"])

    clock_days = max(
        1e-9, (calendar.to_clock(calendar.horizon, end=True) - calendar.origin) / pd.Timedelta(days=1)
    )
    minutes_per_day = calendar.horizon / clock_days if calendar.horizon else 960.0

    by_wc: dict[
        str, list[str]
    ] = {}  # looked up once per operation: a filter of the frame each time cost ~1 s
    for machine, wc in zip(machines["machine_id"].astype(str), machines["work_center"], strict=True):
        by_wc.setdefault(wc, []).append(machine)
    drafts: list[tuple[dict, list[Operation], list]] = []
    for oid, rows in open_ops.groupby("production_order_id", sort=True):
        first = rows.iloc[0]
        ops, started = [], []
        for r in rows.itertuples(index=False):
            eligible = _eligible(r.eligible_machines, r.work_center, by_wc)
            if not eligible:
                raise ValueError(
                    f"order {oid} op {r.operation_seq}: no eligible machine in work center {r.work_center} "
                    f"(eligible list {r.eligible_machines!r})"
                )
            op = Operation(
                str(oid),
                int(r.operation_seq),
                str(r.work_center),
                eligible,
                _minutes(r, efficiency.get(r.work_center, 1.0)),
            )
            ops.append(op)
            if r.operation_status == "in_progress" and str(r.last_machine_id) in eligible:
                started.append((len(ops) - 1, str(r.last_machine_id)))
        due = calendar.to_axis(first.due_at)
        days_to_due = (pd.Timestamp(first.due_at) - calendar.origin) / pd.Timedelta(days=1)
        days_of_work = sum(op.minutes for op in ops) / minutes_per_day
        margin = None if pd.isna(first.margin) else float(first.margin)
        tier = None if pd.isna(first.customer_tier) else str(first.customer_tier)
        s = priority_score(days_to_due, days_of_work, tier, margin, weights)
        info = {
            "production_order_id": str(oid),
            "customer_tier": tier,
            "margin": margin,
            "due_at": pd.Timestamp(first.due_at),
            "due_minute": due,
            "release_minute": 0 if started else calendar.to_axis(first.scheduled_at),
            "days_to_due": days_to_due,
            "days_of_work": days_of_work,
            "priority_score": s,
            "weight": tardiness_weight(s, weights),
            "open_operations": len(ops),
            "work_minutes": sum(op.minutes for op in ops),
        }
        drafts.append((info, ops, started))

    # Started operations: on their machine from its first free moment, most urgent order first.
    lines = {m: MachineTimeline(calendar.blocked.get(m, ())) for m in machine_wc}
    for _info, ops, started in sorted(
        drafts, key=lambda d: (d[0]["due_minute"], d[0]["production_order_id"])
    ):
        for i, m in started:
            s = lines[m].earliest(0, ops[i].minutes)
            lines[m].add(s, s + ops[i].minutes)
            ops[i] = replace(ops[i], fixed_machine=m, fixed_start=s)

    orders = tuple(
        Order(
            info["production_order_id"],
            info["due_minute"],
            info["release_minute"],
            info["weight"],
            tuple(ops),
        )
        for info, ops, _ in drafts
    )
    blocked = {m: calendar.blocked.get(m, ()) for m in machine_wc}
    problem = Problem(orders, machine_wc, blocked, calendar.horizon)
    table = pd.DataFrame([d[0] for d in drafts])
    if len(table):
        table = table.sort_values("priority_score", ascending=False).reset_index(drop=True)
        table["priority_rank"] = range(1, len(table) + 1)
    return problem, table
