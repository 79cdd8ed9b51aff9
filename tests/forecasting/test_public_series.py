"""Real public series (shipped with statsmodels and statsforecast, or stored under ``fixtures/``, so offline):
on held-out data the chosen model must not lose to the seasonal naive.

For each frequency the last h periods of every series are held out, ``forecast_with_champions`` runs on the
rest, and the comparison is on the aggregate WAPE over that frequency's series: Σ|y − ŷ| / Σ|y| of the
champions' forecasts against that of the seasonal naive (ŷ_{T+k} = y_{T+k−m}). The daily series is Prophet's
Peyton Manning example (log Wikipedia page views, see ``fixtures/README.md``), held out over 28 days.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsforecast.utils import AirPassengersDF

from forecasting.models import season_length
from forecasting.select import forecast_with_champions
from forecasting.settings import ForecastSettings
from orchestration.cli import main


def _weekly() -> pd.DataFrame:
    co2 = sm.datasets.co2.load_pandas().data["co2"].interpolate().loc["1991":]  # Mauna Loa, weekly (W-SAT)
    return pd.DataFrame({"unique_id": "co2", "ds": co2.index, "y": co2.to_numpy()})


def _monthly() -> pd.DataFrame:
    elnino = sm.datasets.elnino.load_pandas().data.set_index("YEAR")  # sea temperature, one row per year
    temps = elnino.to_numpy().ravel()
    en = pd.DataFrame(
        {"unique_id": "elnino", "ds": pd.date_range("1950-01-01", periods=len(temps), freq="MS")}
    )
    en["y"] = temps
    air = AirPassengersDF.assign(
        unique_id="air_passengers", ds=lambda f: pd.to_datetime(f["ds"]) - pd.offsets.MonthBegin(1)
    )
    return pd.concat([en, air[["unique_id", "ds", "y"]]], ignore_index=True)


def _quarterly() -> pd.DataFrame:
    macro = sm.datasets.macrodata.load_pandas().data
    ds = pd.date_range("1959-01-01", periods=len(macro), freq="QS")
    cols = ["realgdp", "realcons", "realinv", "cpi", "m1"]
    return pd.concat([pd.DataFrame({"unique_id": c, "ds": ds, "y": macro[c].to_numpy()}) for c in cols])


FIXTURES = Path(__file__).parent / "fixtures"


def _daily() -> pd.DataFrame:
    """Peyton Manning's daily log page views; the missing days are interpolated (the models need a grid)."""
    raw = pd.read_csv(FIXTURES / "peyton_manning_wp_log_daily.csv", parse_dates=["ds"])
    days = pd.date_range(raw["ds"].min(), raw["ds"].max(), freq="D")
    y = raw.set_index("ds")["y"].reindex(days).interpolate()
    return pd.DataFrame({"unique_id": "peyton_manning", "ds": days, "y": y.to_numpy()})


CASES = {"W": (_weekly, 12), "MS": (_monthly, 12), "QS": (_quarterly, 4)}


def _held_out_wapes(make, h: int, freq: str, **kwargs) -> tuple[float, float]:
    """(champions' aggregate WAPE, seasonal naive's) on the last h periods of every series."""
    df = make().sort_values(["unique_id", "ds"])
    from_end = df.groupby("unique_id").cumcount(ascending=False)
    train, test = df[from_end >= h], df[from_end < h]
    fc, _ = forecast_with_champions(train, ForecastSettings(h, freq, **kwargs))
    m = season_length(freq)
    err_model = err_naive = total = 0.0
    for uid, g in test.groupby("unique_id"):
        y = g["y"].to_numpy()
        hist = train.loc[train["unique_id"] == uid, "y"].to_numpy()
        naive = np.resize(hist[-m:], h)
        assert list(fc.loc[fc["unique_id"] == uid, "ds"]) == list(g["ds"])
        err_model += np.abs(y - fc.loc[fc["unique_id"] == uid, "yhat"].to_numpy()).sum()
        err_naive += np.abs(y - naive).sum()
        total += np.abs(y).sum()
    return err_model / total, err_naive / total


@pytest.mark.parametrize("freq", list(CASES))
def test_champion_does_not_lose_to_seasonal_naive_on_held_out_data(freq):
    make, h = CASES[freq]
    champion, naive = _held_out_wapes(make, h, freq)
    assert champion <= naive


def test_daily_public_series_with_prophet_offered_does_not_lose_to_seasonal_naive():
    # Listed in prophet_ids (as a caller does for its top series): Prophet wins the backtest (WAPE 0.055 vs
    # 0.062) and the 28 held-out days (0.061 vs the seasonal naive's 0.075).
    champion, naive = _held_out_wapes(_daily, 28, "D", prophet_ids=["peyton_manning"])
    assert champion <= naive


def test_daily_public_series_default_policy_does_not_lose_to_seasonal_naive():
    # Default policy: no holiday of the shipped (Chinese / retail) table moves this series, so Prophet is not
    # offered. Theta beats SeasonalNaive in the backtest by 1e-6 WAPE (0.061839 vs 0.061840), a tie in all
    # but name, and would lose the 28 held-out days (0.0795 vs 0.0750); the champion rule's margin keeps
    # the baseline.
    champion, naive = _held_out_wapes(_daily, 28, "D")
    assert champion <= naive


def test_cli_forecasts_a_public_series(tmp_path):
    src, dst = tmp_path / "air.csv", tmp_path / "fc.csv"
    _monthly().query("unique_id == 'air_passengers'").to_csv(src, index=False)
    assert (
        main(["forecast", "--input", str(src), "--horizon", "12", "--freq", "MS", "--output", str(dst)]) == 0
    )
    out = pd.read_csv(dst)
    assert len(out) == 12 and out["ds"].iloc[0] == "1961-01-01"


def test_cli_forecasts_a_public_daily_series(tmp_path):
    src, dst = tmp_path / "peyton.csv", tmp_path / "fc.csv"
    _daily().to_csv(src, index=False)
    assert main(["forecast", "--input", str(src), "--horizon", "28", "--output", str(dst), "--json"]) == 0
    out = pd.read_csv(dst)
    assert len(out) == 28 and out["ds"].iloc[0] == "2016-01-21" and out["ds"].iloc[-1] == "2016-02-17"
    assert (out["yhat_lower"] <= out["yhat"]).all() and (out["yhat"] <= out["yhat_upper"]).all()
