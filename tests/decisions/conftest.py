"""The store fixtures: every test that takes ``store`` runs on SQLite and on a real PostgreSQL.

One PostgreSQL server per session; each test gets a fresh database on it, and a fresh SQLite file.
"""

from __future__ import annotations

import itertools
from datetime import datetime

import pytest
import sqlalchemy as sa

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
