"""The escalation clock runs by itself: the Dagster schedule asks for the escalation job every quarter
hour, and the job (run by Dagster, at a ``now`` the test sets) climbs an unacknowledged warning after the
seed's hours per level and tells the new owner by webhook and e-mail — received by a local HTTP server and
a local SMTP server (aiosmtpd)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_bytes

from dagster import DagsterInstance, DefaultScheduleStatus, build_schedule_context

from decisions import t3_loop
from decisions.notify import inbox
from decisions.store import Store
from orchestration.escalation_clock import ESCALATION_EVERY_MINUTES, escalation_job
from orchestration.resources import WarehouseResource
from orchestration.schedules import escalation_schedule
from tests.decisions.conftest import PEOPLE, T0
from tests.decisions.test_t3_loop import register_row
from tests.pipeline.webhook import webhook_receiver


def _tick(home, now: datetime) -> None:
    config = {"ops": {"escalate_t3_warnings": {"config": {"now": now.isoformat()}}}}
    result = escalation_job.execute_in_process(
        run_config=config, resources={"warehouse": WarehouseResource(home=str(home))}
    )
    assert result.success


def test_the_schedule_starts_the_escalation_job_every_quarter_hour_by_default():
    assert escalation_schedule.job_name == "omniops_escalation"
    assert escalation_schedule.cron_schedule == f"*/{ESCALATION_EVERY_MINUTES} * * * *"
    assert escalation_schedule.default_status == DefaultScheduleStatus.RUNNING
    moment = datetime(2026, 12, 1, 8, 15, tzinfo=UTC)
    with DagsterInstance.ephemeral() as instance:
        context = build_schedule_context(instance=instance, scheduled_execution_time=moment)
        (request,) = escalation_schedule.evaluate_tick(context).run_requests
    assert request.run_key == f"escalation-{moment.isoformat()}"


def test_an_unacknowledged_warning_climbs_on_the_clock_and_the_new_owner_is_told(
    store_url, tmp_path, monkeypatch, smtp_server, users_with_email
):
    smtp, mailbox = smtp_server
    monkeypatch.setenv("OMNIOPS_DB_URL", store_url)
    monkeypatch.setenv("OMNIOPS_SMTP_HOST", smtp.host)
    monkeypatch.setenv("OMNIOPS_SMTP_PORT", str(smtp.port))
    monkeypatch.setenv("OMNIOPS_SMTP_FROM", smtp.sender)
    store = Store(store_url)
    store.upgrade()
    t3_loop.sync_register(store, [register_row(), register_row("T3-00002")], now=T0)
    t3_loop.acknowledge(
        store, PEOPLE["pete"], "T3-00002", countermeasure="overtime", expected_recovery="2026-12-03"
    )
    hour = timedelta(hours=1)
    with webhook_receiver() as (url, posted):
        monkeypatch.setenv("OMNIOPS_ALERT_WEBHOOK", url)
        _tick(tmp_path, T0 + 8 * hour - timedelta(minutes=1))  # seed: T-3 has 8 h to acknowledge
        assert t3_loop.get_warning(store, "T3-00001")["level"] == "T-3"
        news = [p["event"] for p in posted]
        _tick(tmp_path, T0 + 8 * hour)
        climbed = posted[len(news) :]
        _tick(tmp_path, T0 + 12 * hour)  # T-2 has 4 h: the production manager's now
    assert news == ["new", "new"]  # what the run queued went out with the first tick
    assert [(p["event"], p["recipient"], p["entity_id"]) for p in climbed] == [
        ("climbed", "wu.min", "T3-00001")
    ]
    assert [(p["event"], p["recipient"]) for p in posted[3:]] == [("climbed", "manager")]
    one, two = t3_loop.get_warning(store, "T3-00001"), t3_loop.get_warning(store, "T3-00002")
    assert (one["level"], one["owner"], one["level_since"]) == ("T-1", "manager", T0 + 12 * hour)
    assert (two["level"], two["state"]) == ("T-3", "acknowledged")  # acknowledged: the clock stopped
    assert [to for to, _ in mailbox.received] == [["wu.min@plant.example"]] * 3 + [["manager@plant.example"]]
    mail = message_from_bytes(mailbox.received[-1][1])
    assert "climbed to T-1" in mail.get_payload() and "T3-00001" in mail["Subject"]
    assert all(n["delivered"] for n in inbox(store, "manager"))
    store.engine.dispose()
