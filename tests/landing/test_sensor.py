"""The landing sensor asks for a run when exports arrive, once per new state of the folder."""

from __future__ import annotations

from dagster import DagsterInstance, build_sensor_context

from orchestration.sensors import landing_file_sensor


def tick(instance: DagsterInstance, cursor: str | None):
    data = landing_file_sensor.evaluate_tick(build_sensor_context(instance=instance, cursor=cursor))
    return data.run_requests, data.cursor


def test_a_new_file_requests_one_run_and_the_same_state_none(tmp_path, monkeypatch):
    monkeypatch.setenv("OMNIOPS_HOME", str(tmp_path))
    landing = tmp_path / "landing"
    (landing / "shopify" / "_rejected").mkdir(parents=True)
    (landing / "shopify" / "orders_export_2026-03.csv").write_text("Name\n#1\n")
    with DagsterInstance.ephemeral() as instance:
        requests, cursor = tick(instance, None)
        assert len(requests) == 1
        assert landing_file_sensor.job_name == "omniops_daily"

        requests, cursor = tick(instance, cursor)
        assert requests == []

        # Neither a rejected file nor the generator's manifest is an export to land.
        (landing / "shopify" / "_rejected" / "orders_export_bad.csv").write_text("x")
        (landing / "_manifest.json").write_text("{}")
        requests, cursor = tick(instance, cursor)
        assert requests == []

        (landing / "amazon").mkdir()
        (landing / "amazon" / "All-Orders-Report_a.txt").write_text("amazon-order-id\n111-1\n")
        requests, cursor = tick(instance, cursor)
        assert len(requests) == 1
        first_key = requests[0].run_key

        requests, cursor = tick(instance, cursor)
        assert requests == []

        (landing / "amazon" / "All-Orders-Report_a.txt").write_text("amazon-order-id\n111-1\n111-2\n")
        requests, cursor = tick(instance, cursor)
        assert len(requests) == 1 and requests[0].run_key != first_key


def test_a_daily_export_labels_its_run_with_the_day_and_the_schedule_with_yesterday(tmp_path, monkeypatch):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from dagster import build_schedule_context

    from landing.days import DAY_TAG
    from orchestration.schedules import daily_schedule

    monkeypatch.setenv("OMNIOPS_HOME", str(tmp_path))
    (tmp_path / "landing" / "shopify").mkdir(parents=True)
    (tmp_path / "landing" / "shopify" / "orders_export_2026-11.csv").write_text("Name\n#1\n")
    with DagsterInstance.ephemeral() as instance:
        requests, cursor = tick(instance, None)
        assert DAY_TAG not in requests[0].tags  # a monthly file names no day

        (tmp_path / "landing" / "shopify" / "orders_export_2026-11-22.csv").write_text("Name\n#2\n")
        (tmp_path / "landing" / "tmall").mkdir()
        (tmp_path / "landing" / "tmall" / "ExportOrderList20261121.csv").write_text("x\n")
        requests, cursor = tick(instance, cursor)
        assert requests[0].tags[DAY_TAG] == "2026-11-22"

        six_am = datetime(2026, 11, 23, 6, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
        context = build_schedule_context(instance=instance, scheduled_execution_time=six_am)
        request = daily_schedule.evaluate_tick(context).run_requests[0]
        assert request.tags[DAY_TAG] == "2026-11-22"
        assert daily_schedule.job_name == "omniops_daily"
