"""The shipped holiday table: known dates, package data, and the calendar-signal detector."""

from datetime import date

import numpy as np
import pandas as pd

from forecasting.calendar import calendar_signal, load_holidays, prophet_holidays


def _dates(name: str) -> set[date]:
    table = load_holidays()
    return set(table.loc[table["holiday"] == name, "ds"].dt.date)


def test_lunar_holidays_have_their_real_dates():
    assert {date(2025, 1, 29), date(2026, 2, 17), date(2024, 2, 10), date(2028, 1, 26)} <= _dates(
        "spring_festival"
    )
    assert date(2025, 5, 31) in _dates("dragon_boat")
    assert date(2025, 10, 6) in _dates("mid_autumn")
    assert date(2026, 4, 5) in _dates("qingming")


def test_shopping_festivals_every_year_2023_to_2028():
    years = range(2023, 2029)
    assert _dates("double_11") == {date(y, 11, 11) for y in years}
    assert _dates("festival_618") == {date(y, 6, 18) for y in years}
    assert _dates("national_day") == {date(y, 10, 1) for y in years}


def test_western_retail_days_follow_their_rules():
    assert date(2025, 11, 28) in _dates("black_friday")  # 4th Thursday is Nov 27
    assert date(2025, 12, 1) in _dates("cyber_monday")
    assert date(2025, 7, 8) in _dates("prime_day")  # 2nd Tuesday of July 2025


def test_prophet_frame_shape_and_windows():
    frame = prophet_holidays()
    assert list(frame.columns) == ["holiday", "ds", "lower_window", "upper_window"]
    assert (frame["lower_window"] <= 0).all() and (frame["upper_window"] >= 0).all()
    assert frame["ds"].dt.year.between(2023, 2028).all()
    assert len(prophet_holidays(["US"])) == 4 * 6


def test_calendar_signal_sees_a_double_11_peak_and_not_a_plain_weekly_series():
    ds = pd.date_range("2023-01-02", "2025-06-30", freq="D")
    rng = np.random.default_rng(0)
    base = 50 * (1 + 0.3 * np.cos(2 * np.pi * ds.weekday.to_numpy() / 7))
    plain = rng.poisson(base).astype(float)
    peaks = rng.poisson(base * np.where(ds.strftime("%m-%d") == "11-11", 6.0, 1.0)).astype(float)
    assert not calendar_signal(ds, plain)
    assert calendar_signal(ds, peaks)
