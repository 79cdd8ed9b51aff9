"""Source freshness: how long since the newest file of each raw table landed, against how often its files
are due (``expected_every_hours`` of its declaration). ``dbt source freshness`` computes it from the raw
tables' ``_loaded_at`` (``landing.dbt_sources`` writes the thresholds), and :func:`from_sources_json`
reads its ``sources.json``; the pipeline computes the same verdict in the warehouse with :func:`measure`
(one query per table, no dbt process on every daily run; a test checks both agree). A stale feed is
reported, never a reason to fail a run: the data that is there is still built and published.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

FRESHNESS_TABLE = "landing.source_freshness"
STALE_STATUSES = ("warn", "error")

_DDL = f"""
create table if not exists {FRESHNESS_TABLE} (
    source_table varchar not null,
    status varchar not null,
    newest_landed_at timestamp,
    hours_since double,
    warn_after_hours double,
    error_after_hours double,
    checked_at timestamp not null,
    run_id varchar not null
)
"""
_HOURS = {"minute": 1 / 60, "hour": 1.0, "day": 24.0}


@dataclass(frozen=True)
class Freshness:
    source_table: str  # "<source>.<table>", as dbt names the source table
    status: str  # pass, warn, error, or runtime error (the table could not be read)
    newest_landed_at: datetime | None
    hours_since: float | None
    warn_after_hours: float | None
    error_after_hours: float | None

    def line(self) -> str | None:
        """``STALE <source.table>: …`` for a warning or an error, else None."""
        if self.status == "pass":
            return None
        if self.status not in STALE_STATUSES:
            return f"FRESHNESS {self.source_table}: not checked ({self.status})"
        limit = self.error_after_hours if self.status == "error" else self.warn_after_hours
        return (
            f"STALE {self.source_table}: the newest file landed {self.hours_since:,.0f} h ago "
            f"({self.status}: files are due more often than every {limit:,.0f} h)"
        )


def _hours(criterion: dict | None) -> float | None:
    if not criterion or criterion.get("count") is None:
        return None
    return float(criterion["count"]) * _HOURS[criterion["period"]]


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None) if text else None


def from_sources_json(results: dict) -> list[Freshness]:
    """One row per source table in the ``sources.json`` dbt source freshness writes, in name order."""
    rows = []
    for result in results.get("results", []):
        criteria = result.get("criteria") or {}
        seconds = result.get("max_loaded_at_time_ago_in_s")
        rows.append(
            Freshness(
                result["unique_id"].split(".", 2)[-1],
                result["status"],
                _time(result.get("max_loaded_at")),
                None if seconds is None else seconds / 3600,
                _hours(criteria.get("warn_after")),
                _hours(criteria.get("error_after")),
            )
        )
    return sorted(rows, key=lambda row: row.source_table)


def measure(conn: duckdb.DuckDBPyConnection, now: datetime) -> list[Freshness]:
    """dbt's verdict, computed here: for each raw table with a delivery cadence, hours since its newest
    ``_loaded_at`` against ``warn_after``/``error_after`` of its dbt config (``landing.dbt_sources``);
    ``runtime error`` when the table is missing (nothing landed yet)."""
    from landing.dbt_sources import LOADED_AT_FIELD, freshness_config
    from landing.sources import SOURCE_TABLES

    rows = []
    for table in SOURCE_TABLES:
        config = freshness_config(table).get("config")
        if not config:
            continue
        warn, error = (_hours(config["freshness"][k]) for k in ("warn_after", "error_after"))
        name = f"{table.source}.{table.table}"
        try:
            (newest,) = conn.execute(
                f'select max("{LOADED_AT_FIELD}") from raw."{table.raw_table}"'
            ).fetchone()
        except duckdb.CatalogException:
            rows.append(Freshness(name, "runtime error", None, None, warn, error))
            continue
        since = None if newest is None else (now - newest).total_seconds() / 3600
        status = "error" if since is None or since > error else "warn" if since > warn else "pass"
        rows.append(Freshness(name, status, newest, since, warn, error))
    return sorted(rows, key=lambda row: row.source_table)


def record(conn: duckdb.DuckDBPyConnection, rows: list[Freshness], run_id: str, now: datetime) -> None:
    """Keep the run's freshness rows in ``landing.source_freshness`` (published with the warehouse)."""
    conn.execute(_DDL)
    conn.executemany(
        f"insert into {FRESHNESS_TABLE} values (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                r.source_table,
                r.status,
                r.newest_landed_at,
                r.hours_since,
                r.warn_after_hours,
                r.error_after_hours,
                now,
                run_id,
            )
            for r in rows
        ],
    )


def stale_lines(conn: duckdb.DuckDBPyConnection, run_id: str) -> list[str]:
    """The lines of the run's stale (or unreadable) source tables."""
    (exists,) = conn.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'landing' and table_name = 'source_freshness'"
    ).fetchone()
    if not exists:
        return []
    rows = conn.execute(
        f"select source_table, status, newest_landed_at, hours_since, warn_after_hours, error_after_hours "
        f"from {FRESHNESS_TABLE} where run_id = ? and status <> 'pass' order by source_table",
        [run_id],
    ).fetchall()
    return [line for line in (Freshness(*row).line() for row in rows) if line]
