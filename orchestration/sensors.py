"""Sensors: run the pipeline when exports arrive (not only at 06:00), and alert when a run fails.

The cursor is the set of file fingerprints (path, size, mtime) seen at the last evaluation. New or
changed files yield one run of ``omniops_daily`` (incremental: it lands and transforms only what is
new), tagged with the newest day the files deliver; the run key is a hash of those fingerprints, so the
same drop never starts two runs. ``_rejected/`` (files landing refused) and ``_manifest.json`` are
ignored; landing itself skips files whose checksum it already loaded.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from dagster import (
    DefaultSensorStatus,
    RunFailureSensorContext,
    RunRequest,
    SensorEvaluationContext,
    SkipReason,
    run_failure_sensor,
    sensor,
)

from core.settings import get_paths
from landing.days import DAY_TAG, newest_day
from landing.load import REJECTED_FOLDER
from orchestration.alerts import ALERTED_TAG, RunFailureAlert, send_alert, step_error_text
from orchestration.jobs import daily_job

IGNORED_NAMES = {"_manifest.json"}


def landing_fingerprints(landing_dir: Path) -> dict[str, list[int]]:
    """``{path below landing: [size, mtime_ns]}`` of every file in ``landing/<source>/``."""
    fingerprints: dict[str, list[int]] = {}
    if not landing_dir.is_dir():
        return fingerprints
    for source_dir in sorted(p for p in landing_dir.iterdir() if p.is_dir() and p.name != REJECTED_FOLDER):
        for path in sorted(source_dir.iterdir()):
            if path.is_file() and path.name not in IGNORED_NAMES and not path.name.startswith("."):
                stat = path.stat()
                fingerprints[path.relative_to(landing_dir).as_posix()] = [stat.st_size, stat.st_mtime_ns]
    return fingerprints


@sensor(
    job=daily_job,
    minimum_interval_seconds=30,
    default_status=DefaultSensorStatus.RUNNING,
    description="Runs omniops_daily when files in $OMNIOPS_HOME/landing/<source>/ are new or changed.",
)
def landing_file_sensor(context: SensorEvaluationContext):
    current = landing_fingerprints(get_paths().landing)
    seen: dict[str, list[int]] = json.loads(context.cursor) if context.cursor else {}
    changed = {path: fp for path, fp in current.items() if seen.get(path) != fp}
    context.update_cursor(json.dumps(current, sort_keys=True))
    if not changed:
        return SkipReason("no new or changed files in the landing folder")
    run_key = hashlib.sha256(json.dumps(changed, sort_keys=True).encode()).hexdigest()[:32]
    tags = {"omniops/new_files": str(len(changed))}
    day = newest_day(Path(path).name for path in changed)
    if day:
        tags[DAY_TAG] = day
    return RunRequest(run_key=run_key, tags=tags)


@run_failure_sensor(
    name="omniops_run_failure_alert",
    default_status=DefaultSensorStatus.RUNNING,
    description="Sends an alert (log, $OMNIOPS_ALERT_FILE, $OMNIOPS_ALERT_WEBHOOK) when a run fails.",
)
def omniops_run_failure_sensor(context: RunFailureSensorContext):
    run = context.dagster_run
    if ALERTED_TAG in run.tags:
        return SkipReason(f"run {run.run_id} already sent its alert ({run.tags[ALERTED_TAG]})")
    failed = context.get_step_failure_events()
    error = context.failure_event.message or "run failed"
    if failed and failed[0].step_failure_data.error:
        error = step_error_text(failed[0].step_failure_data.error)
    alert = RunFailureAlert(
        job=run.job_name,
        run_id=run.run_id,
        error=error,
        failed_steps=[event.step_key for event in failed if event.step_key],
        day=run.tags.get(DAY_TAG),
        home=str(get_paths().home),
    )
    delivered = send_alert(alert, get_paths().alert_file)
    context.log.info(f"alert sent to {', '.join(delivered)}")
