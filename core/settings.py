"""Where everything lives and every ``OMNIOPS_*`` setting, read in this one module.

One setting, ``OMNIOPS_HOME``, locates every file of an instance: a test or a user runs a whole separate
instance by pointing it at another folder. The dbt profile reads the same variable, so the CLI exports the
resolved value before calling dbt. Every environment variable, its default and its readers are listed
in docs/operations.md (``tests/test_settings.py`` fails when code reads one the table lacks).
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

DBT_TARGET_DEFAULT = "duckdb"

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
    def outbox(self) -> Path:
        """Files OmniOps sends out: ``outbox/<channel>/`` holds each channel's stock feeds."""
        return self.home / "outbox"

    @property
    def dagster_home(self) -> Path:
        return self.home / "dagster"

    @property
    def users_file(self) -> Path:
        """The dashboard users' TOML file unless ``OMNIOPS_USERS_FILE`` moves it (``users_file()``)."""
        return self.home / "config" / "users.toml"

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


def dbt_target() -> str:
    """``$OMNIOPS_DBT_TARGET``, the dbt engine the profile picks (``duckdb`` or ``spark``), as set."""
    return os.environ.get("OMNIOPS_DBT_TARGET", "")


def dbt_threads() -> int | None:
    """``$OMNIOPS_DBT_THREADS``: dbt's threads when set; None leaves the choice to the pipeline."""
    value = os.environ.get("OMNIOPS_DBT_THREADS")
    return int(value) if value else None


def alert_webhook() -> str:
    """``$OMNIOPS_ALERT_WEBHOOK``: a URL that receives each run-failure alert by POST ("" for none)."""
    return os.environ.get("OMNIOPS_ALERT_WEBHOOK", "")


def failpoint() -> str:
    """``$OMNIOPS_FAILPOINT``: ``<point>`` or ``<point>:<n>`` in the crash tests, else ""."""
    return os.environ.get("OMNIOPS_FAILPOINT") or ""


def language() -> str:
    """``$OMNIOPS_LANGUAGE``: the dashboards' default language (``en`` or ``zh``), "" when unset."""
    return os.environ.get("OMNIOPS_LANGUAGE", "")


def dashboard_users() -> str:
    """``$OMNIOPS_USERS``: ``name:role:hash`` entries separated by ``;`` ("" when unset)."""
    return os.environ.get("OMNIOPS_USERS", "")


def users_file() -> Path:
    """``$OMNIOPS_USERS_FILE``, default ``$OMNIOPS_HOME/config/users.toml``."""
    configured = os.environ.get("OMNIOPS_USERS_FILE")
    return Path(configured).expanduser() if configured else get_paths().users_file


def check_workers(default: int) -> int:
    """``$OMNIOPS_CHECK_WORKERS``: processes that validate landed chunks side by side (at least 1)."""
    return max(1, int(os.environ.get("OMNIOPS_CHECK_WORKERS") or default))


def decisions_db_url() -> str:
    """``$OMNIOPS_DB_URL``: the operational store's database ("" for the SQLite file under the home)."""
    return os.environ.get("OMNIOPS_DB_URL", "").strip()


def smtp_settings() -> dict[str, str]:
    """``$OMNIOPS_SMTP_HOST``, ``_PORT``, ``_FROM``, ``_USER``, ``_PASSWORD``, ``_STARTTLS`` as set ("" each
    when unset); no host means no e-mail."""
    names = {
        "host": "OMNIOPS_SMTP_HOST",
        "port": "OMNIOPS_SMTP_PORT",
        "from": "OMNIOPS_SMTP_FROM",
        "user": "OMNIOPS_SMTP_USER",
        "password": "OMNIOPS_SMTP_PASSWORD",
        "starttls": "OMNIOPS_SMTP_STARTTLS",
    }
    return {key: os.environ.get(variable, "").strip() for key, variable in names.items()}


SESSION_HOURS_DEFAULT = 12.0


def session_hours() -> float:
    """``$OMNIOPS_SESSION_HOURS``: how long a dashboard sign-in lasts (default 12)."""
    return float(os.environ.get("OMNIOPS_SESSION_HOURS") or SESSION_HOURS_DEFAULT)


def session_secret_file() -> Path:
    """The key that signs the dashboards' session cookies: ``config/session_secret`` beside the users
    file, so ``OMNIOPS_USERS_FILE`` moves both."""
    return users_file().parent / "session_secret"


def get_paths() -> OmniopsPaths:
    return OmniopsPaths(home=omniops_home())


def export_environment(paths: OmniopsPaths | None = None) -> OmniopsPaths:
    """Pin ``OMNIOPS_HOME`` (absolute) and ``DAGSTER_HOME`` in this process so dbt and Dagster agree."""
    paths = paths or get_paths()
    os.environ["OMNIOPS_HOME"] = str(paths.home)
    os.environ.setdefault("DAGSTER_HOME", str(paths.dagster_home))
    Path(os.environ["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
    return paths
