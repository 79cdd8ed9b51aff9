"""Reporting periods: calendar months clipped to the data's first and last day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd


@dataclass(frozen=True)
class Period:
    period_type: str  # "month" or "history"
    label: str
    start: date
    end: date
    is_complete: bool

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def monthly_periods(first_day: date, last_day: date) -> list[Period]:
    """One period per calendar month touched by [first_day, last_day], plus the whole history."""
    periods = []
    for month_start in pd.date_range(pd.Timestamp(first_day).replace(day=1), last_day, freq="MS"):
        month_end = (month_start + pd.offsets.MonthEnd(0)).date()
        start = max(month_start.date(), first_day)
        end = min(month_end, last_day)
        complete = start == month_start.date() and end == month_end
        periods.append(Period("month", month_start.strftime("%Y-%m"), start, end, complete))
    periods.append(Period("history", f"{first_day:%Y-%m-%d}..{last_day:%Y-%m-%d}", first_day, last_day, True))
    return periods
