"""The only way a decision is written: one row inserted or updated, checked against the version the
writer read (optimistic locking), with a row in the append-only audit log in the same transaction.

Run these inside ``Store.write()``: the change and its audit row commit together or not at all.
"""

from __future__ import annotations

import json
from datetime import datetime

import sqlalchemy as sa

from decisions.errors import Conflict, NotFound
from decisions.people import Actor
from decisions.tables import audit_log


def _json(row: dict | None) -> str | None:
    return None if row is None else json.dumps(row, default=str, ensure_ascii=False, sort_keys=True)


def audit(
    conn: sa.Connection,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: str,
    before: dict | None,
    after: dict | None,
    at: datetime,
) -> None:
    conn.execute(
        audit_log.insert().values(
            at=at,
            actor=actor.username,
            role=actor.role,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            before=_json(before),
            after=_json(after),
        )
    )


def read_row(conn: sa.Connection, table: sa.Table, key: str) -> dict:
    row = conn.execute(sa.select(table).where(table.c.id == key)).mappings().one_or_none()
    if row is None:
        raise NotFound(f"no {table.name} row {key!r}")
    return dict(row)


def insert_row(
    conn: sa.Connection, table: sa.Table, values: dict, actor: Actor, action: str, at: datetime
) -> dict:
    row = {**values, "version": 1, "updated_by": actor.username, "updated_at": at}
    conn.execute(table.insert().values(**row))
    audit(conn, actor, action, table.name, row["id"], None, row, at)
    return row


def check_version(table: sa.Table, current: dict, expected: int | None) -> None:
    """Raise :class:`Conflict` when the row is no longer at the version the writer read."""
    if expected is not None and current["version"] != expected:
        raise _conflict(table, current["id"], current, expected)


def _conflict(table: sa.Table, key: str, current: dict, expected: int) -> Conflict:
    return Conflict(
        f"{table.name} {key} was changed by {current['updated_by']} at "
        f"{current['updated_at']:%Y-%m-%d %H:%M:%S} UTC (now version {current['version']}, you had "
        f"version {expected}): reload it and try again; nothing was saved"
    )


def update_row(
    conn: sa.Connection,
    table: sa.Table,
    before: dict,
    changes: dict,
    actor: Actor,
    action: str,
    at: datetime,
    expected_version: int | None = None,
) -> dict:
    """Apply ``changes`` to the row read as ``before`` if nobody changed it since.

    ``expected_version``: the version the person saw (a page or ``--version``); ``None`` means the one
    in ``before``. The UPDATE matches on the version too, so a writer who committed in between is
    caught even after this transaction's read."""
    key = before["id"]
    check_version(table, before, expected_version)
    expected = before["version"]
    values = {**changes, "version": expected + 1, "updated_by": actor.username, "updated_at": at}
    done = conn.execute(table.update().where(table.c.id == key, table.c.version == expected).values(**values))
    if done.rowcount != 1:
        raise _conflict(table, key, read_row(conn, table, key), expected)
    after = {**before, **values}
    audit(conn, actor, action, table.name, key, before, after, at)
    return after
