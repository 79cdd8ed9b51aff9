"""How many models dbt builds at once: one while a large warehouse is built from all history, else two."""

from __future__ import annotations

import duckdb
import pytest

from orchestration.assets import dbt as dbt_asset
from orchestration.assets.dbt import complete_build_recorded, dbt_build_args, dbt_threads, raw_rows


def test_one_model_at_a_time_for_a_large_build_from_history(tmp_path, monkeypatch):
    monkeypatch.delenv("OMNIOPS_DBT_THREADS", raising=False)
    monkeypatch.setattr(dbt_asset, "ONE_MODEL_AT_A_TIME_ROWS", 1_000)
    db = tmp_path / "build.duckdb"
    assert dbt_threads(False, db) == 2  # nothing landed yet
    with duckdb.connect(str(db)) as conn:
        conn.execute("create schema raw")
        conn.execute("create table raw.small as select range as id from range(600)")
        conn.execute("create table main.not_raw as select range as id from range(5000)")
    assert raw_rows(db) == 600
    assert dbt_threads(False, db) == 2  # small: two fit
    with duckdb.connect(str(db)) as conn:
        conn.execute("create table raw.large as select range as id from range(600)")
        conn.execute("create table main.dbt_complete_builds (started_at_utc timestamp, full_refresh boolean)")
    assert raw_rows(db) == 1_200
    assert not complete_build_recorded(db)
    assert dbt_threads(False, db) == 1  # large, never built whole
    with duckdb.connect(str(db)) as conn:
        conn.execute("insert into main.dbt_complete_builds values (now(), false)")
    assert complete_build_recorded(db)
    assert dbt_threads(False, db) == 2  # incremental: only what is new
    assert dbt_threads(True, db) == 1  # --full-refresh reads all history again
    monkeypatch.setenv("OMNIOPS_DBT_THREADS", "3")
    assert dbt_threads(True, db) == 3


@pytest.mark.parametrize("threads", [1, 2])
def test_the_threads_reach_dbt(threads):
    assert dbt_build_args(False, True, threads)[-2:] == ["--threads", str(threads)]
    assert "--threads" not in dbt_build_args(False, True)
