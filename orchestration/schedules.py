"""When the pipeline runs by itself: every morning, after the night's exports have landed."""

from __future__ import annotations

from dagster import AssetSelection, ScheduleDefinition, define_asset_job

everything_job = define_asset_job(
    "omniops_daily", selection=AssetSelection.all(), description="Land, transform, KPIs, publish."
)

daily_schedule = ScheduleDefinition(
    job=everything_job,
    cron_schedule="0 6 * * *",
    execution_timezone="Asia/Shanghai",
    description="Daily run at 06:00 company time.",
)
