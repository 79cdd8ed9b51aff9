"""Where everything lives. One setting, ``OMNIOPS_HOME``, locates every file of an instance.

A test or a user can run a whole separate instance by pointing ``OMNIOPS_HOME`` at another folder.
The dbt profile reads the same variable, so the CLI exports the resolved value before calling dbt.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
DASHBOARD_APP = REPO_ROOT / "dashboards" / "app.py"

# DuckDB takes 80 % of RAM and every core by default; a build shares the machine with the dashboards, so
# the warehouse's memory is capped (it spills to disk beyond) and both are settable from the environment.
# The dbt profile reads the same variables with the same defaults.
DUCKDB_MEMORY_LIMIT_DEFAULT = "4GB"
DUCKDB_THREADS_DEFAULT = 2

COMPANY_TIME_ZONE = "Asia/Shanghai"
REPORTING_CURRENCY = "CNY"


@dataclass(frozen=True)
class OmniopsPaths:
    """Every path of one OmniOps instance, derived from its home folder."""

    home: Path

    @property
    def landing(self) -> Path:
        return self.home / "landing"

    @property
    def warehouse_dir(self) -> Path:
        return self.home / "warehouse"

    @property
    def build_db(self) -> Path:
        """The file a run writes into; nobody else opens it while a run is going."""
        return self.warehouse_dir / "build.duckdb"

    @property
    def published_db(self) -> Path:
        """The last complete build, replaced atomically at the end of a run; dashboards read this one."""
        return self.warehouse_dir / "omniops.duckdb"

    @property
    def dagster_home(self) -> Path:
        return self.home / "dagster"

    @property
    def decisions_db(self) -> Path:
        """The embedded operational store (SQLite) when ``OMNIOPS_DB_URL`` names no other database."""
        return self.home / "decisions" / "decisions.sqlite"

    @property
    def alert_file(self) -> Path:
        """One JSON line per failed run (``orchestration/alerts.py``); ``OMNIOPS_ALERT_FILE`` moves it."""
        return Path(os.environ.get("OMNIOPS_ALERT_FILE") or self.home / "alerts" / "alerts.jsonl")


def omniops_home() -> Path:
    """``$OMNIOPS_HOME`` as an absolute path (default ``./data``)."""
    return Path(os.environ.get("OMNIOPS_HOME", "data")).expanduser().resolve()


def duckdb_config() -> dict[str, str | int]:
    """``memory_limit`` and ``threads`` for a warehouse connection: ``$OMNIOPS_DUCKDB_MEMORY_LIMIT``
    (default 4GB) and ``$OMNIOPS_DUCKDB_THREADS`` (default 2)."""
    return {
        "memory_limit": os.environ.get("OMNIOPS_DUCKDB_MEMORY_LIMIT") or DUCKDB_MEMORY_LIMIT_DEFAULT,
        "threads": int(os.environ.get("OMNIOPS_DUCKDB_THREADS") or DUCKDB_THREADS_DEFAULT),
    }


def get_paths() -> OmniopsPaths:
    return OmniopsPaths(home=omniops_home())


def export_environment(paths: OmniopsPaths | None = None) -> OmniopsPaths:
    """Pin ``OMNIOPS_HOME`` (absolute) and ``DAGSTER_HOME`` in this process so dbt and Dagster agree."""
    paths = paths or get_paths()
    os.environ["OMNIOPS_HOME"] = str(paths.home)
    os.environ.setdefault("DAGSTER_HOME", str(paths.dagster_home))
    Path(os.environ["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
    return paths
