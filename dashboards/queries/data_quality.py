"""Queries of the data-quality page: the Great Expectations results, the raw tables' load times, the file
ledger and the quarantine of the landing zone."""

from __future__ import annotations

import pandas as pd

from dashboards.warehouse import query, table_exists


def has_landing_table(table: str) -> bool:
    return table_exists("landing", table)


def latest_results() -> pd.DataFrame:
    """The latest run of each source's checks (a run may have checked only some sources)."""
    return query(
        "with latest as (select source, arg_max(run_id, checked_at) as run_id "
        "from landing.dq_results group by source) "
        'select r.source, r.raw_table, r.expectation, r."column", r.critical, r.success, '
        "r.unexpected_count, r.element_count, r.example_values, r.checked_at "
        "from landing.dq_results r join latest using (source, run_id)"
    )


def raw_freshness() -> pd.DataFrame:
    """Last load time and table count per source system, from the lineage column every raw table carries."""
    tables = query(
        "select table_name from information_schema.columns "
        "where table_schema = 'raw' and column_name = '_loaded_at' order by table_name"
    )["table_name"].tolist()
    if not tables:
        return pd.DataFrame(columns=["source", "raw_tables", "last_loaded_at"])
    # The names come from the catalog, never from user input, so they may be spliced into the SQL.
    union = " union all ".join(
        f"select '{name.split('__')[0]}' as source, max(_loaded_at) as loaded from raw.\"{name}\""
        for name in tables
    )
    return query(
        "select source, count(*) as raw_tables, max(loaded) as last_loaded_at "
        f"from ({union}) group by source order by source"
    )


def file_ledger() -> pd.DataFrame:
    """Every landed file, newest first."""
    return query(
        "select source, raw_table, file_path, status, rows_read, rows_loaded, rows_rejected, "
        "rows_loaded + rows_rejected as rows_in, size_bytes, sha256, error_text, landed_at "
        "from landing.file_ledger order by landed_at desc, file_path"
    )


def quarantine_sources() -> list[str]:
    return query("select distinct source from landing.quarantine order by source")["source"].tolist()


def quarantined(source: str | None) -> pd.DataFrame:
    """The quarantined lines of one source (None: of every source), newest first."""
    where, params = ("", ()) if source is None else (" where source = ?", (source,))
    return query(
        "select source, raw_table, file_path, line_number, reason, raw_text, landed_at "
        f"from landing.quarantine{where} order by landed_at desc, file_path, line_number",
        params,
    )
