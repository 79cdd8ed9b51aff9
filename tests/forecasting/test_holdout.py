"""The out-of-sample check of champion selection, on a hand-made backtest."""

from __future__ import annotations

import pandas as pd
import pytest

from forecasting.holdout import holdout_selection, holdout_summary

CUTS = pd.to_datetime(["2026-01-01", "2026-01-02", "2026-01-03"])
# (series, actual, {model: forecasts at the three cut-offs})
CASES = [
    ("A", 10.0, {"SeasonalNaive": [12, 8, 13], "WindowAverage": [11, 11, 10], "AutoETS": [10, 14, 15]}),
    ("B", 20.0, {"SeasonalNaive": [20, 20, 30], "WindowAverage": [25, 15, 22], "AutoETS": [21, 21, 16]}),
]


def _cv() -> pd.DataFrame:
    rows = [
        {"unique_id": uid, "cutoff": cut, "ds": cut + pd.Timedelta(days=1), "y": y, "model": m, "yhat": f}
        for uid, y, models in CASES
        for m, forecasts in models.items()
        for cut, f in zip(CUTS, forecasts, strict=True)
    ]
    return pd.DataFrame(rows)


def test_the_model_is_chosen_on_the_earlier_cutoffs_and_scored_on_the_last():
    got = holdout_selection(_cv()).set_index("unique_id")
    # A: earlier WAPEs SN 4/20, WA 2/20, ETS 4/20 → WindowAverage; its last window |10 − 10| = 0.
    # B: earlier WAPEs SN 0/40, WA 10/40, ETS 2/40 → SeasonalNaive; its last window |20 − 30| / 20 = 0.5.
    assert got.loc["A", "selected"] == "WindowAverage"
    assert got.loc["B", "selected"] == "SeasonalNaive"
    assert got.loc["A", "champion"] == pytest.approx(0.0)
    assert got.loc["B", "champion"] == pytest.approx(0.5)
    assert got.loc["A", "SeasonalNaive"] == pytest.approx(0.3)
    assert got.loc["B", "WindowAverage"] == pytest.approx(0.1)


def test_revenue_weighted_summary_by_hand():
    # Prices A 1, B 3; last-window revenue w = p·y: A 10, B 60.
    summary = holdout_summary(_cv(), pd.Series({"A": 1.0, "B": 3.0}))
    assert summary["champion"] == pytest.approx((10 * 0.0 + 60 * 0.5) / 70)
    assert summary["SeasonalNaive"] == pytest.approx((10 * 0.3 + 60 * 0.5) / 70)
    assert summary["WindowAverage"] == pytest.approx((10 * 0.0 + 60 * 0.1) / 70)
    # Equal prices: Σ|e| / Σ|y| over both series = (0 + 10) / (10 + 20).
    assert holdout_summary(_cv())["champion"] == pytest.approx(10 / 30)
