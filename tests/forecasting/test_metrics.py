import math

import pytest

from forecasting.metrics import (
    bias,
    coverage,
    forecast_value_added,
    mase,
    mean_series_wape,
    revenue_weighted_wape,
    rmse,
    wape,
)


def test_wape_hand_computed():
    # |10-8| + |0-1| + |5-5| = 3 over 15
    assert wape([10, 0, 5], [8, 1, 5]) == pytest.approx(3 / 15)


def test_wape_all_zero_actuals_is_nan():
    assert math.isnan(wape([0, 0], [1, 2]))


def test_mase_hand_computed_seasonal():
    train = [1, 2, 3, 2, 4, 5]  # season 2: |3-1|,|2-2|,|4-3|,|5-2| -> mean 6/4 = 1.5
    # MAE of forecast: (|6-5| + |4-7|)/2 = 2
    assert mase([6, 4], [5, 7], train, season=2) == pytest.approx(2 / 1.5)


def test_mase_non_seasonal():
    train = [1, 3, 2]  # |3-1|,|2-3| -> mean 1.5
    assert mase([4], [1], train, season=1) == pytest.approx(3 / 1.5)


def test_bias_sign_over_forecast_positive():
    # (12-10) + (4-5) = 1 over 15
    assert bias([10, 5], [12, 4]) == pytest.approx(1 / 15)
    assert bias([10], [8]) == pytest.approx(-0.2)


def test_coverage_counts_inclusive_bounds():
    y = [1, 5, 10, 3]
    lower = [0, 5, 11, 0]
    upper = [2, 6, 12, 2]
    assert coverage(y, lower, upper) == pytest.approx(0.5)


def test_rmse_hand_computed():
    # errors 0, 0, 2 -> sqrt(4 / 3)
    assert rmse([1, 2, 3], [1, 2, 5]) == pytest.approx(math.sqrt(4 / 3))


def test_revenue_weighted_wape_hand_computed_skips_undefined():
    wapes = {"a": 0.2, "b": 0.5, "c": float("nan"), "d": 0.9}
    revenue = {"a": 300.0, "b": 100.0, "c": 1000.0}  # c: WAPE undefined, d: no revenue
    assert revenue_weighted_wape(wapes, revenue) == pytest.approx((300 * 0.2 + 100 * 0.5) / 400)


def test_forecast_value_added_is_reference_minus_model():
    assert forecast_value_added(0.30, 0.22) == pytest.approx(0.08)
    assert forecast_value_added(0.20, 0.25) == pytest.approx(-0.05)


def test_mean_series_wape_weighs_every_series_the_same_and_skips_all_zero_ones():
    # a: |10−8| + |10−12| = 4 over 20 → 0.2; b: |100−90| = 10 over 100 → 0.1; c: Σ|y| = 0, skipped.
    # Mean 0.15, where one WAPE over all rows would be 14 / 120.
    uid = ["a", "a", "b", "c"]
    assert mean_series_wape(uid, [10, 10, 100, 0], [8, 12, 90, 5]) == pytest.approx(0.15)
    assert math.isnan(mean_series_wape(["c"], [0], [1]))
