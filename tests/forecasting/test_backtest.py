"""The forecaster on series whose structure is known, so its choices can be checked against tolerances."""

import numpy as np
import pandas as pd
import pytest

from forecasting.backtest import cross_validate, run_backtest, score
from forecasting.metrics import wape
from forecasting.rolling import backtest_horizon, check_regular
from forecasting.select import FORECAST_COLUMNS, forecast_with_champions
from forecasting.settings import ForecastSettings

H = 7
WEEK = np.array([10, 12, 15, 20, 25, 30, 8], dtype=float)


def _frame(uid: str, y: np.ndarray, start: str = "2025-01-06", freq: str = "D") -> pd.DataFrame:
    return pd.DataFrame({"unique_id": uid, "ds": pd.date_range(start, periods=len(y), freq=freq), "y": y})


def _weekly(n: int = 126) -> np.ndarray:
    return np.tile(WEEK, n // 7 + 1)[:n]


def _trend(n: int = 126) -> np.ndarray:
    rng = np.random.default_rng(1)
    return 50 + 2.0 * np.arange(n) + rng.normal(0, 0.5, n)


def _intermittent(n: int = 126) -> np.ndarray:
    rng = np.random.default_rng(7)
    return np.where(rng.random(n) < 0.2, rng.integers(1, 6, n), 0).astype(float)


def _holdout(y: np.ndarray, uid: str) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame]:
    train, test = y[:-H], y[-H:]
    fc, scores = forecast_with_champions(_frame(uid, train), ForecastSettings(H, "D"))
    return fc, test, scores


@pytest.fixture(scope="module")
def panel():
    df = pd.concat(
        [_frame("weekly", _weekly()), _frame("trend", _trend()), _frame("sparse", _intermittent())]
    )
    return df, *forecast_with_champions(df, ForecastSettings(H, "D"))


def _wape_of(scores: pd.DataFrame, uid: str, model: str) -> float:
    return float(scores.loc[(scores.unique_id == uid) & (scores.model == model), "wape"].iloc[0])


def _champion(scores: pd.DataFrame, uid: str) -> pd.Series:
    return scores.loc[(scores.unique_id == uid) & scores.is_champion].iloc[0]


def test_weekly_pattern_is_reproduced_on_held_out_data():
    fc, test, scores = _holdout(_weekly(133), "weekly")
    assert wape(test, fc["yhat"]) < 0.05
    champ = _champion(scores, "weekly")
    assert champ["wape"] < _wape_of(scores, "weekly", "WindowAverage")


def test_trend_champion_clearly_beats_seasonal_naive():
    fc, test, scores = _holdout(_trend(133), "trend")
    champ = _champion(scores, "trend")
    assert champ["model"] != "SeasonalNaive"
    assert champ["wape"] < 0.5 * _wape_of(scores, "trend", "SeasonalNaive")
    naive_wape = wape(test, _trend(133)[-2 * H : -H])  # seasonal naive (m=7) on the held-out week
    assert wape(test, fc["yhat"]) < 0.5 * naive_wape


def test_intermittent_series_gets_intermittent_candidates_and_non_negative_forecast(panel):
    _, fc, scores = panel
    models = set(scores.loc[scores.unique_id == "sparse", "model"])
    assert {"CrostonSBA", "TSB"} <= models
    assert "AutoETS" not in models
    sparse = fc[fc.unique_id == "sparse"]
    assert (sparse[["yhat", "yhat_lower", "yhat_upper"]] >= 0).all().all()


def test_one_row_per_series_and_future_period(panel):
    df, fc, _ = panel
    assert list(fc.columns) == FORECAST_COLUMNS
    assert len(fc) == 3 * H
    for uid, g in fc.groupby("unique_id"):
        last = df.loc[df.unique_id == uid, "ds"].max()
        expected = pd.date_range(last + pd.Timedelta(days=1), periods=H, freq="D")
        assert list(g["ds"]) == list(expected)
        assert g["model"].nunique() == 1


def test_intervals_contain_point_forecast(panel):
    _, fc, _ = panel
    assert fc[["yhat", "yhat_lower", "yhat_upper"]].notna().all().all()
    assert (fc["yhat_lower"] <= fc["yhat"]).all() and (fc["yhat"] <= fc["yhat_upper"]).all()


def test_scores_have_one_champion_per_series_and_sane_metrics(panel):
    _, _, scores = panel
    assert scores.groupby("unique_id")["is_champion"].sum().eq(1).all()
    assert scores["coverage"].between(0, 1).all()
    assert (scores["n_points"] == 4 * H).all()
    assert {"SeasonalNaive", "WindowAverage"} <= set(scores["model"])


def test_ties_go_to_the_simpler_model():
    # A pure weekly pattern: seasonal naive and ETS are both exact; the simpler one must win.
    scores = run_backtest(_frame("weekly", _weekly()), ForecastSettings(H, "D"))
    assert _champion(scores, "weekly")["model"] == "SeasonalNaive"


def test_short_series_falls_back_to_seasonal_naive_without_scores():
    # 8 points: even a one-step backtest needs 4 windows + 2·1 + 7 + 1 = 14 points (see backtest_horizon).
    fc, scores = forecast_with_champions(
        _frame("short", np.arange(1, 9, dtype=float)), ForecastSettings(H, "D")
    )
    assert scores.empty or "short" not in set(scores["unique_id"])
    assert len(fc) == H and set(fc["model"]) == {"SeasonalNaive"}


def test_monthly_series_with_seasonality():
    n = 72
    season = np.tile([5, 6, 8, 10, 12, 15, 14, 12, 9, 7, 6, 20], n // 12)
    y = 100 + season + np.arange(n) * 0.5
    df = _frame("m", y, start="2019-01-01", freq="MS")
    fc, scores = forecast_with_champions(df, ForecastSettings(6, "MS"))
    assert list(fc["ds"]) == list(pd.date_range("2025-01-01", periods=6, freq="MS"))
    champ = _champion(scores, "m")
    assert champ["wape"] <= _wape_of(scores, "m", "SeasonalNaive")


def test_unknown_frequency_is_rejected():
    with pytest.raises(ValueError, match="freq"):
        forecast_with_champions(_frame("x", _weekly()), ForecastSettings(H, "H"))


def test_gaps_are_rejected_not_silently_misaligned():
    df = _frame("gappy", _weekly()).drop(index=[10, 11])
    with pytest.raises(ValueError, match="not regular"):
        forecast_with_champions(df, ForecastSettings(H, "D"))


def test_check_regular_names_the_first_irregular_series():
    def series(uid: str, dates: list[str]) -> pd.DataFrame:
        return pd.DataFrame({"unique_id": uid, "ds": pd.to_datetime(dates), "y": 1.0})

    mondays = ["2026-01-05", "2026-01-12", "2026-01-19"]
    ok = pd.concat([series("a", mondays), series("b", mondays[1:])], ignore_index=True)
    check_regular(ok, "W")
    gap = pd.concat([series("a", mondays), series("b", [mondays[0], mondays[2]])], ignore_index=True)
    with pytest.raises(ValueError, match="'b' is not regular"):
        check_regular(gap, "W")
    tuesday = pd.concat([series("a", mondays), series("c", ["2026-01-13", "2026-01-20"])], ignore_index=True)
    with pytest.raises(ValueError, match="'c' is not regular"):
        check_regular(tuesday, "W")
    months = series("m", ["2026-01-01", "2026-02-01", "2026-03-01"])
    check_regular(months, "MS")
    with pytest.raises(ValueError, match="'m' is not regular"):
        check_regular(months.drop(index=1), "MS")


def test_backtest_coverage_of_80_percent_intervals_is_plausible_on_noise():
    rng = np.random.default_rng(3)
    y = _weekly(175) + rng.normal(0, 2.0, 175)
    scores = run_backtest(_frame("noisy", y), ForecastSettings(H, "D"))
    champ = _champion(scores, "noisy")
    assert 0.5 <= champ["coverage"] <= 1.0
    assert abs(champ["bias"]) < 0.05


def test_weekly_data_keeps_its_weekday():
    rng = np.random.default_rng(5)
    n = 120
    y = 100 + 10 * np.sin(2 * np.pi * np.arange(n) / 52) + rng.normal(0, 1, n)
    df = _frame("w", y, start="2022-01-02", freq="W-SUN")
    fc, _ = forecast_with_champions(df, ForecastSettings(4, "W"))
    assert (fc["ds"].dt.day_name() == "Sunday").all()
    assert fc["ds"].min() == df["ds"].max() + pd.Timedelta(weeks=1)


def test_short_monthly_history_gets_a_four_origin_backtest_with_a_shrunk_horizon():
    # 12 monthly points, h = 6: h_b = min(6, (12 - 3 - 1) // (4 + 2)) = 1, so 4 origins of 1 month.
    assert backtest_horizon(12, 6, "MS") == 1
    assert backtest_horizon(52, 12, "W") == 7  # (52 - 4 - 1) // 6
    assert backtest_horizon(400, 28, "D") == 28
    y = 100 + np.arange(12, dtype=float) * 3
    fc, scores = forecast_with_champions(
        _frame("m", y, start="2025-01-01", freq="MS"), ForecastSettings(6, "MS")
    )
    assert (scores["n_points"] == 4).all()
    assert "Naive" in set(scores["model"]) and "SeasonalNaive" not in set(scores["model"])  # < 1 season
    assert len(fc) == 6 and fc[["yhat_lower", "yhat_upper"]].notna().all().all()
    assert (fc["yhat_lower"] <= fc["yhat"]).all() and (fc["yhat"] <= fc["yhat_upper"]).all()


def test_scores_carry_rmse_of_the_backtest_errors(panel):
    df, _, scores = panel
    cv = cross_validate(df, ForecastSettings(H, "D"))
    for _, row in scores.iterrows():
        g = cv[(cv.unique_id == row["unique_id"]) & (cv.model == row["model"])]
        assert row["rmse"] == pytest.approx(np.sqrt(((g["y"] - g["yhat"]) ** 2).mean()))
    assert (scores["rmse"] >= scores["mae"] - 1e-12).all()


def test_score_by_hand():
    days = pd.date_range("2026-01-01", periods=6, freq="D")
    history = pd.concat(
        [
            pd.DataFrame({"unique_id": "a", "ds": days, "y": [1.0, 2, 4, 3, 5, 6]}),
            pd.DataFrame({"unique_id": "z", "ds": days, "y": 0.0}),
        ]
    )
    d = days
    cv = pd.DataFrame(
        {
            "unique_id": ["a"] * 4 + ["z"],
            "model": "Naive",
            "cutoff": [d[2], d[2], d[3], d[3], d[4]],
            "ds": [d[3], d[4], d[4], d[5], d[5]],
            "y": [3.0, 5, 5, 6, 0],
            "yhat": [4.0, 4, 3, 3, 1],
        }
    )
    a, z = (row for _, row in score(cv, history, "D").iterrows())
    # a: errors −1, 1, 2, 3; Σ|y| = 19; MASE scale = mean(|2−1|, |4−2|) = 1.5 (3 training points < m = 7,
    # so m = 1); coverage: window 1 (|e| 1, 1) within q₀.₈(2, 3) = 2.8, window 2 (2, 3) outside
    # q₀.₈(1, 1) = 1.
    assert a["wape"] == pytest.approx(7 / 19) and a["mae"] == pytest.approx(1.75)
    assert a["mase"] == pytest.approx(1.75 / 1.5) and a["bias"] == pytest.approx(-5 / 19)
    assert a["rmse"] == pytest.approx(np.sqrt(15 / 4)) and a["coverage"] == 0.5 and a["n_points"] == 4
    # z: all actuals zero, one window: WAPE, bias, MASE and coverage are undefined
    assert z[["wape", "mase", "bias", "coverage"]].isna().all() and z["mae"] == 1.0
