"""How fast the forecaster backtests and forecasts a realistic SKU × channel mix, and how accurate it is.

Generates N series of two years of daily demand (half intermittent long-tail, a third smooth weekly-seasonal,
the rest with shopping-festival and holiday peaks), then runs ``forecast_with_champions`` (backtest with 4
rolling origins + final forecast, h = 28) on all cores, with the Prophet policy on and off. Prints series/s,
wall time, peak memory (max RSS of this process and of its children) and the aggregate backtest WAPE of the
champions next to each baseline, per series class, and the CPU seconds used (this process and its workers)
with the load average, since the machine may be shared. Targets: ≥ 15 series/s on a 2-core machine (issue 4),
≥ 50 series/s for 10,000 series (issue 20).

    .venv/bin/python benchmarks/forecast_speed.py [--series 300] [--repeat 3] [--jobs -1]
"""

from __future__ import annotations

import argparse
import ast
import os
import resource
import statistics
import time

import numpy as np
import pandas as pd

HORIZON = 28
MIX = {"intermittent": 0.5, "smooth": 0.35, "festival": 0.15}


def generate(n_series: int, seed: int = 7, days: int = 730) -> pd.DataFrame:
    """Synthetic daily demand ending 2025-12-31; series ids are ``<class>_<n>``."""
    rng = np.random.default_rng(seed)
    ds = pd.date_range(end="2025-12-31", periods=days, freq="D")
    md, wd = ds.strftime("%m-%d"), ds.weekday.to_numpy()
    t = np.arange(days) / 365
    kinds = rng.choice(list(MIX), size=n_series, p=list(MIX.values()))
    frames = []
    for i, kind in enumerate(kinds):
        if kind == "intermittent":
            p, size = rng.uniform(0.03, 0.5), rng.integers(1, 6)
            y = np.where(rng.random(days) < p, rng.integers(1, size + 1, days), 0)
        else:
            level = rng.uniform(5, 200)
            weekly = 1 + rng.uniform(0.1, 0.5) * np.cos(2 * np.pi * (wd - rng.integers(7)) / 7)
            mu = level * weekly * np.exp(rng.normal(0.1, 0.2) * t)
            if kind == "festival":
                mu = mu * np.where(md == "11-11", 6.0, 1.0) * np.where(md == "06-18", 3.5, 1.0)
                mu = mu * np.where((md >= "11-01") & (md < "11-11"), 1.8, 1.0)
                mu = mu * np.where((md >= "10-01") & (md <= "10-07"), 1.6, 1.0)
            y = rng.poisson(mu)
        frames.append(pd.DataFrame({"unique_id": f"{kind}_{i:04d}", "ds": ds, "y": y.astype(float)}))
    return pd.concat(frames, ignore_index=True)


def aggregate_wape(scores: pd.DataFrame, model: str | None) -> float:
    """Σ|error| / Σ|y| over series, from per-series WAPE × denominators (champion when model is None)."""
    rows = scores[scores["is_champion"]] if model is None else scores[scores["model"] == model]
    denom = rows["mae"] / rows["wape"]  # Σ|y| / n_points per series
    ok = np.isfinite(denom)
    return float((rows["mae"][ok]).sum() / denom[ok].sum())


def cpu_seconds() -> float:
    """User + system CPU of this process and of its finished (waited-for) worker processes: statsforecast's
    workers; not Prophet's pool, which a fork server starts."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def peak_rss_mb() -> float:
    self_ = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(self_, children) / 1024


def run(n_series: int, repeat: int, n_jobs: int, modes: tuple[str, ...] = ("auto", "off")) -> None:
    from forecasting.select import forecast_with_champions
    from forecasting.settings import ForecastSettings

    df = generate(n_series)
    counts = df.groupby("unique_id").size().index.str.split("_").str[0].value_counts()
    print(
        f"{n_series} series × 730 days, h={HORIZON}, 4 origins, n_jobs={n_jobs}; mix: "
        + ", ".join(f"{k} {v}" for k, v in counts.items())
    )
    forecast_with_champions(
        generate(4, seed=1), ForecastSettings(HORIZON, "D", n_jobs=1, prophet="all")
    )  # JIT/import warm-up
    for mode in modes:
        walls, cpus, scores = [], [], None
        load_before = os.getloadavg()[0]
        for _ in range(repeat):
            started, cpu = time.perf_counter(), cpu_seconds()
            _, scores = forecast_with_champions(
                df, ForecastSettings(HORIZON, "D", n_jobs=n_jobs, prophet=mode)
            )
            walls.append(time.perf_counter() - started)
            cpus.append(cpu_seconds() - cpu)
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        with_prophet = scores.loc[scores["model"] == "Prophet", "unique_id"].nunique()
        label = "with Prophet policy (auto)" if mode == "auto" else f"prophet={mode}"
        print(
            f"\n{label}: {n_series / wall:.1f} series/s, wall {wall:.1f} s (median of {repeat}: "
            f"{', '.join(f'{w:.1f}' for w in walls)}), peak RSS {peak_rss_mb():.0f} MB; "
            f"Prophet candidate on {with_prophet} series, champion on "
            f"{int((scores['is_champion'] & (scores['model'] == 'Prophet')).sum())}"
        )
        print(
            f"  CPU {cpu:.1f} s ({1000 * cpu / n_series:.0f} ms per series; on {os.cpu_count()} idle cores "
            f"≈ {os.cpu_count() * n_series / cpu:.0f} series/s); load average {load_before:.1f} before, "
            f"{os.getloadavg()[0]:.1f} after"
        )
        cls = scores["unique_id"].str.split("_").str[0]
        print(f"  {'class':<13}{'champion':>9}{'SeasonalNaive':>15}{'WindowAverage':>15}  champions")
        for kind in ["all", *MIX]:
            s = scores if kind == "all" else scores[cls == kind]
            champs = s.loc[s["is_champion"], "model"].value_counts()
            print(
                f"  {kind:<13}{aggregate_wape(s, None):9.3f}{aggregate_wape(s, 'SeasonalNaive'):15.3f}"
                f"{aggregate_wape(s, 'WindowAverage'):15.3f}  "
                + ", ".join(f"{k} {v}" for k, v in champs.items())
            )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=-1)
    parser.add_argument("--modes", default="auto,off", help="Prophet policies to run, comma-separated")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a speed option of forecasting.prophet_model (e.g. WARM_START=False, FIT_DAYS=None)",
    )
    args = parser.parse_args(argv)
    from forecasting import prophet_model

    for item in args.set:
        name, value = item.split("=", 1)
        if not hasattr(prophet_model, name):
            parser.error(f"unknown option {name}")
        try:
            parsed = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            parsed = value  # a bare string, e.g. POOL_CONTEXT=fork
        setattr(prophet_model, name, parsed)
    if args.set:
        print("prophet_model options: " + ", ".join(args.set))
    run(args.series, args.repeat, args.jobs, tuple(args.modes.split(",")))


if __name__ == "__main__":
    main()
