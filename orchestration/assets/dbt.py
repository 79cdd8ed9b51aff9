"""The dbt project as Dagster assets: every seed, model and test, with lineage to the landing assets.

The order chain's models are incremental (see dbt_project/macros/incremental.sql): a run adds what the
newly landed files touch. ``full_refresh`` rebuilds them from all of history, with identical results.
An incremental build's data tests check the rows it wrote (dbt_project/macros/tests_on_written_rows.sql).
"""

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
from dagster import AssetExecutionContext, Config
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets, get_asset_key_for_model

from orchestration.resources import dbt_project
from orchestration.settings import get_paths

dbt_project.prepare_if_dev()


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


def builds_everything(build_db: Path) -> bool:
    """True when dbt will compute every model from all history: no complete build recorded yet."""
    if not build_db.exists():
        return True
    try:
        with duckdb.connect(str(build_db), read_only=True) as conn:
            return not conn.execute("select count(*) from main.dbt_complete_builds").fetchone()[0]
    except duckdb.Error:  # no such table: never built whole
        return True


def dbt_threads(full_refresh: bool, build_db: Path) -> int:
    """``$OMNIOPS_DBT_THREADS``, else one model at a time when every model reads all history (the
    largest models each need most of DuckDB's memory limit; two at once ran out of it at ten million
    order lines), two for an incremental build (many small models: their fixed costs overlap)."""
    if os.environ.get("OMNIOPS_DBT_THREADS"):
        return int(os.environ["OMNIOPS_DBT_THREADS"])
    return 1 if full_refresh or builds_everything(build_db) else 2


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
def omniops_dbt_models(context: AssetExecutionContext, dbt: DbtCliResource, config: DbtBuildConfig):
    threads = dbt_threads(config.full_refresh, get_paths().build_db)
    args = dbt_build_args(config.full_refresh, config.unit_tests, threads)
    yield from dbt.cli(args, context=context).stream()


def dbt_keys(names: list[str]) -> list:
    """Asset keys of dbt models and seeds by name, for the ``deps`` of Python assets downstream."""
    return [get_asset_key_for_model([omniops_dbt_models], name) for name in names]
