"""The run-failure sensor (runs the Dagster daemon launches) sends one clear alert per failed run."""

from __future__ import annotations

import json

import pytest
from dagster import DagsterInstance, build_run_status_sensor_context, job, op

from orchestration.alerts import ALERTED_TAG, RunFailureAlert, send_alert
from orchestration.sensors import omniops_run_failure_sensor
from tests.pipeline.webhook import webhook_receiver


@op
def land_shopify_orders():
    raise ValueError("landing/shopify/orders_export_2026-11-22.csv: disk quota exceeded")


@job
def nightly():
    land_shopify_orders()


def failure_context(instance: DagsterInstance, tags: dict | None = None):
    result = nightly.execute_in_process(instance=instance, raise_on_error=False, tags=tags or {})
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "PIPELINE_FAILURE")
    return result, build_run_status_sensor_context(
        sensor_name="omniops_run_failure_alert",
        dagster_instance=instance,
        dagster_run=result.dagster_run,
        dagster_event=failure,
    ).for_run_failure()


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("OMNIOPS_HOME", str(tmp_path))
    monkeypatch.delenv("OMNIOPS_ALERT_FILE", raising=False)
    return tmp_path


def test_a_failed_run_is_written_to_the_alert_file_and_posted_to_the_webhook(home, monkeypatch):
    with DagsterInstance.ephemeral() as instance, webhook_receiver() as (url, received):
        monkeypatch.setenv("OMNIOPS_ALERT_WEBHOOK", url)
        result, context = failure_context(instance)
        omniops_run_failure_sensor(context)

    lines = (home / "alerts" / "alerts.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    alert = json.loads(lines[0])
    assert alert["job"] == "nightly" and alert["run_id"] == result.run_id
    assert alert["failed_steps"] == ["land_shopify_orders"]
    assert alert["error"] == "ValueError: landing/shopify/orders_export_2026-11-22.csv: disk quota exceeded"
    assert alert["summary"].startswith(
        f"OmniOps run {result.run_id} of nightly failed steps land_shopify_orders"
    )
    assert received == [alert]


def test_the_alert_file_can_be_pointed_elsewhere(home, tmp_path_factory, monkeypatch):
    elsewhere = tmp_path_factory.mktemp("ops") / "omniops-alerts.jsonl"
    monkeypatch.setenv("OMNIOPS_ALERT_FILE", str(elsewhere))
    monkeypatch.delenv("OMNIOPS_ALERT_WEBHOOK", raising=False)
    with DagsterInstance.ephemeral() as instance:
        omniops_run_failure_sensor(failure_context(instance)[1])
    assert len(elsewhere.read_text(encoding="utf-8").splitlines()) == 1
    assert not (home / "alerts").exists()


def test_a_run_that_already_alerted_is_not_announced_twice(home, monkeypatch):
    monkeypatch.delenv("OMNIOPS_ALERT_WEBHOOK", raising=False)
    with DagsterInstance.ephemeral() as instance:
        _, context = failure_context(instance, tags={ALERTED_TAG: "omniops run"})
        omniops_run_failure_sensor(context)
    assert not (home / "alerts" / "alerts.jsonl").exists()


def test_a_webhook_that_is_down_does_not_lose_the_alert(tmp_path, caplog):
    alert = RunFailureAlert(job="omniops_daily", run_id="r1", error="step x failed: boom")
    # Port 9 on localhost (discard) is closed here: the POST fails at once.
    delivered = send_alert(alert, tmp_path / "alerts.jsonl", webhook_url="http://127.0.0.1:9/hook")
    assert delivered == ["log", str(tmp_path / "alerts.jsonl")]
    assert json.loads((tmp_path / "alerts.jsonl").read_text())["run_id"] == "r1"
    assert "alert webhook http://127.0.0.1:9/hook failed" in caplog.text
