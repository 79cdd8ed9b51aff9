"""The forecast stage on plain frames: net demand per SKU × channel forecast by day, week and month.

From ``marts.fct_demand_daily`` (as frames, no database): the daily series and their weekly and monthly
roll-ups are forecast over ``forecasting.horizons.HORIZONS`` (28 days, 12 W-MON weeks, 6 months) with
each series' backtest champion (``forecasting.select``), reconciled bottom-up (``forecasting.horizons``),
and scored against the baselines and the sales team's forecast (``planning.accuracy``). The daily
backtest's errors give the σ the inventory plan needs. Rules and their reasons: docs/forecasting.md.
The Dagster asset (``orchestration/assets/forecast.py``) reads the inputs and writes the tables.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from forecasting import horizons
from forecasting.holdout import holdout_summary
from forecasting.horizons import HORIZONS
from forecasting.models import BASELINES
from forecasting.parallel import safe_workers
from forecasting.select import forecast_and_backtest
from forecasting.settings import N_WINDOWS, ForecastSettings
from planning import accuracy, consensus_layer, demand_series


def _split_id(frame: pd.DataFrame, categories: pd.Series) -> pd.DataFrame:
    parts = frame["unique_id"].str.split("|", n=1, expand=True)
    return frame.assign(sku=parts[0], channel=parts[1], product_category=parts[0].map(categories))


def run_forecast(
    demand: pd.DataFrame,
    sales_forecast: pd.DataFrame,
    products: pd.DataFrame,
    n_jobs: int = 2,
    n_windows: int = N_WINDOWS,
    log=print,
    overrides: pd.DataFrame | None = None,
) -> dict:
    """The whole forecast stage on plain frames (no database): see the module and docs/forecasting.md.

    ``demand``: fct_demand_daily; ``sales_forecast``: fct_sales_forecast; ``products``: sku,
    product_category; ``overrides``: planners' numbers (unique_id, freq, ds, yhat), applied on top of the
    consensus and scored as the last layer of the monthly stair-step. Returns as_of and the frames of the
    tables to write.
    """
    with safe_workers(n_jobs):  # not plain fork: the caller may be a threaded Dagster run
        return _run_forecast(demand, sales_forecast, products, n_jobs, n_windows, log, overrides)


def _run_forecast(demand, sales_forecast, products, n_jobs, n_windows, log, overrides) -> dict:
    as_of = pd.to_datetime(demand["demand_date"]).max().date()
    history_start = pd.to_datetime(demand["demand_date"]).min().date()
    categories = products.set_index("sku")["product_category"]
    daily = demand_series.long_enough(demand_series.daily_series(demand, as_of), "D")
    series = {
        "D": daily,
        "W": demand_series.long_enough(demand_series.aggregate(daily, "W", history_start, as_of), "W"),
        "MS": demand_series.long_enough(demand_series.aggregate(daily, "MS", history_start, as_of), "MS"),
    }
    forecasts, scores, cvs, seconds = {}, {}, {}, {}
    for freq, h in HORIZONS.items():
        started = time.monotonic()
        settings = ForecastSettings(h, freq, n_windows=n_windows, n_jobs=n_jobs)
        fc, sc, cvs[freq] = forecast_and_backtest(series[freq], settings)
        forecasts[freq] = demand_series.fill_missing_forecasts(fc, series[freq], freq)
        scores[freq] = sc
        seconds[freq] = time.monotonic() - started
        log(
            f"{freq}: {series[freq]['unique_id'].nunique()} series, {sc['unique_id'].nunique()} backtested, "
            f"{(forecasts[freq]['model'] == 'FallbackMean').sum() // h} on the fallback mean, "
            f"{seconds[freq]:.1f} s"
        )

    # The daily backtest, long: σ of each champion's daily error and the W/MS roll-ups.
    cv = cvs["D"]
    champion_d = scores["D"].loc[scores["D"]["is_champion"]].set_index("unique_id")["model"].to_dict()
    chosen = cv[cv["model"] == cv["unique_id"].map(champion_d)]
    rmse = chosen.assign(e2=(chosen["y"] - chosen["yhat"]) ** 2).groupby("unique_id")["e2"].mean() ** 0.5
    demand_std = daily.groupby("unique_id")["y"].std(ddof=0)
    error = pd.DataFrame({"unique_id": sorted(daily["unique_id"].unique())})
    error["error_std_daily"] = error["unique_id"].map(rmse).fillna(error["unique_id"].map(demand_std))
    error["source"] = np.where(error["unique_id"].isin(rmse.index), "backtest_rmse", "demand_std")
    daily_model = forecasts["D"].drop_duplicates("unique_id").set_index("unique_id")["model"]
    error["model"] = error["unique_id"].map(daily_model)

    # Accuracy per series: native backtest where the library could run one, else the daily roll-up.
    prices = accuracy.unit_prices(
        demand.assign(unique_id=demand_series.series_id(demand["sku"], demand["channel"]))
    )
    team = sales_forecast[sales_forecast["lead_months"] == 1]
    team = pd.DataFrame(
        {
            "unique_id": demand_series.series_id(team["sku"], team["channel"]),
            "ds": pd.to_datetime(team["forecast_month"]),
            "yhat": team["forecast_quantity"].astype(float),
        }
    )
    # Out of sample: champions chosen on the first cut-offs, scored with the baselines on the last window.
    holdout = holdout_summary(cv, prices)
    log("D out-of-sample check (revenue-weighted WAPE, last window): " + _fmt(holdout))
    series_rows, team_rows = [], None
    for freq, h in HORIZONS.items():
        native = scores[freq][accuracy.SERIES_COLUMNS]
        periods = accuracy.scored_periods_native(
            series[freq], native["unique_id"].unique(), h, n_windows, freq
        )
        if freq != "D":
            rolled = accuracy.rollup_backtest(cv[~cv["unique_id"].isin(native["unique_id"])], freq)
            rolled_scores = accuracy.score_periods(rolled, series[freq], freq, champion_d)
            parts = [f for f in (native, rolled_scores) if len(f)]
            native = pd.concat(parts, ignore_index=True) if parts else native
            rolled_periods = rolled.loc[rolled["model"] == rolled["unique_id"].map(champion_d)]
            periods = pd.concat([periods, rolled_periods[["unique_id", "ds", "y"]]], ignore_index=True)
        weight = accuracy.value_weights(prices, periods)
        rows = native.assign(freq=freq, revenue_weight=native["unique_id"].map(weight))
        series_rows.append(rows)
        if freq == "MS":
            team_rows = accuracy.sales_team_scores(periods, team).assign(freq=freq)
            team_rows["revenue_weight"] = team_rows["unique_id"].map(weight)
            log(f"sales team scored on {len(periods)} series-months ({periods['ds'].nunique()} months)")
    acc = _split_id(pd.concat(series_rows, ignore_index=True), categories)
    acc["is_baseline"] = acc["model"].isin(BASELINES)
    acc["as_of"] = as_of
    team_rows = _split_id(team_rows, categories) if team_rows is not None and len(team_rows) else None
    summary = accuracy.summarize(acc, team_rows).assign(as_of=as_of)

    # The monthly consensus: the champion blended with the sales team, weights from the monthly backtest.
    started = time.monotonic()
    judgmental = consensus_layer.team_forecast(sales_forecast)
    months = pd.concat([cvs["MS"][["unique_id", "ds"]], forecasts["MS"][["unique_id", "ds"]]])
    judgmental = consensus_layer.with_zeros(judgmental, months)
    pools = _split_id(series["MS"].drop_duplicates("unique_id"), categories).set_index("unique_id")["channel"]
    champion_ms = scores["MS"].loc[scores["MS"]["is_champion"]].set_index("unique_id")["model"].to_dict()
    forecasts["MS"], weights = consensus_layer.monthly_consensus(
        forecasts["MS"], cvs["MS"], champion_ms, judgmental, pools.to_dict(), series["MS"], prices
    )
    attributes = _split_id(pd.DataFrame({"unique_id": pools.index}), categories)
    planned = overrides[overrides["freq"] == "MS"] if overrides is not None else None
    fva = consensus_layer.fva_table(
        cvs["MS"], judgmental, pools.to_dict(), planned, prices, attributes, series["MS"]
    )
    for freq in HORIZONS:
        forecasts[freq] = consensus_layer.apply_overrides(forecasts[freq], overrides, freq)
    seconds["MS_consensus"] = time.monotonic() - started
    stair = fva[fva["scope"] == "all"].set_index("layer")
    log(
        f"MS consensus: {len(weights)} series blended "
        f"(mean sales-team weight {weights['weight'].mean():.2f}); "
        "out of sample (revenue-weighted WAPE, later cut-offs): " + _fmt(stair["wape"].to_dict())
    )

    # The cascade: planned months win, the finer horizons keep their profile; this month's past days are
    # the actuals, which consume its plan (forecasting.horizons).
    month_start = pd.Timestamp(as_of).replace(day=1)
    actuals = daily.loc[daily["ds"] >= month_start, ["unique_id", "ds", "y"]].rename(columns={"y": "yhat"})
    rec = horizons.reconcile_forecasts(forecasts, actuals=actuals)
    frames = []
    for freq in HORIZONS:
        frames.append(_split_id(rec[freq], categories).assign(freq=freq, as_of=as_of))
    forecast_table = pd.concat(frames, ignore_index=True)
    forecast_table["ds"] = pd.to_datetime(forecast_table["ds"])
    return {
        "as_of": as_of,
        "forecasts": rec,
        "demand_forecast": forecast_table,
        "forecast_accuracy_series": acc,
        "forecast_accuracy_summary": summary,
        "forecast_error_daily": _split_id(error, categories).assign(as_of=as_of),
        "holdout_check": holdout,
        "forecast_fva": fva.assign(as_of=as_of, freq="MS"),
        "consensus_weights": weights,
        "seconds": seconds,
    }


def _fmt(wapes: dict[str, float]) -> str:
    return ", ".join(f"{name} {value:.3f}" for name, value in wapes.items())
