"""The consensus on the demo company, out of sample: the monthly stair-step and the weekly / daily cascade.

    .venv/bin/python benchmarks/consensus_check.py [--home DIR] [--consume {none,catch-up,expire}]

Builds the default demo company in a temporary OMNIOPS_HOME (or reads the warehouse of ``--home``), backtests
the monthly, weekly and daily series as the forecast stage does (4 origins), and prints:

1. the monthly FVA stair-step (``forecasting.fva``, what the forecast asset stores), and per backtest month
   the model's and the sales team's WAPE, bias and the correlation of their errors in money;
2. the weekly and daily cascade emulated on the later half of their backtest windows: the champion chosen
   on the earlier half, its days in each month scaled to that month's out-of-sample monthly plan
   (``forecasting.horizons``: planned months win; ``--consume`` lets the days up to the cut-off consume
   the plan: ``catch-up`` spreads plan − ordered over the days left, ``expire`` caps that at the plan's
   pro-rata share of those days, so a plan the orders fell behind expires), scored on the weeks / days
   inside the scored months against the champion and the baselines. The plan of a month is the one made
   the month before (the monthly backtest has one-month steps), so windows that reach further ahead see a
   plan slightly better than they would have had.

Figures and what they mean: docs/forecasting.md, "Measured on the demo".
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd


def load(home: Path | None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    from core.settings import OmniopsPaths

    with tempfile.TemporaryDirectory(prefix="omniops-consensus-") as tmp:
        if home is None:
            from demo_company.generate import generate_demo_company
            from orchestration.pipeline import run_pipeline

            home = Path(tmp)
            os.environ["OMNIOPS_HOME"] = str(home)
            os.environ["DAGSTER_HOME"] = str(home / "dagster")
            generate_demo_company(OmniopsPaths(home).landing)
            run_pipeline(OmniopsPaths(home), echo=lambda message: None)
        with duckdb.connect(str(OmniopsPaths(home).published_db), read_only=True) as conn:
            demand = conn.execute("select * from marts.fct_demand_daily").df()
            sales = conn.execute("select * from marts.fct_sales_forecast").df()
            products = conn.execute("select sku, product_category from marts.dim_products").df()
    return demand, sales, products


def wape(y: pd.Series, yhat: pd.Series, p: pd.Series) -> float:
    return float((p * (y - yhat).abs()).sum() / (p * y.abs()).sum())


def bias(y: pd.Series, yhat: pd.Series, p: pd.Series) -> float:
    return float((p * (yhat - y)).sum() / (p * y).sum())


def cascade(cv: pd.DataFrame, freq: str, plan: pd.DataFrame, daily: pd.DataFrame, consume: str) -> pd.Series:
    """The champion's backtest forecasts (unique_id, ds, cutoff, yhat) with their days in each planned
    month (plan: unique_id, month, plan) scaled to plan × covered days ÷ days of the month; per period."""
    n = 7 if freq == "W" else 1
    days = cv.loc[cv.index.repeat(n)].reset_index(drop=True)
    days["day"] = days["ds"] + pd.to_timedelta(np.tile(np.arange(n), len(cv)), unit="D")
    days["value"] = days["yhat"] / n
    days["month"] = days["day"].dt.to_period("M").dt.to_timestamp()
    days = days.merge(plan, on=["unique_id", "month"], how="left")
    keys = ["unique_id", "cutoff", "month"]
    covered = days.groupby(keys)["value"].agg(n_cov="size", s_cov="sum").reset_index()
    if consume != "none":  # the month's days up to the cut-off (the last training period) are known actuals
        known = daily.merge(covered[keys], on="unique_id")
        known = known[
            (known["ds"] >= known["month"]) & (known["ds"] < known["cutoff"] + pd.Timedelta(days=n))
        ]
        booked = known.groupby(keys)["y"].agg(booked="sum", booked_days="size").reset_index()
        covered = covered.merge(booked, on=keys, how="left")
    else:
        covered = covered.assign(booked=0.0, booked_days=0)
    covered = covered.fillna({"booked": 0.0, "booked_days": 0})
    days = days.merge(covered, on=keys)
    open_days = days["month"].dt.days_in_month - days["booked_days"]
    rest = (days["plan"] - days["booked"]).clip(lower=0)
    if consume == "expire":
        rest = np.minimum(rest, days["plan"] * open_days / days["month"].dt.days_in_month)
    target = rest * days["n_cov"] / open_days
    scaled = np.where(days["s_cov"] > 0, days["value"] * target / days["s_cov"], target / days["n_cov"])
    days["value"] = np.where(days["plan"].notna(), scaled, days["value"])
    return days.groupby(["unique_id", "ds", "cutoff"])["value"].sum()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="a built OMNIOPS_HOME to read instead of building one")
    parser.add_argument("--consume", choices=("none", "catch-up", "expire"), default="none")
    args = parser.parse_args()

    from forecasting import fva
    from forecasting.backtest import pick_champions, window_errors
    from forecasting.consensus import backtest_pairs
    from forecasting.holdout import series_errors
    from forecasting.models import BASELINES
    from forecasting.parallel import safe_workers
    from forecasting.select import forecast_and_backtest
    from forecasting.settings import ForecastSettings
    from planning import accuracy, consensus_layer, demand_series
    from planning.forecast_stage import _split_id

    demand, sales, products = load(args.home)
    as_of = pd.to_datetime(demand["demand_date"]).max().date()
    start = pd.to_datetime(demand["demand_date"]).min().date()
    daily = demand_series.long_enough(demand_series.daily_series(demand, as_of), "D")
    series = {
        "D": daily,
        "W": demand_series.long_enough(demand_series.aggregate(daily, "W", start, as_of), "W"),
        "MS": demand_series.long_enough(demand_series.aggregate(daily, "MS", start, as_of), "MS"),
    }
    prices = accuracy.unit_prices(
        demand.assign(unique_id=demand_series.series_id(demand["sku"], demand["channel"]))
    )
    cvs = {}
    with safe_workers(2):
        for freq, h in (("MS", 6), ("W", 12), ("D", 28)):
            cvs[freq] = forecast_and_backtest(series[freq], ForecastSettings(h, freq, n_jobs=2))[2]

    team = consensus_layer.with_zeros(consensus_layer.team_forecast(sales), cvs["MS"][["unique_id", "ds"]])
    attributes = _split_id(
        series["MS"].drop_duplicates("unique_id")[["unique_id"]],
        products.set_index("sku")["product_category"],
    )
    pools = attributes.set_index("unique_id")["channel"].to_dict()
    layers = fva.holdout_layers(cvs["MS"], team, pools, history=series["MS"], prices=prices.to_dict())
    stair = fva.stair_step(layers, prices, attributes)
    stair = stair[stair["scope"] == "all"].set_index("layer")
    scored = sorted({str(d)[:7] for d in layers["ds"]})
    print(f"monthly, {layers['unique_id'].nunique()} series, scored {scored}:")
    print("  " + "  ".join(f"{name} {r.wape:.3f} ({r.bias:+.1%})" for name, r in stair.iterrows()))

    cv = cvs["MS"]
    early_months = sorted(cv["ds"].unique())[:2]
    early = cv[cv["ds"].isin(early_months)]
    chosen = pick_champions(series_errors(early), window_errors(early))
    champion = chosen.loc[chosen["is_champion"]].set_index("unique_id")["model"].to_dict()
    pairs = backtest_pairs(cv, champion, team).dropna()
    pairs["p"] = pairs["unique_id"].map(prices).fillna(1.0)
    for ds, g in pairs.groupby("ds"):
        corr = np.corrcoef(g["p"] * (g["y"] - g["model"]), g["p"] * (g["y"] - g["judgmental"]))[0, 1]
        print(
            f"  {str(ds)[:7]}: model {wape(g.y, g.model, g.p):.3f} ({bias(g.y, g.model, g.p):+.0%}), "
            f"team {wape(g.y, g.judgmental, g.p):.3f} ({bias(g.y, g.judgmental, g.p):+.0%}), "
            f"error correlation {corr:.2f}"
        )

    months = sorted(layers["ds"].unique())
    first, last = months[0], months[-1] + pd.offsets.MonthEnd(0)
    plans = {
        "consensus": layers[layers["team_weight"] > 0],
        "sales_team": layers[layers["sales_team"] != layers["statistical"]],
        "statistical": layers,
    }
    for freq in ("W", "D"):
        cv = cvs[freq].assign(ds=lambda f: pd.to_datetime(f["ds"]))
        cuts = cv[["unique_id", "cutoff"]].drop_duplicates()
        cuts["early"] = cuts.groupby("unique_id")["cutoff"].rank(method="dense") <= 2
        cv = cv.merge(cuts, on=["unique_id", "cutoff"])
        early, late = cv[cv["early"]], cv[~cv["early"]]
        chosen = pick_champions(series_errors(early), window_errors(early))
        champion = chosen.loc[chosen["is_champion"]].set_index("unique_id")["model"].to_dict()
        fc = late[late["model"] == late["unique_id"].map(champion)][
            ["unique_id", "ds", "cutoff", "y", "yhat"]
        ]
        out = fc.set_index(["unique_id", "ds", "cutoff"])
        for name, frame in plans.items():
            plan = frame[["unique_id", "ds", name]].rename(columns={"ds": "month", name: "plan"})
            out[f"cascade_{name}"] = cascade(fc.reset_index(drop=True), freq, plan, daily, args.consume)
        baselines = late[late["model"].isin(BASELINES)]
        out = out.join(
            baselines.pivot_table(index=["unique_id", "ds", "cutoff"], columns="model", values="yhat")
        )
        n = 7 if freq == "W" else 1
        ds = out.index.get_level_values("ds")
        out = out[(ds >= first) & (ds + pd.Timedelta(days=n - 1) <= last)].rename(
            columns={"yhat": "champion"}
        )
        columns = ["champion", *[b for b in BASELINES if b in out.columns], *[f"cascade_{p}" for p in plans]]
        out = out.dropna(subset=columns)
        p = out.index.get_level_values("unique_id").map(prices).fillna(1.0).to_series(index=out.index)
        totals = out.groupby(level=["unique_id", "cutoff"])[["y", *columns]].sum()
        p_totals = p.groupby(level=["unique_id", "cutoff"]).first()
        print(
            f"{freq}: {out.index.get_level_values('unique_id').nunique()} series, {len(out)} periods scored"
        )
        print("  WAPE  " + "  ".join(f"{c} {wape(out.y, out[c], p):.3f}" for c in columns))
        print("  bias  " + "  ".join(f"{c} {bias(out.y, out[c], p):+.1%}" for c in columns))
        print(
            "  WAPE of each series' window total  "
            + "  ".join(f"{c} {wape(totals.y, totals[c], p_totals):.3f}" for c in columns)
        )


if __name__ == "__main__":
    main()
