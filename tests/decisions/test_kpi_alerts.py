"""KPI alerts (issue 21): subscriptions per user from the command line, the last-seven-days readings
computed by hand on small marts, and the run step that tells the subscribers when OTD, OEE or the first
response crosses its target — received by a local webhook and a local SMTP server (aiosmtpd)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from email import message_from_bytes

import duckdb
import pytest
import sqlalchemy as sa
from dagster import materialize

from decisions import kpi_alerts
from decisions.kpi_alerts import KpiReading, crossing, latest_week
from decisions.notify import inbox
from decisions.people import actor
from decisions.store import Store
from decisions.tables import audit_log
from orchestration.assets.kpi_alerts import kpi_alerts as kpi_alerts_asset
from orchestration.cli import main
from orchestration.resources import WarehouseResource
from tests.pipeline.webhook import webhook_receiver

LAST = date(2026, 11, 30)


def reading(value, target=0.95, direction="min") -> KpiReading:
    return KpiReading("otd_rate", value, target, direction, LAST - timedelta(days=6), LAST)


@pytest.mark.parametrize(
    "value, last, expected",
    [
        (0.90, None, "off_target"),  # first reading, off target: tell
        (0.96, None, None),  # first reading, on target: nothing to say
        (0.90, True, "off_target"),
        (0.90, False, None),  # still off: said already
        (0.95, False, "on_target"),  # exactly the target counts as on it
        (0.97, True, None),
        (None, True, None),
    ],
)
def test_a_kpi_alerts_only_when_it_crosses_its_target(value, last, expected):
    assert crossing(reading(value), last) == expected


def test_a_kpi_to_minimise_is_on_target_at_or_below_it():
    assert crossing(reading(250, target=240, direction="max"), True) == "off_target"
    assert crossing(reading(240, target=240, direction="max"), False) == "on_target"


def write_marts(path, otd=(9, 10), oee=(360, 480), response=(300, 1)) -> None:
    """Fourteen days of each daily mart: the last seven days with the given numerator and denominator on
    the last day (and 1 on time of 1, OEE 1, 100 min per ticket before); the week before at 100 %."""
    with duckdb.connect(str(path)) as conn:
        conn.execute("create schema if not exists marts")
        conn.execute(
            "create or replace table marts.kpi_delivery_daily (delivered_date date, channel varchar, "
            "on_time_orders bigint, delivered_orders bigint)"
        )
        conn.execute(
            "create or replace table marts.kpi_machine_daily (shift_date date, machine_id varchar, "
            "oee_weighted double, planned_production_minutes double)"
        )
        conn.execute(
            "create or replace table marts.kpi_cs_daily (created_date date, channel varchar, tickets bigint, "
            "answered_tickets bigint, first_response_minutes double)"
        )
        for back in range(14):
            day = LAST - timedelta(days=back)
            last = back == 0
            conn.execute(
                "insert into marts.kpi_delivery_daily values (?, 'shopify', ?, ?)",
                [day, *(otd if last else (1, 1))],
            )
            conn.execute(
                "insert into marts.kpi_machine_daily values (?, 'M1', ?, ?)",
                [day, *(oee if last else (480, 480))],
            )
            conn.execute(
                "insert into marts.kpi_cs_daily values (?, 'tmall', 1, ?, ?)",
                [day, *((response[1], response[0]) if last else (1, 100))],
            )


def test_the_last_seven_days_by_hand(tmp_path):
    path = tmp_path / "build.duckdb"
    write_marts(path)
    with duckdb.connect(str(path)) as conn:
        readings = {r.kpi: r for r in latest_week(conn)}
    otd, oee, response = readings["otd_rate"], readings["oee"], readings["cs_first_response"]
    assert (otd.period_start, otd.period_end) == (date(2026, 11, 24), LAST)
    # OTD: 6 days × 1 of 1 + 9 of 10 = 15 / 16; the week before 7 / 7.
    assert otd.value == pytest.approx(15 / 16) and otd.previous == 1.0 and otd.on_target is False
    # OEE: (6 × 480 + 360) / (7 × 480) = 3240 / 3360 ≈ 96.4 % ≥ 80 %.
    assert oee.value == pytest.approx(3240 / 3360) and oee.on_target
    # First response: (6 × 100 + 300) min / 7 answered = 128.6 min ≤ 240 min.
    assert response.value == pytest.approx(900 / 7) and response.on_target
    assert (otd.target, otd.direction, response.target, response.direction) == (0.95, "min", 240.0, "max")


@pytest.fixture
def cli(store_url, tmp_path, monkeypatch, capsys, users_with_email):
    monkeypatch.setenv("OMNIOPS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("OMNIOPS_DB_URL", store_url)

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_subscribe_unsubscribe_and_list_from_the_command_line(cli, store_url):
    code, _, err = cli("alerts", "list", "--user", "manager")
    assert code == 3 and "omniops db upgrade" in err
    cli("db", "upgrade")
    assert cli("alerts", "subscribe", "--user", "manager", "--kpi", "otd_rate")[0] == 0
    assert cli("alerts", "subscribe", "--user", "manager", "--kpi", "otd_rate")[0] == 0  # twice: kept once
    assert cli("alerts", "subscribe", "--user", "wu.min", "--kpi", "oee")[0] == 0
    code, out, _ = cli("alerts", "list", "--user", "manager", "--json")
    assert code == 0 and [(r["username"], r["kpi"]) for r in json.loads(out)] == [("manager", "otd_rate")]
    code, out, _ = cli("alerts", "list", "--user", "manager", "--all", "--json")
    assert [(r["username"], r["kpi"]) for r in json.loads(out)] == [
        ("wu.min", "oee"),
        ("manager", "otd_rate"),
    ]
    code, _, err = cli("alerts", "subscribe", "--user", "manager", "--kpi", "revenue")
    assert code == 2 and "no KPI alert 'revenue'" in err and "otd_rate, oee, cs_first_response" in err
    code, _, err = cli("alerts", "subscribe", "--user", "nobody", "--kpi", "oee")
    assert code == 2 and "no user 'nobody'" in err
    assert cli("alerts", "unsubscribe", "--user", "wu.min", "--kpi", "oee")[0] == 0
    code, _, err = cli("alerts", "unsubscribe", "--user", "wu.min", "--kpi", "oee")
    assert code == 1 and "not subscribed" in err
    code, out, _ = cli("alerts", "list", "--user", "wu.min", "--all", "--json")
    assert [(r["username"], r["kpi"]) for r in json.loads(out)] == [("manager", "otd_rate")]
    store = Store(store_url)
    with store.read() as conn:
        actions = conn.execute(
            sa.select(audit_log.c.actor, audit_log.c.action).where(audit_log.c.entity == "kpi_subscriptions")
        ).all()
    assert actions == [
        ("manager", "kpi.subscribe"),
        ("wu.min", "kpi.subscribe"),
        ("wu.min", "kpi.unsubscribe"),
    ]
    store.engine.dispose()


def test_after_a_run_the_subscribers_of_a_kpi_that_crossed_its_target_are_told(
    store_url, tmp_path, monkeypatch, smtp_server, users_with_email
):
    smtp, mailbox = smtp_server
    home = tmp_path / "home"
    (home / "warehouse").mkdir(parents=True)
    for name, value in {
        "OMNIOPS_DB_URL": store_url,
        "OMNIOPS_SMTP_HOST": smtp.host,
        "OMNIOPS_SMTP_PORT": str(smtp.port),
        "OMNIOPS_SMTP_FROM": smtp.sender,
    }.items():
        monkeypatch.setenv(name, value)
    store = Store(store_url)
    store.upgrade()
    kpi_alerts.subscribe(store, actor("manager"), "otd_rate")
    kpi_alerts.subscribe(store, actor("wu.min"), "otd_rate")
    kpi_alerts.subscribe(store, actor("wu.min"), "cs_first_response")
    resources = {"warehouse": WarehouseResource(home=str(home))}

    def run(**marts) -> list[dict]:
        write_marts(home / "warehouse" / "build.duckdb", **marts)
        with webhook_receiver() as (url, posted):
            monkeypatch.setenv("OMNIOPS_ALERT_WEBHOOK", url)
            assert materialize([kpi_alerts_asset], resources=resources).success
        return posted

    posted = run()  # OTD 15/16 < 95 %: off target; OEE and first response on target
    assert [(p["recipient"], p["entity"], p["entity_id"], p["event"]) for p in posted] == [
        ("manager", "kpi_alert", "otd_rate", "off_target"),
        ("wu.min", "kpi_alert", "otd_rate", "off_target"),
    ]
    assert (
        "On-time delivery 93.8% over 2026-11-24 – 2026-11-30 is off its target (at least 95.0%)"
        in (posted[0]["message"])
    )
    assert sorted(to for (to,), _ in mailbox.received) == ["manager@plant.example", "wu.min@plant.example"]
    assert run() == []  # still off target: said once
    posted = run(otd=(10, 10), response=(2000, 1))  # OTD back on target; first response 371 min > 240
    assert sorted((p["recipient"], p["entity_id"], p["event"]) for p in posted) == [
        ("manager", "otd_rate", "on_target"),
        ("wu.min", "cs_first_response", "off_target"),
        ("wu.min", "otd_rate", "on_target"),
    ]
    mail = message_from_bytes(mailbox.received[-1][1])
    assert mail["To"] == "wu.min@plant.example" and "First response time 371 min" in mail.get_payload()
    kinds = [(n["entity_id"], n["kind"], n["delivered"]) for n in inbox(store, "manager")]
    assert kinds == [("otd_rate", "on_target", True), ("otd_rate", "off_target", True)]
    store.engine.dispose()
