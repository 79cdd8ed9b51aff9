"""How many models dbt builds at once: one while every model reads all history (memory), else two."""

from __future__ import annotations

import duckdb

from orchestration.assets.dbt import builds_everything, dbt_build_args, dbt_threads


def test_one_model_at_a_time_until_a_complete_build_is_recorded(tmp_path, monkeypatch):
    monkeypatch.delenv("OMNIOPS_DBT_THREADS", raising=False)
    db = tmp_path / "build.duckdb"
    assert builds_everything(db) and dbt_threads(False, db) == 1  # no warehouse yet
    with duckdb.connect(str(db)) as conn:
        conn.execute("create table main.dbt_complete_builds (started_at_utc timestamp, full_refresh boolean)")
    assert dbt_threads(False, db) == 1  # built, but never whole
    with duckdb.connect(str(db)) as conn:
        conn.execute("insert into main.dbt_complete_builds values (now(), false)")
    assert not builds_everything(db)
    assert dbt_threads(False, db) == 2
    assert dbt_threads(True, db) == 1  # --full-refresh reads all history again
    monkeypatch.setenv("OMNIOPS_DBT_THREADS", "3")
    assert dbt_threads(True, db) == 3


def test_the_threads_reach_dbt():
    assert dbt_build_args(False, True, 1)[-2:] == ["--threads", "1"]
    assert "--threads" not in dbt_build_args(False, True)
