"""An incremental `dbt build` tests the rows it wrote; `dbt test` and a full refresh test every row.

A daily run's data tests would otherwise grow with history (macros/tests_on_written_rows.sql). A row of
an incremental mart is broken behind dbt's back (an order status outside the accepted values): the next
incremental build, which does not rewrite that row, passes; `dbt test` on its own and a
`--full-refresh` build test every row (the full refresh rebuilds the row first).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from tests.dbt_cli import dbt

STATUS_TEST = "accepted_values_fct_orders_"  # dbt names it with a hash of its arguments


def _compiled_status_test(home: Path) -> str:
    """The compiled SQL of fct_orders' accepted-values test on order_status."""
    compiled = (home / "dbt_target" / "compiled").rglob(f"{STATUS_TEST}*.sql")
    return next(sql for sql in (p.read_text() for p in compiled) if "order_status" in sql)


@pytest.fixture(scope="module")
def home(built_instance, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built test instance's warehouse: its run built the whole project."""
    home = tmp_path_factory.mktemp("written_rows")
    shutil.copytree(built_instance.home / "warehouse", home / "warehouse")
    return home


def _break_an_old_order(home: Path) -> str:
    with duckdb.connect(str(home / "warehouse" / "build.duckdb")) as conn:
        (order_key,) = conn.execute("select min(order_key) from marts.fct_orders").fetchone()
        conn.execute("update marts.fct_orders set order_status = 'bogus' where order_key = ?", [order_key])
    return order_key


def test_an_incremental_build_tests_only_what_it_wrote(home):
    _break_an_old_order(home)
    build = dbt(home, "build", "--select", "fct_orders", "dim_products")
    assert build.returncode == 0, build.stdout[-3000:]
    assert "refreshed_at_utc = cast(" in _compiled_status_test(home)
    # dim_products is a table: its tests read every row
    (table_test,) = (home / "dbt_target" / "compiled").rglob("unique_dim_products_sku*.sql")
    assert "dim_products" in table_test.read_text() and "refreshed_at_utc" not in table_test.read_text()

    alone = dbt(home, "test", "--select", "fct_orders")
    assert alone.returncode != 0
    assert "Failure in test accepted_values_fct_orders_order_status" in alone.stdout, alone.stdout[-3000:]


def test_a_full_refresh_tests_every_row_and_rebuilds_it(home):
    _break_an_old_order(home)
    # The full refresh rebuilds fct_orders from its inputs first, so the broken row is gone before its
    # test runs; the test itself must read every row (no stamp filter).
    build = dbt(home, "build", "--full-refresh", "--select", "fct_orders")
    assert build.returncode == 0, build.stdout[-3000:]
    assert "refreshed_at_utc" not in _compiled_status_test(home)
    with duckdb.connect(str(home / "warehouse" / "build.duckdb"), read_only=True) as conn:
        assert conn.execute(
            "select count(*) from marts.fct_orders where order_status = 'bogus'"
        ).fetchone() == (0,)


def test_the_daily_job_leaves_dbt_unit_tests_to_full_builds():
    from orchestration.assets.dbt import dbt_build_args
    from orchestration.definitions import defs
    from orchestration.pipeline import run_config

    def args(job: str, full_refresh: bool) -> list[str]:
        config = run_config(full_refresh, defs.resolve_job_def(job).run_config)
        dbt_config = config.get("ops", {}).get("omniops_dbt_models", {}).get("config", {})
        return dbt_build_args(dbt_config.get("full_refresh", False), dbt_config.get("unit_tests", True))

    assert args("omniops_daily", False) == ["build", "--exclude-resource-type", "unit_test"]
    assert args("omniops_daily", True) == ["build", "--full-refresh"]
    assert args("omniops_all", False) == ["build"]
    assert args("omniops_all", True) == ["build", "--full-refresh"]


def _break_a_landed_event(home: Path, landed_now: bool) -> None:
    """An event type outside the accepted values, in a row landed before the last build (or now)."""
    with duckdb.connect(str(home / "warehouse" / "build.duckdb")) as conn:
        (record,) = conn.execute("select min(_record_number) from raw.social__events").fetchone()
        loaded_at = "now() at time zone 'UTC'" if landed_now else "_loaded_at"
        conn.execute(
            'update raw.social__events set record = json_merge_patch(record, \'{"event_type": "bogus"}\'), '
            f"_loaded_at = {loaded_at} where _record_number = ?",
            [record],
        )


def test_an_incremental_build_tests_staging_rows_landed_since_the_last_complete_build(home):
    with duckdb.connect(str(home / "warehouse" / "build.duckdb"), read_only=True) as conn:
        builds = conn.execute("select count(*) from main.dbt_complete_builds").fetchone()[0]
    assert builds >= 1  # the fixture's run built the whole project
    event_test = "accepted_values_stg_social__events_event_type"

    _break_a_landed_event(home, landed_now=False)
    assert dbt(home, "build", "--select", "stg_social__events").returncode == 0
    alone = dbt(home, "test", "--select", "stg_social__events")
    assert f"Failure in test {event_test}" in alone.stdout, alone.stdout[-3000:]

    _break_a_landed_event(home, landed_now=True)
    build = dbt(home, "build", "--select", "stg_social__events")
    assert build.returncode != 0
    assert f"Failure in test {event_test}" in build.stdout, build.stdout[-3000:]
