"""Run the whole asset graph in this process, without a server, with progress on the console.

Used by ``omniops run`` and the end-to-end tests. Runs are recorded in ``$OMNIOPS_HOME/dagster`` (the
``DAGSTER_HOME`` of the instance), so they show up in ``dagster dev`` afterwards.
"""

from __future__ import annotations

import hashlib
import os
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import duckdb

from core.settings import OmniopsPaths, dbt_target, export_environment
from core.warehouse_versions import prepare_build
from forecasting.parallel import silence_tracker_warnings
from landing.freshness import stale_lines as freshness_lines
from landing.report import trouble_lines
from orchestration.alerts import ALERTED_TAG, RunFailureAlert, send_alert, step_error_text
from orchestration.console import Console, StageProgress


class PipelineError(RuntimeError):
    """The run failed; the message names the step and the first line of its error."""

    def __init__(self, message: str, rejected_files: list[str] | None = None):
        super().__init__(message)
        self.rejected_files = rejected_files or []


@dataclass
class PipelineResult:
    run_id: str
    seconds: float
    step_seconds: dict[str, float] = field(default_factory=dict)
    # One line per file this run refused, held, ignored or quarantined rows of: "STATUS <file>: <reason>".
    rejected_files: list[str] = field(default_factory=list)
    # One line per daily feed that is late ("STALE <source>.<table>: …"): a warning, the run still published.
    stale_sources: list[str] = field(default_factory=list)


def rejected_files(paths: OmniopsPaths, run_id: str) -> list[str]:
    """One line per file the run refused, held, ignored or quarantined rows of (``landing.report``)."""
    if not paths.build_db.exists():
        return []
    with duckdb.connect(str(paths.build_db), read_only=True) as conn:
        return trouble_lines(conn, run_id)


def stale_sources(paths: OmniopsPaths, run_id: str) -> list[str]:
    """One line per source table the run's freshness check found stale (``landing.freshness``)."""
    if not paths.build_db.exists():
        return []
    with duckdb.connect(str(paths.build_db), read_only=True) as conn:
        return freshness_lines(conn, run_id)


def failure_text(error) -> str:
    """The error of a failed step; for a step that used up its retries, the error of its last attempt
    (an OS error such as permission denied or a full disk) rather than Dagster's "Exceeded max_retries"."""
    text = step_error_text(error)
    if not text.startswith("Exceeded max_retries"):
        return text
    cause = error
    while cause.cause is not None:
        cause = cause.cause
    return f"{cause.message.strip()} (after {text.removeprefix('Exceeded max_retries of ')} retries)"


# Folders of the dbt project that dbt writes, not reads: they do not change what a parse gives.
_DBT_OUTPUT_DIRS = {"target", "logs", "dbt_packages"}


def dbt_sources_fingerprint(project_dir: Path) -> str:
    """A hash of everything a ``dbt parse`` reads: the project's files (names and contents), the dbt
    versions and the parse settings. Equal fingerprints give equal manifests."""
    digest = hashlib.sha256(str(project_dir.resolve()).encode())
    for package in ("dbt-core", "dbt-duckdb"):
        try:
            digest.update(f"{package}=={version(package)}".encode())
        except PackageNotFoundError:
            digest.update(f"{package} absent".encode())
    # The one setting read while parsing (profiles.yml): the target picks the adapter in the manifest.
    digest.update(f"OMNIOPS_DBT_TARGET={dbt_target()}".encode())
    files = []
    for folder, dirs, names in os.walk(project_dir):
        if Path(folder) == project_dir:
            dirs[:] = [d for d in dirs if d not in _DBT_OUTPUT_DIRS]
        files.extend(Path(folder, name) for name in names)
    for path in sorted(files):
        digest.update(str(path.relative_to(project_dir)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _manifest_stamp(manifest: Path, fingerprint: str) -> str:
    """The fingerprint the manifest was parsed from, tied to that very manifest file (a manifest
    written by anything else does not match)."""
    stat = manifest.stat()
    return f"{fingerprint} {stat.st_size} {stat.st_mtime_ns}"


def prepare_dbt() -> None:
    """Parse the dbt project into its manifest (what the dbt assets are built from), unless the
    manifest was parsed from the same files: the parse is a dbt process of ~9 s at the start of every
    run, for nothing when no model changed since the last one."""
    from orchestration.resources import dbt_project

    manifest = Path(dbt_project.manifest_path)
    stamp = manifest.with_name("manifest.fingerprint")
    fingerprint = dbt_sources_fingerprint(Path(dbt_project.project_dir))
    if manifest.exists() and stamp.exists() and stamp.read_text() == _manifest_stamp(manifest, fingerprint):
        return
    dbt_project.preparer.prepare(dbt_project)
    stamp.write_text(_manifest_stamp(manifest, fingerprint))


def _step_seconds(instance, run_id: str) -> dict[str, float]:
    from dagster import DagsterEventType

    started: dict[str, float] = {}
    seconds: dict[str, float] = {}
    types = {DagsterEventType.STEP_START, DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE}
    for entry in instance.all_logs(run_id, of_type=types):
        step = entry.dagster_event.step_key
        if entry.dagster_event.event_type == DagsterEventType.STEP_START:
            started[step] = entry.timestamp
        else:
            seconds[step] = entry.timestamp - started.get(step, entry.timestamp)
    return seconds


ALL_JOB = "omniops_all"
DAILY_JOB = "omniops_daily"


def run_config(full_refresh: bool, job_defaults: Mapping[str, Any] | None = None) -> dict:
    """The job's own default config (a run config given here replaces it, so it is carried over) with
    INFO logging and, on a full refresh, dbt's ``full_refresh``."""
    config: dict = {**(job_defaults or {}), "loggers": {"console": {"config": {"log_level": "INFO"}}}}
    if full_refresh:
        dbt_config = (config.get("ops") or {}).get("omniops_dbt_models", {}).get("config", {})
        config["ops"] = {
            **(config.get("ops") or {}),
            "omniops_dbt_models": {"config": {**dbt_config, "full_refresh": True}},
        }
    return config


DBT_STEP = "omniops_dbt_models"


def dbt_asset_count() -> int:
    """How many assets the dbt step materialises (models, seeds, snapshots): the dbt progress bar's end."""
    import json

    from orchestration.resources import dbt_project

    manifest = json.loads(Path(dbt_project.manifest_path).read_text(encoding="utf-8"))
    kinds = {"model", "seed", "snapshot"}
    return sum(1 for node in manifest["nodes"].values() if node["resource_type"] in kinds)


def run_pipeline(
    paths: OmniopsPaths | None = None,
    echo: Callable[[str], None] = print,
    job_name: str = ALL_JOB,
    full_refresh: bool = False,
    console: Console | None = None,
) -> PipelineResult:
    """Materialise the job's assets (default every one: land → dbt build → forecast, KPIs → publish).
    ``full_refresh`` rebuilds dbt's incremental models from all of history. With a ``console``, a line per
    finished stage (``orchestration/console.py``). Raises PipelineError."""
    paths = export_environment(paths)
    paths.dagster_home.mkdir(parents=True, exist_ok=True)
    instance_config = paths.dagster_home / "dagster.yaml"
    if not instance_config.exists():
        # Run history stays in $OMNIOPS_HOME/dagster; nothing is sent anywhere.
        instance_config.write_text("telemetry:\n  enabled: false\n")
    paths.warehouse_dir.mkdir(parents=True, exist_ok=True)
    if not paths.landing.is_dir():
        raise PipelineError(
            f"no landing zone at {paths.landing}: run `omniops generate` or drop exports there"
        )

    restored = prepare_build(paths)
    if restored not in ("kept", "new"):
        echo(f"{paths.build_db.name}: {restored} (the last run was cut short in publish)")

    echo("preparing dbt (parse)…")
    silence_tracker_warnings()  # dbt starts multiprocessing's resource tracker; see forecasting/parallel.py
    prepare_dbt()

    from dagster import DagsterEventType, DagsterInstance

    from orchestration.definitions import defs

    job = defs.resolve_job_def(job_name)
    started = time.monotonic()
    run_id = str(uuid.uuid4())
    progress = StageProgress(run_id, console, DBT_STEP, dbt_asset_count()) if console else None
    with DagsterInstance.get() as instance:
        if progress:
            progress.listen(instance)
            progress.start()
        try:
            result = job.execute_in_process(
                instance=instance,
                raise_on_error=False,
                run_config=run_config(full_refresh, job.run_config),
                # No daemon watches an in-process run: this function sends its alert (below).
                tags={ALERTED_TAG: "omniops run"},
                run_id=run_id,
            )
        finally:
            if progress:
                progress.stop()
        step_seconds = _step_seconds(instance, result.run_id)
        if not result.success:
            failures = [e for e in result.all_events if e.event_type == DagsterEventType.STEP_FAILURE]
            rejected = rejected_files(paths, result.run_id)
            message = f"run {result.run_id} failed"
            if failures:
                error = failure_text(failures[0].step_failure_data.error)
                message = f"step {failures[0].step_key} failed: {error}"
            alert = RunFailureAlert(
                job=job.name,
                run_id=result.run_id,
                error=message,
                failed_steps=[e.step_key for e in failures if e.step_key],
                rejected_files=rejected,
                home=str(paths.home),
            )
            send_alert(alert, paths.alert_file)
            raise PipelineError(message, rejected)
    return PipelineResult(
        result.run_id,
        time.monotonic() - started,
        step_seconds,
        rejected_files(paths, result.run_id),
        stale_sources(paths, result.run_id),
    )
