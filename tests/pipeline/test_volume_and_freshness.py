"""Volume and freshness checks: a day's orders dropping sharply, and a daily feed that stopped arriving.

On a copy of the demo warehouse: the newest daily Amazon export loses its rows (as if it came empty), and
dbt warns that Amazon's newest day dropped against its history; the Shopify and Amazon feeds' newest files
are made to look 50 and 100 hours old, and `dbt source freshness` reports the one stale (warn) and the
other late enough for an error, which landing.freshness turns into the run's summary lines. The demo
company is small (about one Amazon line a day), so the volume test lowers the minimum usual volume a
channel needs to be checked (dbt var ``volume_min_usual_lines``, 5 by default) to 1.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from landing import freshness
from tests.dbt_cli import dbt

SMALL_COMPANY = '{"volume_min_usual_lines": 1}'


@pytest.fixture(scope="module")
def home(built_instance, tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("volume_and_freshness")
    (home / "warehouse").mkdir()
    shutil.copy(built_instance.home / "warehouse" / "build.duckdb", home / "warehouse" / "build.duckdb")
    return home


def _volume(home: Path) -> tuple[str, list[tuple]]:
    build = dbt(
        home, "build", "--select", "dq_order_volume", "assert_order_volume_holds", "--vars", SMALL_COMPANY
    )
    assert build.returncode == 0, build.stdout[-3000:]
    with duckdb.connect(str(home / "warehouse" / "build.duckdb"), read_only=True) as conn:
        rows = conn.execute(
            "select channel, checked_day, lines, usual_lines from marts.dq_order_volume where is_sharp_drop"
        ).fetchall()
    return build.stdout, rows


def test_a_channel_whose_newest_daily_export_came_empty_warns_of_a_volume_drop(home):
    _, before = _volume(home)
    assert "amazon" not in {channel for channel, *_ in before}
    with duckdb.connect(str(home / "warehouse" / "build.duckdb")) as conn:
        files = [
            name
            for (name,) in conn.execute("select distinct _source_file from raw.amazon__all_orders").fetchall()
        ]
        # the daily export: All-Orders-Report_<day>_<day>.txt
        newest = max(name for name in files if name[-25:-15] == name[-14:-4])
        (emptied,) = conn.execute(
            "select count(*) from raw.amazon__all_orders where _source_file = ?", [newest]
        ).fetchone()
        conn.execute("delete from raw.amazon__all_orders where _source_file = ?", [newest])
    rebuild = dbt(
        home,
        "build",
        "--full-refresh",
        "--select",
        "int_order_lines__unioned",
        "--exclude-resource-type",
        "test",
    )
    assert rebuild.returncode == 0, rebuild.stdout[-3000:]

    output, drops = _volume(home)

    assert newest and emptied
    ((channel, day, lines, usual),) = [row for row in drops if row[0] == "amazon"]
    assert (channel, lines, str(day)) == ("amazon", 0, newest[-14:-4])
    assert usual >= 1
    assert "WARN" in output and "assert_order_volume_holds" in output


def test_a_daily_feed_without_new_files_is_reported_stale_and_never_fails_the_build(home, tmp_path):
    with duckdb.connect(str(home / "warehouse" / "build.duckdb")) as conn:
        conn.execute("update raw.shopify__orders set _loaded_at = _loaded_at - interval 50 hours")
        conn.execute("update raw.amazon__all_orders set _loaded_at = _loaded_at - interval 100 hours")

    result = dbt(home, "source", "freshness")

    assert result.returncode == 1, result.stdout[-3000:]  # dbt's own verdict: an error-level source
    rows = freshness.from_sources_json(json.loads((home / "dbt_target" / "sources.json").read_text()))
    status = {row.source_table: row.status for row in rows}
    assert status.pop("shopify.orders") == "warn" and status.pop("amazon.all_orders") == "error"
    assert set(status.values()) == {"pass"} and "erp.products" not in status  # masters: no cadence
    # The pipeline's own measure (no dbt process) gives dbt's verdict on the same warehouse.
    with duckdb.connect(str(home / "warehouse" / "build.duckdb"), read_only=True) as conn:
        measured = freshness.measure(conn, datetime.now(UTC).replace(tzinfo=None))
    assert [(r.source_table, r.status) for r in measured] == [(r.source_table, r.status) for r in rows]
    hours = {r.source_table: r.hours_since for r in rows}
    assert all(abs(r.hours_since - hours[r.source_table]) < 0.5 for r in measured)
    with duckdb.connect(str(tmp_path / "w.duckdb")) as conn:
        conn.execute("create schema landing")
        freshness.record(conn, rows, "run-1", datetime(2026, 12, 1))
        lines = freshness.stale_lines(conn, "run-1")
    assert len(lines) == 2
    assert lines[0].startswith("STALE amazon.all_orders: the newest file landed 10") and "error" in lines[0]
    assert lines[1].startswith("STALE shopify.orders: the newest file landed 5") and "every 36 h" in lines[1]


def test_the_daily_job_checks_source_freshness_and_the_full_build_does_not():
    from orchestration.definitions import defs
    from orchestration.pipeline import run_config

    def checks(job: str) -> bool:
        config = run_config(False, defs.resolve_job_def(job).run_config)
        return (
            config.get("ops", {})
            .get("omniops_dbt_models", {})
            .get("config", {})
            .get("source_freshness", False)
        )

    assert checks("omniops_daily") and not checks("omniops_all")
