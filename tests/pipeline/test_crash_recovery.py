"""The pipeline killed with SIGKILL during landing, dbt and publish, then run again: nothing half-done.

A copy of the built test instance receives corrected re-exports (the same rows, re-saved with a UTF-8
BOM, so every one is a ``replaced`` file: its old rows deleted, the new ones landed) and two unusable
files. ``omniops run --daily`` then runs as a child process, in its own process group (dbt runs as a
grandchild), and is killed with the whole group at five points in a row, each run resuming the last:

1. landing, just before the 30th re-export commits (``OMNIOPS_FAILPOINT=landing.before_commit:30``);
2. landing, between recording a rejected file and moving it (``landing.before_reject_move``);
3. dbt, once it builds the marts (seen on the run's output);
4. publish, with the build renamed to a new version and the published link not yet swapped to it
   (``publish.before_swap``);
5. then a run completes (it takes that version back as its build first).

After every kill: the published warehouse is byte for byte the previous complete build and opens
read-only; the build database opens (DuckDB replays its write-ahead log and drops the transaction the
kill cut short); every file's raw and quarantined rows are exactly what its ledger row says; no landing
file is lost. At the end, the ledger, raw tables, landing folder and every mart equal those of one
uninterrupted run on an identical copy.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb

from core.settings import OmniopsPaths
from core.warehouse_versions import unpublished_versions
from landing.sources import SOURCE_TABLES
from tests.conftest import dagster_events_in_memory
from tests.e2e.conftest import REPO

# Re-exported whole: every file of these tables gets a BOM (tmall exports GBK, which a BOM would break).
RE_EXPORTED = ("amazon/", "cs/", "mes/dispatch_plan_", "shopify/", "social/", "wms/shipments_")
UNUSABLE = {
    "shopify/orders_export_2026-11-resent.csv": "Name;Email;Created at\n#9001;a@example.com;2026-11-20\n",
    "tmall/ExportOrderList_empty.csv": "",
}
# Columns that record when or in which run a row was landed, not what it says.
LOAD_COLUMNS = {"_loaded_at", "loaded_at", "landed_at", "run_id", "refreshed_at_utc"}
PROBE = "select (select count(*) from landing.file_ledger), (select count(*) from marts.fct_orders)"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def landing_files(landing: Path) -> dict[str, str]:
    """Every data file under the landing folder, ``_rejected/`` included: relative path → checksum."""
    return {
        p.relative_to(landing).as_posix(): sha256(p)
        for p in sorted(landing.rglob("*"))
        if p.is_file() and not p.name.endswith(".reason.txt") and p.name != "_manifest.json"
    }


def next_delivery(base_landing: Path, target: Path) -> int:
    """The built landing folder plus re-exports and unusable files, newer than everything in it."""
    shutil.copytree(base_landing, target)
    stamp = time.time()
    re_exported = 0
    for spec in SOURCE_TABLES:
        files = sorted(
            (target / spec.source).glob(spec.pattern), key=lambda p: (p.stat().st_mtime_ns, p.name)
        )
        for path in files:
            if path.relative_to(target).as_posix().startswith(RE_EXPORTED):
                path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
                stamp += 1
                os.utime(path, (stamp, stamp))  # arrival order as before: mtime, then name
                re_exported += 1
    for relative, content in UNUSABLE.items():
        (target / relative).write_text(content, encoding="utf-8")
        stamp += 1
        os.utime(target / relative, (stamp, stamp))
    return re_exported


def new_home(base: Path, landing: Path, home: Path) -> OmniopsPaths:
    shutil.copytree(landing, home / "landing")
    shutil.copytree(base / "warehouse", home / "warehouse")
    dagster_events_in_memory(home / "dagster")
    return OmniopsPaths(home)


class Run:
    """``omniops run`` in a new process group, its output collected line by line."""

    def __init__(self, paths: OmniopsPaths, failpoint: str | None = None):
        env = {
            **os.environ,
            "OMNIOPS_HOME": str(paths.home),
            "DAGSTER_HOME": str(paths.dagster_home),
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("OMNIOPS_FAILPOINT", None)
        if failpoint:
            env["OMNIOPS_FAILPOINT"] = failpoint
        self.lines: list[str] = []
        self.logs = paths.home / "logs"
        self.logs_before = set(self.logs.glob("run-*.log"))
        self.process = subprocess.Popen(
            # The daily job: land what is new, incremental dbt, publish (the forecast is weekly).
            [sys.executable, "-m", "orchestration.cli", "run", "--daily"],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )

    def output(self) -> str:
        return "".join(self.lines[-40:])

    def wait(self, timeout: float = 1200) -> int:
        deadline = time.monotonic() + timeout
        for line in self.process.stdout:
            self.lines.append(line)
            assert time.monotonic() < deadline, "the run took too long"
        return self.process.wait(timeout=60)

    def log_text(self) -> str:
        """This run's log file so far (``omniops run`` writes Dagster's and dbt's lines there, not to the
        console)."""
        new = sorted(set(self.logs.glob("run-*.log")) - self.logs_before)
        return new[-1].read_text(encoding="utf-8", errors="replace") if new else ""

    def kill_when(self, marker: str, timeout: float = 1200) -> None:
        """Kill the whole process group (the run, dbt, forecast workers) when its log has a line
        containing marker."""
        deadline = time.monotonic() + timeout
        while marker not in self.log_text():
            if self.process.poll() is not None:
                self.wait()
                raise AssertionError(f"the run ended without {marker!r}:\n{self.output()}")
            assert time.monotonic() < deadline, f"no {marker!r} in time"
            time.sleep(0.05)
        os.killpg(self.process.pid, signal.SIGKILL)
        self.wait()

    def assert_killed(self) -> None:
        assert self.process.returncode == -signal.SIGKILL, f"not killed:\n{self.output()}"
        for _ in range(100):  # the group's other members die with it
            try:
                os.killpg(self.process.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
        raise AssertionError("a process of the killed run is still alive")


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as conn:
        return conn.execute(sql, params or []).fetchall()


def assert_published_untouched(paths: OmniopsPaths, published: str, probe: list[tuple]) -> None:
    assert sha256(paths.published_db) == published, "the published warehouse changed"
    assert query(paths.published_db, PROBE) == probe
    assert not paths.published_db.with_name("omniops.duckdb.wal").exists()


def assert_landing_consistent(
    paths: OmniopsPaths, files_before: dict[str, str], db: Path | None = None
) -> None:
    """Every file the ledger holds as current has exactly its rows in raw and quarantine; none other.
    ``db``: the build (default ``build.duckdb``)."""
    # Read-only, so the next run is the first writer after the kill (and replays the log itself).
    db = db or paths.build_db
    current = {
        (table, path): (sha, read, loaded, rejected)
        for table, path, sha, read, loaded, rejected in query(
            db,
            "select raw_table, file_path, arg_max(sha256, rowid), arg_max(rows_read, rowid), "
            "arg_max(rows_loaded, rowid), arg_max(rows_rejected, rowid) from landing.file_ledger "
            "where status in ('loaded', 'replaced') group by all",
        )
    }
    for (_, path), (_, read, loaded, rejected) in current.items():
        assert read == loaded + rejected, path
    for table in {t for t, _ in current}:
        landed = {
            (path, sha): (rows, distinct)
            for path, sha, rows, distinct in query(
                db,
                f"select _source_file, _file_sha256, count(*), count(distinct _record_number) "
                f"from raw.{table} group by all",
            )
        }
        expected = {(k[1], v[0]): (v[2], v[2]) for k, v in current.items() if k[0] == table and v[2]}
        assert landed == expected, f"raw.{table} does not hold exactly its ledger's current files"
    quarantined = dict(
        query(db, "select file_path || ' ' || file_sha256, count(*) from landing.quarantine group by all")
    )
    assert quarantined == {f"{k[1]} {v[0]}": v[3] for k, v in current.items() if v[3]}
    # No file lost: each is in the landing folder or in _rejected/, unchanged.
    after = landing_files(paths.landing)
    assert sorted(after.values()) == sorted(files_before.values())
    assert {Path(p).name for p in after} == {Path(p).name for p in files_before}


def assert_same_tables(mine: Path, reference: Path, schema: str, only: list[str] | None = None) -> int:
    """Each table of the schema (or the ``only`` ones) holds the same rows, as multisets, in both files,
    load columns aside; returns how many tables were compared. Doubles are compared to 9 decimals:
    DuckDB sums in parallel, in no fixed order, so two identical builds differ in the last bits."""
    with duckdb.connect() as conn:
        conn.execute(f"attach '{mine}' as mine (read_only)")
        conn.execute(f"attach '{reference}' as ref (read_only)")
        tables = only or [
            table
            for (table,) in conn.execute(
                "select table_name from information_schema.tables where table_catalog = 'ref' "
                "and table_schema = ? and table_type = 'BASE TABLE' order by 1",
                [schema],
            ).fetchall()
        ]
        for table in tables:
            columns = conn.execute(
                "select column_name, data_type from information_schema.columns where table_catalog = 'ref' "
                "and table_schema = ? and table_name = ? order by ordinal_position",
                [schema, table],
            ).fetchall()
            select = ", ".join(
                f'round("{c}", 9)' if kind in ("DOUBLE", "FLOAT") else f'"{c}"'
                for c, kind in columns
                if c not in LOAD_COLUMNS
            )
            for a, b in (("mine", "ref"), ("ref", "mine")):
                (extra,) = conn.execute(
                    f"select count(*) from (select {select} from {a}.{schema}.{table} "
                    f"except all select {select} from {b}.{schema}.{table})"
                ).fetchone()
                assert extra == 0, f"{schema}.{table}: {extra} row(s) in {a} and not in {b}"
    return len(tables)


def test_a_run_killed_in_landing_dbt_and_publish_recovers_to_what_one_clean_run_builds(
    built_instance, tmp_path
):
    delivery = tmp_path / "delivery"
    re_exported = next_delivery(built_instance.landing, delivery)
    # One uninterrupted run on the same delivery, beside the killed ones (a thread reads its output).
    clean = new_home(built_instance.home, delivery, tmp_path / "clean")
    clean_run = Run(clean)
    clean_exit = ThreadPoolExecutor(1).submit(clean_run.wait)
    crashed = new_home(built_instance.home, delivery, tmp_path / "crashed")
    files_before = landing_files(crashed.landing)
    published = sha256(crashed.published_db)
    probe = query(crashed.published_db, PROBE)
    (replaced_before,) = query(
        crashed.published_db, "select count(*) from landing.file_ledger where status = 'replaced'"
    )[0]

    # 1. Killed in landing before a file commits: the 29 files before it are landed whole, it is not.
    run = Run(crashed, "landing.before_commit:30")
    run.wait()
    run.assert_killed()
    assert_published_untouched(crashed, published, probe)
    assert_landing_consistent(crashed, files_before)
    replaced = "select count(*) from landing.file_ledger where status = 'replaced'"
    assert query(crashed.build_db, replaced) == [(replaced_before + 29,)]

    # 2. Killed in landing with a rejected file recorded, not yet moved.
    run = Run(crashed, "landing.before_reject_move")
    run.wait()
    run.assert_killed()
    assert_published_untouched(crashed, published, probe)
    assert_landing_consistent(crashed, files_before)
    resent = "shopify/orders_export_2026-11-resent.csv"
    assert (crashed.landing / resent).exists()
    rejected = "select file_path from landing.file_ledger where status = 'rejected' order by 1"
    assert query(crashed.build_db, rejected) == [(resent,)]

    # 3. Killed while dbt builds the marts.
    run = Run(crashed)
    run.kill_when("START sql table model marts.")
    run.assert_killed()
    assert_published_untouched(crashed, published, probe)
    assert_landing_consistent(crashed, files_before)
    assert query(crashed.build_db, replaced) == [(replaced_before + re_exported,)]
    assert query(crashed.build_db, rejected) == [(resent,), ("tmall/ExportOrderList_empty.csv",)]
    assert not (crashed.landing / resent).exists()

    # 4. Killed in publish: the build is a version of its own now, not yet the published one.
    run = Run(crashed, "publish.before_swap")
    run.wait()
    run.assert_killed()
    assert_published_untouched(crashed, published, probe)
    assert not crashed.build_db.exists()
    current = crashed.published_db.resolve()
    (unpublished,) = unpublished_versions(crashed)
    assert_landing_consistent(crashed, files_before, unpublished)

    # 5. Runs to the end (on that version, taken back as its build), and publishes.
    run = Run(crashed)
    assert run.wait() == 0, run.output()
    assert any("adopted" in line for line in run.lines), run.output()
    assert not unpublished.exists() and crashed.published_db.resolve() != current
    deadline = time.monotonic() + 120  # the next build's starting point is made after the run ends
    while not crashed.build_db.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert crashed.build_db.exists() and not crashed.build_db.with_name("build.duckdb.partial").exists()
    assert sha256(crashed.published_db) != published
    assert_landing_consistent(crashed, files_before)

    # The uninterrupted run rejects the two unusable files (exit code 2).
    assert clean_exit.result() == 2, clean_run.output()

    assert landing_files(crashed.landing) == landing_files(clean.landing)
    for reason in clean.landing.rglob("*.reason.txt"):
        assert (crashed.landing / reason.relative_to(clean.landing)).read_text() == reason.read_text()
    events = (
        "select file_path, raw_table, status, sha256, size_bytes, rows_read, rows_loaded, rows_rejected, "
        "error_text, notes, overlapping_orders from landing.file_ledger where status <> 'unchanged' "
        "order by all"
    )
    assert query(crashed.published_db, events) == query(clean.published_db, events)
    assert assert_same_tables(crashed.published_db, clean.published_db, "raw") == 26
    assert_same_tables(crashed.published_db, clean.published_db, "landing", ["quarantine"])
    assert assert_same_tables(crashed.published_db, clean.published_db, "marts") >= 10
