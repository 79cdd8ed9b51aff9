"""Rolling-origin backtest: every candidate is refit at each cut-off and scored on the next ``h`` periods.

Cut-offs are ``n_windows`` (default 4) origins, ``h`` apart, the last one ``h`` periods before the end of the
history. Per series and model we report WAPE, MASE, bias and interval coverage pooled over all windows.
MASE is scaled by the in-sample seasonal-naive MAE of the history before the first cut-off, so every model of
a series shares one scale. The champion of a series is the model with the lowest WAPE; ties (to 1e-9) go to
the simpler model (``models.COMPLEXITY``); when all backtest actuals are zero (WAPE undefined) the lowest
MAE wins.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from statsforecast import StatsForecast

from forecasting import metrics
from forecasting.models import (
    COMPLEXITY,
    CandidateSet,
    build_models,
    choose_candidates,
    min_length_for_intervals,
    pandas_freq,
    season_length,
)

N_WINDOWS = 4
LEVEL = 80


def prepare(df: pd.DataFrame) -> pd.DataFrame:
    """Validate and normalise a long frame ``unique_id, ds, y`` (sorted, typed, no missing values)."""
    missing = {"unique_id", "ds", "y"} - set(df.columns)
    if missing:
        raise ValueError(f"missing columns: {sorted(missing)}")
    out = df[["unique_id", "ds", "y"]].copy()
    out["unique_id"] = out["unique_id"].astype(str)
    out["ds"] = pd.to_datetime(out["ds"])
    out["y"] = pd.to_numeric(out["y"], errors="raise").astype(float)
    if out["y"].isna().any():
        raise ValueError("y has missing values; fill or drop them before forecasting")
    if out.duplicated(["unique_id", "ds"]).any():
        raise ValueError("duplicate (unique_id, ds) rows")
    return out.sort_values(["unique_id", "ds"]).reset_index(drop=True)


def check_regular(df: pd.DataFrame, freq: str) -> None:
    """Raise if a series has gaps or dates off the frequency grid: the models assume one row per period.

    Gaps are not filled here because a missing period can mean zero demand or missing data; the caller knows.
    """
    offset = pd.tseries.frequencies.to_offset(sf_freq(freq, df))
    for uid, ds in df.groupby("unique_id", sort=False)["ds"]:
        expected = pd.date_range(ds.iloc[0], periods=len(ds), freq=offset)
        if not offset.is_on_offset(ds.iloc[0]) or not expected.equals(pd.DatetimeIndex(ds)):
            raise ValueError(f"series {uid!r} is not regular at freq {freq!r} (gaps or off-grid dates)")


def backtestable(n: int, horizon: int, freq: str, n_windows: int = N_WINDOWS) -> bool:
    """Whether a series of length n is long enough for ``n_windows`` cut-offs plus a fittable first slice."""
    return n - n_windows * horizon >= min_length_for_intervals(horizon, freq)


def group_by_candidates(
    df: pd.DataFrame, horizon: int, freq: str, n_windows: int = N_WINDOWS
) -> dict[CandidateSet, list[str]]:
    """Series ids grouped by candidate set, judged on the shortest backtest training slice."""
    groups: dict[CandidateSet, list[str]] = {}
    for uid, g in df.groupby("unique_id", sort=True):
        y = g["y"].to_numpy()
        y_train = y[: max(len(y) - n_windows * horizon, 0)]
        groups.setdefault(choose_candidates(y_train, freq), []).append(str(uid))
    return groups


def cross_validate(
    df: pd.DataFrame, horizon: int, freq: str, n_windows: int = N_WINDOWS, level: int = LEVEL, n_jobs: int = 1
) -> pd.DataFrame:
    """Rolling-origin forecasts, long: ``unique_id, ds, cutoff, y, model, yhat, yhat_lower, yhat_upper``.

    Only series long enough for the backtest are included (see ``backtestable``).
    """
    df = prepare(df)
    check_regular(df, freq)
    lengths = df.groupby("unique_id")["y"].size()
    ok = lengths[[backtestable(n, horizon, freq, n_windows) for n in lengths]].index
    df = df[df["unique_id"].isin(ok)]
    frames = []
    for candidates, ids in group_by_candidates(df, horizon, freq, n_windows).items():
        sf = StatsForecast(
            models=build_models(candidates, freq, horizon), freq=sf_freq(freq, df), n_jobs=n_jobs
        )
        cv = sf.cross_validation(
            df=df[df["unique_id"].isin(ids)], h=horizon, n_windows=n_windows, step_size=horizon, level=[level]
        )
        frames.append(to_long(cv, candidates.names, level, keep=["unique_id", "ds", "cutoff", "y"]))
    cols = ["unique_id", "ds", "cutoff", "y", "model", "yhat", "yhat_lower", "yhat_upper"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)


def to_long(wide: pd.DataFrame, names: tuple[str, ...], level: int, keep: list[str]) -> pd.DataFrame:
    """statsforecast's wide output (one column per model) to one row per model."""
    parts = []
    for name in names:
        part = wide[keep].copy()
        part["model"] = name
        part["yhat"] = wide[name].to_numpy()
        part["yhat_lower"] = wide[f"{name}-lo-{level}"].to_numpy()
        part["yhat_upper"] = wide[f"{name}-hi-{level}"].to_numpy()
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def score(cv: pd.DataFrame, history: pd.DataFrame, freq: str) -> pd.DataFrame:
    """Per series and model: ``wape, mase, bias, coverage, mae, n_points`` over all backtest windows."""
    m = season_length(freq)
    history = prepare(history)
    first_cut = cv.groupby("unique_id")["cutoff"].min()
    train = {
        uid: h.loc[h["ds"] <= first_cut[uid], "y"].to_numpy()
        for uid, h in history[history["unique_id"].isin(first_cut.index)].groupby("unique_id")
    }
    rows = []
    for (uid, model), g in cv.groupby(["unique_id", "model"], sort=True):
        y_train = train[uid]
        y, yhat = g["y"].to_numpy(), g["yhat"].to_numpy()
        rows.append(
            {
                "unique_id": uid,
                "model": model,
                "wape": metrics.wape(y, yhat),
                "mase": metrics.mase(y, yhat, y_train, season=m),
                "bias": metrics.bias(y, yhat),
                "coverage": metrics.coverage(y, g["yhat_lower"], g["yhat_upper"]),
                "mae": float(np.abs(y - yhat).mean()),
                "n_points": len(g),
            }
        )
    return pd.DataFrame(rows)


def pick_champions(scores: pd.DataFrame) -> pd.DataFrame:
    """Add ``is_champion``: lowest WAPE per series, ties to the simpler model, MAE when WAPE is undefined."""

    def key(row: pd.Series) -> tuple[float, float, int]:
        w = row["wape"]
        undefined = w is None or (isinstance(w, float) and math.isnan(w))
        primary = math.inf if undefined else round(w, 9)
        return (primary, row["mae"] if undefined else 0.0, COMPLEXITY[row["model"]])

    out = scores.copy()
    out["is_champion"] = False
    for _, g in out.groupby("unique_id"):
        best = min(g.index, key=lambda i: key(out.loc[i]))
        out.loc[best, "is_champion"] = True
    return out


def run_backtest(
    df: pd.DataFrame, horizon: int, freq: str, n_windows: int = N_WINDOWS, level: int = LEVEL, n_jobs: int = 1
) -> pd.DataFrame:
    """Backtest every candidate and return the scores with the champion flagged."""
    cv = cross_validate(df, horizon, freq, n_windows, level, n_jobs)
    if cv.empty:
        return pd.DataFrame(
            columns=[
                "unique_id",
                "model",
                "wape",
                "mase",
                "bias",
                "coverage",
                "mae",
                "n_points",
                "is_champion",
            ]
        )
    return pick_champions(score(cv, df, freq))


def sf_freq(freq: str, df: pd.DataFrame) -> str:
    """The frequency string statsforecast needs for this frame (weekly anchor taken from the data)."""
    return pandas_freq(freq, df["ds"].min() if len(df) else None)
