"""The T-3 loop's KPIs computed by hand on seven warnings, then read from a warehouse whose ``ops`` schema
is the real snapshot of a store holding the same warnings."""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pandas as pd

from decisions.people import SYSTEM
from decisions.snapshot import snapshot_into
from decisions.store import Store
from decisions.tables import t3_warnings
from decisions.writes import insert_row
from kpis.t3_loop import t3_loop_kpis
from kpis.t3_loop_query import read_t3_loop_kpis

AS_OF = pd.Timestamp("2026-12-05 00:00")


def d(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(f"2026-12-{text}")


# id, order, state, due_at, opened_at, acknowledged_at, closed_at
WARNINGS = [
    ("T3-1", "PO-1", "resolved", "03 10:00", "01 08:00", "01 10:00", "02 12:00"),  # in time; ack 2 h
    ("T3-2", "PO-2", "resolved", "02 10:00", "01 08:00", "01 14:00", "02 18:00"),  # after due; ack 6 h
    ("T3-3", "PO-3", "open", "04 10:00", "02 08:00", None, None),  # came due, open
    ("T3-4", "PO-4", "cancelled", "01 10:00", "01 08:00", "01 09:00", "01 09:30"),  # ack 1 h, else out
    ("T3-5", "PO-5", "resolved", "10 10:00", "03 08:00", "03 20:00", "04 08:00"),  # early; ack 12 h
    ("T3-6", "PO-1", "closed", "03 10:00", "02 08:00", None, "04 06:00"),  # the run closed it
    ("T3-7", "PO-7", "open", "08 10:00", "04 08:00", None, None),  # not due yet
]
# order: deadline, finished on (None: not yet), cancelled
ORDERS = {
    "PO-1": (date(2026, 12, 3), date(2026, 12, 3), False),  # on the deadline: saved
    "PO-2": (date(2026, 12, 2), date(2026, 12, 4), False),  # late
    "PO-3": (date(2026, 12, 4), None, False),
    "PO-4": (date(2026, 12, 1), date(2026, 12, 1), False),  # its only warning was cancelled
    "PO-5": (date(2026, 12, 10), None, False),
    "PO-7": (date(2026, 12, 8), None, True),
}


def frame() -> pd.DataFrame:
    rows = []
    for wid, order, state, due, opened, acked, closed in WARNINGS:
        due_date, finished, cancelled = ORDERS[order]
        rows.append(
            {
                "id": wid,
                "production_order_id": order,
                "state": state,
                "due_at": d(due),
                "opened_at": d(opened),
                "acknowledged_at": d(acked),
                "closed_at": d(closed),
                "order_due_date": due_date,
                "order_finished_on": finished,
                "order_cancelled": cancelled,
            }
        )
    return pd.DataFrame(rows)


def check(kpis) -> None:
    # Resolved on or before due: T3-1, T3-5 (early counts); came due: T3-1, 2, 3, 5, 6 (4 cancelled,
    # 7 not due yet) → 2 / 5.
    assert (kpis.resolved_before_due.numerator, kpis.resolved_before_due.denominator) == (2, 5)
    # Hours to acknowledge: 2, 6, 1, 12 → median (2 + 6) / 2 = 4.
    assert (kpis.median_hours_to_acknowledge, kpis.acknowledged) == (4.0, 4)
    # Orders: PO-1 saved (finished on its deadline), PO-2 late, PO-3 and PO-5 pending; PO-4 (warning
    # cancelled) and PO-7 (order cancelled) out.
    assert (kpis.orders_saved, kpis.orders_late, kpis.orders_pending, kpis.saved_share) == (1, 1, 2, 0.5)


def test_the_t3_loop_kpis_by_hand():
    check(t3_loop_kpis(frame(), AS_OF))


def test_no_warnings_give_no_figures_rather_than_zeros():
    kpis = t3_loop_kpis(frame().iloc[0:0], AS_OF)
    assert kpis.resolved_before_due.value is None and kpis.median_hours_to_acknowledge is None
    assert kpis.saved_share is None


def test_read_from_the_warehouse_ops_snapshot(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'decisions.sqlite'}")
    store.upgrade()
    with store.write() as conn:
        for row in frame().to_dict("records"):
            values = {k: (None if pd.isna(v) else v) for k, v in row.items() if k in t3_warnings.c}
            values |= {"projected_late": True, "level": "T-3", "level_since": values["opened_at"]}
            values |= {"reopened": 0, "acknowledged_at": values["acknowledged_at"]}
            insert_row(conn, t3_warnings, values, SYSTEM, "warning.open", values["opened_at"])
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as conn:
        snapshot_into(conn, store)
        conn.execute(
            "create schema marts; create table marts.fct_production_operations (production_order_id varchar, "
            "operation_seq int, due_date date, operation_status varchar, last_shift_date date)"
        )
        for order, (due, finished, cancelled) in ORDERS.items():
            status = "cancelled" if cancelled else ("done" if finished else "in_progress")
            conn.execute(
                "insert into marts.fct_production_operations values (?, 10, ?, 'done', ?), (?, 20, ?, ?, ?)",
                [order, due, finished, order, due, status, finished],
            )
        conn.execute(
            "create schema production; create table production.schedule_runs as select ? as as_of", [AS_OF]
        )
        check(read_t3_loop_kpis(conn))
        assert read_t3_loop_kpis(conn, AS_OF - pd.Timedelta(days=10)).resolved_before_due.denominator == 2
    store.engine.dispose()


def test_times_may_be_all_empty():
    data = frame().assign(acknowledged_at=None, closed_at=None)
    kpis = t3_loop_kpis(data, AS_OF)
    assert (kpis.median_hours_to_acknowledge, kpis.acknowledged) == (None, 0)
    assert (kpis.resolved_before_due.numerator, kpis.resolved_before_due.denominator) == (0, 4)
