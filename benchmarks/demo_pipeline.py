"""How long the default demo company takes to generate and to run through the whole pipeline.

Targets (issue 2): generation in seconds, `omniops run` under 3 minutes on a 2-core machine.
Each repetition builds a separate instance from scratch (a first, full run), then runs it again with no
new files (what a day without new exports costs). Prints medians, since the machine is shared and noisy:

    .venv/bin/python benchmarks/demo_pipeline.py [--scale 1] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from core.settings import OmniopsPaths
    from demo_company.generate import generate_demo_company
    from orchestration.pipeline import run_pipeline

    generation, first_runs, reruns, steps, sizes = [], [], [], {}, []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="omniops-bench-") as tmp:
            home = Path(tmp)
            os.environ["OMNIOPS_HOME"] = str(home)
            os.environ["DAGSTER_HOME"] = str(home / "dagster")
            paths = OmniopsPaths(home)
            started = time.perf_counter()
            manifest = generate_demo_company(paths.landing, scale=args.scale)
            generation.append(time.perf_counter() - started)
            started = time.perf_counter()
            result = run_pipeline(paths, echo=lambda message: None)
            first_runs.append(time.perf_counter() - started)
            for step, seconds in result.step_seconds.items():
                steps.setdefault(step, []).append(seconds)
            sizes.append(paths.published_db.stat().st_size / 1e6)
            started = time.perf_counter()
            run_pipeline(paths, echo=lambda message: None)
            reruns.append(time.perf_counter() - started)

    orders = sum(manifest["orders"].values())
    lines = sum(manifest["order_lines"].values())
    print(f"scale {args.scale:g}: {orders:,} orders, {lines:,} lines; medians of {args.repeat} runs")
    print(f"generate              {statistics.median(generation):7.1f} s")
    print(f"omniops run, first    {statistics.median(first_runs):7.1f} s (including dbt parse)")
    for step, values in sorted(steps.items(), key=lambda kv: -statistics.median(kv[1]))[:8]:
        print(f"  {step:<20}{statistics.median(values):7.1f} s")
    print(f"omniops run, no new files {statistics.median(reruns):5.1f} s")
    print(f"published warehouse   {statistics.median(sizes):7.1f} MB")


if __name__ == "__main__":
    main()
