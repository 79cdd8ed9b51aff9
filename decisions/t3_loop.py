"""The T-3 closed loop (强制闭环): a warning is owned, acted on and closed, or it climbs the ladder.

States and who moves them (docs/workflows.md)::

    open ──acknowledge──► acknowledged ──resolve──► resolved ──(next plan still late)──► open
      │                        │
      └────────cancel──────────┴──► cancelled              open/acknowledged ──(order ended)──► closed

- The pipeline (:func:`sync_register`) opens a warning for each new row of the warehouse's T-3 register
  (``scheduling.t3``), raises its level as the due date nears, reopens a resolved one that the new plan
  still projects late, and closes one whose order ended.
- The clock (:func:`escalate`): a warning still ``open`` ``acknowledge_within_hours`` after it reached
  its level climbs one level (seed ``t3_escalation_ladder``), and again, up to the top.
- Each new, climbed or reopened warning notifies the owner of its level (seed ``decision_owners``).
- People acknowledge, resolve and cancel; their roles are checked here (``decisions.roles``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from decisions.errors import BadInput, Conflict, NotFound, Refused
from decisions.notify import queue
from decisions.people import SYSTEM, Actor
from decisions.roles import require
from decisions.seeds import Ladder, ladder, root_causes
from decisions.store import Store, utcnow
from decisions.tables import t3_warnings
from decisions.writes import check_version, insert_row, read_row, update_row

STATES = ("open", "acknowledged", "resolved", "cancelled", "closed")
ACTIVE = ("open", "acknowledged")
ENTITY = "t3_warning"
# The register's facts about the order that a run refreshes on the warning.
FACTS = (
    "production_order_id",
    "sku",
    "customer_tier",
    "work_center",
    "blocking_operation",
    "due_at",
    "planned_completion",
    "projected_late",
)
ACK_FIELDS = ("acknowledged_by", "acknowledged_at", "action_owner", "countermeasure", "expected_recovery")
CLOSE_FIELDS = ("closed_by", "closed_at", "action_taken", "root_cause", "close_reason")


# ---- reading ---------------------------------------------------------------------------------------


def list_warnings(store: Store, states: Iterable[str] | None = None, owner: str | None = None) -> list[dict]:
    query = sa.select(t3_warnings)
    if states:
        query = query.where(t3_warnings.c.state.in_(list(states)))
    if owner:
        query = query.where(t3_warnings.c.owner == owner)
    with store.read() as conn:
        rows = conn.execute(query.order_by(t3_warnings.c.due_at, t3_warnings.c.id)).mappings()
        return [dict(r) for r in rows]


def get_warning(store: Store, warning_id: str) -> dict:
    with store.read() as conn:
        return _fetch(conn, warning_id)


def _fetch(conn: sa.Connection, warning_id: str) -> dict:
    try:
        return read_row(conn, t3_warnings, warning_id)
    except NotFound:
        raise NotFound(f"no T-3 warning {warning_id!r}") from None


# ---- what people do --------------------------------------------------------------------------------


def _text(value: str | None, what: str) -> str:
    if value is None or not str(value).strip():
        raise BadInput(f"{what} is required")
    return str(value)


def _in_state(row: dict, allowed: tuple[str, ...], verb: str) -> None:
    if row["state"] not in allowed:
        raise Refused(
            f"T-3 warning {row['id']} is {row['state']} (last changed by {row['updated_by']} at "
            f"{row['updated_at']:%Y-%m-%d %H:%M:%S} UTC); only a warning that is {' or '.join(allowed)} "
            f"can be {verb}; nothing was saved"
        )


def _act(
    store: Store,
    actor: Actor,
    action: str,
    warning_id: str,
    allowed: tuple[str, ...],
    verb: str,
    changes: dict,
    version: int | None,
    now: datetime | None,
) -> dict:
    require(actor, f"warning.{action}")
    now = now or utcnow()
    with store.write() as conn:
        row = _fetch(conn, warning_id)
        check_version(t3_warnings, row, version)  # someone else's change first: "reload"
        _in_state(row, allowed, verb)
        return update_row(conn, t3_warnings, row, changes, actor, f"warning.{action}", now, version)


def acknowledge(
    store: Store,
    actor: Actor,
    warning_id: str,
    *,
    countermeasure: str,
    expected_recovery: date | str,
    action_owner: str | None = None,
    version: int | None = None,
    now: datetime | None = None,
) -> dict:
    """open → acknowledged: who owns the countermeasure, what it is, and when the order recovers."""
    if isinstance(expected_recovery, str):
        try:
            expected_recovery = date.fromisoformat(expected_recovery)
        except ValueError:
            raise BadInput(f"expected recovery date {expected_recovery!r}: use YYYY-MM-DD") from None
    now = now or utcnow()
    changes = {
        "state": "acknowledged",
        "acknowledged_by": actor.username,
        "acknowledged_at": now,
        "action_owner": action_owner or actor.username,
        "countermeasure": _text(countermeasure, "a countermeasure"),
        "expected_recovery": expected_recovery,
    }
    return _act(store, actor, "acknowledge", warning_id, ("open",), "acknowledged", changes, version, now)


def resolve(
    store: Store,
    actor: Actor,
    warning_id: str,
    *,
    action_taken: str,
    root_cause: str,
    version: int | None = None,
    now: datetime | None = None,
) -> dict:
    """acknowledged → resolved, with the action taken and a root cause from the seed list."""
    causes = root_causes()
    if root_cause not in causes:
        raise BadInput(f"root cause {root_cause!r} is not in t3_root_causes.csv: {', '.join(causes)}")
    now = now or utcnow()
    changes = {
        "state": "resolved",
        "closed_by": actor.username,
        "closed_at": now,
        "action_taken": _text(action_taken, "the action taken"),
        "root_cause": root_cause,
    }
    return _act(store, actor, "resolve", warning_id, ("acknowledged",), "resolved", changes, version, now)


def cancel(
    store: Store,
    actor: Actor,
    warning_id: str,
    *,
    reason: str,
    version: int | None = None,
    now: datetime | None = None,
) -> dict:
    """open or acknowledged → cancelled, with the reason (e.g. the customer moved the due date)."""
    now = now or utcnow()
    changes = {
        "state": "cancelled",
        "closed_by": actor.username,
        "closed_at": now,
        "close_reason": _text(reason, "a reason"),
    }
    return _act(store, actor, "cancel", warning_id, ACTIVE, "cancelled", changes, version, now)


# ---- what the pipeline and the clock do -------------------------------------------------------------


def _message(row: dict, kind: str) -> str:
    due = f"{row['due_at']:%Y-%m-%d %H:%M} UTC" if row.get("due_at") else "no due date"
    what = {
        "new": "new, please acknowledge",
        "climbed": f"not acknowledged in time, climbed to {row['level']}",
        "reopened": "resolved, but the new plan still finishes the order late: reopened",
    }[kind]
    return (
        f"T-3 warning {row['id']} [{row['level']}] order {row['production_order_id']} ({row['sku']}) "
        f"due {due}, blocked at {row['blocking_operation']} on {row['work_center']}: {what}. "
        f"Owner: {row['owner']}."
    )


def _notify(conn: sa.Connection, row: dict, kind: str, now: datetime) -> None:
    queue(conn, row["owner"], ENTITY, row["id"], kind, _message(row, kind), now)


def _clean(value):
    """A register cell as the store keeps it: NaN/NaT → None, pandas/numpy scalars → Python."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value != value:  # NaT
        return None
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().replace(tzinfo=None)
    if hasattr(value, "item"):
        return value.item()
    return value


def _sync_one(conn: sa.Connection, record: Mapping, now: datetime, rules: Ladder) -> str | None:
    facts = {key: _clean(record.get(key)) for key in FACTS}
    facts["projected_late"] = bool(facts["projected_late"])
    level = record["level"]
    existing = conn.execute(sa.select(t3_warnings).where(t3_warnings.c.id == record["warning_id"]))
    existing = existing.mappings().one_or_none()
    if existing is None:
        values = {
            "id": record["warning_id"],
            **facts,
            "level": level,
            "level_since": now,
            "owner": rules.owner(level, facts["work_center"]),
            "state": "open",
            "opened_at": now,
            "reopened": 0,
        }
        if record["status"] == "closed":
            values |= {"state": "closed", "closed_by": SYSTEM.username, "closed_at": now}
            values["close_reason"] = _clean(record.get("close_reason"))
            insert_row(conn, t3_warnings, values, SYSTEM, "warning.close", now)
            return "closed"
        row = insert_row(conn, t3_warnings, values, SYSTEM, "warning.open", now)
        _notify(conn, row, "new", now)
        return "new"
    existing = dict(existing)
    if record["status"] == "closed":
        if existing["state"] not in ACTIVE:
            return None
        changes = {"state": "closed", "closed_by": SYSTEM.username, "closed_at": now}
        changes["close_reason"] = _clean(record.get("close_reason"))
        update_row(conn, t3_warnings, existing, changes, SYSTEM, "warning.close", now)
        return "closed"
    changes = {key: value for key, value in facts.items() if existing[key] != value}
    kind = None
    if existing["state"] == "resolved" and facts["projected_late"]:
        kind = "reopened"
        changes |= {"state": "open", "reopened": existing["reopened"] + 1, "level_since": now}
        changes |= dict.fromkeys(ACK_FIELDS + CLOSE_FIELDS)
    state = changes.get("state", existing["state"])
    if state in ACTIVE and rules.rank(level) > rules.rank(existing["level"]):
        kind = kind or "climbed"
        changes |= {"level": level, "level_since": now}
    owner = rules.owner(changes.get("level", existing["level"]), facts["work_center"])
    if state in ACTIVE and owner != existing["owner"]:
        changes["owner"] = owner
    if not changes:
        return None
    row = update_row(conn, t3_warnings, existing, changes, SYSTEM, f"warning.{kind or 'refresh'}", now)
    if kind:
        _notify(conn, row, kind, now)
    return kind or "refreshed"


def sync_register(
    store: Store, register: Iterable[Mapping], now: datetime | None = None, rules: Ladder | None = None
) -> dict[str, int]:
    """Bring the store in line with a run's T-3 register (``production.t3_warnings`` rows as mappings).

    One transaction per warning; one that a person changed at the same moment is read again and
    retried, so a person's action is never overwritten. Returns counts per outcome."""
    now, rules = now or utcnow(), rules or ladder()
    counts = {"new": 0, "climbed": 0, "reopened": 0, "closed": 0, "refreshed": 0}
    with store.read() as conn:
        states = dict(conn.execute(sa.select(t3_warnings.c.id, t3_warnings.c.state)).all())
    for record in register:
        if record["status"] == "closed" and states.get(record["warning_id"], "open") not in ACTIVE:
            continue  # closed in the register and done in the store: nothing can change
        for _attempt in range(3):
            try:
                with store.write() as conn:
                    outcome = _sync_one(conn, record, now, rules)
                break
            except Conflict:
                continue
        else:
            raise Conflict(f"T-3 warning {record['warning_id']} kept changing during the sync; run it again")
        if outcome:
            counts[outcome] += 1
    return counts


def escalate(store: Store, now: datetime | None = None, rules: Ladder | None = None) -> list[dict]:
    """Climb every ``open`` warning whose time on its level ran out, one level per elapsed period.

    A warning on level L since ``s`` climbs at ``s + acknowledge_within_hours(L)``; the next period
    starts at that moment (not at the check), so the ladder does not depend on how often this runs.
    Returns one record per climb."""
    now, rules = now or utcnow(), rules or ladder()
    climbs = []
    with store.read() as conn:
        ids = conn.execute(sa.select(t3_warnings.c.id).where(t3_warnings.c.state == "open")).scalars().all()
    for warning_id in ids:
        try:
            with store.write() as conn:
                row = _fetch(conn, warning_id)
                if row["state"] != "open":
                    continue
                level, since, steps = row["level"], row["level_since"], []
                while True:
                    hours, higher = rules.rung(level).acknowledge_within_hours, rules.next_level(level)
                    if hours is None or higher is None or now < since + timedelta(hours=hours):
                        break
                    since += timedelta(hours=hours)
                    steps.append({"warning_id": warning_id, "from": level, "to": higher, "at": since})
                    level = higher
                if not steps:
                    continue
                for step in steps:
                    owner = rules.owner(step["to"], row["work_center"])
                    row = update_row(
                        conn,
                        t3_warnings,
                        row,
                        {"level": step["to"], "level_since": step["at"], "owner": owner},
                        SYSTEM,
                        "warning.escalate",
                        now,
                    )
                    _notify(conn, row, "climbed", now)
                    climbs.append({**step, "owner": owner})
        except Conflict:
            continue  # a person acted on it meanwhile; the next check looks again
    return climbs
