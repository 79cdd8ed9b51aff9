"""Resources, configured from the environment (``OMNIOPS_HOME``) with embedded defaults."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
from dagster import ConfigurableResource, InitResourceContext

from core.settings import DBT_PROJECT_DIR, OmniopsPaths, duckdb_config, get_paths
from core.warehouse_versions import prepare_build
from orchestration.dbt_cli import DbtCli, DbtPreparer, DbtProject


def dbt_executable() -> str:
    """The dbt installed beside this Python (a venv not on PATH still works), else the one on PATH."""
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")


def _put_dbt_on_path() -> None:
    """dagster-dbt's preparer (used by ``dagster dev``) calls the ``dbt`` on PATH; a venv that is not
    activated is not on PATH, so add the folder of this Python's scripts when dbt lives there."""
    scripts = str(Path(sys.executable).parent)
    if (Path(scripts) / "dbt").exists() and scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = scripts + os.pathsep + os.environ.get("PATH", "")


_put_dbt_on_path()
# Parsing dbt happens in `prepare_if_dev` (under `dagster dev`) or in `omniops run` before the
# definitions load; never as a side effect of importing this module elsewhere.
dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR)
# Parses through DbtCli (``orchestration/dbt_cli.py``); DbtProject has no way to be given it.
dbt_preparer = DbtPreparer()


class WarehouseResource(ConfigurableResource):
    """The DuckDB file a run builds into. Resolved when a run starts, so ``OMNIOPS_HOME`` set by a test
    or the CLI after import still counts. Leave ``home`` empty to use ``$OMNIOPS_HOME``."""

    home: str = ""

    @property
    def paths(self) -> OmniopsPaths:
        return OmniopsPaths(Path(self.home).resolve()) if self.home else get_paths()

    def setup_for_execution(self, context: InitResourceContext) -> None:
        """Once per run, before its first step: ``build.duckdb`` back after a crash that took it away."""
        how = prepare_build(self.paths)
        if how not in ("kept", "new") and context.log is not None:
            context.log.info(f"{self.paths.build_db}: {how} (after a run that was cut short)")

    @contextmanager
    def get_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        path = self.paths.build_db
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = duckdb.connect(str(path), config=duckdb_config())
        try:
            yield conn
        finally:
            conn.close()


def build_resources() -> dict:
    return {
        "warehouse": WarehouseResource(),
        "dbt": DbtCli(project_dir=dbt_project, dbt_executable=dbt_executable()),
    }
