"""What a data engineer reads at the end of a run: one line per file that landing refused, held,
ignored or kept rows of out, naming the file, the rows and the reason. Any such line makes
``omniops run`` exit with code 2 (``docs/operations.md``)."""

from __future__ import annotations

import duckdb

from landing.load import LEDGER_TABLE, QUARANTINE_TABLE, TROUBLE_STATUSES, FileEvent


def trouble_line(event: FileEvent, first_quarantined: str | None = None) -> str | None:
    """The summary line of one ledger event, or None when the file landed whole (or was unchanged).
    ``first_quarantined``: the line number and reason of its first quarantined row."""
    if event.status in TROUBLE_STATUSES:
        return f"{event.status.upper()} {event.error_text or event.file_path}"
    if event.rows_rejected:
        first = f", first {first_quarantined}" if first_quarantined else ""
        return (
            f"QUARANTINED {event.file_path}: {event.rows_rejected} of {event.rows_read} rows kept out"
            f"{first} (all in {QUARANTINE_TABLE})"
        )
    return None


def trouble_lines(conn: duckdb.DuckDBPyConnection, run_id: str) -> list[str]:
    """The summary lines of a run, in file order, read from the ledger and the quarantine."""
    known = conn.execute(
        "select count(*) from information_schema.tables where table_schema = 'landing' "
        "and table_name in ('file_ledger', 'quarantine')"
    ).fetchall()[0][0]
    if known < 2:
        return []
    rows = conn.execute(
        f"""
        select l.file_path, l.status, l.rows_read, l.rows_rejected, l.error_text,
            (select arg_min('line ' || q.line_number || ': ' || q.reason, q.line_number)
             from {QUARANTINE_TABLE} q
             where q.file_path = l.file_path and q.raw_table = l.raw_table and q.run_id = l.run_id)
        from {LEDGER_TABLE} l
        where l.run_id = ? and (l.status in {TROUBLE_STATUSES} or l.rows_rejected > 0)
        order by l.file_path, l.landed_at
        """,
        [run_id],
    ).fetchall()
    lines = []
    for path, status, read, rejected, error, first in rows:
        event = FileEvent(path, status, 0, None, read, read - rejected, rejected, error)
        lines.append(trouble_line(event, first))
    return [line for line in lines if line]
