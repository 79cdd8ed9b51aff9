"""Make the three rolling horizons agree: the daily forecast (next 28 days), the weekly (next 12 weeks)
and the monthly (next 6 months).

Rule (bottom-up where a finer forecast exists): the days a finer horizon covers are taken from it, and
only the rest of a coarser period keeps the coarser model's view, pro rata to the uncovered days:

    weekly'(w)  = Σ daily(d ∈ w)              + weekly(w)  × uncovered_days(w) / 7
    monthly'(m) = Σ weekly'(w ∩ m, per day)   + monthly(m) × uncovered_days(m) / days(m)

where a week that straddles two months is split by its days (its daily rate is weekly'(w) / 7). So the
daily numbers add up to the weekly ones and the weekly to the monthly wherever they overlap, and the
finest, most recent model wins where it speaks. Weeks start on Monday (``W-MON`` periods as dates of their
Monday); months are given by their first day.
"""

from __future__ import annotations

import pandas as pd

# The pipeline's three rolling horizons: periods ahead per frequency.
HORIZONS = {"D": 28, "W": 12, "MS": 6}


def _per_day(frame: pd.DataFrame, freq: str) -> pd.DataFrame:
    """Spread each period's value evenly over its days: columns unique_id, day, value."""
    rows = []
    for row in frame.itertuples(index=False):
        start = pd.Timestamp(row.ds)
        end = start + (pd.Timedelta(days=7) if freq == "W" else pd.offsets.MonthBegin(1))
        days = pd.date_range(start, end - pd.Timedelta(days=1), freq="D")
        rows.append(pd.DataFrame({"unique_id": row.unique_id, "day": days, "value": row.yhat / len(days)}))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["unique_id", "day", "value"])


def _overlay(coarse_days: pd.DataFrame, fine_days: pd.DataFrame) -> pd.DataFrame:
    """Daily values of the coarse horizon with the fine horizon's days put in their place."""
    merged = coarse_days.merge(fine_days, on=["unique_id", "day"], how="left", suffixes=("", "_fine"))
    merged["value"] = merged["value_fine"].fillna(merged["value"])
    return merged[["unique_id", "day", "value"]]


def reconcile(daily: pd.DataFrame, weekly: pd.DataFrame, monthly: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The three horizons (each with columns unique_id, ds, yhat) made consistent as described above.

    Returns {"D": daily, "W": weekly, "MS": monthly} with the same columns; daily is unchanged.
    """
    daily_days = daily.rename(columns={"ds": "day", "yhat": "value"})[["unique_id", "day", "value"]]
    daily_days["day"] = pd.to_datetime(daily_days["day"])
    weekly_days = _overlay(_per_day(weekly, "W"), daily_days)
    monthly_days = _overlay(_per_day(monthly, "MS"), weekly_days)

    def roll_up(days: pd.DataFrame, periods: pd.DataFrame, freq: str) -> pd.DataFrame:
        days = days.copy()
        if freq == "W":
            days["ds"] = days["day"] - pd.to_timedelta(days["day"].dt.weekday, unit="D")
        else:
            days["ds"] = days["day"].dt.to_period("M").dt.to_timestamp()
        sums = days.groupby(["unique_id", "ds"], as_index=False)["value"].sum()
        keys = periods[["unique_id", "ds"]].assign(ds=lambda f: pd.to_datetime(f["ds"]))
        return keys.merge(sums, on=["unique_id", "ds"], how="left").rename(columns={"value": "yhat"})

    return {
        "D": daily.copy(),
        "W": roll_up(weekly_days, weekly, "W"),
        "MS": roll_up(monthly_days, monthly, "MS"),
    }


def reconcile_forecasts(forecasts: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Reconcile yhat across horizons; bounds move with yhat (the coarse model's interval width kept)."""
    cols = ["unique_id", "ds", "yhat"]
    rec = reconcile(*(forecasts[f][cols] for f in ("D", "W", "MS")))
    out = {"D": forecasts["D"]}
    for freq in ("W", "MS"):
        fc = forecasts[freq].assign(ds=lambda f: pd.to_datetime(f["ds"]))
        new = fc.merge(rec[freq].rename(columns={"yhat": "yhat_rec"}), on=["unique_id", "ds"], how="left")
        new["yhat_rec"] = new["yhat_rec"].fillna(new["yhat"])
        shift = new["yhat_rec"] - new["yhat"]
        new["yhat_lower"] = (new["yhat_lower"] + shift).clip(lower=0.0).clip(upper=new["yhat_rec"])
        new["yhat_upper"] = (new["yhat_upper"] + shift).clip(lower=new["yhat_rec"])
        out[freq] = new.assign(yhat=new["yhat_rec"]).drop(columns="yhat_rec")
    return out
