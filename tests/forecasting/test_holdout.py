"""The out-of-sample check of champion selection, on a hand-made backtest."""

from __future__ import annotations

import pandas as pd
import pytest

from forecasting.backtest import pick_champions
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


def _scores_and_windows(errors: dict[str, list[float]], actual: float = 10.0):
    """A hand-made backtest of one series: per model, its absolute error in each window (actual each)."""
    cuts = pd.date_range("2026-01-01", periods=len(next(iter(errors.values()))), freq="D")
    windows = pd.DataFrame(
        [
            {"unique_id": "S", "model": m, "cutoff": c, "abs_err": e}
            for m, errs in errors.items()
            for c, e in zip(cuts, errs, strict=True)
        ]
    )
    total = actual * len(cuts)
    scores = windows.groupby(["unique_id", "model"], as_index=False)["abs_err"].sum()
    scores["wape"] = scores["abs_err"] / total
    scores["mae"] = scores["abs_err"] / len(cuts)
    return scores, windows


def _champion_of(errors: dict[str, list[float]]) -> str:
    scores, windows = _scores_and_windows(errors)
    picked = pick_champions(scores, windows)
    return picked.loc[picked["is_champion"], "model"].iloc[0]


def test_a_challenger_that_wins_by_a_margin_in_most_windows_is_champion():
    assert (
        _champion_of({"SeasonalNaive": [5, 5, 5, 5], "WindowAverage": [6, 6, 6, 6], "TSB": [3, 3, 3, 6]})
        == "TSB"
    )


def test_a_challenger_that_wins_on_one_lucky_window_is_not():
    # Lower pooled WAPE (12 vs 20) but better in only 1 of 4 windows: the best baseline stays champion.
    assert _champion_of(
        {"SeasonalNaive": [5, 5, 5, 5], "WindowAverage": [6, 6, 6, 6], "TSB": [0, 6, 0, 6]}
    ) == ("SeasonalNaive")
    # 2 of 4 is not a majority either.
    assert _champion_of({"SeasonalNaive": [5, 5, 5, 5], "TSB": [1, 1, 6, 6]}) == "SeasonalNaive"


def test_a_challenger_within_the_margin_is_not():
    # Better in every window, but by 1 % pooled (margin 2 %): the baseline stays.
    assert _champion_of({"SeasonalNaive": [5, 5, 5, 5], "TSB": [4.95, 4.95, 4.95, 4.95]}) == "SeasonalNaive"


def test_the_best_baseline_is_the_default_champion():
    assert _champion_of(
        {"SeasonalNaive": [6, 6, 6, 6], "WindowAverage": [5, 5, 5, 5], "TSB": [7, 7, 7, 7]}
    ) == ("WindowAverage")
