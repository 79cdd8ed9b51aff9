"""Store validation outcomes in the warehouse: ``landing.dq_results``, appended on every run.

The table travels with the build into the published warehouse, so the data-quality page can show
the latest results and their history without talking to Dagster. ``landing.dq_file_checks`` keeps,
per file and checksum, whether its critical expectations passed: the next run skips those files.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import duckdb
import pandas as pd

from quality.validate import FILE_CHECKS, CheckedFile, ExpectationOutcome

DQ_RESULTS = "landing.dq_results"

_CREATE = f"""
create table if not exists {DQ_RESULTS} (
    run_id varchar,
    checked_at timestamp,  -- UTC
    source varchar,
    raw_table varchar,
    expectation varchar,
    "column" varchar,
    critical boolean,
    success boolean,
    unexpected_count bigint,
    element_count bigint,
    example_values varchar
)
"""
# Added later: warehouses built before incremental checks have the table without them.
_ADDED = {"files_validated": "bigint", "rows_validated": "bigint", "failed_files": "varchar"}

_CREATE_FILE_CHECKS = f"""
create table if not exists {FILE_CHECKS} (
    run_id varchar,
    checked_at timestamp,  -- UTC
    raw_table varchar,
    file_path varchar,
    sha256 varchar,
    rows_validated bigint,
    critical_success boolean,
    other_success boolean
)
"""


def store_outcomes(
    conn: duckdb.DuckDBPyConnection,
    outcomes: Sequence[ExpectationOutcome],
    run_id: str,
    checked_at: datetime,
    files: Sequence[CheckedFile] = (),
) -> int:
    """Append the outcomes of one validation (``checked_at`` in UTC) and the files it validated;
    returns the outcome rows written."""
    conn.execute("create schema if not exists landing")
    conn.execute(_CREATE)
    for column, kind in _ADDED.items():
        conn.execute(f"alter table {DQ_RESULTS} add column if not exists {column} {kind}")
    conn.execute(_CREATE_FILE_CHECKS)
    checked = pd.Timestamp(checked_at).tz_convert("UTC").tz_localize(None)
    if files:
        conn.executemany(
            f"insert into {FILE_CHECKS} values (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                [
                    run_id,
                    checked,
                    f.raw_table,
                    f.file_path,
                    f.sha256,
                    f.rows,
                    f.critical_success,
                    f.other_success,
                ]
                for f in files
            ],
        )
    if not outcomes:
        return 0
    rows = pd.DataFrame(
        {
            "run_id": run_id,
            "checked_at": checked,
            "source": [o.source for o in outcomes],
            "raw_table": [o.raw_table for o in outcomes],
            "expectation": [o.expectation for o in outcomes],
            "column": [o.column for o in outcomes],
            "critical": [o.critical for o in outcomes],
            "success": [o.success for o in outcomes],
            "unexpected_count": pd.array([o.unexpected_count for o in outcomes], dtype="Int64"),
            "element_count": pd.array([o.element_count for o in outcomes], dtype="Int64"),
            "example_values": [o.example_values for o in outcomes],
            "files_validated": pd.array([o.files_validated for o in outcomes], dtype="Int64"),
            "rows_validated": pd.array([o.rows_validated for o in outcomes], dtype="Int64"),
            "failed_files": [", ".join(o.failed_files) or None for o in outcomes],
        }
    )
    conn.register("dq_rows", rows)
    try:
        conn.execute(f"insert into {DQ_RESULTS} by name select * from dq_rows")
    finally:
        conn.unregister("dq_rows")
    return len(rows)
