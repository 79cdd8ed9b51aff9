"""The decisions as the warehouse sees them after a run: schema ``ops``, the same rows and values."""

from __future__ import annotations

from datetime import date

import duckdb

from decisions import t3_loop
from decisions.snapshot import snapshot_into
from tests.decisions.conftest import PEOPLE, T0
from tests.decisions.test_t3_loop import register_row


def test_the_snapshot_holds_every_decision_and_its_audit_trail(store, tmp_path):
    with duckdb.connect(str(tmp_path / "w.duckdb")) as conn:
        tables = (
            "t3_warnings",
            "close_days",
            "close_variances",
            "rush_proposals",
            "notifications",
            "audit_log",
        )
        empty = dict.fromkeys(tables, 0)
        assert snapshot_into(conn, store) == empty
        t3_loop.sync_register(store, [register_row(), register_row("T3-00002")], now=T0)
        t3_loop.acknowledge(
            store, PEOPLE["pete"], "T3-00001", countermeasure="加班 <b>", expected_recovery=date(2026, 12, 3)
        )
        assert snapshot_into(conn, store) == {**empty, "t3_warnings": 2, "notifications": 2, "audit_log": 3}
        rows = conn.execute(
            "select id, state, countermeasure, expected_recovery, version, due_at "
            "from ops.t3_warnings order by id"
        ).fetchall()
        audit = conn.execute("select actor, action from ops.audit_log order by id").fetchall()
    assert rows == [
        ("T3-00001", "acknowledged", "加班 <b>", date(2026, 12, 3), 2, register_row()["due_at"]),
        ("T3-00002", "open", None, None, 1, register_row()["due_at"]),
    ]
    assert audit == [
        ("omniops", "warning.open"),
        ("omniops", "warning.open"),
        ("pete", "warning.acknowledge"),
    ]
