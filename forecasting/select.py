"""Champion/challenger forecast: backtest every candidate, then forecast each series with its winner.

Series too short for even a one-step backtest (``rolling.backtest_horizon`` = 0) are not scored (no rows in
``scores_df``); they get ``SeasonalNaive``, the baseline, with its native interval (``Naive`` when the
history is shorter than one season).
The intervals of every backtested series, whatever its champion (Prophet included), are the split
conformal bands of ``forecasting.conformal``: ŷ ± the level-quantile of the champion's absolute backtest
errors (the models' own intervals under-covered, and are not computed for them). Where that leaves a gap
(a champion without a usable backtest error), the series gets ŷ ± z·RMSE_backtest.
Forecasts and bounds are clipped at zero when the whole history of a series is non-negative (demand cannot be
negative), and bounds are widened if needed so that ``yhat_lower ≤ yhat ≤ yhat_upper`` always holds.
"""

from __future__ import annotations

from dataclasses import replace
from statistics import NormalDist

import pandas as pd
from statsforecast import StatsForecast

from forecasting import conformal, topdown
from forecasting.backtest import backtest_with_forecasts
from forecasting.models import (
    BASELINES,
    INPUT_SIZE,
    CandidateSet,
    build_models,
    season_length,
)
from forecasting.rolling import (
    check_regular,
    collected,
    on_engine,
    plan_series,
    prepare,
    sf_freq,
    start_prophet,
    to_long,
)
from forecasting.settings import ForecastSettings

FORECAST_COLUMNS = ["unique_id", "ds", "yhat", "yhat_lower", "yhat_upper", "model"]
FALLBACK_MODEL = "SeasonalNaive"


def forecast_with_champions(
    df: pd.DataFrame, settings: ForecastSettings
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Forecast ``settings.horizon`` periods per series with its backtest champion.

    Returns ``(forecast_df, scores_df)``: ``forecast_df`` has one row per series and future period with
    ``unique_id, ds, yhat, yhat_lower, yhat_upper, model``; ``scores_df`` has one row per series and candidate
    with ``wape, mase, bias, coverage, mae, rmse, n_points, is_champion``.
    """
    forecast, scores, _ = forecast_and_backtest(df, settings)
    return forecast, scores


def forecast_and_backtest(
    df: pd.DataFrame, settings: ForecastSettings
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``forecast_with_champions`` plus the backtest's rolling-origin forecasts (``cross_validate``)."""
    horizon, freq, level = settings.horizon, settings.freq, settings.level
    if horizon < 1:
        raise ValueError("horizon must be >= 1")
    season_length(freq)
    df = prepare(df)
    check_regular(df, freq)
    plans = plan_series(df, settings)
    gf = topdown.run_groups(df, settings, final=True) if settings.groups else None
    # One Prophet task per candidate series does its backtest fits and, speculatively, its final fit (warm
    # started from the last cut-off); it runs in a pool while statsforecast runs here. The final fit is
    # wasted only where Prophet then loses the backtest.
    run = start_prophet(df, plans, settings, final_horizon=horizon)
    try:
        scores, cv = backtest_with_forecasts(df, settings, plans=plans, prophet_run=run, group_forecasts=gf)
    except BaseException:
        if run is not None:
            run.cancel()
        raise
    champs = scores.loc[scores["is_champion"]].set_index("unique_id")
    champion = champs["model"].to_dict()

    frames = []
    input_size = INPUT_SIZE.get(freq)
    recent = df.groupby("unique_id", sort=False).tail(input_size) if input_size else df
    groups: dict[CandidateSet, list[str]] = {}
    for uid, model in champion.items():
        if model in ("Prophet", topdown.TOPDOWN):
            continue
        single = CandidateSet((model,), seasonal_ets=plans[uid].candidates.seasonal_ets)
        groups.setdefault(single, []).append(uid)
    for single, ids in groups.items():  # point forecasts: the bands come from the backtest errors below
        frames.append(_forecast_group(recent, ids, single, settings, intervals=False))
    prophet_ids_won = sorted(uid for uid, model in champion.items() if model == "Prophet")
    if prophet_ids_won:
        frames.append(run.forecast(prophet_ids_won).assign(model="Prophet"))
    topdown_won = sorted(uid for uid, model in champion.items() if model == topdown.TOPDOWN)
    if topdown_won:
        frames.append(topdown.topdown_forecast(df, topdown_won, gf, freq))
    unscored = df[~df["unique_id"].isin(champion)]
    m = season_length(freq)
    for uid, g in unscored.groupby("unique_id", sort=True):
        fallback = CandidateSet((FALLBACK_MODEL if len(g) >= m else "Naive",))
        frames.append(_forecast_group(g, [uid], fallback, replace(settings, n_jobs=1), True))
    out = pd.concat(frames, ignore_index=True)[FORECAST_COLUMNS]
    out = conformal.apply_bands(out, conformal.half_widths(cv, champion, level))
    z = NormalDist().inv_cdf(0.5 + level / 200)
    half = z * out["unique_id"].map(champs["rmse"]) if len(champs) else 0.0
    out["yhat_lower"] = out["yhat_lower"].fillna(out["yhat"] - half)
    out["yhat_upper"] = out["yhat_upper"].fillna(out["yhat"] + half)
    out = _postprocess(out, df)
    return out.sort_values(["unique_id", "ds"]).reset_index(drop=True), scores, cv


def _forecast_group(
    df: pd.DataFrame, ids: list[str], candidates: CandidateSet, settings: ForecastSettings, intervals: bool
) -> pd.DataFrame:
    horizon, level = settings.horizon, settings.level
    sub = df[df["unique_id"].isin(ids)]
    models = build_models(candidates, settings.freq, horizon, intervals=intervals)
    sf = StatsForecast(models=models, freq=sf_freq(settings.freq, sub), n_jobs=settings.n_jobs)
    if intervals:
        fc = collected(sf.forecast(df=on_engine(sub, settings), h=horizon, level=[level]))
        return to_long(fc, candidates.names, level, keep=["unique_id", "ds"])
    fc = collected(sf.forecast(df=on_engine(sub, settings), h=horizon))
    name = candidates.names[0]
    return fc[["unique_id", "ds"]].assign(
        model=name, yhat=fc[name], yhat_lower=float("nan"), yhat_upper=float("nan")
    )


def _postprocess(out: pd.DataFrame, history: pd.DataFrame) -> pd.DataFrame:
    nonneg = history.groupby("unique_id")["y"].min().ge(0)
    clip = out["unique_id"].map(nonneg).fillna(False).to_numpy(dtype=bool)
    for col in ("yhat", "yhat_lower", "yhat_upper"):
        out.loc[clip, col] = out.loc[clip, col].clip(lower=0)
    out["yhat_lower"] = out[["yhat_lower", "yhat"]].min(axis=1)
    out["yhat_upper"] = out[["yhat_upper", "yhat"]].max(axis=1)
    return out


def champion_summary(scores: pd.DataFrame) -> list[dict]:
    """One record per series: its champion, the champion's backtest metrics and each baseline's WAPE.

    Undefined metrics (e.g. WAPE when all backtest actuals are zero) become ``None`` so the records are
    valid JSON.
    """

    def clean(v: object) -> object:
        return None if isinstance(v, float) and v != v else v

    records = []
    for uid, g in scores.groupby("unique_id", sort=True):
        champ = g.loc[g["is_champion"]].iloc[0]
        records.append(
            {
                "unique_id": str(uid),
                "model": champ["model"],
                "wape": clean(float(champ["wape"])),
                "mase": clean(float(champ["mase"])),
                "bias": clean(float(champ["bias"])),
                "coverage": clean(float(champ["coverage"])),
                "baselines_wape": {
                    name: clean(float(g.loc[g["model"] == name, "wape"].iloc[0]))
                    for name in BASELINES
                    if (g["model"] == name).any()
                },
            }
        )
    return records
