"""Shared fixtures: one small demo company, landed and built once per test session.

The instance lives in a temporary ``OMNIOPS_HOME``, so tests never touch a developer's ./data.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

TEST_SCALE = 0.05
TEST_SEED = 7


def pytest_configure(config: pytest.Config) -> None:
    """Parse the dbt project before collection: modules that import the Dagster jobs load the dbt
    assets, which are built from the manifest (absent in a fresh clone)."""
    from core.settings import DBT_PROJECT_DIR

    if not (DBT_PROJECT_DIR / "target" / "manifest.json").exists():
        from orchestration.pipeline import prepare_dbt

        prepare_dbt()


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
def built_instance(tmp_path_factory: pytest.TempPathFactory) -> BuiltInstance:
    """Generate a small demo company and materialise the whole asset graph on it, once."""
    from core.settings import OmniopsPaths
    from demo_company.generate import generate_demo_company
    from orchestration.pipeline import run_pipeline

    home = tmp_path_factory.mktemp("omniops_home")
    previous = {k: os.environ.get(k) for k in ("OMNIOPS_HOME", "DAGSTER_HOME")}
    os.environ["OMNIOPS_HOME"] = str(home)
    os.environ["DAGSTER_HOME"] = str(home / "dagster")
    paths = OmniopsPaths(home)
    manifest = generate_demo_company(paths.landing, scale=TEST_SCALE, seed=TEST_SEED)
    run_pipeline(paths, echo=lambda message: None)
    yield BuiltInstance(
        home, paths.landing, json.loads((paths.landing / "_manifest.json").read_text()), paths.published_db
    )
    for key, value in previous.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    assert manifest
