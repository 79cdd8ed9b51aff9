"""Calibrated prediction intervals from the backtest's errors (split conformal), for any model and for sums.

The models' own intervals assume their error model holds; on the demo the 80 % bands covered about 67 %
of held-out points (Prophet's about 60 %). Instead the band is taken from how wrong the champion actually
was on the rolling-origin backtest, whatever the model:

    q = the empirical ℓ-quantile of the n absolute backtest errors |y − ŷ|   (ℓ = level, e.g. 0.8;
        linear interpolation between order statistics)
    interval = ŷ ± q

which covers a new point with probability ≈ ℓ when errors are exchangeable. The textbook split-conformal
rank ⌈(n + 1)·ℓ⌉ guarantees ≥ ℓ but over-covers by up to 1/(n + 1): with 4 windows of 7 days (n = 28),
85 % on the synthetic test series instead of the asked 77–83 %; and the backtest errors come from shorter
training slices than the final fit, which is conservative already. A series
with fewer than ``MIN_OWN_ERRORS`` errors (e.g. 4 monthly windows of one month) borrows: its errors are
pooled with all series' errors relative to each series' mean |y| (qᵢ = q_rel · mean|yᵢ|). For a sum of
series the errors of the summed backtest forecast give the band of the summed forecast.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

MIN_OWN_ERRORS = 20


def conformal_quantile(errors: Sequence[float] | np.ndarray, level: float) -> float:
    """The empirical ``level`` % quantile of the absolute errors (NaN without errors)."""
    e = np.abs(np.asarray(errors, dtype=float))
    return float(np.quantile(e, level / 100)) if len(e) else float("nan")


def _champion_rows(cv: pd.DataFrame, champions: Mapping[str, str]) -> pd.DataFrame:
    return cv[cv["model"] == cv["unique_id"].map(dict(champions))]


def half_widths(
    cv: pd.DataFrame, champions: Mapping[str, str], level: float, min_own: int = MIN_OWN_ERRORS
) -> pd.Series:
    """q per series (index unique_id) from its champion's backtest errors, pooled where it has few."""
    chosen = _champion_rows(cv, champions)
    err = (chosen["y"] - chosen["yhat"]).abs()
    scale = chosen["y"].abs().groupby(chosen["unique_id"]).transform("mean")
    rel = (err / scale.where(scale > 0)).dropna()
    q_rel = conformal_quantile(rel.to_numpy(), level)
    out = {}
    for uid, e in err.groupby(chosen["unique_id"]):
        if len(e) >= min_own or math.isnan(q_rel):
            out[uid] = conformal_quantile(e.to_numpy(), level)
        else:
            out[uid] = q_rel * float(scale[e.index].iloc[0]) if len(e) else float("nan")
    return pd.Series(out, dtype=float)


def apply_bands(forecast: pd.DataFrame, q: pd.Series) -> pd.DataFrame:
    """``forecast`` with yhat_lower/upper = yhat ∓ q for the series in ``q`` (others unchanged)."""
    out = forecast.copy()
    width = out["unique_id"].map(q)
    has = width.notna()
    out.loc[has, "yhat_lower"] = out.loc[has, "yhat"] - width[has]
    out.loc[has, "yhat_upper"] = out.loc[has, "yhat"] + width[has]
    return out


def sum_interval(
    cv: pd.DataFrame, champions: Mapping[str, str], forecast: pd.DataFrame, ids: Sequence[str], level: float
) -> pd.DataFrame:
    """``ds, yhat, yhat_lower, yhat_upper`` of Σ of the series ``ids``: the summed forecast ± the conformal
    quantile of the summed backtest forecast's errors (backtest periods where all ``ids`` were forecast)."""
    chosen = _champion_rows(cv[cv["unique_id"].isin(ids)], champions)
    summed = chosen.groupby(["cutoff", "ds"]).agg(y=("y", "sum"), yhat=("yhat", "sum"), n=("y", "size"))
    summed = summed[summed["n"] == len(set(ids))]
    q = conformal_quantile((summed["y"] - summed["yhat"]).to_numpy(), level)
    total = forecast[forecast["unique_id"].isin(ids)].groupby("ds", as_index=False)["yhat"].sum()
    return total.assign(yhat_lower=total["yhat"] - q, yhat_upper=total["yhat"] + q)


def held_out_coverage(y: np.ndarray, yhat: np.ndarray, window: np.ndarray, level: float) -> float:
    """Coverage of the conformal band on the backtest itself, each window judged by a band made from the
    other windows' errors only (leave one window out): share of points with |y − ŷ| ≤ q(other windows).
    NaN with fewer than two windows."""
    err = np.abs(np.asarray(y, dtype=float) - np.asarray(yhat, dtype=float))
    window = np.asarray(window)
    windows = np.unique(window)
    if len(windows) < 2:
        return float("nan")
    hits = np.zeros(len(err), dtype=bool)
    for k in windows:
        inside = window == k
        hits[inside] = err[inside] <= conformal_quantile(err[~inside], level)
    return float(hits.mean())
