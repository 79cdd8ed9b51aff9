"""The store itself: migrations, the revision check, one transaction per write, the audit log and
optimistic locking — on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from decisions.errors import Conflict, StoreNotUpgraded
from decisions.people import Actor
from decisions.store import Store, database_url
from decisions.tables import audit_log, t3_warnings
from decisions.writes import insert_row, read_row, update_row
from tests.decisions.conftest import T0

ALICE, BOB = Actor("alice", "planner"), Actor("bob", "manager")


def _warning(warning_id: str = "T3-00001") -> dict:
    return {
        "id": warning_id,
        "production_order_id": "PO-1",
        "projected_late": True,
        "level": "T-3",
        "level_since": T0,
        "state": "open",
        "opened_at": T0,
        "reopened": 0,
    }


def test_a_new_store_says_it_must_be_upgraded_then_upgrades(store_url):
    store = Store(store_url)
    with pytest.raises(StoreNotUpgraded, match="has no schema yet.*omniops db upgrade"):
        store.require_current()
    store.upgrade("0001")
    with pytest.raises(StoreNotUpgraded, match="is at revision 0001.*omniops db upgrade"):
        store.require_current()
    assert store.upgrade() == ("0001", store.head())
    store.require_current()
    store.engine.dispose()


def test_an_older_store_with_rows_upgrades_without_losing_a_row(store_url):
    store = Store(store_url)
    store.upgrade("0001")
    with store.write() as conn:
        conn.execute(
            audit_log.insert(),
            [
                {
                    "at": T0,
                    "actor": f"user{i}",
                    "role": "planner",
                    "action": "x",
                    "entity": "e",
                    "entity_id": str(i),
                }
                for i in range(50)
            ],
        )
    store.upgrade()
    with store.read() as conn:
        rows = conn.execute(sa.select(audit_log.c.actor).order_by(audit_log.c.id)).scalars().all()
    assert rows == [f"user{i}" for i in range(50)]
    store.engine.dispose()


def test_a_bare_postgresql_url_gets_the_psycopg_driver(monkeypatch, tmp_path):
    monkeypatch.setenv("OMNIOPS_DB_URL", "postgresql://ops@db.example:5433/omniops")
    assert database_url() == "postgresql+psycopg://ops@db.example:5433/omniops"
    monkeypatch.delenv("OMNIOPS_DB_URL")
    monkeypatch.setenv("OMNIOPS_HOME", str(tmp_path))
    assert database_url() == f"sqlite:///{tmp_path / 'decisions' / 'decisions.sqlite'}"


def test_the_default_sqlite_store_is_in_wal_mode(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'd' / 's.sqlite'}")
    with store.read() as conn:
        assert conn.exec_driver_sql("pragma journal_mode").scalar() == "wal"
    store.engine.dispose()


def test_every_write_leaves_an_audit_row_with_before_and_after(store):
    with store.write() as conn:
        insert_row(conn, t3_warnings, _warning(), ALICE, "warning.open", T0)
    with store.write() as conn:
        row = read_row(conn, t3_warnings, "T3-00001")
        update_row(conn, t3_warnings, row, {"state": "acknowledged"}, BOB, "warning.acknowledge", T0)
    with store.read() as conn:
        audit = conn.execute(sa.select(audit_log).order_by(audit_log.c.id)).mappings().all()
        assert read_row(conn, t3_warnings, "T3-00001")["version"] == 2
    assert [(a["actor"], a["role"], a["action"]) for a in audit] == [
        ("alice", "planner", "warning.open"),
        ("bob", "manager", "warning.acknowledge"),
    ]
    assert audit[0]["before"] is None and json.loads(audit[0]["after"])["state"] == "open"
    before, after = json.loads(audit[1]["before"]), json.loads(audit[1]["after"])
    assert (before["state"], before["version"]) == ("open", 1)
    assert (after["state"], after["version"], after["updated_by"]) == ("acknowledged", 2, "bob")


def test_a_failed_write_leaves_neither_the_change_nor_its_audit_row(store):
    with store.write() as conn:
        insert_row(conn, t3_warnings, _warning(), ALICE, "warning.open", T0)
    with pytest.raises(RuntimeError), store.write() as conn:
        row = read_row(conn, t3_warnings, "T3-00001")
        update_row(conn, t3_warnings, row, {"state": "cancelled"}, BOB, "warning.cancel", T0)
        raise RuntimeError("the page crashed before the commit")
    with store.read() as conn:
        assert read_row(conn, t3_warnings, "T3-00001")["state"] == "open"
        assert conn.execute(sa.select(sa.func.count()).select_from(audit_log)).scalar() == 1


def test_the_second_writer_of_the_same_version_is_told_who_changed_it(store):
    with store.write() as conn:
        insert_row(conn, t3_warnings, _warning(), ALICE, "warning.open", T0)
    with store.read() as conn:
        seen_by_alice = seen_by_bob = read_row(conn, t3_warnings, "T3-00001")
    later = T0 + timedelta(minutes=5)
    with store.write() as conn:
        current = read_row(conn, t3_warnings, "T3-00001")
        update_row(
            conn,
            t3_warnings,
            current,
            {"countermeasure": "overtime"},
            ALICE,
            "a",
            later,
            seen_by_alice["version"],
        )
    with (
        pytest.raises(Conflict, match=r"changed by alice at 2026-12-01 08:05:00 UTC.*reload"),
        store.write() as conn,
    ):
        current = read_row(conn, t3_warnings, "T3-00001")
        update_row(
            conn,
            t3_warnings,
            current,
            {"countermeasure": "subcontract"},
            BOB,
            "b",
            later,
            seen_by_bob["version"],
        )
    with store.read() as conn:
        assert read_row(conn, t3_warnings, "T3-00001")["countermeasure"] == "overtime"


def test_two_writers_at_the_same_moment_one_wins_and_one_is_told(store):
    with store.write() as conn:
        insert_row(conn, t3_warnings, _warning(), ALICE, "warning.open", T0)
    barrier, outcomes = threading.Barrier(2), []

    def write(actor: Actor) -> None:
        barrier.wait()
        try:
            with store.write() as conn:
                row = read_row(conn, t3_warnings, "T3-00001")
                if row["version"] != 1:
                    raise Conflict(f"changed by {row['updated_by']}")
                update_row(conn, t3_warnings, row, {"countermeasure": actor.username}, actor, "x", T0, 1)
            outcomes.append(("saved", actor.username))
        except Conflict as error:
            outcomes.append(("conflict", str(error)))

    threads = [threading.Thread(target=write, args=(a,)) for a in (ALICE, BOB)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(kind for kind, _ in outcomes) == ["conflict", "saved"]
    winner = next(who for kind, who in outcomes if kind == "saved")
    with store.read() as conn:
        row = read_row(conn, t3_warnings, "T3-00001")
        audits = conn.execute(sa.select(sa.func.count()).select_from(audit_log)).scalar()
    assert (row["countermeasure"], row["version"], audits) == (winner, 2, 2)


def test_the_previous_revision_with_decisions_upgrades_without_losing_a_row(store_url):
    """A store written by the code before the daily close (revision 0002) keeps every warning, audit row
    and notification, values included, when it upgrades to head."""
    from datetime import date

    from decisions import t3_loop
    from decisions.tables import notifications
    from tests.decisions.test_t3_loop import register_row

    store = Store(store_url)
    store.upgrade("0002")
    rows = [register_row(f"T3-{i:05d}") for i in range(1, 31)]
    t3_loop.sync_register(store, rows, now=T0)
    t3_loop.acknowledge(store, ALICE, "T3-00007", countermeasure="加班", expected_recovery=date(2026, 12, 3))

    def everything() -> dict:
        with store.read() as conn:
            return {
                table.name: [tuple(r) for r in conn.execute(sa.select(table).order_by(table.c.id))]
                for table in (t3_warnings, audit_log, notifications)
            }

    before = everything()
    assert store.upgrade() == ("0002", store.head()) and store.head() != "0002"
    assert everything() == before
    assert len(before["t3_warnings"]) == 30 and len(before["audit_log"]) == 31
    store.engine.dispose()


def test_a_store_of_the_last_release_with_every_kind_of_decision_upgrades_without_losing_a_row(store_url):
    """A store at 0004 (before the KPI alert subscriptions) holding warnings, a rush proposal, their
    audit rows and notifications keeps all of them, values included, at head."""
    from datetime import date

    from decisions import rush_loop, t3_loop
    from decisions.tables import close_days, notifications, rush_proposals
    from tests.decisions.test_rush_loop import EVALUATION
    from tests.decisions.test_t3_loop import register_row

    store = Store(store_url)
    store.upgrade("0004")
    t3_loop.sync_register(store, [register_row(f"T3-{i:05d}") for i in range(1, 6)], now=T0)
    t3_loop.acknowledge(store, ALICE, "T3-00002", countermeasure="加班", expected_recovery=date(2026, 12, 3))
    rush_loop.propose(
        store, ALICE, sku="SKU-1", quantity=9, due_at=T0, tier="A", frozen_minutes=480, evaluation=EVALUATION
    )
    rush_loop.approve(store, Actor("pam", "pmc"), "RUSH-00001", comment="ok")
    tables = (t3_warnings, audit_log, notifications, rush_proposals, close_days)

    def everything() -> dict:
        with store.read() as conn:
            return {t.name: [tuple(r) for r in conn.execute(sa.select(t).order_by(t.c.id))] for t in tables}

    before = everything()
    assert store.upgrade() == ("0004", store.head()) and store.head() != "0004"
    assert everything() == before
    assert [len(before[t.name]) for t in tables] == [5, 8, 5, 1, 0]
    store.require_current()
    store.engine.dispose()
