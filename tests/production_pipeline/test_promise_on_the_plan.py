"""Capable-to-promise and the expected ship date on the built demo company: ``omniops promise --json``
keeps its keys, a production answer is a job in the plan's free gaps, and every open order made to order
ships on its production order's planned completion with that order's T-3 level."""

from __future__ import annotations

import json
import shutil

import duckdb
import pandas as pd
import pytest

from core.settings import COMPANY_TIME_ZONE
from orchestration.cli import main
from orchestration.promise_commands import JSON_KEYS
from planning.promise_answer import expected_ship_dates, order_ship_date, promise
from planning.promise_atp import read_atp_daily


@pytest.fixture()
def conn(built_instance):
    with duckdb.connect(str(built_instance.published_db), read_only=True) as connection:
        yield connection


def run_cli(built_instance, monkeypatch, capsys, *args: str) -> tuple[int, dict]:
    monkeypatch.setenv("OMNIOPS_HOME", str(built_instance.home))
    code = main(["promise", *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_cli_json_contract_and_bad_input(built_instance, monkeypatch, capsys):
    (sku,) = built_instance.query(
        "select sku from marts.fct_inventory_daily where snapshot_date = "
        "(select max(snapshot_date) from marts.fct_inventory_daily) order by on_hand_qty desc, sku limit 1"
    )[0]
    code, answer = run_cli(built_instance, monkeypatch, capsys, "--sku", sku, "--qty", "1")
    assert code == 0 and tuple(answer) == JSON_KEYS
    assert answer["source"] == "stock" and answer["ship_date"] >= answer["as_of"]
    code, error = run_cli(built_instance, monkeypatch, capsys, "--sku", "NO-SUCH-SKU", "--qty", "1")
    assert code == 2 and "NO-SUCH-SKU" in error["reason"]


def test_production_answer_is_a_job_in_the_free_gaps_of_the_plan(conn):
    (sku,) = conn.execute(
        "select r.sku from staging.stg_erp__routings r join marts.dim_products p using (sku) "
        "where p.is_active order by r.sku limit 1"
    ).fetchone()
    on_hand = conn.execute(
        "select coalesce(sum(on_hand_qty + in_transit_qty), 0) from marts.fct_inventory_daily "
        "where sku = ? and snapshot_date = (select max(snapshot_date) from marts.fct_inventory_daily)",
        [sku],
    ).fetchone()[0]
    answer = promise(conn, sku, int(on_hand) + 50, COMPANY_TIME_ZONE)
    assert answer.source == "production" and answer.to_make >= 50
    ops = answer.detail["operations"]
    assert min(op["start_minute"] for op in ops) >= 480  # after the frozen shift
    assert all(a["end_minute"] <= b["start_minute"] for a, b in zip(ops, ops[1:], strict=False))
    planned = conn.execute(
        "select machine_id, start_minute, end_minute from production.schedule where method = "
        "(select method from production.schedule_runs where is_chosen limit 1)"
    ).df()
    for op in ops:  # no planned operation moved, and the job overlaps none of them
        same = planned[planned["machine_id"] == op["machine"]]
        overlap = (same["start_minute"] < op["end_minute"]) & (same["end_minute"] > op["start_minute"])
        assert not overlap.any(), op
    last = pd.Timestamp(answer.planned_completion)
    assert answer.ship_date == last.tz_localize("UTC").tz_convert(COMPANY_TIME_ZONE).date()


@pytest.fixture()
def made_to_order(built_instance, tmp_path):
    """A copy of the warehouse where one open order is made to order: its first line's SKU becomes that of
    a production order in the chosen plan (one with an open T-3 warning when there is one, else it gets
    one), and that production order's source names the sales order, as the ERP writes it."""
    path = tmp_path / "omniops.duckdb"
    shutil.copyfile(built_instance.published_db, path)
    with duckdb.connect(str(path)) as db:
        order_key, ref = db.execute(
            "select order_key, channel || ':' || coalesce(fulfilment_ref, '') from marts.fct_orders "
            "where order_status = 'confirmed' order by order_key limit 1"
        ).fetchone()
        production_order, sku = db.execute(
            "select o.production_order_id, o.sku from production.schedule_orders o "
            "where o.method = (select method from production.schedule_runs where is_chosen limit 1) "
            "order by exists (select 1 from production.t3_warnings w where w.status = 'open' "
            "and w.production_order_id = o.production_order_id) desc, o.production_order_id limit 1"
        ).fetchone()
        db.execute(
            "update marts.fct_order_lines set sku = ?, line_status = 'confirmed' where order_key = ? "
            "and line_number = (select min(line_number) from marts.fct_order_lines where order_key = ?)",
            [sku, order_key, order_key],
        )
        db.execute(
            "update marts.fct_production_operations set sales_order_ref = null where sales_order_ref = ?",
            [ref],
        )
        db.execute(
            "update marts.fct_production_operations set sales_order_ref = ? where production_order_id = ?",
            [ref, production_order],
        )
        db.execute(  # a small company may have no T-3 warning: give this order one, as the T-3 step does
            "insert into production.t3_warnings "
            "(warning_id, production_order_id, sku, level, status, opened_at) "
            "select 'T3-TEST', ?, ?, 'T-1', 'open', now() where not exists (select 1 from "
            "production.t3_warnings where production_order_id = ? and status = 'open')",
            [production_order, sku, production_order],
        )
    with duckdb.connect(str(path), read_only=True) as db:
        yield db, order_key, production_order, sku


def test_expected_ship_date_of_a_made_to_order_line_is_the_planned_completion(made_to_order):
    db, order_key, production_order, sku = made_to_order
    completion, level = db.execute(
        "select planned_completion_utc, (select level from production.t3_warnings w where w.status = 'open' "
        "and w.production_order_id = o.production_order_id order by opened_at desc limit 1) "
        "from production.schedule_orders o where production_order_id = ? "
        "and method = (select method from production.schedule_runs where is_chosen limit 1)",
        [production_order],
    ).fetchone()
    lines = expected_ship_dates(db, order_key, COMPANY_TIME_ZONE)
    line = lines.loc[lines["sku"] == sku].iloc[0]
    done = pd.Timestamp(completion).tz_localize("UTC").tz_convert(COMPANY_TIME_ZONE).date()
    assert (line["source"], line["expected_ship_date"]) == ("production", done)
    assert level is not None and line["t3_level"] == level
    assert line["production_order_id"] == production_order
    others = lines.loc[lines["sku"] != sku]
    assert (others["source"] == "stock").all()
    assert order_ship_date(lines) == (
        None if others["expected_ship_date"].isna().any() else max(lines["expected_ship_date"])
    )
    assert order_ship_date(lines) is None or order_ship_date(lines) >= done


def test_every_open_order_gets_a_date_or_a_shortage(conn):
    keys = [k for (k,) in conn.execute(
        "select order_key from marts.fct_orders where order_status in ('pending', 'confirmed') "
        "order by order_key limit 20"
    ).fetchall()]  # fmt: skip
    assert keys
    for key in keys:
        lines = expected_ship_dates(conn, key, COMPANY_TIME_ZONE)
        for line in lines.itertuples():
            assert line.source in ("stock", "production")
            if line.source == "stock" and line.expected_ship_date is not None:
                atp = read_atp_daily(conn, line.sku, line.warehouse)
                later = atp.loc[atp["date"] >= line.expected_ship_date, "atp"]
                need = 0 if line.line_status == "confirmed" else line.open_quantity
                assert later.min() >= need
                earlier = atp.loc[atp["date"] < line.expected_ship_date, "atp"]
                assert earlier.empty or earlier.iloc[-1] < need
