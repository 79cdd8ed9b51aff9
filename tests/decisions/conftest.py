"""The store fixtures: every test that takes ``store`` runs on SQLite and on a real PostgreSQL.

One PostgreSQL server per session; each test gets a fresh database on it, and a fresh SQLite file.
"""

from __future__ import annotations

import itertools
import socket
from datetime import datetime

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from decisions.notify import SmtpSettings
from decisions.people import Actor
from decisions.store import Store
from tests.decisions.postgres_server import remove, start_server

_databases = itertools.count(1)
T0 = datetime(2026, 12, 1, 8, 0, 0)


@pytest.fixture(scope="session")
def postgres_server():
    server = start_server()
    yield server
    remove(server)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    """A URL of an empty store: a new SQLite file, or a new database on the session's PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'decisions.sqlite'}"
    server = request.getfixturevalue("postgres_server")
    name = f"test_{next(_databases)}"
    admin = sa.create_engine(sa.make_url(Store(server.url()).url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"create database {name}")
    admin.dispose()
    return server.url(name)


@pytest.fixture
def store(store_url) -> Store:
    """An upgraded, empty store."""
    store = Store(store_url)
    store.upgrade()
    yield store
    store.engine.dispose()


PEOPLE = {
    "mia": Actor("mia", "manager"),
    "pete": Actor("pete", "planner"),
    "pam": Actor("pam", "pmc"),
    "sue": Actor("sue", "supervisor"),
    "cas": Actor("cas", "cs_agent"),
    "ana": Actor("ana", "analyst"),
}


class _Mailbox:
    def __init__(self) -> None:
        self.received: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's naming)
        self.received.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_server():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    mailbox = _Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield SmtpSettings(host="127.0.0.1", port=port, sender="omniops@plant.example"), mailbox
    controller.stop()


@pytest.fixture
def users_with_email(tmp_path, monkeypatch):
    users = tmp_path / "users.toml"
    users.write_text(
        '[users."wu.min"]\nrole = "supervisor"\nemail = "wu.min@plant.example"\n\n'
        '[users.manager]\nrole = "manager"\nemail = "manager@plant.example"\n',
        encoding="utf-8",
    )
    monkeypatch.delenv("OMNIOPS_USERS", raising=False)
    monkeypatch.setenv("OMNIOPS_USERS_FILE", str(users))
