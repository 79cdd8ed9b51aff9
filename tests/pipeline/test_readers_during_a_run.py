"""A dashboard reading while the pipeline runs: never an error, and every answer from a complete build.

DuckDB lets one process write a file, and another process cannot even open it read-only meanwhile. The
pipeline therefore builds into ``build.duckdb`` and publishes by renaming a finished copy over
``omniops.duckdb``; the dashboards read only that file (``dashboards/warehouse.py``). Here a second
process queries the published file the way the pages do, in a loop, while a daily run goes through (the
same landing, dbt and publish steps as a whole run, without the forecast).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time

from core.settings import OmniopsPaths
from orchestration.pipeline import DAILY_JOB, run_pipeline
from tests.conftest import dagster_events_in_memory
from tests.e2e.conftest import REPO

# One answer touches several schemas the run writes at different steps: a half-published build would
# mix them. The ledger grows by one event per file and run, so the two builds give different answers.
PROBE = (
    "select (select count(*) from landing.file_ledger) as ledger_events, "
    "(select count(*) from marts.fct_orders) as orders, "
    "(select count(*) from marts.kpi_delivery_daily) as delivery_days, "
    "(select count(*) from forecasting.demand_forecast) as forecast_rows, "
    "(select count(*) from production.schedule) as planned_operations"
)

READER = textwrap.dedent(
    """
    import json, sys, time, traceback, warnings
    from pathlib import Path
    warnings.simplefilter("ignore")
    import logging; logging.disable(logging.WARNING)
    from dashboards.warehouse import query
    probe, out, stop = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    with out.open("w") as log:
        while not stop.exists():
            try:
                answer = query(probe).iloc[0].to_dict()
                log.write(json.dumps({"answer": {k: int(v) for k, v in answer.items()}}) + "\\n")
            except Exception:
                log.write(json.dumps({"error": traceback.format_exc()}) + "\\n")
            log.flush()
            time.sleep(0.05)
    """
)


def answer_of(published) -> dict[str, int]:
    import duckdb

    with duckdb.connect(str(published), read_only=True) as conn:
        frame = conn.execute(PROBE).df()
    return {key: int(value) for key, value in frame.iloc[0].to_dict().items()}


def test_a_reader_never_fails_and_always_sees_a_complete_build_while_a_run_publishes(
    built_instance, tmp_path, monkeypatch
):
    home = tmp_path / "home"
    shutil.copytree(built_instance.home / "landing", home / "landing")
    shutil.copytree(built_instance.home / "warehouse", home / "warehouse")
    monkeypatch.setenv("OMNIOPS_HOME", str(home))
    monkeypatch.setenv("DAGSTER_HOME", str(dagster_events_in_memory(home / "dagster")))
    paths = OmniopsPaths(home)
    before = answer_of(paths.published_db)

    answers, stop = tmp_path / "answers.jsonl", tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, PROBE, str(answers), str(stop)],
        cwd=REPO,
        env={**os.environ, "OMNIOPS_HOME": str(home)},
    )
    try:
        deadline = time.monotonic() + 60
        while not (answers.exists() and answers.read_text().count("\n") >= 3):
            assert reader.poll() is None and time.monotonic() < deadline, "the reader did not start"
            time.sleep(0.2)
        run_pipeline(paths, echo=lambda message: None, job_name=DAILY_JOB)
        time.sleep(1.5)  # the reader's next queries see the new file
    finally:
        stop.touch()
        reader.wait(timeout=60)
    after = answer_of(paths.published_db)
    assert after != before and after["ledger_events"] > before["ledger_events"]

    records = [json.loads(line) for line in answers.read_text().splitlines()]
    errors = [record["error"] for record in records if "error" in record]
    assert not errors, f"{len(errors)} of {len(records)} queries failed; the first:\n{errors[0]}"
    seen = [record["answer"] for record in records]
    assert len(seen) > 50
    assert all(answer in (before, after) for answer in seen), "an answer mixed two builds"
    assert seen[0] == before and seen[-1] == after
