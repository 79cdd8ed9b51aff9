"""Prophet as a candidate: a long daily series with festival peaks, where the calendar is the signal."""

import numpy as np
import pandas as pd

from forecasting.metrics import wape
from forecasting.select import forecast_with_champions
from forecasting.settings import ForecastSettings

H = 28


def _festival_series() -> pd.DataFrame:
    ds = pd.date_range("2023-01-02", "2025-11-28", freq="D")
    md = ds.strftime("%m-%d")
    rng = np.random.default_rng(11)
    mu = 40 * (1 + 0.25 * np.cos(2 * np.pi * ds.weekday.to_numpy() / 7))
    mu = mu * np.where(md == "11-11", 6.0, 1.0) * np.where(md == "06-18", 4.0, 1.0)
    mu = mu * np.where((md >= "11-01") & (md < "11-11"), 1.8, 1.0)
    mu = mu * np.where((md >= "10-01") & (md <= "10-07"), 2.0, 1.0)
    return pd.DataFrame({"unique_id": "tmall_sku", "ds": ds, "y": rng.poisson(mu).astype(float)})


def test_prophet_wins_the_backtest_and_forecasts_a_held_out_double_11():
    df = _festival_series()
    train, test = df.iloc[:-H], df.iloc[-H:]  # held out: Nov 1-28 2025, with Double 11
    fc, scores = forecast_with_champions(train, ForecastSettings(H, "D"))
    assert "Prophet" in set(scores["model"])
    champion = scores.loc[scores["is_champion"]].iloc[0]
    assert champion["model"] == "Prophet"
    assert set(fc["model"]) == {"Prophet"}
    y = test["y"].to_numpy()
    naive = np.tile(train["y"].to_numpy()[-7:], 4)  # seasonal naive (m = 7) on the held-out 28 days
    assert wape(y, fc["yhat"]) < 0.6 * wape(y, naive)
    d11 = fc.loc[fc["ds"] == "2025-11-11", "yhat"].iloc[0]
    assert d11 > 3 * fc.loc[fc["ds"] == "2025-11-20", "yhat"].iloc[0]


def test_prophet_off_keeps_it_out():
    df = _festival_series().iloc[:-H]
    _, scores = forecast_with_champions(df, ForecastSettings(H, "D", prophet="off"))
    assert "Prophet" not in set(scores["model"])


def test_fast_prophet_features_equal_prophets_own(monkeypatch):
    from forecasting import prophet_model
    from forecasting.calendar import prophet_holidays

    df = _festival_series().iloc[-500:]
    ds, y = df["ds"].to_numpy(), df["y"].to_numpy()
    fast, model = prophet_model.fit_predict(ds, y, H, 80)
    table = prophet_holidays()
    dates = pd.Series(pd.date_range("2024-06-01", periods=200, freq="D"))
    mine, prior, names = model.make_holiday_features(dates, table)
    monkeypatch.setattr(prophet_model, "FAST_FEATURES", False)
    theirs, prior_ref, names_ref = model.make_holiday_features(dates, table)
    pd.testing.assert_frame_equal(mine, theirs)
    assert prior == prior_ref and names == names_ref
    recent = pd.DatetimeIndex(ds[-60:])
    assert np.allclose(model.lean_predict(recent), model.predict(pd.DataFrame({"ds": recent}))["yhat"])
    slow, _ = prophet_model.fit_predict(ds, y, H, 80)
    assert np.allclose(fast["yhat"], slow["yhat"], rtol=1e-3)
