"""dagster-dbt without dbt-core in the run's process: dbt runs as the ``dbt`` subprocess it always was.

Importing dagster-dbt imports dbt-core when it is installed (most of a run's start-up; timings in
docs/choices_and_measurements.md) only to pick dbt-core's manifest selection and a Python adapter
handle. dagster-dbt also supports environments without dbt-core (dbt Fusion): the default selection
read from ``manifest.json``, node types and statuses as its own enums, the same asset specs
(``tests/pipeline/test_start_up.py`` compares the graphs). dagster-dbt is imported here with
``dbt.version`` hidden so it takes that path; dbt-core stays importable afterwards
(``orchestration/spark_target.py`` runs dbt in-process). A process that imported dbt-core already
gets dagster-dbt's dbt-core path, with the same assets.

``DbtCli`` leaves out the two things dagster-dbt adds to each dbt invocation that this project never
uses: a ``dbt --version`` process (the version is the installed package's) and an in-process dbt-core
adapter (only for column metadata and row counts, which no asset asks for).
"""

from __future__ import annotations

import sys
from functools import cached_property
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as installed_version
from typing import TYPE_CHECKING

if "dagster_dbt" not in sys.modules and "dbt.version" not in sys.modules:
    sys.modules["dbt.version"] = None  # type: ignore[assignment]  # an ImportError for dagster-dbt
    try:
        import dagster_dbt  # noqa: F401
    finally:
        del sys.modules["dbt.version"]

from dagster_dbt import (  # noqa: E402
    DagsterDbtProjectPreparer,
    DagsterDbtTranslator,
    DbtCliResource,
    DbtProject,
    dbt_assets,
    get_asset_key_for_model,
)
from packaging.version import Version  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "DagsterDbtTranslator",
    "DbtCli",
    "DbtPreparer",
    "DbtProject",
    "dbt_assets",
    "get_asset_key_for_model",
]


class DbtCli(DbtCliResource):
    """``DbtCliResource`` without the ``dbt --version`` process and the unused in-process adapter."""

    @cached_property
    def _cli_version(self) -> Version:
        try:
            return Version(installed_version("dbt-core"))
        except PackageNotFoundError:  # dbt is not installed beside this Python: ask the executable
            return super()._cli_version

    def _initialize_dbt_core_adapter(self, args: Sequence[str]):
        return None


class DbtPreparer(DagsterDbtProjectPreparer):
    """Parses the project (``dbt parse``) through ``DbtCli``, like dagster-dbt's own preparer."""

    def _prepare_manifest(self, project: DbtProject) -> None:
        dbt = DbtCli(project_dir=project)
        dbt.cli(self._prepare_project_cli_args, target_path=project.target_path).wait()
        self._invalidate_seeds_in_partial_parse(project)
