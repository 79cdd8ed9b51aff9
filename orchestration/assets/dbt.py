"""The dbt project as Dagster assets: every seed, model and test, with lineage to the landing assets.

The order chain's models are incremental (see dbt_project/macros/incremental.sql): a run adds what the
newly landed files touch. ``full_refresh`` rebuilds them from all of history, with identical results.
An incremental build's data tests check the rows it wrote (dbt_project/macros/tests_on_written_rows.sql).
"""

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
from dagster import AssetExecutionContext, Config

from core import settings
from core.settings import get_paths
from landing import freshness
from orchestration.dbt_cli import DagsterDbtTranslator, DbtCli, dbt_assets, get_asset_key_for_model
from orchestration.resources import dbt_preparer, dbt_project

dbt_preparer.prepare_if_dev(dbt_project)


class OmniopsDbtTranslator(DagsterDbtTranslator):
    """Groups dbt assets by layer (seeds, staging, intermediate, marts) as the folders do."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "seeds"
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "dbt"


class DbtBuildConfig(Config):
    full_refresh: bool = False
    # dbt's unit tests check the models' code, which a deployment's daily runs do not change: the daily
    # job leaves them out (a full refresh still runs them); CI runs them on every change.
    unit_tests: bool = True
    # `dbt source freshness` after the build (the daily job: are the daily feeds arriving?); stale feeds
    # are logged and recorded in landing.source_freshness, never a failed run.
    source_freshness: bool = False


# Above this many landed rows a build over all history runs one model at a time (below, two at once fit
# in DuckDB's default 4 GB with room to spare: 3.6 M rows, the 1 M-line company, need under 0.4 GB each).
ONE_MODEL_AT_A_TIME_ROWS = 10_000_000


def complete_build_recorded(build_db: Path) -> bool:
    """Whether dbt finished a whole-project build on this warehouse (``main.dbt_complete_builds``)."""
    if not build_db.exists():
        return False
    try:
        with duckdb.connect(str(build_db), read_only=True) as conn:
            return bool(conn.execute("select count(*) from main.dbt_complete_builds").fetchone()[0])
    except duckdb.Error:  # no such table: never built whole
        return False


def raw_rows(build_db: Path) -> int:
    """Rows landed in the ``raw`` schema (DuckDB's estimate: no table is scanned)."""
    if not build_db.exists():
        return 0
    with duckdb.connect(str(build_db), read_only=True) as conn:
        (rows,) = conn.execute(
            "select coalesce(sum(estimated_size), 0) from duckdb_tables() where schema_name = 'raw'"
        ).fetchone()
    return int(rows)


def dbt_threads(full_refresh: bool, build_db: Path) -> int:
    """``$OMNIOPS_DBT_THREADS``, else one model at a time when a large warehouse is built from all
    history (its largest models each need most of DuckDB's memory limit: two at once ran out of it at
    ten million order lines), two otherwise (many small models: their fixed costs overlap)."""
    if (threads := settings.dbt_threads()) is not None:
        return threads
    from_history = full_refresh or not complete_build_recorded(build_db)
    return 1 if from_history and raw_rows(build_db) > ONE_MODEL_AT_A_TIME_ROWS else 2


def dbt_build_args(full_refresh: bool, unit_tests: bool = True, threads: int | None = None) -> list[str]:
    args = ["build", "--full-refresh"] if full_refresh else ["build"]
    if not unit_tests and not full_refresh:
        args += ["--exclude-resource-type", "unit_test"]
    if threads is not None:
        args += ["--threads", str(threads)]
    return args


@dbt_assets(
    manifest=dbt_project.manifest_path, project=dbt_project, dagster_dbt_translator=OmniopsDbtTranslator()
)
def omniops_dbt_models(context: AssetExecutionContext, dbt: DbtCli, config: DbtBuildConfig):
    threads = dbt_threads(config.full_refresh, get_paths().build_db)
    args = dbt_build_args(config.full_refresh, config.unit_tests, threads)
    yield from dbt.cli(args, context=context).stream()
    if config.source_freshness:
        check_source_freshness(context)


def check_source_freshness(context: AssetExecutionContext) -> None:
    """The daily feeds' freshness as ``dbt source freshness`` judges it (``landing.freshness.measure``,
    in the warehouse: no second dbt process on every daily run), kept in landing.source_freshness for the
    run's summary (``omniops run`` prints a line per stale feed); never a failed run."""
    now = datetime.now(UTC).replace(tzinfo=None)
    with duckdb.connect(str(get_paths().build_db)) as conn:
        rows = freshness.measure(conn, now)
        freshness.record(conn, rows, context.run_id, now)
    for row in rows:
        if line := row.line():
            context.log.warning(line)


def dbt_keys(names: list[str]) -> list:
    """Asset keys of dbt models and seeds by name, for the ``deps`` of Python assets downstream."""
    return [get_asset_key_for_model([omniops_dbt_models], name) for name in names]
