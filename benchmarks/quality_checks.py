"""How long the data-quality checks of a whole first landing take: GX on frames against DuckDB in SQL.

Target (issue 22): the checks of a 10 M-line full build in at most 30 s. Takes a built instance's
published warehouse (``--home``, default ``$OMNIOPS_HOME``), forgets which files were checked, and
checks every file of every raw table with each engine in turn (``OMNIOPS_CHECK_WORKERS`` processes
for GX, as in a run). Prints the wall and CPU seconds per engine and whether the outcomes agree:

    .venv/bin/python benchmarks/quality_checks.py --home tmp_bench [--repeat 1]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import tempfile
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path


def cpu_seconds() -> float:
    """CPU time of this process (DuckDB's threads included) and of its finished children (GX workers):
    on a shared machine a fairer measure than the wall clock."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def check_all(db: Path, engine: str, now: datetime) -> tuple[float, float, int, dict]:
    import duckdb

    from landing.sources import source_systems
    from quality.validate import check_source

    with duckdb.connect(str(db)) as conn:
        conn.execute("drop table if exists landing.dq_file_checks")
        started, cpu = time.perf_counter(), cpu_seconds()
        outcomes = {}
        for source in source_systems():
            for o in check_source(conn, source, now, engine=engine).outcomes:
                outcomes[(o.raw_table, o.expectation, o.column)] = o
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    rows = sum({o.raw_table: o.rows_validated for o in outcomes.values()}.values())
    return seconds, cpu, rows, outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", default=os.environ.get("OMNIOPS_HOME", "data"))
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    published = Path(args.home).resolve() / "warehouse" / "omniops.duckdb"
    now = datetime.now(UTC)
    seconds: dict[str, list[float]] = {"gx": [], "duckdb": []}
    cpu: dict[str, list[float]] = {"gx": [], "duckdb": []}
    results = {}
    with tempfile.TemporaryDirectory(prefix="omniops-dq-") as tmp:
        for _ in range(args.repeat):
            for engine in seconds:
                db = Path(tmp) / f"{engine}.duckdb"
                shutil.copyfile(published, db)
                spent, used, rows, results[engine] = check_all(db, engine, now)
                seconds[engine].append(spent)
                cpu[engine].append(used)
    same = results["gx"] == results["duckdb"]
    print(f"{published}: {rows:,} raw rows, {len(results['gx'])} expectations; load {os.getloadavg()[0]:.1f}")
    for engine, values in seconds.items():
        print(
            f"{engine:<7} {statistics.median(values):7.1f} s wall, "
            f"{statistics.median(cpu[engine]):7.1f} s CPU  {[round(v, 1) for v in values]}"
        )
    print(f"outcomes identical: {same}")


if __name__ == "__main__":
    main()
