"""Daily close sign-off (日清日结): each day × work centre is signed by its owner, and every variance
outside tolerance carries a reason code, a comment and a corrective action entered by a person (三要素:
a standard, a control, a named owner).

States of a close record (docs/workflows.md)::

    open ──sign (no variance without a reason)──► signed ──reopen (reason; revision + 1)──► open

- The pipeline (:func:`sync_close`) creates the records of the last ``CLOSE_WINDOW_DAYS`` days from
  the run's ``production.daily_close`` (output) and ``daily_close_materials`` (flagged material), and
  adds variances the run newly finds; a new variance on a signed day reopens it as a new revision.
- A signed day is locked: explaining a variance of it is refused until someone reopens it, which
  starts a new revision; the audit log keeps every revision.
- A supervisor acts on the work centres they own (seed ``decision_owners``); a manager on all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from decisions.errors import BadInput, Conflict, NotFound, Refused
from decisions.people import SYSTEM, Actor
from decisions.roles import require
from decisions.seeds import Ladder, close_reasons, ladder
from decisions.store import Store, utcnow
from decisions.tables import close_days, close_variances
from decisions.writes import check_version, insert_row, read_row, update_row

CLOSE_WINDOW_DAYS = 14


def close_id(day: date, work_center: str) -> str:
    return f"{day.isoformat()}/{work_center}"


def _day(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if hasattr(value, "date"):  # pandas Timestamp
        return value.date()
    return date.fromisoformat(str(value)[:10])


# ---- the pipeline -----------------------------------------------------------------------------------


def _variances(output: Iterable[Mapping], material: Iterable[Mapping], first_day: date) -> list[dict]:
    found = []
    for r in output:
        day = _day(r["shift_date"])
        if day < first_day or r["within_tolerance"]:
            continue
        cid = close_id(day, r["work_center"])
        found.append(
            {
                "id": f"{cid}/{r['production_order_id']}/{int(r['operation_seq'])}",
                "close_id": cid,
                "kind": "output",
                "production_order_id": r["production_order_id"],
                "operation_seq": int(r["operation_seq"]),
                "planned": float(r["planned_qty"]),
                "actual": float(r["good_count"]),
                "variance": float(r["variance"]),
                "system_reason": f"{r['reason']}: {r['reason_detail']}" if r.get("reason") else None,
            }
        )
    for r in material:
        day = _day(r["shift_date"])
        if day < first_day or not r["flagged"]:
            continue
        cid = close_id(day, r["work_center"])
        found.append(
            {
                "id": f"{cid}/{r['production_order_id']}/{int(r['operation_seq'])}/{r['component']}",
                "close_id": cid,
                "kind": "material",
                "production_order_id": r["production_order_id"],
                "operation_seq": int(r["operation_seq"]),
                "component": r["component"],
                "planned": float(r["standard_qty"]),
                "actual": float(r["actual_qty"]),
                "variance": float(r["unexplained"]),
                "system_reason": r.get("reason"),
            }
        )
    return found


def _sync_once(conn: sa.Connection, days: set, variances: list[dict], now: datetime, rules: Ladder) -> dict:
    counts = {"days": 0, "variances": 0, "reopened": 0}
    ids = [close_id(day, wc) for day, wc in days]
    known_days = {
        r["id"]: dict(r)
        for r in conn.execute(sa.select(close_days).where(close_days.c.id.in_(ids))).mappings()
    }
    for day, work_center in sorted(days):
        cid = close_id(day, work_center)
        if cid in known_days:
            continue
        values = {
            "id": cid,
            "day": day,
            "work_center": work_center,
            "owner": rules.owners.get(("work_center_owner", work_center)),
            "state": "open",
            "revision": 1,
        }
        known_days[cid] = insert_row(conn, close_days, values, SYSTEM, "close.open", now)
        counts["days"] += 1
    wanted = [v["id"] for v in variances]
    known = set(
        conn.execute(sa.select(close_variances.c.id).where(close_variances.c.id.in_(wanted))).scalars()
    )
    touched = set()
    for variance in variances:
        if variance["id"] in known:
            continue
        insert_row(conn, close_variances, variance, SYSTEM, "close.variance", now)
        touched.add(variance["close_id"])
        counts["variances"] += 1
    for cid in sorted(touched):
        # Touch the day even when open: a sign committed meanwhile then conflicts instead of signing a
        # day whose new variance it never saw.
        day = known_days[cid]
        changes = {}
        if day["state"] == "signed":
            changes = {
                "state": "open",
                "revision": day["revision"] + 1,
                "reopen_reason": "new variance from the run",
            }
            counts["reopened"] += 1
        update_row(conn, close_days, day, changes, SYSTEM, "close.new_variance", now)
    return counts


def sync_close(
    store: Store,
    output: Iterable[Mapping],
    material: Iterable[Mapping],
    now: datetime | None = None,
    rules: Ladder | None = None,
) -> dict[str, int]:
    """Open the close records and add the variances of the last ``CLOSE_WINDOW_DAYS`` days.

    ``output``: ``production.daily_close`` rows with their ``work_center``; ``material``:
    ``daily_close_materials`` rows with theirs. One transaction; retried if a person signed meanwhile."""
    now, rules = now or utcnow(), rules or ladder()
    output, material = list(output), list(material)
    all_days = [_day(r["shift_date"]) for r in output]
    if not all_days:
        return {"days": 0, "variances": 0, "reopened": 0}
    first_day = max(all_days) - timedelta(days=CLOSE_WINDOW_DAYS - 1)
    days = {(_day(r["shift_date"]), r["work_center"]) for r in output if _day(r["shift_date"]) >= first_day}
    variances = _variances(output, material, first_day)
    days |= {(date.fromisoformat(v["close_id"][:10]), v["close_id"][11:]) for v in variances}
    for _attempt in range(3):
        try:
            with store.write() as conn:
                return _sync_once(conn, days, variances, now, rules)
        except Conflict:
            continue
    raise Conflict("the daily close kept changing during the sync; run it again")


# ---- what people do ---------------------------------------------------------------------------------


def _fetch_day(conn: sa.Connection, cid: str) -> dict:
    try:
        return read_row(conn, close_days, cid)
    except NotFound:
        raise NotFound(f"no daily close {cid!r} (ids look like 2026-11-21/SEW)") from None


def _in_scope(actor: Actor, day: dict) -> None:
    if actor.role == "supervisor" and day["owner"] != actor.username:
        raise Refused(
            f"{actor.username} does not own work centre {day['work_center']} (its owner is {day['owner']}); "
            "a supervisor acts on the daily close of their own work centres"
        )


def _unlocked(day: dict) -> None:
    if day["state"] == "signed":
        raise Refused(
            f"daily close {day['id']} was signed by {day['signed_by']} at "
            f"{day['signed_at']:%Y-%m-%d %H:%M:%S} UTC (revision {day['revision']}) and is locked: "
            f"reopen it first, which starts revision {day['revision'] + 1}; nothing was saved"
        )


def explain(
    store: Store,
    actor: Actor,
    variance_id: str,
    *,
    reason_code: str,
    comment: str,
    corrective_action: str,
    action_owner: str | None = None,
    action_due: date | str | None = None,
    version: int | None = None,
    now: datetime | None = None,
) -> dict:
    """Give a variance its reason code, comment and corrective action (with owner and due date)."""
    require(actor, "close.explain")
    reasons = close_reasons()
    if reason_code not in reasons:
        raise BadInput(f"reason code {reason_code!r} is not in daily_close_reasons.csv: {', '.join(reasons)}")
    for value, what in ((comment, "a comment"), (corrective_action, "a corrective action")):
        if value is None or not str(value).strip():
            raise BadInput(f"{what} is required")
    if isinstance(action_due, str):
        try:
            action_due = date.fromisoformat(action_due)
        except ValueError:
            raise BadInput(f"action due date {action_due!r}: use YYYY-MM-DD") from None
    now = now or utcnow()
    with store.write() as conn:
        try:
            variance = read_row(conn, close_variances, variance_id)
        except NotFound:
            raise NotFound(f"no daily-close variance {variance_id!r}") from None
        check_version(close_variances, variance, version)
        day = _fetch_day(conn, variance["close_id"])
        _in_scope(actor, day)
        _unlocked(day)
        changes = {
            "reason_code": reason_code,
            "comment": comment,
            "corrective_action": corrective_action,
            "action_owner": action_owner or actor.username,
            "action_due": action_due,
            "explained_by": actor.username,
            "explained_at": now,
        }
        after = update_row(conn, close_variances, variance, changes, actor, "close.explain", now, version)
        update_row(conn, close_days, day, {}, actor, "close.explain", now)  # a sign in flight must reload
        return after


def action_done(
    store: Store, actor: Actor, variance_id: str, *, version: int | None = None, now: datetime | None = None
) -> dict:
    """Mark a corrective action done: follow-up, not the day's content, so a signed day allows it."""
    require(actor, "close.explain")
    now = now or utcnow()
    with store.write() as conn:
        try:
            variance = read_row(conn, close_variances, variance_id)
        except NotFound:
            raise NotFound(f"no daily-close variance {variance_id!r}") from None
        check_version(close_variances, variance, version)
        _in_scope(actor, _fetch_day(conn, variance["close_id"]))
        if not variance["corrective_action"] or variance["action_done_at"] is not None:
            state = "is already done" if variance["action_done_at"] else "has no corrective action yet"
            raise Refused(f"the corrective action of {variance_id} {state}")
        changes = {"action_done_by": actor.username, "action_done_at": now}
        return update_row(conn, close_variances, variance, changes, actor, "close.action_done", now, version)


def sign(
    store: Store, actor: Actor, cid: str, *, version: int | None = None, now: datetime | None = None
) -> dict:
    """open → signed, refused while a variance of the day has no reason."""
    require(actor, "close.sign")
    now = now or utcnow()
    with store.write() as conn:
        day = _fetch_day(conn, cid)
        check_version(close_days, day, version)
        _in_scope(actor, day)
        _unlocked(day)
        missing = (
            conn.execute(
                sa.select(close_variances.c.id)
                .where(close_variances.c.close_id == cid, close_variances.c.reason_code.is_(None))
                .order_by(close_variances.c.id)
            )
            .scalars()
            .all()
        )
        if missing:
            raise Refused(
                f"daily close {cid} cannot be signed: {len(missing)} variance(s) without a reason: "
                f"{', '.join(missing)}; nothing was saved"
            )
        changes = {"state": "signed", "signed_by": actor.username, "signed_at": now}
        return update_row(conn, close_days, day, changes, actor, "close.sign", now, version)


def reopen(
    store: Store,
    actor: Actor,
    cid: str,
    *,
    reason: str,
    version: int | None = None,
    now: datetime | None = None,
) -> dict:
    """signed → open as a new revision, with the reason."""
    require(actor, "close.reopen")
    if not reason or not reason.strip():
        raise BadInput("a reason is required")
    now = now or utcnow()
    with store.write() as conn:
        day = _fetch_day(conn, cid)
        check_version(close_days, day, version)
        _in_scope(actor, day)
        if day["state"] != "signed":
            raise Refused(f"daily close {cid} is {day['state']}: only a signed day can be reopened")
        changes = {"state": "open", "revision": day["revision"] + 1, "reopen_reason": reason}
        return update_row(conn, close_days, day, changes, actor, "close.reopen", now, version)


# ---- reading ----------------------------------------------------------------------------------------


def show(store: Store, day: date | None = None, work_center: str | None = None) -> list[dict]:
    """Close records (newest first) with their variances under ``variances``."""
    query = sa.select(close_days)
    if day:
        query = query.where(close_days.c.day == day)
    if work_center:
        query = query.where(close_days.c.work_center == work_center)
    with store.read() as conn:
        days = [
            dict(r) for r in conn.execute(query.order_by(close_days.c.day.desc(), close_days.c.id)).mappings()
        ]
        ids = [d["id"] for d in days]
        found: dict[str, list] = {i: [] for i in ids}
        variances = conn.execute(
            sa.select(close_variances)
            .where(close_variances.c.close_id.in_(ids))
            .order_by(close_variances.c.id)
        ).mappings()
        for v in variances:
            found[v["close_id"]].append(dict(v))
    return [{**d, "variances": found[d["id"]]} for d in days]


def pending(store: Store, today: date) -> dict[str, list[dict]]:
    """The manager's view: days before ``today`` not signed, and corrective actions past their due date
    and not done."""
    with store.read() as conn:
        unsigned = (
            conn.execute(
                sa.select(close_days)
                .where(close_days.c.state != "signed", close_days.c.day < today)
                .order_by(close_days.c.day, close_days.c.id)
            )
            .mappings()
            .all()
        )
        overdue = (
            conn.execute(
                sa.select(close_variances, close_days.c.owner)
                .join(close_days, close_days.c.id == close_variances.c.close_id)
                .where(close_variances.c.action_due < today, close_variances.c.action_done_at.is_(None))
                .order_by(close_variances.c.action_due, close_variances.c.id)
            )
            .mappings()
            .all()
        )
    return {"unsigned": [dict(r) for r in unsigned], "overdue_actions": [dict(r) for r in overdue]}
