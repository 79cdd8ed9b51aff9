"""Demand history as regular series for the forecast: daily, weekly (W-MON) and monthly (MS).

Rules (docs/forecasting.md):

- A series is one SKU in one channel, ``unique_id = sku|channel``.
- Daily series run from the series' first day with demand to ``as_of`` (the last day with actuals);
  days without a row are zero demand.
- Net demand below zero (a day with more returns than sales) is clipped to 0: the forecast is of
  demand, and a return is not negative demand for the coming days. Weekly and monthly series are sums of
  the clipped daily values, so the three frequencies agree on the actuals.
- Weekly periods start on Monday and are dated by their Monday; monthly periods by their first day. Only
  complete periods count: a period must lie entirely within [history_start, as_of]. So the first, partial
  week/month of the data and a trailing incomplete week/month (e.g. the current month) are dropped.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

# Fewest periods a series needs to be forecast at a frequency (about one season of a daily series,
# a month of weeks, a quarter of months); shorter series are not forecast at that frequency.
MIN_PERIODS = {"D": 7, "W": 4, "MS": 3}


def series_id(sku: pd.Series, channel: pd.Series) -> pd.Series:
    return sku.astype(str) + "|" + channel.astype(str)


def daily_series(demand: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """``demand`` (demand_date, sku, channel, net_quantity) → ``unique_id, ds, y`` with every day from the
    series' first demand day to ``as_of``, missing days 0, negative net demand clipped to 0."""
    frame = pd.DataFrame(
        {
            "unique_id": series_id(demand["sku"], demand["channel"]),
            "ds": pd.to_datetime(demand["demand_date"]),
            "y": demand["net_quantity"].astype(float),
        }
    )
    frame = frame[frame["ds"] <= pd.Timestamp(as_of)]
    frame = frame.groupby(["unique_id", "ds"], as_index=False)["y"].sum()
    end = pd.Timestamp(as_of)
    parts = []
    for uid, g in frame.groupby("unique_id", sort=True):
        days = pd.date_range(g["ds"].min(), end, freq="D")
        y = g.set_index("ds")["y"].reindex(days, fill_value=0.0).clip(lower=0.0)
        parts.append(pd.DataFrame({"unique_id": uid, "ds": days, "y": y.to_numpy()}))
    if not parts:
        return pd.DataFrame({"unique_id": [], "ds": pd.to_datetime([]), "y": []})
    return pd.concat(parts, ignore_index=True)


def period_start(ds: pd.Series, freq: str) -> pd.Series:
    """The start of the W-MON week (its Monday) or the month (its 1st) of each date."""
    ds = pd.to_datetime(ds)
    if freq == "W":
        return ds - pd.to_timedelta(ds.dt.weekday, unit="D")
    if freq == "MS":
        return ds.dt.to_period("M").dt.to_timestamp()
    raise ValueError(f"unsupported freq {freq!r}")


def period_end(start: pd.Series, freq: str) -> pd.Series:
    """The last day of each period."""
    start = pd.to_datetime(start)
    if freq == "W":
        return start + pd.Timedelta(days=6)
    return start + pd.offsets.MonthEnd(0)


def aggregate(daily: pd.DataFrame, freq: str, history_start: date, as_of: date) -> pd.DataFrame:
    """Daily ``unique_id, ds, y`` → complete periods of ``freq`` inside [history_start, as_of]."""
    out = daily.assign(ds=period_start(daily["ds"], freq))
    out = out.groupby(["unique_id", "ds"], as_index=False)["y"].sum()
    inside = (out["ds"] >= pd.Timestamp(history_start)) & (period_end(out["ds"], freq) <= pd.Timestamp(as_of))
    return out[inside].reset_index(drop=True)


def long_enough(series: pd.DataFrame, freq: str) -> pd.DataFrame:
    """Only the series with at least ``MIN_PERIODS[freq]`` periods."""
    n = series.groupby("unique_id")["y"].transform("size")
    return series[n >= MIN_PERIODS[freq]].reset_index(drop=True)


def fill_missing_forecasts(forecast: pd.DataFrame, history: pd.DataFrame, freq: str) -> pd.DataFrame:
    """Replace the forecast of any series with a missing value by a mean forecast.

    Seasonal naive needs one full season of history (52 weeks, 12 months); a shorter series gets NaN.
    Such a series is forecast instead with ``FallbackMean``: yhat = mean of its last k periods (k = 4 weeks,
    3 months, 7 days), 80 % interval yhat ± 1.2816 × σ with σ the standard deviation of all its periods,
    clipped at 0.
    """
    window = {"D": 7, "W": 4, "MS": 3}[freq]
    bad = forecast.groupby("unique_id")["yhat"].transform(lambda s: s.isna().any())
    if not bad.any():
        return forecast
    out = forecast.copy()
    hist = history.sort_values(["unique_id", "ds"]).groupby("unique_id")["y"]
    level = hist.apply(lambda s: float(s.tail(window).mean()))
    sigma = hist.apply(lambda s: float(s.std(ddof=0)) if len(s) > 1 else 0.0)
    ids = out.loc[bad, "unique_id"]
    yhat = ids.map(level).fillna(0.0)
    spread = 1.2816 * ids.map(sigma).fillna(0.0)
    out.loc[bad, "yhat"] = yhat
    out.loc[bad, "yhat_lower"] = (yhat - spread).clip(lower=0.0)
    out.loc[bad, "yhat_upper"] = yhat + spread
    out.loc[bad, "model"] = "FallbackMean"
    return out
