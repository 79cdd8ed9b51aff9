"""The whole demo company's forecast and backtest: time, memory and accuracy against the baselines.

Targets (issue 4): forecast + backtest of every SKU × channel series at day, week and month within
3 minutes on this 2-core machine, and the chosen models' revenue-weighted WAPE not worse than the best
baseline's. Builds the default demo company once in a temporary OMNIOPS_HOME (generate + `omniops run`),
then times the forecast stage (``planning.forecast_stage.run_forecast``, what the
``demand_forecast`` asset runs) ``--repeat`` times on the built warehouse and prints medians:

    .venv/bin/python benchmarks/demo_forecast.py [--scale 1] [--repeat 3] [--n-jobs 2]

Accuracy is printed twice: the backtest the champions were chosen on (in-sample selection, so the
champion cannot lose there) and the out-of-sample check (``forecasting.holdout``: chosen on the first
cut-offs, scored on the last window), which is the honest comparison; then the monthly FVA stair-step
(``forecasting.fva``: revenue-weighted WAPE and bias of each layer, out of sample).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

import duckdb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--n-jobs", type=int, default=2)
    args = parser.parse_args()

    from core.settings import OmniopsPaths
    from demo_company.generate import generate_demo_company
    from orchestration.pipeline import run_pipeline
    from planning.forecast_stage import run_forecast

    with tempfile.TemporaryDirectory(prefix="omniops-bench-") as tmp:
        home = Path(tmp)
        os.environ["OMNIOPS_HOME"] = str(home)
        os.environ["DAGSTER_HOME"] = str(home / "dagster")
        paths = OmniopsPaths(home)
        generate_demo_company(paths.landing, scale=args.scale)
        run_pipeline(paths, echo=lambda message: None)
        with duckdb.connect(str(paths.published_db), read_only=True) as conn:
            demand = conn.execute(
                "select * from marts.fct_demand_daily order by demand_date, sku, channel"
            ).df()
            sales_forecast = conn.execute("select * from marts.fct_sales_forecast").df()
            products = conn.execute("select sku, product_category from marts.dim_products").df()

    walls, seconds, result = [], {}, None
    for _ in range(args.repeat):
        started = time.perf_counter()
        result = run_forecast(demand, sales_forecast, products, n_jobs=args.n_jobs, log=lambda message: None)
        walls.append(time.perf_counter() - started)
        for step, value in result["seconds"].items():
            seconds.setdefault(step, []).append(value)
    peak = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    series = {freq: fc["unique_id"].nunique() for freq, fc in result["forecasts"].items()}

    load = os.getloadavg()[0]
    print(f"scale {args.scale:g}, n_jobs {args.n_jobs}; medians of {args.repeat} runs; load {load:.1f}")
    print(f"series: {', '.join(f'{freq} {n}' for freq, n in series.items())}")
    print(f"forecast + backtest, all horizons   {statistics.median(walls):6.1f} s  (target < 180 s)")
    for step, values in seconds.items():
        print(f"  {step:<34}{statistics.median(values):6.1f} s")
    print(f"peak memory (largest process)       {peak / 1024:6.0f} MB")

    summary = result["forecast_accuracy_summary"]
    overall = summary[summary["scope"] == "all"]
    print("\nrevenue-weighted WAPE on the backtest the champions were chosen on (in-sample selection):")
    for freq, rows in overall.groupby("freq", sort=False):
        parts = "  ".join(f"{r.forecaster} {r.revenue_weighted_wape:.3f}" for r in rows.itertuples())
        print(f"  {freq:<3}{parts}")
    holdout = result["holdout_check"]
    baselines = {name: value for name, value in holdout.items() if name != "champion"}
    best = min(baselines, key=baselines.get)
    gap = holdout["champion"] / baselines[best] - 1
    print("\nout of sample (daily; chosen on the first cut-offs, scored on the last 28 days):")
    print("  " + "  ".join(f"{name} {value:.3f}" for name, value in holdout.items()))
    print(f"  champion {holdout['champion']:.3f} vs best baseline {best} {baselines[best]:.3f} ({gap:+.1%})")
    fva = result["forecast_fva"]
    stair = fva[fva["scope"] == "all"].set_index("layer")
    print("\nout of sample (monthly FVA stair-step; learned on early cut-offs, scored on later ones):")
    print("  " + "  ".join(f"{layer} {row.wape:.3f} ({row.bias:+.1%})" for layer, row in stair.iterrows()))


if __name__ == "__main__":
    main()
