"""Where the store is and how to talk to it: the engine, its transactions and its schema revision.

``OMNIOPS_DB_URL`` selects the database: any SQLAlchemy URL, and a plain ``postgresql://user@host/db``
works as written (it is read with psycopg 3). Without it, the store is a SQLite file under
``$OMNIOPS_HOME`` in WAL mode (readers never wait for the writer; one writer at a time). Writes on SQLite
begin with ``BEGIN IMMEDIATE``, so two writers queue for the lock instead of failing half-way; writers
of one process (the dashboard server's sessions) queue on a lock of their own first, which wakes the
next at once where SQLite's busy handler sleeps and retries (p95 of 20 users: docs/workflows.md).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from core.settings import OmniopsPaths, decisions_db_url, get_paths
from decisions.errors import StoreNotUpgraded

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 15_000
_SQLITE_WRITERS: dict[str, threading.RLock] = {}  # one per database file, shared by every Store
_SQLITE_WRITERS_GUARD = threading.Lock()


def utcnow() -> datetime:
    """Now in naive UTC, the store's time."""
    return datetime.now(UTC).replace(tzinfo=None)


def database_url(paths: OmniopsPaths | None = None) -> str:
    """``$OMNIOPS_DB_URL`` (a bare ``postgresql://`` gets the psycopg 3 driver) or the SQLite default
    of the instance at ``paths`` (default ``$OMNIOPS_HOME``)."""
    url = decisions_db_url()
    if not url:
        return f"sqlite:///{(paths or get_paths()).decisions_db}"
    for bare in ("postgresql://", "postgres://"):
        if url.startswith(bare):
            return "postgresql+psycopg://" + url[len(bare) :]
    return url


def _sqlite_engine(url: sa.URL) -> sa.Engine:
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url)

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Transactions are begun below, not by the driver (the driver's own would defer the lock).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("pragma journal_mode=wal")
        cursor.execute(f"pragma busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("pragma foreign_keys=on")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        write = connection.get_execution_options().get("omniops_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


class Store:
    """One operational store. Cheap to create; keeps a connection pool."""

    def __init__(self, url: str | None = None) -> None:
        self.url = sa.make_url(url or database_url())
        self._writer: AbstractContextManager = nullcontext()
        if self.url.get_backend_name() == "sqlite":
            self.engine = _sqlite_engine(self.url)
            with _SQLITE_WRITERS_GUARD:
                key = str(Path(self.url.database or ":memory:").resolve())
                self._writer = _SQLITE_WRITERS.setdefault(key, threading.RLock())
        else:
            self.engine = sa.create_engine(self.url, pool_pre_ping=True)

    def __repr__(self) -> str:
        return f"Store({self.url.render_as_string(hide_password=True)})"

    @property
    def where(self) -> str:
        return self.url.render_as_string(hide_password=True)

    @contextmanager
    def write(self) -> Iterator[sa.Connection]:
        """One transaction: everything in the block commits together or not at all."""
        with self._writer, self.engine.connect().execution_options(omniops_write=True) as connection:
            with connection.begin():
                yield connection

    @contextmanager
    def read(self) -> Iterator[sa.Connection]:
        with self.engine.connect() as connection:
            with connection.begin():
                yield connection

    # ---- schema revision ------------------------------------------------------------------------

    def _alembic_config(self) -> Config:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        return config

    def head(self) -> str:
        return ScriptDirectory.from_config(self._alembic_config()).get_current_head()

    def revision(self) -> str | None:
        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def upgrade(self, revision: str = "head") -> tuple[str | None, str | None]:
        """Apply the migrations up to ``revision``; returns (before, after)."""
        before = self.revision()
        config = self._alembic_config()
        with self.write() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
        return before, self.revision()

    def require_current(self) -> None:
        """Raise :class:`StoreNotUpgraded` unless the schema is at this code's head revision."""
        current, head = self.revision(), self.head()
        if current == head:
            return
        if current is None:
            state = "has no schema yet"
        else:
            known = {s.revision for s in ScriptDirectory.from_config(self._alembic_config()).walk_revisions()}
            if current not in known:
                raise StoreNotUpgraded(
                    f"the operational store {self.where} is at revision {current}, newer than this "
                    f"code ({head}); update OmniOps"
                )
            state = f"is at revision {current}"
        raise StoreNotUpgraded(
            f"the operational store {self.where} {state}; this code needs {head}: run `omniops db upgrade`"
        )
