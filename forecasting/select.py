"""Champion/challenger forecast: backtest every candidate, then forecast each series with its winner.

Series too short for the rolling-origin backtest are not scored (no rows in ``scores_df``); they get
``SeasonalNaive``, the baseline, with its native interval.
Forecasts and bounds are clipped at zero when the whole history of a series is non-negative (demand cannot be
negative), and bounds are widened if needed so that ``yhat_lower ≤ yhat ≤ yhat_upper`` always holds.
"""

from __future__ import annotations

import pandas as pd
from statsforecast import StatsForecast

from forecasting.backtest import (
    LEVEL,
    N_WINDOWS,
    check_regular,
    group_by_candidates,
    prepare,
    run_backtest,
    sf_freq,
    to_long,
)
from forecasting.models import BASELINES, CandidateSet, build_models, season_length

FORECAST_COLUMNS = ["unique_id", "ds", "yhat", "yhat_lower", "yhat_upper", "model"]
FALLBACK_MODEL = "SeasonalNaive"


def forecast_with_champions(
    df: pd.DataFrame,
    horizon: int,
    freq: str,
    n_windows: int = N_WINDOWS,
    level: int = LEVEL,
    n_jobs: int = 1,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Forecast ``horizon`` periods per series with its backtest champion.

    Returns ``(forecast_df, scores_df)``: ``forecast_df`` has one row per series and future period with
    ``unique_id, ds, yhat, yhat_lower, yhat_upper, model``; ``scores_df`` has one row per series and candidate
    with ``wape, mase, bias, coverage, mae, n_points, is_champion``.
    """
    if horizon < 1:
        raise ValueError("horizon must be >= 1")
    season_length(freq)
    df = prepare(df)
    check_regular(df, freq)
    scores = run_backtest(df, horizon, freq, n_windows, level, n_jobs)
    champion = scores.loc[scores["is_champion"]].set_index("unique_id")["model"].to_dict()

    frames = []
    scored = df[df["unique_id"].isin(champion)]
    for candidates, ids in group_by_candidates(scored, horizon, freq, n_windows).items():
        # Refit only each series' champion on the full history (the challengers were scored already).
        by_model: dict[str, list[str]] = {}
        for uid in ids:
            by_model.setdefault(champion[uid], []).append(uid)
        for model, model_ids in by_model.items():
            single = CandidateSet((model,), seasonal_ets=candidates.seasonal_ets)
            frames.append(_forecast_group(scored, model_ids, single, horizon, freq, level, n_jobs))
    unscored = df[~df["unique_id"].isin(champion)]
    if len(unscored):
        fallback = CandidateSet((FALLBACK_MODEL,))
        frames.append(
            _forecast_group(
                unscored, list(unscored["unique_id"].unique()), fallback, horizon, freq, level, n_jobs
            )
        )
    long = pd.concat(frames, ignore_index=True)
    chosen = long["model"] == long["unique_id"].map(champion).fillna(FALLBACK_MODEL)
    out = long.loc[chosen, FORECAST_COLUMNS].copy()
    out = _postprocess(out, df)
    return out.sort_values(["unique_id", "ds"]).reset_index(drop=True), scores


def _forecast_group(
    df: pd.DataFrame,
    ids: list[str],
    candidates: CandidateSet,
    horizon: int,
    freq: str,
    level: int,
    n_jobs: int,
) -> pd.DataFrame:
    sub = df[df["unique_id"].isin(ids)]
    sf = StatsForecast(models=build_models(candidates, freq, horizon), freq=sf_freq(freq, sub), n_jobs=n_jobs)
    fc = sf.forecast(df=sub, h=horizon, level=[level])
    return to_long(fc, candidates.names, level, keep=["unique_id", "ds"])


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
