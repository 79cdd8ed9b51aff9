"""The dbt project as Dagster assets: every seed, model and test, with lineage to the landing assets.

The order chain's models are incremental (see dbt_project/macros/incremental.sql): a run adds what the
newly landed files touch. ``full_refresh`` rebuilds them from all of history, with identical results.
An incremental build's data tests check the rows it wrote (dbt_project/macros/tests_on_written_rows.sql).
"""

from collections.abc import Mapping
from typing import Any

from dagster import AssetExecutionContext, Config
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets, get_asset_key_for_model

from orchestration.resources import dbt_project

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


def dbt_build_args(full_refresh: bool, unit_tests: bool = True) -> list[str]:
    args = ["build", "--full-refresh"] if full_refresh else ["build"]
    if not unit_tests and not full_refresh:
        args += ["--exclude-resource-type", "unit_test"]
    return args


@dbt_assets(
    manifest=dbt_project.manifest_path, project=dbt_project, dagster_dbt_translator=OmniopsDbtTranslator()
)
def omniops_dbt_models(context: AssetExecutionContext, dbt: DbtCliResource, config: DbtBuildConfig):
    yield from dbt.cli(dbt_build_args(config.full_refresh, config.unit_tests), context=context).stream()


def dbt_keys(names: list[str]) -> list:
    """Asset keys of dbt models and seeds by name, for the ``deps`` of Python assets downstream."""
    return [get_asset_key_for_model([omniops_dbt_models], name) for name in names]
