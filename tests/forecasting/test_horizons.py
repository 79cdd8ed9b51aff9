"""The daily, weekly and monthly horizons add up where they overlap."""

from __future__ import annotations

import pandas as pd
import pytest

from forecasting.horizons import reconcile


def _frame(freq: str, start: str, periods: int, value: float) -> pd.DataFrame:
    return pd.DataFrame(
        {"unique_id": "A", "ds": pd.date_range(start, periods=periods, freq=freq), "yhat": value}
    )


def test_daily_weekly_and_monthly_agree_where_they_overlap():
    # Daily: 28 days from Monday 2026-11-23 at 10/day. Weekly: 12 weeks at 140/week (20/day).
    # Monthly: Nov 2026 .. Apr 2027 at 900/month.
    daily = _frame("D", "2026-11-23", 28, 10.0)
    weekly = _frame("W-MON", "2026-11-23", 12, 140.0)
    monthly = _frame("MS", "2026-11-01", 6, 900.0)
    result = reconcile(daily, weekly, monthly)

    weeks = result["W"].set_index("ds")["yhat"]
    # the four weeks the daily horizon covers are the sums of its days: 7 × 10
    assert weeks.iloc[:4].tolist() == pytest.approx([70.0] * 4)
    # later weeks keep the weekly model
    assert weeks.iloc[4:].tolist() == pytest.approx([140.0] * 8)

    months = result["MS"].set_index("ds")["yhat"]
    # November: days 1-22 from the monthly model (900 × 22/30 = 660) + days 23-30 from the daily (8 × 10)
    assert months[pd.Timestamp("2026-11-01")] == pytest.approx(660 + 80)
    # December: 1-20 daily (20 × 10 = 200), 21 Dec - 31 Dec from the weekly model (11 days × 20 = 220)
    assert months[pd.Timestamp("2026-12-01")] == pytest.approx(200 + 220)
    # the weekly horizon ends on Sunday 2027-02-14: February = 14 days × 20 + 14/28 × 900
    assert months[pd.Timestamp("2027-02-01")] == pytest.approx(14 * 20 + 900 * 14 / 28)
    # March and April keep the monthly model
    assert months[pd.Timestamp("2027-03-01")] == pytest.approx(900)

    # consistency: where a month is fully covered by weeks and days, it equals their sum per day
    december_days = pd.date_range("2026-12-01", "2026-12-31")
    by_day = pd.Series(20.0, index=december_days)
    by_day[by_day.index <= "2026-12-20"] = 10.0
    assert months[pd.Timestamp("2026-12-01")] == pytest.approx(by_day.sum())
    assert result["D"].equals(daily)


def _with_bounds(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(yhat_lower=frame["yhat"] * 0.5, yhat_upper=frame["yhat"] * 1.5)


def test_planned_months_win_and_the_finer_horizons_keep_their_profile_and_add_up():
    from forecasting.horizons import reconcile_forecasts

    # Daily: a weekday profile (Mon-Fri 10, Sat-Sun 30) from Monday 2026-11-23; weekly 140; monthly 900
    # with December and January planned (the consensus), the other months the model's.
    days = pd.date_range("2026-11-23", periods=28, freq="D")
    daily = pd.DataFrame(
        {"unique_id": "A", "ds": days, "yhat": [30.0 if d.weekday() >= 5 else 10.0 for d in days]}
    )
    weekly = _frame("W-MON", "2026-11-23", 12, 140.0)
    monthly = _frame("MS", "2026-11-01", 6, 900.0)
    daily["model"], weekly["model"] = "Theta", "Theta"
    monthly["model"] = ["Naive", "consensus", "override", "Naive", "Naive", "Naive"]
    out = reconcile_forecasts(
        {
            "D": _with_bounds(daily),
            "W": _with_bounds(weekly),
            "MS": _with_bounds(monthly),
        }
    )
    d, w, m = (out[f].set_index("ds") for f in ("D", "W", "MS"))

    # the planned months keep their number; November (not planned) follows the finer horizons as before
    assert m.loc["2026-12-01", "yhat"] == pytest.approx(900.0)
    assert m.loc["2027-01-01", "yhat"] == pytest.approx(900.0)
    nov = 900 * 22 / 30 + daily.loc[daily["ds"] <= "2026-11-30", "yhat"].sum()
    assert m.loc["2026-11-01", "yhat"] == pytest.approx(nov)
    # December's days keep their weekday profile, scaled up to the plan (900 over 31 days)
    dec = d.loc["2026-12-01":"2026-12-20", "yhat"]
    assert dec[dec.index.weekday >= 5].iloc[0] == pytest.approx(3 * dec[dec.index.weekday < 5].iloc[0])
    # coherence on the produced tables: days → weeks (whole weeks in the 28 days), weeks and days → months
    for week, value in w["yhat"].items():
        inside = d.loc[week : week + pd.Timedelta(days=6), "yhat"]
        if len(inside) == 7:
            assert inside.sum() == pytest.approx(value)
    fine = pd.Series(
        {
            day: w.loc[day - pd.Timedelta(days=day.weekday()), "yhat"] / 7
            for day in pd.date_range("2026-11-23", periods=84)
        }
    )
    fine.update(d["yhat"])
    for month in ("2026-12-01", "2027-01-01"):
        inside = fine[fine.index.to_period("M") == pd.Period(month, "M")]
        assert inside.sum() == pytest.approx(m.loc[month, "yhat"])
    # bounds move with the numbers
    for frame in (d, w, m):
        assert (frame["yhat_lower"] <= frame["yhat"] + 1e-9).all() and (
            frame["yhat"] <= frame["yhat_upper"] + 1e-9
        ).all()


@pytest.mark.parametrize(
    ("booked_per_day", "plan", "november"),
    [(700 / 22, 900.0, 900.0), (50.0, 900.0, 1100.0), (10.0, 900.0, 220.0 + 900.0 * 8 / 30)],
)
def test_demand_already_ordered_consumes_the_planned_month_and_is_not_forecast_again(
    booked_per_day, plan, november
):
    from forecasting.horizons import reconcile_forecasts

    days = pd.date_range("2026-11-23", periods=28, freq="D")
    daily = pd.DataFrame({"unique_id": "A", "ds": days, "yhat": 10.0, "model": "Theta"})
    weekly = _frame("W-MON", "2026-11-23", 12, 140.0).assign(model="Theta")
    monthly = _frame("MS", "2026-11-01", 6, plan).assign(model="consensus")
    actuals = pd.DataFrame(
        {"unique_id": "A", "ds": pd.date_range("2026-11-01", "2026-11-22"), "yhat": booked_per_day}
    )
    out = reconcile_forecasts(
        {f: _with_bounds(x) for f, x in (("D", daily), ("W", weekly), ("MS", monthly))}, actuals=actuals
    )
    d, m = out["D"].set_index("ds")["yhat"], out["MS"].set_index("ds")["yhat"]
    booked = booked_per_day * 22
    left = min(max(plan - booked, 0.0), plan * 8 / 30)
    # the 8 days left in November share what the plan has not yet booked, at most their pro-rata share of
    # the plan (orders behind the plan: the unsold rest expires); the month = booked + the rest
    assert d["2026-11-23":"2026-11-30"].sum() == pytest.approx(left)
    assert m[pd.Timestamp("2026-11-01")] == pytest.approx(november)
    assert m[pd.Timestamp("2026-12-01")] == pytest.approx(plan)  # later months are not consumed
