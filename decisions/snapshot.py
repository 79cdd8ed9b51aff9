"""Copy the decisions into the warehouse (schema ``ops``) during a run, so marts, plans and KPIs can
use them. Pages read the store itself and see a decision the moment it is saved; this copy is for the
run. The tables are read in one transaction (repeatable read on PostgreSQL): one consistent moment.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from decisions.store import Store
from decisions.tables import (
    audit_log,
    close_days,
    close_variances,
    notifications,
    rush_proposals,
    t3_warnings,
)

SCHEMA = "ops"
TABLES = (t3_warnings, close_days, close_variances, rush_proposals, notifications, audit_log)
DUCKDB_TYPES = (
    (sa.DateTime, "timestamp"),
    (sa.Date, "date"),
    (sa.Boolean, "boolean"),
    (sa.Integer, "bigint"),
    (sa.Float, "double"),
    (sa.String, "varchar"),  # Text is a String
)


def duckdb_columns(table: sa.Table) -> dict[str, str]:
    """The table's columns with their DuckDB types (the contract ``write_table`` casts to)."""
    return {
        column.name: next(duck for kind, duck in DUCKDB_TYPES if isinstance(column.type, kind))
        for column in table.columns
    }


def _replace_table(duckdb_connection, schema: str, table: sa.Table, frame: pd.DataFrame) -> int:
    """``create or replace`` with the contract's types; names quoted (the audit log has ``at``)."""
    select = ", ".join(
        f'cast("{name}" as {kind}) as "{name}"' for name, kind in duckdb_columns(table).items()
    )
    duckdb_connection.execute(f"create schema if not exists {schema}")
    duckdb_connection.register("decisions_frame", frame)
    duckdb_connection.execute(
        f'create or replace table {schema}."{table.name}" as select {select} from decisions_frame'
    )
    duckdb_connection.unregister("decisions_frame")
    return len(frame)


def snapshot_into(duckdb_connection, store: Store, schema: str = SCHEMA) -> dict[str, int]:
    """Replace ``<schema>.<table>`` for every decision table; returns the rows written per table."""
    counts = {}
    with store.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            for table in TABLES:
                rows = conn.execute(sa.select(table).order_by(*table.primary_key.columns)).mappings().all()
                frame = pd.DataFrame([dict(r) for r in rows], columns=[c.name for c in table.columns])
                counts[table.name] = _replace_table(duckdb_connection, schema, table, frame)
    return counts
