"""Conformal 80 % intervals: the quantile by hand, and coverage of held-out points of synthetic series."""

import numpy as np
import pandas as pd
import pytest

from forecasting import metrics
from forecasting.conformal import conformal_quantile, held_out_coverage, sum_interval
from forecasting.select import forecast_and_backtest
from forecasting.settings import ForecastSettings

H, N_PAST = 7, 91


def synthetic(n_series: int, seed: int) -> pd.DataFrame:
    """Daily series: level × weekly profile + noise of different shapes (normal, skewed, heavy-tailed)."""
    rng = np.random.default_rng(seed)
    ds = pd.date_range("2025-01-06", periods=N_PAST + H, freq="D")
    frames = []
    for i in range(n_series):
        level = rng.uniform(20, 200)
        profile = np.tile(rng.uniform(0.6, 1.4, 7), len(ds) // 7 + 1)[: len(ds)]
        noise = [
            rng.normal(0, 0.15, len(ds)),
            rng.gamma(2, 0.1, len(ds)) - 0.2,
            0.1 * rng.standard_t(3, len(ds)),
        ]
        y = np.maximum(0.0, level * (profile + noise[i % 3]))
        frames.append(pd.DataFrame({"unique_id": f"s{i:03d}", "ds": ds, "y": y}))
    return pd.concat(frames, ignore_index=True)


def test_held_out_coverage_by_hand():
    # windows a, b: errors 1, 2 | 3, 10. Window a's band is b's 80 % quantile (3 + 0.8·7 = 8.6): both in;
    # window b's is a's (1 + 0.8·1 = 1.8): neither in. Coverage 2 of 4.
    y, yhat = np.array([1.0, 2, 3, 10]), np.zeros(4)
    assert held_out_coverage(y, yhat, np.array(["a", "a", "b", "b"]), 80) == 0.5
    assert np.isnan(held_out_coverage(y, yhat, np.array(["a"] * 4), 80))


def test_conformal_quantile_by_hand():
    # 0.8 · (9 − 1) = 6.4: 40 % of the way from the 7th smallest (7) to the 8th (8)
    assert conformal_quantile([9, 1, 2, 3, 4, 5, 6, 7, -8], 80) == pytest.approx(7.4)
    assert conformal_quantile([3, 1], 80) == pytest.approx(2.6)
    assert np.isnan(conformal_quantile([], 80))


def test_80_percent_intervals_cover_77_to_83_percent_of_held_out_points_and_of_sums():
    data = synthetic(60, seed=11)
    last = data["ds"].max() - pd.Timedelta(days=H)
    history, held_out = data[data["ds"] <= last], data[data["ds"] > last]
    forecast, scores, cv = forecast_and_backtest(history, ForecastSettings(H, "D", prophet="off"))
    both = forecast.merge(held_out, on=["unique_id", "ds"])
    assert len(both) == 60 * H
    assert 0.77 <= metrics.coverage(both["y"], both["yhat_lower"], both["yhat_upper"]) <= 0.83

    # the backtest reports the coverage of these bands (each window judged by the other windows' errors)
    assert 0.72 <= scores.loc[scores["is_champion"], "coverage"].mean() <= 0.88

    champions = scores.loc[scores["is_champion"]].set_index("unique_id")["model"].to_dict()
    hits = []
    for k in range(0, 60, 3):  # twenty sums of three series
        ids = [f"s{i:03d}" for i in range(k, k + 3)]
        band = sum_interval(cv, champions, forecast, ids, 80)
        actual = held_out[held_out["unique_id"].isin(ids)].groupby("ds")["y"].sum()
        band = band.set_index("ds").join(actual)
        hits += list((band["y"] >= band["yhat_lower"]) & (band["y"] <= band["yhat_upper"]))
    assert np.mean(hits) == pytest.approx(0.8, abs=0.06)
