"""The run's step ``ops_decisions``: the T-3 register into the store, the store's decisions into ``ops``.

The small test company raises no T-3 warning, so the asset is also materialized by Dagster on a
warehouse whose register has rows, against both stores.
"""

from __future__ import annotations

import json
from datetime import date

import duckdb
import pandas as pd
import sqlalchemy as sa
from dagster import materialize

from decisions import t3_loop
from decisions.kpi_alerts import latest_week
from decisions.store import Store
from decisions.tables import kpi_alert_state
from kpis.t3_loop_query import read_t3_loop_kpis
from orchestration.assets.decisions import ops_decisions
from orchestration.resources import WarehouseResource
from planning import production_tables as T
from planning.tables import write_table
from tests.decisions.conftest import PEOPLE
from tests.decisions.test_t3_loop import register_row


def test_a_full_run_upgrades_the_store_and_publishes_schema_ops(built_instance):
    register = dict(built_instance.query("select warning_id, status from production.t3_warnings"))
    published = dict(built_instance.query("select id, state from ops.t3_warnings"))
    assert published == register  # both "open"/"closed" per warning; empty on the small test company
    tables = {
        t
        for (t,) in built_instance.query(
            "select table_name from information_schema.tables where table_schema='ops'"
        )
    }
    assert tables == {
        "t3_warnings",
        "close_days",
        "close_variances",
        "rush_proposals",
        "notifications",
        "audit_log",
    }
    window = "shift_date > (select max(shift_date) from production.daily_close) - 14"
    expected_days = built_instance.query(
        "select count(distinct (shift_date, work_center)) from production.daily_close "
        "join (select distinct production_order_id, operation_seq, work_center "
        "from marts.fct_production_operations) using (production_order_id, operation_seq) where " + window
    )[0][0]
    days = built_instance.query("select count(*), count(owner) from ops.close_days")[0]
    assert days == (expected_days, expected_days) and expected_days > 0  # each day × work centre, owned
    variances = built_instance.query("select kind, count(*) from ops.close_variances group by all order by 1")
    outside = built_instance.query(
        f"select count(*) from production.daily_close where not within_tolerance and {window}"
    )
    flagged = built_instance.query(
        f"select count(*) from production.daily_close_materials where flagged and {window}"
    )
    expected = [(kind, n) for kind, n in (("material", flagged[0][0]), ("output", outside[0][0])) if n]
    assert variances == expected and expected
    store = Store(f"sqlite:///{built_instance.home / 'decisions' / 'decisions.sqlite'}")
    store.require_current()
    # The run read the three alerted KPIs over the last week and recorded their state (kpi_alerts).
    with store.read() as conn:
        states = dict(conn.execute(sa.select(kpi_alert_state.c.id, kpi_alert_state.c.on_target)).all())
    with duckdb.connect(str(built_instance.published_db), read_only=True) as conn:
        readings = {r.kpi: r for r in latest_week(conn)}
        loop = read_t3_loop_kpis(conn)  # the T-3 loop's KPIs read from ops + marts
    assert set(states) == set(readings) == {"otd_rate", "oee", "cs_first_response"}
    assert all(states[k] == r.on_target for k, r in readings.items())
    assert 0 < readings["oee"].value < 1 and readings["cs_first_response"].value > 0
    assert loop.resolved_before_due.denominator == 0 and loop.orders_pending == 0  # no warning here
    store.engine.dispose()


def _run_step(home, rows) -> None:
    """The step on a warehouse with this T-3 register and no daily-close rows."""
    frame = pd.DataFrame([{c: r.get(c) for c in T.T3_WARNINGS} for r in rows], columns=list(T.T3_WARNINGS))
    with duckdb.connect(str(home / "warehouse" / "build.duckdb")) as conn:
        write_table(conn, "t3_warnings", frame, T.T3_WARNINGS, schema=T.SCHEMA)
        for name in ("daily_close", "daily_close_materials", "schedule_orders"):
            empty = pd.DataFrame(columns=list(T.CONTRACTS[name]))
            write_table(conn, name, empty, T.CONTRACTS[name], schema=T.SCHEMA)
        conn.execute("create schema if not exists marts")
        conn.execute(
            "create or replace table marts.fct_production_operations "
            "(production_order_id varchar, operation_seq integer, work_center varchar)"
        )
    result = materialize([ops_decisions], resources={"warehouse": WarehouseResource(home=str(home))})
    assert result.success


def test_the_step_opens_notifies_keeps_what_people_decided_and_reopens(store_url, tmp_path, monkeypatch):
    monkeypatch.setenv("OMNIOPS_DB_URL", store_url)
    monkeypatch.delenv("OMNIOPS_ALERT_WEBHOOK", raising=False)
    monkeypatch.delenv("OMNIOPS_SMTP_HOST", raising=False)
    (tmp_path / "warehouse").mkdir()
    rows = [register_row(), register_row("T3-00002", projected_late=False)]
    _run_step(tmp_path, rows)  # a fresh store: the step migrates it, then opens both warnings
    store = Store(store_url)
    for warning_id in ("T3-00001", "T3-00002"):
        t3_loop.acknowledge(
            store, PEOPLE["pete"], warning_id, countermeasure="overtime", expected_recovery=date(2026, 12, 3)
        )
        t3_loop.resolve(store, PEOPLE["pete"], warning_id, action_taken="overtime", root_cause="CAPACITY")
    _run_step(tmp_path, rows)  # the next plan: T3-00001 still late, T3-00002 on time
    with duckdb.connect(str(tmp_path / "warehouse" / "build.duckdb"), read_only=True) as conn:
        states = dict(conn.execute("select id, state from ops.t3_warnings").fetchall())
        kinds = conn.execute("select entity_id, kind from ops.notifications order by id").fetchall()
        acted = conn.execute("select count(*) from ops.audit_log where actor = 'pete'").fetchone()[0]
    assert states == {"T3-00001": "open", "T3-00002": "resolved"}
    assert kinds == [("T3-00001", "new"), ("T3-00002", "new"), ("T3-00001", "reopened")]
    assert acted == 4
    store.engine.dispose()


def test_a_rush_proposal_is_evaluated_on_the_published_plan(built_instance):
    """The what-if on the test company's plan: an on-time order and an impossible one (due tomorrow with
    a large quantity), whose earliest feasible completion and bottleneck are given."""
    from decisions.rush_loop import evaluate

    with duckdb.connect(str(built_instance.published_db), read_only=True) as conn:
        sku = conn.execute("select min(sku) from staging.stg_erp__routings").fetchone()[0]
        as_of = conn.execute("select max(as_of) from production.schedule_runs").fetchone()[0]
        easy = evaluate(conn, sku, 5, as_of + pd.Timedelta(days=20), time_limit=2)
        hard = evaluate(conn, sku, 5000, as_of + pd.Timedelta(hours=20), time_limit=2)
    assert easy["on_time"] and easy["planned_completion"] <= as_of + pd.Timedelta(days=20)
    assert easy["earliest_completion"] is None and easy["late_because"] is None
    assert not hard["on_time"] and hard["planned_completion"] > as_of + pd.Timedelta(hours=20)
    assert hard["earliest_completion"] <= hard["planned_completion"]
    assert hard["late_because"].startswith("waits ") and " at " in hard["late_because"]
    for order in hard["delayed_orders"]:
        assert order["completion_after"] > order["completion_before"] and order["customer_tier"] in "ABC"


def test_a_second_proposal_is_evaluated_on_a_plan_holding_the_approved_first_and_repeats(
    built_instance, tmp_path
):
    """Two proposals at once: the second's what-if holds the first once PMC approved it (not while it is
    only proposed, nor after a rejection); the same request gives the same result, held ones included."""
    from decisions import rush_loop

    store = Store(f"sqlite:///{tmp_path / 'decisions.sqlite'}")
    store.upgrade()
    with duckdb.connect(str(built_instance.published_db), read_only=True) as conn:
        sku = conn.execute("select min(sku) from staging.stg_erp__routings").fetchone()[0]
        due = conn.execute("select max(as_of) from production.schedule_runs").fetchone()[0] + pd.Timedelta(
            days=9
        )

        def evaluate(held=None) -> dict:
            return rush_loop.evaluate(conn, sku, 40, due, time_limit=1, held=held)

        alone = evaluate()
        assert evaluate() == alone and alone["held"] == []  # deterministic
        args = dict(sku=sku, quantity=40, due_at=due, tier="A", frozen_minutes=480)
        for _ in range(3):
            rush_loop.propose(store, PEOPLE["pete"], **args, evaluation=alone)
        rush_loop.reject(store, PEOPLE["pam"], "RUSH-00003", comment="no capacity")
        assert rush_loop.held_proposals(store) == []  # proposed or rejected: nothing held
        rush_loop.approve(store, PEOPLE["pam"], "RUSH-00001", comment="ok")
        held = rush_loop.held_proposals(store)
        assert [p["id"] for p in held] == ["RUSH-00001"]
        assert rush_loop.held_proposals(store, plan={"RUSH-00001"}) == []  # in the plan already
        second = evaluate(held)
        assert evaluate(held) == second
    ((held_id, completion),) = [(h["id"], h["planned_completion"]) for h in second["held"]]
    assert held_id == "RUSH-00001" and completion is not None
    assert second["planned_completion"] is not None
    store.engine.dispose()


def test_omniops_rush_propose_on_the_published_plan(built_instance, tmp_path, monkeypatch, capsys):
    from orchestration.cli import main

    users = tmp_path / "users.toml"
    users.write_text('[users.pete]\nrole = "planner"\n', encoding="utf-8")
    monkeypatch.setenv("OMNIOPS_HOME", str(built_instance.home))
    monkeypatch.setenv("OMNIOPS_DB_URL", f"sqlite:///{tmp_path / 'decisions.sqlite'}")
    monkeypatch.setenv("OMNIOPS_USERS_FILE", str(users))
    monkeypatch.delenv("OMNIOPS_USERS", raising=False)
    assert main(["db", "upgrade"]) == 0
    with duckdb.connect(str(built_instance.published_db), read_only=True) as conn:
        sku = conn.execute("select min(sku) from staging.stg_erp__routings").fetchone()[0]
        as_of = conn.execute("select max(as_of) from production.schedule_runs").fetchone()[0]
    capsys.readouterr()
    due = (as_of + pd.Timedelta(days=10)).strftime("%Y-%m-%d")
    argv = ["rush", "propose", "--user", "pete", "--sku", sku, "--quantity", "5", "--due", due, "--json"]
    assert main([*argv, "--time-limit", "2"]) == 0
    saved = json.loads(capsys.readouterr().out)
    assert (saved["id"], saved["state"], saved["requested_by"], saved["sku"]) == (
        "RUSH-00001",
        "proposed",
        "pete",
        sku,
    )
    assert saved["planned_completion"] and saved["on_time"] is True


def test_an_acknowledged_rush_proposal_enters_the_next_plan(built_instance, tmp_path, monkeypatch):
    """proposed → approved → acknowledged, then the plan step and ops_decisions on a copy of the
    published warehouse: the order is in the CP-SAT plan and the proposal is planned with its completion."""
    import shutil

    from decisions import rush_loop
    from orchestration.assets.production import production_schedule_assets

    home = tmp_path / "home"
    (home / "warehouse").mkdir(parents=True)
    shutil.copy(built_instance.published_db, home / "warehouse" / "build.duckdb")
    monkeypatch.setenv("OMNIOPS_HOME", str(home))
    monkeypatch.setenv("OMNIOPS_DB_URL", f"sqlite:///{tmp_path / 'decisions.sqlite'}")
    monkeypatch.delenv("OMNIOPS_ALERT_WEBHOOK", raising=False)
    monkeypatch.delenv("OMNIOPS_SMTP_HOST", raising=False)
    store = Store()
    store.upgrade()
    with duckdb.connect(str(built_instance.published_db), read_only=True) as conn:
        sku = conn.execute("select min(sku) from staging.stg_erp__routings").fetchone()[0]
        due = conn.execute("select max(as_of) from production.schedule_runs").fetchone()[0] + pd.Timedelta(
            days=9
        )
        evaluation = rush_loop.evaluate(conn, sku, 5, due, time_limit=2)
    args = dict(sku=sku, quantity=5, due_at=due, tier="A", frozen_minutes=480, evaluation=evaluation)
    rush_loop.propose(store, PEOPLE["pete"], **args)
    rush_loop.propose(store, PEOPLE["pete"], **args)  # RUSH-00002 is never approved: not planned
    rush_loop.approve(store, PEOPLE["pam"], "RUSH-00001", comment="ok")
    rush_loop.acknowledge(store, PEOPLE["sue"], "RUSH-00001")
    resources = {"warehouse": WarehouseResource(home=str(home))}
    assert materialize([production_schedule_assets, ops_decisions], resources=resources).success
    with duckdb.connect(str(home / "warehouse" / "build.duckdb"), read_only=True) as conn:
        in_plan = dict(
            conn.execute(
                "select production_order_id, planned_completion_utc from production.schedule_orders "
                "where method = 'cpsat' and production_order_id like 'RUSH-%'"
            ).fetchall()
        )
        published = dict(conn.execute("select id, state from ops.rush_proposals").fetchall())
    saved = {p["id"]: p for p in rush_loop.list_proposals(store)}
    assert list(in_plan) == ["RUSH-00001"]
    assert (saved["RUSH-00001"]["state"], saved["RUSH-00001"]["plan_completion"]) == (
        "planned",
        in_plan["RUSH-00001"],
    )
    assert published == {"RUSH-00001": "planned", "RUSH-00002": "proposed"}
    store.engine.dispose()
