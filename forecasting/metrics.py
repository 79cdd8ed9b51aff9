"""Forecast accuracy metrics, written as plain numpy functions so the backtest and the pipeline share them.

All functions take arrays of equal length and ignore nothing: callers drop missing values first.
A metric whose denominator is zero returns ``nan`` rather than inf, so aggregates can skip it.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike


def _arr(x: ArrayLike) -> np.ndarray:
    return np.asarray(x, dtype=float)


def wape(y: ArrayLike, yhat: ArrayLike) -> float:
    """Weighted absolute percentage error: WAPE = Σ|y − ŷ| / Σ|y|.

    Chosen over MAPE because it stays defined for days with zero demand (most SKU × channel pairs).
    """
    y, yhat = _arr(y), _arr(yhat)
    denom = np.abs(y).sum()
    return float(np.abs(y - yhat).sum() / denom) if denom > 0 else float("nan")


def mean_series_wape(unique_id: ArrayLike, y: ArrayLike, yhat: ArrayLike) -> float:
    """Mean per-series WAPE: (1/N) Σ_i Σ_t|y_it − ŷ_it| / Σ_t|y_it| over the N series with Σ_t|y_it| > 0.

    Unlike one WAPE over all rows, every series counts the same, whatever its volume (how public
    forecasting benchmarks average).
    """
    frame = pd.DataFrame(
        {"uid": np.asarray(unique_id), "err": np.abs(_arr(y) - _arr(yhat)), "abs": np.abs(_arr(y))}
    )
    sums = frame.groupby("uid")[["err", "abs"]].sum()
    sums = sums[sums["abs"] > 0]
    return float((sums["err"] / sums["abs"]).mean()) if len(sums) else float("nan")


def mase(y: ArrayLike, yhat: ArrayLike, y_train: ArrayLike, season: int = 1) -> float:
    """Mean absolute scaled error: MASE = MAE(y, ŷ) / MAE_in-sample(seasonal naive with season m).

    The scale is the in-sample mean of |y_t − y_{t−m}| on the training history; values below 1 beat
    the seasonal naive. Falls back to m = 1 when the history is shorter than m + 1 points.
    """
    y, yhat, y_train = _arr(y), _arr(yhat), _arr(y_train)
    m = season if len(y_train) > season else 1
    if len(y_train) <= m:
        return float("nan")
    scale = np.abs(y_train[m:] - y_train[:-m]).mean()
    mae = np.abs(y - yhat).mean()
    return float(mae / scale) if scale > 0 else float("nan")


def bias(y: ArrayLike, yhat: ArrayLike) -> float:
    """Relative bias: Σ(ŷ − y) / Σy. Positive means over-forecast (too much stock)."""
    y, yhat = _arr(y), _arr(yhat)
    denom = y.sum()
    return float((yhat - y).sum() / denom) if denom != 0 else float("nan")


def coverage(y: ArrayLike, lower: ArrayLike, upper: ArrayLike) -> float:
    """Interval coverage: share of actuals with lower ≤ y ≤ upper (should be near the nominal level)."""
    y, lower, upper = _arr(y), _arr(lower), _arr(upper)
    if len(y) == 0:
        return float("nan")
    return float(((y >= lower) & (y <= upper)).mean())


def rmse(y: ArrayLike, yhat: ArrayLike) -> float:
    """Root mean squared error: RMSE = √(Σ(y − ŷ)² / n); the error scale safety stock is computed from."""
    y, yhat = _arr(y), _arr(yhat)
    return float(np.sqrt(((y - yhat) ** 2).mean())) if len(y) else float("nan")


def revenue_weighted_wape(
    wape_by_series: Mapping[str, float], revenue_by_series: Mapping[str, float]
) -> float:
    """Accuracy as the business feels it: WAPE_rev = Σ_i revenue_i · WAPE_i / Σ_i revenue_i.

    Sums run over series with a defined (non-nan) WAPE and a revenue; a series missing from either mapping
    is skipped. Returns nan when the revenue left is zero.
    """
    num = den = 0.0
    for uid, w in wape_by_series.items():
        r = revenue_by_series.get(uid)
        if r is None or w is None or np.isnan(w) or np.isnan(r):
            continue
        num += float(r) * float(w)
        den += float(r)
    return num / den if den > 0 else float("nan")


def forecast_value_added(wape_reference: float, wape_model: float) -> float:
    """FVA = WAPE(reference) − WAPE(model): positive when the model beats the reference (e.g. a naive or
    the sales team's forecast) by that many WAPE points."""
    return float(wape_reference) - float(wape_model)
