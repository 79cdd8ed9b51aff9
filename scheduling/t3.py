"""T-3 warnings: orders due within three days that still have unfinished operations, kept until closed.

Rule (domain.md): an open production order whose due date is at most ``days`` (3) calendar days after
the moment of the check, overdue ones included, and which has at least one operation not done, raises
a warning. The warning names the *blocking operation* (the first unfinished one in route order), the
machine it is on (the MES machine if it has started, else the planned one), and the *owner*: the
owner of that operation's work center (三要素法: a standard, a control, a named owner).

Escalation follows the days left: ``T-3``/``T-2`` → the work-center owner; ``T-1`` (one day or less)
→ the production manager; ``overdue`` → the plant manager. The level only ever goes up.

A warning stays open, run after run, until the order is finished or cancelled; then it is closed with
the moment and the reason. Closed warnings stay in the table as the record.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["t3_candidates", "update_warnings", "escalation", "LEVELS", "WARNING_COLUMNS"]

LEVELS = ("T-3", "T-2", "T-1", "overdue")
ESCALATED_TO = {
    "T-3": "work-center owner",
    "T-2": "work-center owner",
    "T-1": "production manager",
    "overdue": "plant manager",
}
WARNING_COLUMNS = (
    "warning_id",
    "production_order_id",
    "sku",
    "customer_tier",
    "due_at",
    "days_left",
    "level",
    "escalated_to",
    "blocking_operation_seq",
    "blocking_operation",
    "work_center",
    "machine_id",
    "owner",
    "unfinished_operations",
    "planned_completion",
    "projected_late",
    "status",
    "opened_at",
    "last_seen_at",
    "closed_at",
    "close_reason",
)


def escalation(days_left: float) -> str:
    """The level for the days left until due (negative = overdue)."""
    if days_left < 0:
        return "overdue"
    if days_left <= 1:
        return "T-1"
    if days_left <= 2:
        return "T-2"
    return "T-3"


def t3_candidates(operations: pd.DataFrame, as_of: pd.Timestamp, days: float = 3.0) -> pd.DataFrame:
    """Orders that meet the rule now, one row each with the blocking operation.

    ``operations``: one row per routing operation of the open orders with ``production_order_id, sku,
    customer_tier, due_at, operation_seq, operation_name, work_center, owner, operation_status,
    machine_id`` (started or planned machine, may be empty) and ``planned_completion`` (the order's
    planned end, may be empty)."""
    as_of = pd.Timestamp(as_of)
    ops = operations.loc[operations["operation_status"] != "done"]
    days_left = (pd.to_datetime(ops["due_at"]) - as_of) / pd.Timedelta(days=1)
    ops = ops.loc[days_left <= days].sort_values(["production_order_id", "operation_seq"])
    rows = []
    for oid, g in ops.groupby("production_order_id", sort=True):
        b = g.iloc[0]
        left = (pd.Timestamp(b.due_at) - as_of) / pd.Timedelta(days=1)
        level = escalation(left)
        planned = b.get("planned_completion")
        rows.append(
            {
                "production_order_id": oid,
                "sku": b.get("sku"),
                "customer_tier": b.get("customer_tier"),
                "due_at": pd.Timestamp(b.due_at),
                "days_left": round(float(left), 2),
                "level": level,
                "escalated_to": ESCALATED_TO[level],
                "blocking_operation_seq": int(b.operation_seq),
                "blocking_operation": b.get("operation_name"),
                "work_center": b.work_center,
                "machine_id": b.get("machine_id"),
                "owner": b.get("owner"),
                "unfinished_operations": len(g),
                "planned_completion": planned,
                "projected_late": bool(pd.notna(planned) and pd.Timestamp(planned) > pd.Timestamp(b.due_at)),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            c
            for c in WARNING_COLUMNS
            if c not in ("warning_id", "status", "opened_at", "last_seen_at", "closed_at", "close_reason")
        ],
    )


def update_warnings(
    previous: pd.DataFrame | None,
    current: pd.DataFrame,
    as_of: pd.Timestamp,
    finished: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The warning register after a check at ``as_of``.

    ``previous``: the register so far (:data:`WARNING_COLUMNS`, may be empty); ``current``: today's
    :func:`t3_candidates`; ``finished``: order id → ``done`` / ``cancelled`` for orders that ended.
    Open warnings whose order is in ``current`` are refreshed (level never goes down); new ones open;
    open ones whose order has ended are closed with that reason; open ones not in ``current`` but not
    ended stay open unchanged (the rule is checked again next run)."""
    as_of = pd.Timestamp(as_of)
    finished = finished or {}
    prev = previous if previous is not None and len(previous) else pd.DataFrame(columns=list(WARNING_COLUMNS))
    rows = [dict(r) for r in prev.to_dict("records")]
    open_by_order = {r["production_order_id"]: r for r in rows if r["status"] == "open"}
    next_id = 1 + max((int(str(r["warning_id"]).split("-")[-1]) for r in rows), default=0)
    for cand in current.to_dict("records"):
        oid = cand["production_order_id"]
        if oid in finished:
            continue
        if oid in open_by_order:
            r = open_by_order[oid]
            old_level = r["level"]
            r.update(cand)
            if LEVELS.index(old_level) > LEVELS.index(cand["level"]):
                r["level"], r["escalated_to"] = old_level, ESCALATED_TO[old_level]
            r["last_seen_at"] = as_of
        else:
            r = {
                **cand,
                "warning_id": f"T3-{next_id:05d}",
                "status": "open",
                "opened_at": as_of,
                "last_seen_at": as_of,
                "closed_at": pd.NaT,
                "close_reason": None,
            }
            next_id += 1
            rows.append(r)
            open_by_order[oid] = r
    for oid, r in open_by_order.items():
        if oid in finished:
            r["status"], r["closed_at"] = "closed", as_of
            r["close_reason"] = f"order {finished[oid]}"
    out = pd.DataFrame(rows, columns=list(WARNING_COLUMNS))
    return out.sort_values(
        ["status", "due_at", "production_order_id"], ascending=[False, True, True]
    ).reset_index(drop=True)
