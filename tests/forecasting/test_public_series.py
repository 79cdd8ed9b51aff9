"""Real public series (shipped with statsmodels and statsforecast, so offline): on held-out data the chosen
model must not lose to the seasonal naive.

For each frequency the last h periods of every series are held out, ``forecast_with_champions`` runs on the
rest, and the comparison is on the aggregate WAPE over that frequency's series: Σ|y − ŷ| / Σ|y| of the
champions' forecasts against that of the seasonal naive (ŷ_{T+k} = y_{T+k−m}). No daily series: none ships
with the installed packages.
"""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsforecast.utils import AirPassengersDF

from forecasting.models import season_length
from forecasting.select import forecast_with_champions
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


CASES = {"W": (_weekly, 12), "MS": (_monthly, 12), "QS": (_quarterly, 4)}


@pytest.mark.parametrize("freq", list(CASES))
def test_champion_does_not_lose_to_seasonal_naive_on_held_out_data(freq):
    make, h = CASES[freq]
    df = make().sort_values(["unique_id", "ds"])
    from_end = df.groupby("unique_id").cumcount(ascending=False)
    train, test = df[from_end >= h], df[from_end < h]
    fc, _ = forecast_with_champions(train, horizon=h, freq=freq)
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
    assert err_model / total <= err_naive / total


def test_cli_forecasts_a_public_series(tmp_path):
    src, dst = tmp_path / "air.csv", tmp_path / "fc.csv"
    _monthly().query("unique_id == 'air_passengers'").to_csv(src, index=False)
    assert (
        main(["forecast", "--input", str(src), "--horizon", "12", "--freq", "MS", "--output", str(dst)]) == 0
    )
    out = pd.read_csv(dst)
    assert len(out) == 12 and out["ds"].iloc[0] == "1961-01-01"
