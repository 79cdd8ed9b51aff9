"""Shared fixtures: one small demo company, landed and built once per test run.

The instance lives in a temporary ``OMNIOPS_HOME``, so tests never touch a developer's ./data. Under
pytest-xdist (``-n 2``, see pyproject.toml) the workers share it: the first one that asks builds it, the
others wait for it and read the same files (every test that writes copies it first).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

TEST_SCALE = 0.05
TEST_SEED = 7


def pytest_configure(config: pytest.Config) -> None:
    """Parse the dbt project before collection: modules that import the Dagster jobs load the dbt
    assets, which are built from the manifest (absent in a fresh clone). Under pytest-xdist the
    controller parses before it starts the workers, which then find the manifest up to date."""
    from core.settings import DBT_PROJECT_DIR

    if not (DBT_PROJECT_DIR / "target" / "manifest.json").exists():
        from orchestration.pipeline import prepare_dbt

        prepare_dbt()


# The longest modules, started first so that the two workers finish together (each worker is handed two
# modules at the start); the rest follows in collection order. Measured with `--durations` and in CPU seconds
# per module (docs/testing.md).
LONGEST_FIRST = (
    "tests/pipeline/test_crash_recovery.py",
    "tests/pipeline/test_incremental_runs.py",
    "tests/pipeline/test_cli.py",
    "tests/spark/test_dbt_on_spark.py",
    "tests/pipeline/test_readers_during_a_run.py",
    "tests/e2e/test_loops_in_browser.py",
    "tests/spark/test_forecast_on_spark.py",
    "tests/pipeline/test_tests_on_written_rows.py",
    "tests/kpis/test_partial_orders.py",
    "tests/pipeline/test_volume_and_freshness.py",
    "tests/e2e/",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest tests first (a stable sort: the rest keeps the collection order). pytest-xdist's
    ``--dist loadscope --no-loadscope-reorder`` hands out whole modules in this order."""

    def rank(item: pytest.Item) -> int:
        return next((i for i, p in enumerate(LONGEST_FIRST) if item.nodeid.startswith(p)), len(LONGEST_FIRST))

    items.sort(key=rank)


# The Dagster instance of a test run keeps its event log in memory: on disk (the default) every event is
# an SQLite engine, a write and a commit, a large share of a run's CPU in the Dagster process
# (docs/testing.md), and no test reads a run's events once it has ended (``omniops run`` shows its stages
# from the run's own instance). Run history (runs.db) stays on disk. The unmapped-status test of
# test_cli.py keeps the default instance: the first `omniops run` on a fresh home, as a user meets it.
DAGSTER_YAML = """telemetry:
  enabled: false
event_log_storage:
  module: dagster._core.storage.event_log
  class: InMemoryEventLogStorage
"""


def dagster_events_in_memory(dagster_home: Path) -> Path:
    """``dagster_home`` with an instance config that keeps run events in memory (see DAGSTER_YAML)."""
    dagster_home.mkdir(parents=True, exist_ok=True)
    (dagster_home / "dagster.yaml").write_text(DAGSTER_YAML)
    return dagster_home


def run_temp_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of the whole run: under pytest-xdist each worker's is a sub-folder of it."""
    root = tmp_path_factory.getbasetemp()
    return root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """The folder ``name``, made by ``build`` once per test run and shared by the pytest-xdist workers:
    a file lock lets the first worker build while the others wait. A failed build is not retried by the
    next worker: it fails with the first one's error."""
    root = run_temp_folder(tmp_path_factory)
    folder, done, failed = root / name, root / f"{name}.done", root / f"{name}.failed"
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if failed.exists():
            raise RuntimeError(f"building {name} failed in another worker:\n{failed.read_text()}")
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            try:
                build(folder)
            except BaseException:
                failed.write_text(traceback.format_exc())
                raise
            done.touch()
    return folder


@pytest.fixture(scope="session")
def demo_company_files(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """``demo_company_files(scale, seed)``: the folder of the demo company's files, as ``omniops generate``
    writes them, generated once per run for each scale and seed (default: scale 1, seed 42). Read only."""
    from demo_company.generate import generate_demo_company

    def files(scale: float = 1.0, seed: int = 42) -> Path:
        return built_once(
            tmp_path_factory,
            f"demo_company_{scale}_{seed}",
            lambda folder: generate_demo_company(folder, scale=scale, seed=seed),
        )

    return files


@dataclass(frozen=True)
class BuiltInstance:
    home: Path
    landing: Path
    manifest: dict
    published_db: Path

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.published_db), read_only=True) as conn:
            return conn.execute(sql, params or []).fetchall()

    def df(self, sql: str):
        with duckdb.connect(str(self.published_db), read_only=True) as conn:
            return conn.execute(sql).df()


@pytest.fixture(scope="session")
def built_instance(tmp_path_factory: pytest.TempPathFactory, demo_company_files) -> BuiltInstance:
    """A small demo company with the whole asset graph materialised on it, once. Read only: a test
    that changes files copies them first."""
    from core.settings import OmniopsPaths

    previous = {k: os.environ.get(k) for k in ("OMNIOPS_HOME", "DAGSTER_HOME")}
    home = run_temp_folder(tmp_path_factory) / "omniops_home"
    os.environ["OMNIOPS_HOME"] = str(home)
    os.environ["DAGSTER_HOME"] = str(home / "dagster")

    def build(home: Path) -> None:
        from orchestration.pipeline import run_pipeline

        paths = OmniopsPaths(home)
        shutil.copytree(demo_company_files(TEST_SCALE, TEST_SEED), paths.landing)
        dagster_events_in_memory(paths.dagster_home)
        run_pipeline(paths, echo=lambda message: None)

    built_once(tmp_path_factory, "omniops_home", build)
    paths = OmniopsPaths(home)
    yield BuiltInstance(
        home, paths.landing, json.loads((paths.landing / "_manifest.json").read_text()), paths.published_db
    )
    for key, value in previous.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
