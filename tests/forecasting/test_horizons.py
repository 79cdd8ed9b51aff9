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
