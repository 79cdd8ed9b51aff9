"""How long ``omniops run --daily`` takes before its first stage starts, and how long it publishes.

Target (issue 22): a run starts its first stage within 3 s; publishing takes at most 1 s at any size.
Runs the daily job ``--repeat`` times as a child process on an instance that has been built already
(``OMNIOPS_HOME``, or ``--home``), and reads from the run's Dagster event log when its first step
started (against the moment the child was launched) and what the publish step took. Prints medians:

    .venv/bin/python benchmarks/run_startup.py --home tmp_bench [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


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
    args = parser.parse_args()
    code = Path(args.code).resolve()
    home = Path(args.home).resolve()
    env = {**os.environ, "OMNIOPS_HOME": str(home), "DAGSTER_HOME": str(home / "dagster")}
    env["PYTHONPATH"] = str(code)
    to_first_stage, publish, totals = [], [], []
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
    load = os.getloadavg()[0]
    print(f"{home}: medians of {args.repeat} daily runs (load average {load:.1f} at the end)")
    print(f"launch → first stage   {statistics.median(to_first_stage):6.2f} s  {to_first_stage}")
    print(f"publish step           {statistics.median(publish):6.2f} s  {publish}")
    print(f"whole run              {statistics.median(totals):6.2f} s")


if __name__ == "__main__":
    main()
