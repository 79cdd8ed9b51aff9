"""Scoring the sales team's forecast against actuals, with forecast value added over a reference."""

import pandas as pd
import pytest

from forecasting.external import score_external


def test_score_external_hand_computed_with_fva():
    ds = pd.to_datetime(["2025-01-01", "2025-02-01"])
    actuals = pd.DataFrame({"unique_id": "a", "ds": ds, "y": [100.0, 50.0]})
    sales = pd.DataFrame({"unique_id": "a", "ds": ds, "yhat": [120.0, 40.0]})
    model = pd.DataFrame({"unique_id": "a", "ds": ds, "yhat": [105.0, 50.0]})
    history = pd.DataFrame(
        {
            "unique_id": "a",
            "ds": pd.date_range("2024-09-01", periods=4, freq="MS"),
            "y": [90.0, 100.0, 95.0, 105.0],
        }
    )
    row = score_external(actuals, sales, history=history, season=1, reference=model).iloc[0]
    assert row["wape"] == pytest.approx(30 / 150)  # |100-120| + |50-40|
    assert row["bias"] == pytest.approx(10 / 150)  # (20 - 10) / 150
    assert row["rmse"] == pytest.approx(((400 + 100) / 2) ** 0.5)
    assert row["mase"] == pytest.approx(15 / ((10 + 5 + 10) / 3))  # MAE 15 over the naive in-sample MAE
    assert row["reference_wape"] == pytest.approx(5 / 150)
    assert row["fva"] == pytest.approx(5 / 150 - 30 / 150)  # the sales forecast loses 1/6 to the model
    assert row["n_points"] == 2
