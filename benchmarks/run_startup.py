"""How long ``omniops run --daily`` takes before its first stage starts, and how long it publishes.

Target (issue 22): a run starts its first stage within 3 s; publishing takes at most 1 s at any size.
Runs the daily job ``--repeat`` times as a child process on an instance that has been built already
(``OMNIOPS_HOME``, or ``--home``), and reads from the run's Dagster event log when its first step
started (against the moment the child was launched) and what the publish step took. Prints medians:

    .venv/bin/python benchmarks/run_startup.py --home tmp_bench [--repeat 3]

``--phases`` instead times what a run does before its first step, phase by phase (CPU and wall seconds,
medians of ``--repeat`` fresh processes; the table in docs/choices_and_measurements.md), and says whether
dbt-core was imported by then.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Run in a fresh process: each phase of ``omniops run --daily`` before its first step, one after another.
PHASES = """
import json, sys, time
marks = [("start", time.process_time(), time.perf_counter())]
def mark(name):
    marks.append((name, time.process_time(), time.perf_counter()))
import orchestration.cli
mark("import orchestration.cli")
import orchestration.pipeline as pipeline
mark("import orchestration.pipeline")
from core.settings import export_environment
from core.warehouse_versions import prepare_build
paths = export_environment()
prepare_build(paths)
mark("prepare_build()")
pipeline.prepare_dbt()
mark("prepare_dbt() (manifest reused)")
from orchestration.definitions import defs
mark("import orchestration.definitions")
job = defs.resolve_job_def(pipeline.DAILY_JOB)
mark("resolve the job")
from dagster import DagsterInstance
with DagsterInstance.get() as instance:
    pass
mark("open the Dagster instance")
print(json.dumps({"marks": marks, "dbt_core_imported": "dbt.version" in sys.modules}))
"""


def phase_seconds(code: Path, env: dict[str, str]) -> tuple[dict[str, tuple[float, float]], bool]:
    """CPU and wall seconds of each phase in one fresh process, and whether it imported dbt-core."""
    out = subprocess.run(
        [sys.executable, "-c", PHASES], cwd=code, env=env, check=True, capture_output=True, text=True
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    marks = result["marks"]
    phases = {
        name: (cpu - cpu_before, wall - wall_before)
        for (_, cpu_before, wall_before), (name, cpu, wall) in zip(marks, marks[1:], strict=False)
    }
    return phases, result["dbt_core_imported"]


def print_phases(code: Path, env: dict[str, str], repeat: int) -> None:
    runs = [phase_seconds(code, env) for _ in range(repeat)]
    print(f"{code}: CPU / wall seconds per phase, medians of {repeat} processes")
    for name in runs[0][0]:
        cpu = statistics.median(phases[name][0] for phases, _ in runs)
        wall = statistics.median(phases[name][1] for phases, _ in runs)
        print(f"{name:36s} {cpu:6.2f} {wall:6.2f}")
    cpu = statistics.median(sum(c for c, _ in phases.values()) for phases, _ in runs)
    wall = statistics.median(sum(w for _, w in phases.values()) for phases, _ in runs)
    print(f"{'sum':36s} {cpu:6.2f} {wall:6.2f}")
    print(f"dbt-core imported before the first step: {runs[0][1]}; load average {os.getloadavg()[0]:.1f}")


def step_times(dagster_home: Path, since: float) -> tuple[float, dict[str, float]]:
    """The first step start of the newest run started after ``since``, and each step's seconds."""
    from dagster import DagsterEventType, DagsterInstance

    os.environ["DAGSTER_HOME"] = str(dagster_home)
    with DagsterInstance.get() as instance:
        (run,) = instance.get_run_records(limit=1)
        assert run.create_timestamp.timestamp() >= since, "no run recorded"
        started: dict[str, float] = {}
        seconds: dict[str, float] = {}
        types = {DagsterEventType.STEP_START, DagsterEventType.STEP_SUCCESS}
        for entry in instance.all_logs(run.dagster_run.run_id, of_type=types):
            step = entry.dagster_event.step_key
            if entry.dagster_event.event_type == DagsterEventType.STEP_START:
                started[step] = entry.timestamp
            else:
                seconds[step] = entry.timestamp - started[step]
        return min(started.values()), seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", default=os.environ.get("OMNIOPS_HOME", "data"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--code", default=str(REPO), help="the checkout whose code runs (before/after)")
    parser.add_argument("--phases", action="store_true", help="time each phase before the first step")
    args = parser.parse_args()
    code = Path(args.code).resolve()
    home = Path(args.home).resolve()
    env = {**os.environ, "OMNIOPS_HOME": str(home), "DAGSTER_HOME": str(home / "dagster")}
    env["PYTHONPATH"] = str(code)
    if args.phases:
        print_phases(code, env, args.repeat)
        return
    to_first_stage, publish, dbt, totals = [], [], [], []
    for _ in range(args.repeat):
        launched = time.time()
        subprocess.run(
            [sys.executable, "-m", "orchestration.cli", "run", "--daily"],
            cwd=code,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        totals.append(time.time() - launched)
        first, seconds = step_times(home / "dagster", launched)
        to_first_stage.append(first - launched)
        publish.append(seconds.get("published_warehouse", float("nan")))
        dbt.append(seconds.get("omniops_dbt_models", float("nan")))
    load = os.getloadavg()[0]
    print(f"{home}: medians of {args.repeat} daily runs (load average {load:.1f} at the end)")
    print(f"launch → first stage   {statistics.median(to_first_stage):6.2f} s  {to_first_stage}")
    print(f"publish step           {statistics.median(publish):6.2f} s  {publish}")
    print(f"dbt step               {statistics.median(dbt):6.2f} s  {dbt}")
    print(f"whole run              {statistics.median(totals):6.2f} s")


if __name__ == "__main__":
    main()
