"""Landing killed with SIGKILL at its most delicate points, then run again: no file lost, none landed twice.

A child process lands a small shopify folder with ``OMNIOPS_FAILPOINT`` set (``core/failpoints.py``)
and dies there, without rollback or cleanup; the next landing, in this process, must finish the job.
The whole pipeline killed during landing, dbt and publish is ``tests/pipeline/test_crash_recovery.py``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb

from landing.load import load_table
from landing.sources import SOURCE_TABLES
from tests.landing.test_broken_files import NOW, SHOPIFY_HEADER, lines, shopify_row

SPEC = next(t for t in SOURCE_TABLES if t.raw_table == "shopify__orders")
REPO = Path(__file__).resolve().parents[2]

LAND = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime
    from pathlib import Path
    import duckdb
    from landing.load import load_table
    from landing.sources import SOURCE_TABLES
    spec = next(t for t in SOURCE_TABLES if t.raw_table == "shopify__orders")
    with duckdb.connect(sys.argv[1]) as conn:
        load_table(conn, Path(sys.argv[2]), spec, run_id="killed", now=datetime(2026, 11, 25, tzinfo=UTC))
    """
)


def land_until_killed(db: Path, root: Path, failpoint: str) -> None:
    env = {**os.environ, "OMNIOPS_FAILPOINT": failpoint}
    done = subprocess.run([sys.executable, "-c", LAND, str(db), str(root)], cwd=REPO, env=env, timeout=120)
    assert done.returncode == -signal.SIGKILL, f"the failpoint {failpoint} was not reached"


def land(db: Path, root: Path) -> None:
    with duckdb.connect(str(db)) as conn:
        load_table(conn, root, SPEC, run_id="rerun", now=NOW)


def query(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def drop(root: Path, name: str, content: str) -> Path:
    path = root / "shopify" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return path


def three_exports(root: Path) -> None:
    """Three monthly exports, each with a row that is quarantined, in arrival order."""
    for month, first in (("01", 1000), ("02", 2000), ("03", 3000)):
        rows = [shopify_row(f"#{first + k}") for k in range(3)] + [shopify_row(f"#{first + 9}", qty="x")]
        drop(root, f"orders_export_2026-{month}.csv", lines(SHOPIFY_HEADER, *rows))


def test_a_kill_before_a_file_commits_leaves_nothing_of_it_and_the_rerun_lands_it_once(tmp_path):
    root, db = tmp_path / "landing", tmp_path / "build.duckdb"
    three_exports(root)
    land_until_killed(db, root, "landing.before_commit:2")

    # The first file is committed whole; of the second, nothing: no rows, no quarantined row, no event.
    assert query(db, "select file_path, status from landing.file_ledger") == [
        ("shopify/orders_export_2026-01.csv", "loaded")
    ]
    assert query(db, "select distinct _source_file from raw.shopify__orders") == [
        ("shopify/orders_export_2026-01.csv",)
    ]
    assert query(db, "select count(*) from landing.quarantine") == [(1,)]

    land(db, root)
    assert query(
        db,
        "select file_path, status, rows_read, rows_loaded, rows_rejected from landing.file_ledger "
        "where status <> 'unchanged' order by file_path",
    ) == [(f"shopify/orders_export_2026-{m}.csv", "loaded", 4, 3, 1) for m in ("01", "02", "03")]
    assert query(
        db,
        "select count(*), count(distinct (_source_file, _record_number)) from raw.shopify__orders",
    ) == [(9, 9)]
    assert query(db, "select count(*), count(distinct file_path) from landing.quarantine") == [(3, 3)]


def test_a_kill_between_recording_a_rejected_file_and_moving_it_neither_loses_nor_repeats_it(tmp_path):
    root, db = tmp_path / "landing", tmp_path / "build.duckdb"
    drop(root, "orders_export_2026-01.csv", lines(SHOPIFY_HEADER, shopify_row("#1000")))
    bad = drop(root, "orders_export_2026-02.csv", "Name;Email\n#1;a@example.com\n")
    land_until_killed(db, root, "landing.before_reject_move")
    assert bad.exists()
    assert query(db, "select status from landing.file_ledger where file_path like '%02.csv'") == [
        ("rejected",)
    ]

    land(db, root)
    moved = root / "shopify" / "_rejected" / bad.name
    assert not bad.exists() and moved.read_text() == "Name;Email\n#1;a@example.com\n"
    [(error,)] = query(db, "select error_text from landing.file_ledger where file_path like '%02.csv'")
    assert "missing required column" in error
    assert (moved.parent / f"{bad.name}.reason.txt").read_text().strip() == error

    land(db, root)  # and nothing changes afterwards
    assert query(db, "select count(*) from landing.file_ledger where status = 'rejected'") == [(1,)]


def test_a_second_broken_file_under_the_same_name_does_not_overwrite_the_first(tmp_path):
    root, db = tmp_path / "landing", tmp_path / "build.duckdb"
    drop(root, "orders_export_2026-01.csv", lines(SHOPIFY_HEADER, shopify_row("#1000")))
    drop(root, "orders_export_2026-02.csv", "Name;Email\n#1;a@example.com\n")
    land(db, root)
    drop(root, "orders_export_2026-02.csv", "Name;Email\n#2;b@example.com\n")
    land(db, root)
    rejected = root / "shopify" / "_rejected"
    kept = sorted(p.read_text() for p in rejected.glob("*.csv"))
    assert kept == ["Name;Email\n#1;a@example.com\n", "Name;Email\n#2;b@example.com\n"]
    assert len(list(rejected.glob("*.reason.txt"))) == 2
    assert query(db, "select count(*) from landing.file_ledger where status = 'rejected'") == [(2,)]


def test_a_kill_between_recording_a_held_re_delivery_and_moving_it_neither_loses_nor_repeats_it(tmp_path):
    root, db = tmp_path / "landing", tmp_path / "build.duckdb"
    three_exports(root)
    land(db, root)
    cut = drop(root, "orders_export_2026-02.csv", lines(SHOPIFY_HEADER, shopify_row("#2000")))
    land_until_killed(db, root, "landing.before_reject_move")
    assert cut.exists()

    land(db, root)
    land(db, root)
    assert not cut.exists() and (root / "shopify" / "_held" / cut.name).exists()
    assert query(
        db, "select status from landing.file_ledger where file_path like '%02.csv' order by rowid"
    ) == [
        ("loaded",),
        ("held",),
    ]
    landed = "select count(*) from raw.shopify__orders where _source_file like '%02.csv'"
    assert query(db, landed) == [(3,)]
