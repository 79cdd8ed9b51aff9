"""When the pipeline runs by itself: every morning after the night's exports, the forecast weekly, and
the T-3 escalation clock every quarter hour (on by default: a warning must climb without anyone asking).

The daily run is tagged with the company-time day it closes (yesterday at 06:00 Asia/Shanghai); the
work itself is defined by what has landed, not by the tag (see landing/days.py).
"""

from datetime import timedelta

from dagster import DefaultScheduleStatus, RunRequest, ScheduleEvaluationContext, schedule

from core.settings import COMPANY_TIME_ZONE
from landing.days import DAY_TAG
from orchestration.escalation_clock import ESCALATION_EVERY_MINUTES, escalation_job
from orchestration.jobs import daily_job, weekly_forecast_job


@schedule(
    job=daily_job,
    cron_schedule="0 6 * * *",
    execution_timezone=COMPANY_TIME_ZONE,
    description="Daily run at 06:00 company time: yesterday's exports, incrementally.",
)
def daily_schedule(context: ScheduleEvaluationContext) -> RunRequest:
    day = (context.scheduled_execution_time - timedelta(days=1)).date().isoformat()
    return RunRequest(run_key=f"daily-{day}", tags={DAY_TAG: day})


@schedule(
    job=weekly_forecast_job,
    cron_schedule="30 6 * * 1",
    execution_timezone=COMPANY_TIME_ZONE,
    description="Monday 06:30 company time, after the daily run: the demand forecast on last week's data.",
)
def weekly_forecast_schedule(context: ScheduleEvaluationContext) -> RunRequest:
    week = context.scheduled_execution_time.date().isoformat()
    return RunRequest(run_key=f"forecast-{week}")


@schedule(
    job=escalation_job,
    cron_schedule=f"*/{ESCALATION_EVERY_MINUTES} * * * *",
    default_status=DefaultScheduleStatus.RUNNING,
    description="The T-3 escalation clock: unacknowledged warnings climb one level per period; notify.",
)
def escalation_schedule(context: ScheduleEvaluationContext) -> RunRequest:
    moment = context.scheduled_execution_time
    return RunRequest(run_key=f"escalation-{moment.isoformat()}" if moment else None)


schedules = [daily_schedule, weekly_forecast_schedule, escalation_schedule]
