"""The demo company's production plan: CP-SAT against the dispatch rules, and a rush-order insertion.

Targets (issue 5), on this 2-core machine: on the demo's open production orders (at least 100 orders ×
4–8 operations on 10–20 machines) a feasible plan within 10 s whose priority-weighted tardiness is no
worse than the dispatch rules', and a rush-order insertion answered within 5 s.

Builds the default demo company once in a temporary OMNIOPS_HOME (generate + `omniops run`), unless
``--home`` points at a built one, then ``--repeat`` times: reads the plant from the published warehouse,
solves (``planning.production_plan.plan_production``, what the ``production_schedule``
asset runs), and inserts a rush order of the most common product, due in three days, with a frozen
window of one shift. Prints medians:

    .venv/bin/python benchmarks/plant_schedule.py [--scale 1] [--repeat 3] [--time-limit 10] [--home DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import duckdb
import pandas as pd

from scheduling import DEFAULT_TIME_LIMIT_S, RUSH_TIME_LIMIT_S


def _build(scale: float) -> tuple[Path, tempfile.TemporaryDirectory]:
    from core.settings import OmniopsPaths
    from demo_company.generate import generate_demo_company
    from orchestration.pipeline import run_pipeline

    tmp = tempfile.TemporaryDirectory(prefix="omniops-bench-")
    home = Path(tmp.name)
    os.environ["OMNIOPS_HOME"] = str(home)
    os.environ["DAGSTER_HOME"] = str(home / "dagster")
    paths = OmniopsPaths(home)
    generate_demo_company(paths.landing, scale=scale)
    run_pipeline(paths, echo=lambda message: None)
    return paths.published_db, tmp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=DEFAULT_TIME_LIMIT_S)
    parser.add_argument("--rush-time-limit", type=float, default=RUSH_TIME_LIMIT_S)
    parser.add_argument("--home", help="a built OMNIOPS_HOME to read instead of building the demo")
    args = parser.parse_args()

    from planning.production_plan import plan_production, read_plant
    from scheduling.check import check_plan
    from scheduling.frames import plan_from_frame, problem_from_frames
    from scheduling.whatif import rush_what_if

    tmp = None
    if args.home:
        db = Path(args.home) / "warehouse" / "omniops.duckdb"
    else:
        db, tmp = _build(args.scale)
    with duckdb.connect(str(db), read_only=True) as conn:
        plant = read_plant(conn)
        routings = conn.execute("select * from staging.stg_erp__routings").df()
    top_sku = plant.operations["sku"].mode().iloc[0]
    qty = int(plant.operations.drop_duplicates("production_order_id")["quantity_to_produce"].median())

    rows, rush_rows = [], []
    for i in range(args.repeat):
        started = time.perf_counter()
        tables = plan_production(plant, time_limit=args.time_limit, log=lambda m: None)
        wall = time.perf_counter() - started
        runs = tables["schedule_runs"].set_index("method")
        problem = problem_from_frames(tables["plan_problem"], tables["plan_blocked"])
        sched = tables["schedule"]
        errors = {
            m: len(check_plan(problem, plan_from_frame(g).assignments)) for m, g in sched.groupby("method")
        }
        rows.append((wall, runs, errors))

        started = time.perf_counter()
        result = rush_what_if(
            tables,
            routings.loc[routings["sku"] == top_sku],
            quantity=qty,
            due_at=plant.as_of + pd.Timedelta(days=3),
            frozen_minutes=480,
            time_limit=args.rush_time_limit,
        )
        rush_rows.append((time.perf_counter() - started, result))
        print(
            f"run {i + 1}: plan {wall:.1f} s, CP-SAT {runs.loc['cpsat', 'seconds']:.1f} s; "
            f"rush {rush_rows[-1][0]:.1f} s",
            flush=True,
        )

    runs = rows[-1][1]
    n_ops = int(runs.loc["cpsat", "operations"])
    per_order = tables["plan_problem"].groupby("production_order_id").size()
    print(
        f"\nplant: {int(runs.loc['cpsat', 'orders'])} open orders, {n_ops} open operations "
        f"({per_order.min()}–{per_order.max()} per order, routings of "
        f"{routings.groupby('sku').size().min()}–{routings.groupby('sku').size().max()}), "
        f"{len(problem.machines)} machines; plan as of {plant.as_of} UTC"
    )
    print(tables["work_center_load"][["rank", "work_center", "load_ratio"]].head(3).to_string(index=False))
    print(f"\nmedians of {args.repeat} runs (time limit {args.time_limit:g} s):")
    print(f"{'method':<8} {'status':<10} {'w. tardiness':>13} {'bound':>10} {'gap':>7} {'late':>5} "
          f"{'makespan':>9} {'seconds':>8} {'violations':>10}")  # fmt: skip

    def med(method: str, col: str) -> float:
        return statistics.median(float(r[1].loc[method, col]) for r in rows)

    for method in ("edd", "atc", "cpsat"):
        status = rows[-1][1].loc[method, "status"]
        violations = max(r[2][method] for r in rows)
        print(
            f"{method:<8} {status:<10} {med(method, 'weighted_tardiness'):>13,.0f} "
            f"{med(method, 'bound'):>10,.0f} {med(method, 'gap'):>7.1%} {med(method, 'late_orders'):>5.0f} "
            f"{med(method, 'makespan_minutes'):>9,.0f} {med(method, 'seconds'):>8.2f} {violations:>10}"
        )
    print(f"whole planning step (3 plans + tables): {statistics.median(r[0] for r in rows):.1f} s")
    rush_s = statistics.median(r[0] for r in rush_rows)
    res = rush_rows[-1][1]
    delayed = res.delayed.loc[~res.delayed["is_rush_order"]]
    print(
        f"rush order ({qty} × {top_sku}, due in 3 days, frozen 480 plant min): {rush_s:.2f} s median, "
        f"status {res.plan.status}, {len(res.frozen)} operations frozen, {len(delayed)} orders delayed "
        f"(max {delayed['delay_minutes'].max() if len(delayed) else 0} plant min), "
        f"{len(res.violations)} violations"
    )
    rush = res.moves.loc[res.moves["is_rush_order"]].iloc[0]
    late = int(rush.completion_after - rush.due_minute)
    print(f"rush order itself: {'late by ' + str(late) + ' plant min' if late > 0 else 'on time'}")
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
