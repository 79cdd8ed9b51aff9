"""Build the dbt project on Apache Spark instead of DuckDB: proof that the models port to a cluster.

The landing step writes DuckDB, so this exports a built warehouse's ``raw.*`` tables to parquet,
registers them as tables of a ``raw`` database in a local Spark session, and runs ``dbt build
--target spark`` in this process: dbt-spark's ``method: session`` then picks up the same session
(``SparkSession.builder.getOrCreate``). Everything lives under ``$OMNIOPS_HOME/spark`` and is
rebuilt from scratch on every run (the session's catalog is in memory, so old table folders would
only be in the way). On a real cluster the parquet files would sit in object storage and the tables
in a metastore; see docs/beyond_one_machine.md.

Needs the ``spark`` extra (``pip install -e '.[spark]'``) and Java 17+.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from core.settings import DBT_PROJECT_DIR, OmniopsPaths, get_paths

RAW_SCHEMA = "raw"
# Small local settings: a laptop or a CI runner with 2 cores. A cluster sets its own.
LOCAL_SPARK_CONF = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "2",
    "spark.default.parallelism": "2",
    # Small, short-lived: C1 compiles the JVM's hot code soon enough, and C2 would compete for the cores.
    # C1 alone gets a 48 MB code cache by default, which a whole dbt build can fill ("Out of space in
    # CodeCache", seen in CI): give it the tiered default.
    "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=240m",
    # On small tables compiling each stage to Java costs more than it saves (about 2x on the largest
    # marts here).
    "spark.sql.codegen.wholeStage": "false",
    # Timestamps are UTC by convention (as on DuckDB): read DuckDB's naive timestamps as plain
    # TIMESTAMP, shown and computed in UTC.
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.parquet.inferTimestampNTZ.enabled": "false",
}


@dataclass(frozen=True)
class SparkPaths:
    """The files of one Spark build, all under ``root`` (``$OMNIOPS_HOME/spark`` by default)."""

    root: Path

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse"

    @property
    def dbt_target(self) -> Path:
        return self.root / "dbt_target"

    @property
    def dbt_logs(self) -> Path:
        return self.root / "dbt_logs"


@dataclass
class SparkBuild:
    """What ``dbt build`` did on Spark: one status per node, row counts of the models, timings."""

    success: bool
    statuses: dict[str, str]
    failures: dict[str, int]
    row_counts: dict[str, int] = field(default_factory=dict)
    queries: dict[str, list[list[Any]]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def count(self, resource_type: str, status: str | None = None) -> int:
        return sum(
            1
            for unique_id, node_status in self.statuses.items()
            if unique_id.split(".")[0] == resource_type and status in (None, node_status)
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "success": self.success,
            "statuses": self.statuses,
            "failures": self.failures,
            "row_counts": self.row_counts,
            "queries": self.queries,
            "seconds": self.seconds,
        }


def export_raw_tables(duckdb_path: Path, out_dir: Path) -> list[str]:
    """Write every ``raw.*`` table of a DuckDB warehouse to ``out_dir/<table>.parquet``."""
    import duckdb

    out_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(duckdb_path), read_only=True) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "select table_name from information_schema.tables "
                "where table_schema = ? and table_type = 'BASE TABLE' order by table_name",
                [RAW_SCHEMA],
            ).fetchall()
        ]
        for table in tables:
            target = str(out_dir / f"{table}.parquet").replace("'", "''")
            conn.execute(f"copy {RAW_SCHEMA}.\"{table}\" to '{target}' (format parquet)")
    return tables


def spark_session(warehouse_dir: Path, cores: int = 2, driver_memory: str = "2g"):
    """A local Spark session whose managed tables are written under ``warehouse_dir``."""
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("omniops-dbt")
        .config("spark.driver.memory", driver_memory)
        .config("spark.sql.warehouse.dir", warehouse_dir.resolve().as_uri())
    )
    for key, value in LOCAL_SPARK_CONF.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def register_raw_tables(spark, parquet_dir: Path, tables: list[str]) -> None:
    """Make each exported parquet file a table ``raw.<table>``, as dbt's sources expect."""
    spark.sql(f"create database if not exists {RAW_SCHEMA}")
    for table in tables:
        location = (parquet_dir / f"{table}.parquet").resolve().as_uri()
        spark.sql(f"drop table if exists {RAW_SCHEMA}.`{table}`")
        spark.sql(f"create table {RAW_SCHEMA}.`{table}` using parquet location '{location}'")


def run_dbt_build(paths: SparkPaths, extra_args: list[str] | None = None) -> SparkBuild:
    """``dbt build --target spark`` in this process, so dbt-spark's session method finds our session."""
    from dbt.cli.main import dbtRunner

    args = [
        "build",
        "--project-dir", str(DBT_PROJECT_DIR),
        "--profiles-dir", str(DBT_PROJECT_DIR),
        "--target", "spark",
        # Its own target folder: the DuckDB pipeline's manifest in dbt_project/target stays as it is.
        "--target-path", str(paths.dbt_target),
        "--log-path", str(paths.dbt_logs),
        *(extra_args or []),
    ]  # fmt: skip
    result = dbtRunner().invoke(args)
    statuses: dict[str, str] = {}
    failures: dict[str, int] = {}
    for node_result in getattr(result.result, "results", None) or []:
        unique_id = node_result.node.unique_id
        statuses[unique_id] = str(node_result.status)
        if node_result.failures:
            failures[unique_id] = int(node_result.failures)
    if result.exception is not None:
        print(f"dbt failed: {result.exception}", file=sys.stderr)
    return SparkBuild(success=bool(result.success), statuses=statuses, failures=failures)


def model_row_counts(spark, build: SparkBuild, manifest_path: Path) -> dict[str, int]:
    """Rows of every model and seed that built, by name (what a comparison with DuckDB starts from);
    one query for all, as one Spark job per table would cost more in overhead than in counting."""
    nodes = json.loads(manifest_path.read_text())["nodes"]
    built = [nodes[k] for k, status in build.statuses.items() if k in nodes and status == "success"]
    counts = [
        f"select '{node['name']}' as name, count(*) as n from {node['schema']}.`{node['alias']}`"
        for node in built
        if node["resource_type"] in ("model", "seed")
    ]
    if not counts:
        return {}
    return {row["name"]: row["n"] for row in spark.sql(" union all ".join(counts)).collect()}


def _plain(value: Any) -> Any:
    """A query result value as JSON has it (decimals as floats, dates as ISO text)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def run_queries(spark, queries: list[str]) -> dict[str, list[list[Any]]]:
    """The rows of each query, by its text: for comparing what was built with another engine."""
    return {sql: [[_plain(v) for v in row] for row in spark.sql(sql).collect()] for sql in queries}


def build_on_spark(
    duckdb_path: Path, root: Path, cores: int = 2, driver_memory: str = "2g", count_rows: bool = True
) -> tuple[SparkBuild, Any]:
    """Export ``raw.*`` from a built DuckDB warehouse, build the dbt project on Spark; returns the build
    and the (still running) Spark session, for queries on what was built."""
    paths = SparkPaths(root)
    seconds: dict[str, float] = {}
    started = time.monotonic()
    for folder in (paths.raw, paths.warehouse):
        shutil.rmtree(folder, ignore_errors=True)
    tables = export_raw_tables(duckdb_path, paths.raw)
    seconds["export_raw"] = time.monotonic() - started

    mark = time.monotonic()
    spark = spark_session(paths.warehouse, cores=cores, driver_memory=driver_memory)
    register_raw_tables(spark, paths.raw, tables)
    seconds["start_spark"] = time.monotonic() - mark

    mark = time.monotonic()
    build = run_dbt_build(paths)
    seconds["dbt_build"] = time.monotonic() - mark

    if count_rows:
        mark = time.monotonic()
        build.row_counts = model_row_counts(spark, build, paths.dbt_target / "manifest.json")
        seconds["row_counts"] = time.monotonic() - mark
    seconds["total"] = time.monotonic() - started
    build.seconds = seconds
    return build, spark


def _summary(build: SparkBuild) -> str:
    parts = [
        f"{build.count(kind)} {kind}s ({build.count(kind, ok)} {ok})"
        for kind, ok in (("seed", "success"), ("model", "success"), ("test", "pass"))
    ]
    timing = ", ".join(f"{step} {value:.0f} s" for step, value in build.seconds.items())
    return f"{'OK' if build.success else 'FAILED'}: {', '.join(parts)}; {timing}"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--warehouse", help="the DuckDB file to take raw.* from (default: the published one)")
    parser.add_argument(
        "--out", help="folder for parquet, Spark tables and dbt files (default $OMNIOPS_HOME/spark)"
    )
    parser.add_argument("--cores", type=int, default=2, help="Spark's local cores (default 2)")
    parser.add_argument("--driver-memory", default="2g", help="Spark's driver memory (default 2g)")
    parser.add_argument("--json", help="write the build's statuses, row counts and timings to this file")
    parser.add_argument(
        "--query", action="append", default=[], help="SQL to run after the build (repeatable; rows in --json)"
    )


def run(args: argparse.Namespace, paths: OmniopsPaths | None = None) -> int:
    paths = paths or get_paths()
    warehouse = Path(args.warehouse) if args.warehouse else paths.published_db
    if not warehouse.exists():
        print(f"no warehouse at {warehouse}: run `omniops run` first", file=sys.stderr)
        return 1
    root = Path(args.out) if args.out else paths.home / "spark"
    build, spark = build_on_spark(warehouse, root, args.cores, args.driver_memory)
    try:
        build.queries = run_queries(spark, args.query) if build.success else {}
    finally:
        spark.stop()
    if args.json:
        Path(args.json).write_text(json.dumps(build.as_dict(), indent=2))
    print(_summary(build), flush=True)
    return 0 if build.success else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="build the dbt project on a local Spark session")
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
