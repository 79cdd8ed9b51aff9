"""The TopDown candidate: group total forecast × the series' recent share, backtested without leakage."""

import numpy as np
import pandas as pd

from forecasting.backtest import cross_validate
from forecasting.select import forecast_with_champions
from forecasting.settings import ForecastSettings
from forecasting.topdown import SHARE_WINDOW, TOPDOWN

WEEK = np.array([10, 12, 15, 20, 25, 30, 8], dtype=float)
N, H = 200, 7


def _group() -> tuple[pd.DataFrame, dict[str, str]]:
    total = np.tile(WEEK * 10, N // 7 + 1)[:N]
    share_a = np.where(np.arange(N) < 150, 0.3, 0.6)  # a's share jumps late in the history
    ds = pd.date_range("2025-01-06", periods=N, freq="D")
    df = pd.concat(
        [
            pd.DataFrame({"unique_id": "a", "ds": ds, "y": total * share_a}),
            pd.DataFrame({"unique_id": "b", "ds": ds, "y": total * (1 - share_a)}),
        ]
    )
    return df, {"a": "g", "b": "g"}


def test_topdown_is_backtested_with_the_share_of_each_training_slice():
    df, groups = _group()
    cv = cross_validate(df, ForecastSettings(H, "D", groups=groups))
    td = cv[cv["model"] == TOPDOWN].pivot_table(index=["cutoff", "ds"], columns="unique_id", values="yhat")
    assert len(td) == 4 * H
    y = df.pivot(index="ds", columns="unique_id", values="y")
    for cut, fc in td.groupby(level=0):
        window = y.loc[:cut].tail(SHARE_WINDOW["D"])
        expected = window["a"].sum() / window.sum().sum()  # only data up to the cut-off
        np.testing.assert_allclose(fc["a"] / (fc["a"] + fc["b"]), expected, rtol=1e-9)


def test_forecast_with_groups_offers_topdown_and_none_keeps_todays_candidates():
    df, groups = _group()
    fc, scores = forecast_with_champions(df, ForecastSettings(H, "D", groups=groups))
    assert TOPDOWN in set(scores["model"])
    assert len(fc) == 2 * H and fc["yhat"].notna().all()
    assert (fc["yhat_lower"] <= fc["yhat"]).all() and (fc["yhat"] <= fc["yhat_upper"]).all()
    _, plain = forecast_with_champions(df, ForecastSettings(H, "D"))
    assert TOPDOWN not in set(plain["model"])
