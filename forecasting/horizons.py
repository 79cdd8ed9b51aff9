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

Planned months win instead (top-down, a proportional temporal reconciliation): where the month's number is
a plan, the consensus with the sales team or a planner's override (``PLAN_MODELS``), the month total T(m)
stands, and the days and weeks the finer horizons cover in m keep only their profile, scaled by

    Σ fine'(d ∈ m, covered) = T(m) × covered_days(m) / days(m)

(a day of the daily horizon, or a whole week beyond it, is scaled as one block, by iterative
proportional fitting; an all-zero month is spread evenly), so Σ fine' + T(m) × uncovered_days(m) / days(m)
= T(m), and beyond the daily horizon a week's days still share one rate, weekly'(w) / 7.

Forecast consumption: in the current month the days already past are the actuals (``actuals``), not the
monthly model's pro-rata view, and a planned month is consumed by the demand already ordered in it: the
days left share min(max(T(m) − booked(m), 0), T(m) × open_days(m) / days(m)), so the month reads booked +
the rest and demand already ordered (shipped, or confirmed and still open, which the inventory plan holds
as reserved stock) is not forecast a second time. Orders ahead of the plan consume the days left; a plan
the orders fell behind expires (the days left keep only their pro-rata share, no catch-up): spreading
the unsold rest over the last days put the month's whole error there (daily WAPE 2.32 vs 1.69, weekly
1.41 vs 1.37 out of sample on the demo, docs/forecasting.md).
Why: the plan carries what the history cannot know (the sales team's market view, a promotion), and the
monthly consensus beat the model out of sample where the team spoke (docs/forecasting.md); the finer
models still know the weekday pattern and the latest actuals. The roll-ups above then hold unchanged.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# The pipeline's three rolling horizons: periods ahead per frequency.
HORIZONS = {"D": 28, "W": 12, "MS": 6}
PLAN_MODELS = ("consensus", "override")
PLAN_ITERATIONS = 25


def _per_day(frame: pd.DataFrame, freq: str) -> pd.DataFrame:
    """Spread each period's value evenly over its days: columns unique_id, day, value."""
    start = pd.DatetimeIndex(pd.to_datetime(frame["ds"]))
    n = np.full(len(frame), 7) if freq == "W" else np.asarray(start.days_in_month, dtype=int)
    row = np.repeat(np.arange(len(frame)), n)
    offset = np.arange(row.size) - np.repeat(np.cumsum(n) - n, n)
    return pd.DataFrame(
        {
            "unique_id": frame["unique_id"].to_numpy()[row],
            "day": start.to_numpy()[row] + offset.astype("timedelta64[D]"),
            "value": frame["yhat"].to_numpy(dtype=float)[row] / n[row],
        }
    )


def _overlay(coarse_days: pd.DataFrame, fine_days: pd.DataFrame) -> pd.DataFrame:
    """Daily values of the coarse horizon with the fine horizon's days put in their place."""
    merged = coarse_days.merge(fine_days, on=["unique_id", "day"], how="left", suffixes=("", "_fine"))
    merged["value"] = merged["value_fine"].fillna(merged["value"])
    return merged[["unique_id", "day", "value"]]


def _month(days: pd.Series) -> pd.Series:
    return days.dt.to_period("M").dt.to_timestamp()


def _plan_scaled(
    fine_days: pd.DataFrame,
    monthly: pd.DataFrame,
    plan: set,
    daily_days: pd.DataFrame,
    actual_days: pd.DataFrame,
) -> pd.DataFrame:
    """``fine_days`` scaled so that each planned (unique_id, month) gets its share of the plan (module
    docstring), by iterative proportional fitting over blocks: a day of the daily horizon, or a whole
    week beyond it (its days keep one rate, so weeks split into months by their days as before). Even
    and odd months take turns, so a week that straddles two months is fitted to both."""
    out = fine_days.assign(month=_month(fine_days["day"]))
    in_daily = pd.MultiIndex.from_frame(out[["unique_id", "day"]]).isin(
        pd.MultiIndex.from_frame(daily_days[["unique_id", "day"]])
    )
    week = out["day"] - pd.to_timedelta(out["day"].dt.weekday, unit="D")
    out["block"] = out["day"].where(in_daily, week)
    targets = monthly.assign(month=pd.to_datetime(monthly["ds"]))[["unique_id", "month", "yhat"]]
    targets = targets[pd.MultiIndex.from_frame(targets[["unique_id", "month"]]).isin(list(plan))]
    if targets.empty:
        return fine_days
    n = out.groupby(["unique_id", "month"]).size().rename("n").reset_index()
    targets = targets.merge(n, on=["unique_id", "month"])
    booked = actual_days.assign(month=_month(actual_days["day"])).groupby(["unique_id", "month"])["value"]
    booked = booked.agg(booked="sum", booked_days="size").reset_index()
    targets = targets.merge(booked, on=["unique_id", "month"], how="left").fillna(
        {"booked": 0, "booked_days": 0}
    )
    open_days = targets["month"].dt.days_in_month - targets["booked_days"]
    pro_rata = targets["yhat"] * open_days / targets["month"].dt.days_in_month
    remaining = (targets["yhat"] - targets["booked"]).clip(lower=0.0, upper=pro_rata.clip(lower=0.0))
    targets["share"] = remaining * targets["n"] / open_days.where(open_days > 0)
    out = out.merge(targets[["unique_id", "month", "share"]], on=["unique_id", "month"], how="left")
    planned = out["share"].notna().to_numpy()
    value = out["value"].to_numpy(dtype=float).copy()
    value[planned] = np.maximum(value[planned], 1e-12)  # an all-zero month spreads evenly
    group, groups = pd.factorize(pd.MultiIndex.from_frame(out[["unique_id", "month"]]))
    block, blocks = pd.factorize(pd.MultiIndex.from_frame(out[["unique_id", "block"]]))
    share = np.full(len(groups), np.nan)
    share[group[planned]] = out["share"].to_numpy()[planned]
    month = groups.get_level_values(1)
    parity = np.asarray((month.year * 12 + month.month) % 2)
    for _ in range(PLAN_ITERATIONS):
        for turn in (0, 1):
            sums = np.bincount(group, weights=value, minlength=len(groups))
            with np.errstate(divide="ignore", invalid="ignore"):
                factor = np.where(parity == turn, share / sums, np.nan)[group]
            per_block = np.ones(len(blocks))
            hit = ~np.isnan(factor)
            per_block[block[hit]] = factor[hit]
            value *= per_block[block]
    out["value"] = value
    return out[["unique_id", "day", "value"]]


def reconcile(
    daily: pd.DataFrame,
    weekly: pd.DataFrame,
    monthly: pd.DataFrame,
    plan: set | None = None,
    actuals: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """The three horizons (each with columns unique_id, ds, yhat) made consistent as described above.

    ``plan``: the (unique_id, month start) whose monthly number wins (top-down); none by default.
    ``actuals`` (unique_id, ds, yhat = the actual): the days of the current month already past; they
    take the place of the monthly model's pro-rata days and consume a planned month (module docstring).
    Returns {"D": daily, "W": weekly, "MS": monthly} with the same columns; daily is unchanged outside
    planned months.
    """
    daily_days = daily.rename(columns={"ds": "day", "yhat": "value"})[["unique_id", "day", "value"]]
    daily_days["day"] = pd.to_datetime(daily_days["day"])
    weekly_days = _overlay(_per_day(weekly, "W"), daily_days)
    actual_days = pd.DataFrame({"unique_id": [], "day": pd.to_datetime([]), "value": []})
    if actuals is not None and len(actuals):
        actual_days = actuals.rename(columns={"ds": "day", "yhat": "value"})[["unique_id", "day", "value"]]
        actual_days = actual_days.assign(
            day=pd.to_datetime(actual_days["day"]), value=actual_days["value"] * 1.0
        )
    if plan:
        weekly_days = _plan_scaled(weekly_days, monthly, plan, daily_days, actual_days)
        scaled = daily_days[["unique_id", "day"]].merge(weekly_days, on=["unique_id", "day"], how="left")
        daily = daily.assign(yhat=scaled["value"].fillna(daily_days["value"]).to_numpy())
    monthly_days = _overlay(_per_day(monthly, "MS"), pd.concat([actual_days, weekly_days], ignore_index=True))

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


def reconcile_forecasts(
    forecasts: dict[str, pd.DataFrame], actuals: pd.DataFrame | None = None
) -> dict[str, pd.DataFrame]:
    """Reconcile yhat across horizons; bounds move with yhat (each model's interval width kept). The
    months whose monthly ``model`` is one of ``PLAN_MODELS`` are planned (top-down); ``actuals`` as in
    ``reconcile``."""
    cols = ["unique_id", "ds", "yhat"]
    monthly = forecasts["MS"]
    planned = monthly[monthly["model"].isin(PLAN_MODELS)] if "model" in monthly.columns else monthly.iloc[:0]
    plan = set(zip(planned["unique_id"], pd.to_datetime(planned["ds"]), strict=True))
    rec = reconcile(*(forecasts[f][cols] for f in ("D", "W", "MS")), plan=plan, actuals=actuals)
    out = {}
    for freq in ("D", "W", "MS"):
        fc = forecasts[freq].assign(ds=lambda f: pd.to_datetime(f["ds"]))
        new = fc.merge(rec[freq].rename(columns={"yhat": "yhat_rec"}), on=["unique_id", "ds"], how="left")
        new["yhat_rec"] = new["yhat_rec"].fillna(new["yhat"])
        shift = new["yhat_rec"] - new["yhat"]
        new["yhat_lower"] = (new["yhat_lower"] + shift).clip(lower=0.0).clip(upper=new["yhat_rec"])
        new["yhat_upper"] = (new["yhat_upper"] + shift).clip(lower=new["yhat_rec"])
        out[freq] = new.assign(yhat=new["yhat_rec"]).drop(columns="yhat_rec")
    return out
