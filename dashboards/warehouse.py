"""Read-only access to the published warehouse, the only thing the dashboards read.

Each query opens the published DuckDB file read-only and closes it again, so a run that publishes a
new build (an atomic rename) never blocks a page, and a page never holds the file. Results are cached
per file version (path + modification time), so a new build is picked up at the next query.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st


def published_db_path() -> Path:
    """Same rule as the pipeline: ``$OMNIOPS_HOME/warehouse/omniops.duckdb`` (default ./data)."""
    home = Path(os.environ.get("OMNIOPS_HOME", "data")).expanduser().resolve()
    return home / "warehouse" / "omniops.duckdb"


def warehouse_version() -> float | None:
    path = published_db_path()
    return path.stat().st_mtime if path.exists() else None


@st.cache_data(show_spinner=False, max_entries=256)
def _cached_query(sql: str, params: tuple, path: str, version: float) -> pd.DataFrame:
    with duckdb.connect(path, read_only=True) as conn:
        return conn.execute(sql, list(params)).df()


def query(sql: str, params: tuple = ()) -> pd.DataFrame:
    """Run a parameterised query (``?`` placeholders) on the published warehouse."""
    version = warehouse_version()
    if version is None:
        raise FileNotFoundError(f"no published warehouse at {published_db_path()}: run `omniops run` first")
    return _cached_query(sql, tuple(params), str(published_db_path()), version)


def table_exists(schema: str, table: str) -> bool:
    """Whether a table is in the published warehouse (a page can explain what is missing)."""
    found = query(
        "select count(*) as n from information_schema.tables where table_schema = ? and table_name = ?",
        (schema, table),
    )
    return bool(found["n"].iloc[0])
