"""The loops' pages in AppTest: the built instance's warehouse, a fresh operational store of the test's
own (``OMNIOPS_DB_URL``) with one T-3 warning and one day × work centre with variances, and the users
who act (``OMNIOPS_USERS``, as the server reads them for the role check)."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from decisions import close_loop, t3_loop
from decisions.people import Actor
from decisions.store import Store
from decisions.tables import audit_log
from tests.dashboards.appkit import APP

USERS = {
    "pete": "planner",
    "mia": "manager",
    "pam": "pmc",
    "wu.min": "supervisor",  # owns SEW (seed decision_owners.csv)
    "zhao.lei": "supervisor",  # owns CUT
    "ana": "analyst",
    "cas": "cs_agent",
}
T0 = datetime(2026, 12, 1, 8, 0)
WARNING = "T3-00001"
DAY = date(2026, 11, 20)
CLOSE_ID = f"{DAY}/SEW"


def register_row() -> dict:
    """One open row of the warehouse's T-3 register, on SEW (owner wu.min)."""
    return {
        "warning_id": WARNING,
        "production_order_id": "PO-LOOP-1",
        "sku": "SKU-1",
        "customer_tier": "A",
        "work_center": "SEW",
        "blocking_operation": "Sew body",
        "due_at": T0 + timedelta(days=2),
        "planned_completion": T0 + timedelta(days=3),
        "projected_late": True,
        "level": "T-3",
        "status": "open",
        "close_reason": None,
    }


def close_rows() -> list[dict]:
    """Two operations of SEW on ``DAY`` outside tolerance (``production.daily_close`` rows)."""
    return [
        {
            "shift_date": DAY,
            "work_center": "SEW",
            "production_order_id": f"PO-CL-{n}",
            "operation_seq": 10,
            "within_tolerance": False,
            "planned_qty": 100.0,
            "good_count": 80.0 + n,
            "variance": -20.0 + n,
            "reason": "scrap",
            "reason_detail": "seam",
        }
        for n in (1, 2)
    ]


@dataclass
class Loops:
    store: Store
    home: Path

    def open(
        self, username: str, page: str, *, role: str | None = None, language: str = "en", timeout: float = 90
    ) -> AppTest:
        """The app as ``username`` on ``views/<page>.py``; ``role``: what the session remembers, if it
        differs from the users' configuration (a role taken away since sign-in)."""
        app = AppTest.from_file(str(APP), default_timeout=timeout)
        who = {"username": username, "role": role or USERS[username], "display_name": username}
        app.session_state["user"] = who
        app.session_state["language"] = language
        app.run()
        app.switch_page(f"views/{page}.py").run()
        assert not app.exception, app.exception
        return app

    def audit_rows(self) -> int:
        with self.store.read() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(audit_log)).scalar_one()


def make_loops(home: Path, folder: Path, monkeypatch) -> Loops:
    url = f"sqlite:///{folder / 'decisions.sqlite'}"
    monkeypatch.setenv("OMNIOPS_HOME", str(home))
    monkeypatch.setenv("OMNIOPS_DB_URL", url)
    monkeypatch.setenv("OMNIOPS_USERS", ";".join(f"{name}:{role}:x" for name, role in USERS.items()))
    store = Store(url)
    store.upgrade()
    t3_loop.sync_register(store, [register_row()], now=T0)
    close_loop.sync_close(store, close_rows(), [], now=T0)
    return Loops(store, home)


def actor(username: str) -> Actor:
    return Actor(username, USERS[username])


def dead_server_url() -> str:
    """A PostgreSQL URL on a local port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"postgresql://omniops@127.0.0.1:{port}/omniops"


def texts(app: AppTest, kind: str) -> list[str]:
    return [element.value for element in getattr(app, kind)]
