"""Rush-order decision (插单): a what-if saved as a proposal with its result, then a joint decision.

States (docs/workflows.md)::

    proposed ──approve (pmc)──► approved ──acknowledge (production)──► acknowledged ──(next plan)──► planned
        └──────reject (pmc)───► rejected

- :func:`evaluate` runs the what-if on the published plan (``scheduling.whatif``) holding the
  proposals already approved but not yet planned (:func:`held_proposals`, inserted first, oldest
  first): the rush order's planned completion, whether it makes its due date, and, when it does
  not, the **earliest feasible completion** (the rush order first, every other order after it) and
  the work centre where it waits longest; and every order it delays with customer tier, SKU, due
  date, completion before and after. The solver runs in its deterministic mode with a fixed seed and
  2 workers: the same plan, store and request give the same result.
- :func:`propose` saves the request with that result; PMC approves or rejects with a comment;
  production (a supervisor) acknowledges an approved one.
- The next run plans an acknowledged proposal as real demand (:func:`plan_demand`,
  :func:`rush_operations`: its routing, quantity, due date and tier, ``RUSH-…`` as the order id) and
  marks it ``planned`` with its completion in that plan (:func:`mark_planned`). It stays in the plans
  until ``KEEP_DAYS_AFTER_DUE`` days after its due date, by when the ERP holds the real order.
"""

from __future__ import annotations

import json
from datetime import datetime

import pandas as pd
import sqlalchemy as sa

from decisions.errors import BadInput, Conflict, NotFound, Refused
from decisions.people import SYSTEM, Actor
from decisions.roles import require
from decisions.store import Store, utcnow
from decisions.tables import rush_proposals
from decisions.writes import check_version, insert_row, read_row, update_row

STATES = ("proposed", "approved", "rejected", "acknowledged", "planned")
VERBS = {"approve": "approved", "reject": "rejected", "acknowledge": "acknowledged"}
EARLIEST_WEIGHT = 100_000  # the rush order outweighs every regular order: it goes first
PLAN_TABLES = ("plan_problem", "plan_blocked", "plan_calendar")
KEEP_DAYS_AFTER_DUE = 7
RUSH_MARGIN = 0.3  # the what-if's margin for a rush order (scheduling.whatif)


# ---- the what-if ------------------------------------------------------------------------------------


def _clock(calendar, minute) -> datetime | None:
    return (
        None
        if minute is None or pd.isna(minute)
        else calendar.to_clock(int(minute), end=True).to_pydatetime()
    )


def _longest_wait(result, rush_id: str) -> str:
    """The work centre where the rush order's operations wait longest after their predecessor."""
    from scheduling.whatif import longest_wait

    wait, seq, work_center = longest_wait(result, rush_id)
    return f"waits {wait} plant minutes at {work_center} (operation {seq}) even when it goes first"


def held_proposals(store: Store, plan: set[str] | frozenset[str] = frozenset()) -> list[dict]:
    """The proposals a new what-if holds: approved or acknowledged, not in the plan ``plan`` (the order
    ids of the published plan) yet; oldest first."""
    return [p for p in list_proposals(store, ["approved", "acknowledged"]) if p["id"] not in plan]


def evaluate(
    warehouse,
    sku: str,
    quantity: int,
    due_at: datetime,
    tier: str = "A",
    frozen_minutes: int = 480,
    time_limit: float = 4.0,
    held: list[dict] | None = None,
) -> dict:
    """The rush order's result on the published plan (``warehouse``: a DuckDB connection to it) with
    the ``held`` proposals (rows of :func:`held_proposals`) in it first."""
    from scheduling.frames import calendar_from_frame
    from scheduling.whatif import HeldRush, rush_what_if

    tables = {name: warehouse.execute(f"select * from production.{name}").df() for name in PLAN_TABLES}
    tables["schedule"] = warehouse.execute("select * from production.schedule where method = 'cpsat'").df()
    routing = warehouse.execute(
        "select * from staging.stg_erp__routings where sku = ? order by operation_seq", [sku]
    ).df()
    if routing.empty:
        raise BadInput(
            f"SKU {sku!r} has no routing in staging.stg_erp__routings: it is not made in the plant"
        )
    efficiency = dict(
        warehouse.execute(
            "select work_center, cast(time_efficiency as double) from staging.stg_erp__work_centers "
            "where time_efficiency > 0"
        ).fetchall()
    )
    orders = (
        warehouse.execute(
            "select production_order_id, sku, customer_tier, due_at_utc from production.schedule_orders "
            "where method = 'cpsat'"
        )
        .df()
        .set_index("production_order_id")
    )
    calendar = calendar_from_frame(tables["plan_calendar"])
    held = [p for p in held or [] if p["id"] not in orders.index]
    held_routings = warehouse.execute(
        "select * from staging.stg_erp__routings where sku in (select unnest(?::varchar[])) "
        "order by sku, operation_seq",
        [sorted({p["sku"] for p in held})],
    ).df()
    holds = [
        HeldRush(
            p["id"],
            held_routings.loc[held_routings["sku"] == p["sku"]],
            int(p["quantity"]),
            pd.Timestamp(p["due_at"]),
            p["tier"],
            int(p["frozen_minutes"]),
        )
        for p in held
    ]
    for p in held:
        orders.loc[p["id"]] = {
            "sku": p["sku"],
            "customer_tier": p["tier"],
            "due_at_utc": pd.Timestamp(p["due_at"]),
        }
    args = dict(
        quantity=int(quantity), due_at=pd.Timestamp(due_at), tier=tier, frozen_minutes=int(frozen_minutes)
    )
    args |= {"time_limit": time_limit, "efficiency": efficiency, "order_id": "RUSH", "held": holds}
    try:
        result = rush_what_if(tables, routing, **args)
    except ValueError as error:
        raise BadInput(f"cannot insert this rush order: {error}") from None
    moves = result.moves
    rush = moves.loc[moves["is_rush_order"]].iloc[0]
    after = dict(zip(moves["production_order_id"], moves["completion_after"], strict=True))
    delayed = []
    for m in result.delayed.loc[~result.delayed["is_rush_order"]].itertuples():
        order = orders.loc[m.production_order_id]
        delayed.append(
            {
                "production_order_id": m.production_order_id,
                "customer_tier": order["customer_tier"],
                "sku": order["sku"],
                "due_at": order["due_at_utc"].isoformat(),
                "completion_before": _clock(calendar, m.completion_before).isoformat(),
                "completion_after": _clock(calendar, m.completion_after).isoformat(),
                "delay_minutes": int(m.delay_minutes),
                "made_late": bool(m.late_after and not m.late_before),
            }
        )
    out = {
        "plan_as_of": pd.Timestamp(calendar.origin).to_pydatetime(),
        "planned_completion": _clock(calendar, rush.completion_after),
        "on_time": not bool(rush.late_after),
        "earliest_completion": None,
        "late_because": None,
        "delayed_orders": delayed,
        # Not saved with the proposal: the approved proposals this plan held, with their completion.
        "held": [{"id": p["id"], "planned_completion": _clock(calendar, after.get(p["id"]))} for p in held],
    }
    if rush.late_after:
        first = rush_what_if(tables, routing, **args, weight=EARLIEST_WEIGHT)
        rush_first = first.moves.loc[first.moves["is_rush_order"]].iloc[0]
        out["earliest_completion"] = _clock(calendar, rush_first.completion_after)
        out["late_because"] = _longest_wait(first, "RUSH")
    return out


# ---- the decisions ----------------------------------------------------------------------------------


def _next_id(conn: sa.Connection) -> str:
    ids = conn.execute(sa.select(rush_proposals.c.id)).scalars().all()
    return f"RUSH-{1 + max((int(i.split('-')[-1]) for i in ids), default=0):05d}"


def propose(
    store: Store,
    actor: Actor,
    *,
    sku: str,
    quantity: int,
    due_at: datetime,
    tier: str,
    frozen_minutes: int,
    evaluation: dict,
    customer: str | None = None,
    customer_order: str | None = None,
    now: datetime | None = None,
) -> dict:
    """Save a rush-order request with its what-if result (:func:`evaluate`) as ``proposed``."""
    require(actor, "rush.propose")
    if actor.role == "cs_agent" and not customer_order:
        raise Refused(
            f"{actor.username} (cs_agent) proposes rush orders for a customer's order: name the order"
        )
    if int(quantity) <= 0:
        raise BadInput(f"quantity {quantity}: must be at least 1")
    now = now or utcnow()
    values = {
        "state": "proposed",
        "requested_by": actor.username,
        "requested_at": now,
        "customer": customer,
        "customer_order": customer_order,
        "sku": sku,
        "quantity": int(quantity),
        "due_at": due_at,
        "tier": tier,
        "frozen_minutes": int(frozen_minutes),
        **{k: v for k, v in evaluation.items() if k not in ("delayed_orders", "held")},
        "delayed_orders": json.dumps(evaluation.get("delayed_orders", []), ensure_ascii=False),
    }
    for _attempt in range(3):
        try:
            with store.write() as conn:
                return insert_row(
                    conn, rush_proposals, {"id": _next_id(conn), **values}, actor, "rush.propose", now
                )
        except sa.exc.IntegrityError:  # two proposals took the same number at once: take the next
            continue
    raise Conflict("could not number the proposal: too many at the same moment; try again")


def _decide(
    store: Store,
    actor: Actor,
    action: str,
    proposal_id: str,
    allowed: str,
    changes: dict,
    version: int | None,
    now: datetime,
) -> dict:
    require(actor, f"rush.{action}")
    with store.write() as conn:
        try:
            row = read_row(conn, rush_proposals, proposal_id)
        except NotFound:
            raise NotFound(f"no rush proposal {proposal_id!r}") from None
        check_version(rush_proposals, row, version)
        if row["state"] != allowed:
            raise Refused(
                f"rush proposal {proposal_id} is {row['state']} (last changed by {row['updated_by']} at "
                f"{row['updated_at']:%Y-%m-%d %H:%M:%S} UTC); only a {allowed} proposal can be "
                f"{VERBS[action]}; nothing was saved"
            )
        return update_row(conn, rush_proposals, row, changes, actor, f"rush.{action}", now, version)


def _comment(comment: str | None) -> str:
    if comment is None or not comment.strip():
        raise BadInput("a comment is required")
    return comment


def approve(store: Store, actor: Actor, proposal_id: str, *, comment: str, version=None, now=None) -> dict:
    now = now or utcnow()
    changes = {"state": "approved", "pmc_by": actor.username, "pmc_at": now, "pmc_comment": _comment(comment)}
    return _decide(store, actor, "approve", proposal_id, "proposed", changes, version, now)


def reject(store: Store, actor: Actor, proposal_id: str, *, comment: str, version=None, now=None) -> dict:
    now = now or utcnow()
    changes = {"state": "rejected", "pmc_by": actor.username, "pmc_at": now, "pmc_comment": _comment(comment)}
    return _decide(store, actor, "reject", proposal_id, "proposed", changes, version, now)


def acknowledge(
    store: Store, actor: Actor, proposal_id: str, *, comment: str | None = None, version=None, now=None
) -> dict:
    now = now or utcnow()
    changes = {"state": "acknowledged", "production_by": actor.username, "production_at": now}
    changes["production_comment"] = comment
    return _decide(store, actor, "acknowledge", proposal_id, "approved", changes, version, now)


def list_proposals(store: Store, states: list[str] | None = None) -> list[dict]:
    query = sa.select(rush_proposals).order_by(rush_proposals.c.id)
    if states:
        query = query.where(rush_proposals.c.state.in_(states))
    with store.read() as conn:
        rows = [dict(r) for r in conn.execute(query).mappings()]
    for row in rows:
        row["delayed_orders"] = json.loads(row["delayed_orders"] or "[]")
    return rows


# ---- into the plan ----------------------------------------------------------------------------------


def plan_demand(store: Store, as_of: datetime) -> list[dict]:
    """The proposals the next plan holds: acknowledged or planned, due at most ``KEEP_DAYS_AFTER_DUE``
    days before ``as_of``."""
    since = pd.Timestamp(as_of) - pd.Timedelta(days=KEEP_DAYS_AFTER_DUE)
    query = sa.select(rush_proposals).where(
        rush_proposals.c.state.in_(["acknowledged", "planned"]), rush_proposals.c.due_at >= since
    )
    with store.read() as conn:
        return [dict(r) for r in conn.execute(query.order_by(rush_proposals.c.id)).mappings()]


def rush_operations(proposals: list[dict], routings: pd.DataFrame, as_of: datetime) -> pd.DataFrame:
    """The proposals as open production orders, in the columns of ``planning.production_plan``'s
    operations (one row per routing operation, nothing started)."""
    rows = []
    for p in proposals:
        for r in routings.loc[routings["sku"] == p["sku"]].sort_values("operation_seq").itertuples():
            rows.append(
                {
                    "production_order_id": p["id"],
                    "sku": p["sku"],
                    "quantity_to_produce": p["quantity"],
                    "scheduled_at": pd.Timestamp(as_of),
                    "due_at": pd.Timestamp(p["due_at"]),
                    "customer_tier": p["tier"],
                    "margin": RUSH_MARGIN,
                    "operation_seq": r.operation_seq,
                    "operation_name": r.operation_name,
                    "work_center": r.work_center,
                    "owner": None,
                    "eligible_machines": r.eligible_machines,
                    "setup_minutes": r.setup_minutes,
                    "run_minutes_per_unit": r.run_minutes_per_unit,
                    "remaining_quantity": p["quantity"],
                    "operation_status": "not_started",
                    "last_machine_id": None,
                }
            )
    return pd.DataFrame(rows)


def mark_planned(store: Store, completions: dict[str, datetime], now: datetime | None = None) -> int:
    """acknowledged → planned for the proposals in this plan; every planned one gets its completion."""
    now = now or utcnow()
    changed = 0
    for proposal_id, completion in sorted(completions.items()):
        with store.write() as conn:
            row = (
                conn.execute(sa.select(rush_proposals).where(rush_proposals.c.id == proposal_id))
                .mappings()
                .one_or_none()
            )
            if row is None or row["state"] not in ("acknowledged", "planned"):
                continue
            changes = {"plan_completion": completion}
            if row["state"] == "acknowledged":
                changes |= {"state": "planned", "planned_at": now}
            elif row["plan_completion"] == completion:
                continue
            update_row(conn, rush_proposals, dict(row), changes, SYSTEM, "rush.planned", now)
            changed += 1
    return changed
