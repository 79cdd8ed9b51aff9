"""Read-only access to the published warehouse, the only thing the dashboards read.

The pipeline publishes a build by pointing the published name (a link) at a new, never again written
version file (``core.warehouse_versions``). So a page keeps one read-only connection per published
*version* (the file the link resolves to, and its modification time) and runs each query on a cursor
of it: opening the file costs about 30 ms, a cursor 0.2 ms, and a cold page runs twenty-odd queries.
When a new build is published, the next query resolves the link to the new file and opens it; the old
connection still reads the old, complete build (its file is kept while a reader holds it) until it is
dropped. Results are cached per version too.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from core.settings import get_paths


def published_db_path() -> Path:
    """The pipeline's published file, ``$OMNIOPS_HOME/warehouse/omniops.duckdb`` (``core.settings``)."""
    return get_paths().published_db


def warehouse_version() -> str | None:
    """The version file the published name points at now, with its modification time; None if none."""
    path = published_db_path()
    try:
        resolved = path.resolve(strict=True)
        return f"{resolved}@{resolved.stat().st_mtime_ns}"
    except FileNotFoundError:
        return None


_CURSOR_LOCK = threading.Lock()


@st.cache_resource(show_spinner=False, max_entries=2)
def _connection(path: str, version: str) -> duckdb.DuckDBPyConnection:
    """An in-memory database with the version file attached read-only as ``published``.

    Not ``duckdb.connect(path)``: DuckDB hands out one database instance per path while any connection
    to it lives, so after a publish a new connection to the same path would still read the old build.
    """
    conn = duckdb.connect(":memory:")
    conn.execute(f"attach '{path.replace(chr(39), chr(39) * 2)}' as published (read_only)")
    return conn


@st.cache_data(show_spinner=False, max_entries=256)
def _cached_query(sql: str, params: tuple, path: str, version: str) -> pd.DataFrame:
    # A connection is not for several threads (one per browser session); each query gets its own cursor.
    with _CURSOR_LOCK:
        cursor = _connection(path, version).cursor()
    try:
        cursor.execute("use published")
        return cursor.execute(sql, list(params)).df()
    finally:
        cursor.close()


def query(sql: str, params: tuple = ()) -> pd.DataFrame:
    """Run a parameterised query (``?`` placeholders) on the published warehouse."""
    version = warehouse_version()
    if version is None:
        raise FileNotFoundError(f"no published warehouse at {published_db_path()}: run `omniops run` first")
    return _cached_query(sql, tuple(params), version.rpartition("@")[0], version)


def table_exists(schema: str, table: str) -> bool:
    """Whether a table is in the published warehouse (a page can explain what is missing)."""
    found = query(
        "select count(*) as n from information_schema.tables where table_schema = ? and table_name = ?",
        (schema, table),
    )
    return bool(found["n"].iloc[0])


@contextmanager
def published_cursor() -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor on the published build, for library code that reads the warehouse itself (the rush
    what-if of ``decisions.rush_loop``)."""
    version = warehouse_version()
    if version is None:
        raise FileNotFoundError(f"no published warehouse at {published_db_path()}: run `omniops run` first")
    with _CURSOR_LOCK:
        cursor = _connection(version.rpartition("@")[0], version).cursor()
    try:
        cursor.execute("use published")
        yield cursor
    finally:
        cursor.close()


@st.cache_data(show_spinner=False, max_entries=256)
def _cached_call(name: str, args: tuple, path: str, version: str):
    from importlib import import_module

    module, function = name.rsplit(".", 1)
    action = getattr(import_module(module), function)
    with _CURSOR_LOCK:
        cursor = _connection(path, version).cursor()
    try:
        cursor.execute("use published")
        return action(cursor, *args)
    finally:
        cursor.close()


def call(name: str, *args):
    """``module.function(cursor, *args)`` on the published warehouse, cached per published version: for
    library code that reads a DuckDB connection itself (``planning.promise_answer``)."""
    version = warehouse_version()
    if version is None:
        raise FileNotFoundError(f"no published warehouse at {published_db_path()}: run `omniops run` first")
    return _cached_call(name, tuple(args), version.rpartition("@")[0], version)
