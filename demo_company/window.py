"""The history window, the company calendar and the shared random streams.

Everything in the demo company is dated relative to one `as_of` day: the history is the 365 company-zone
days before it, and the data is a snapshot taken at `as_of` 00:00 Asia/Shanghai. Nothing reads the clock.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

SHANGHAI_OFFSET = np.timedelta64(8, "h")  # Asia/Shanghai has no daylight saving time
DAY = np.timedelta64(1, "D")
HOUR_S = 3600
DAY_S = 86400
PLAN_AHEAD_DAYS = 42  # the plant's shift calendar and planned downtime reach this far past the snapshot

# Spring Festival (Chinese New Year) days; the plant and most couriers stop around them.
_SPRING_FESTIVAL = {
    2023: date(2023, 1, 22),
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
    2029: date(2029, 2, 13),
    2030: date(2030, 2, 3),
    2031: date(2031, 1, 23),
}


def rng_for(seed: int, stream: str) -> np.random.Generator:
    """A generator for one named stream, so adding draws to one source never shifts another."""
    return np.random.default_rng([seed, zlib.crc32(stream.encode("utf-8"))])


def spring_festival(year: int) -> date:
    return _SPRING_FESTIVAL.get(year, date(year, 2, 1))


def black_friday(year: int) -> date:
    """The day after the fourth Thursday of November."""
    first = date(year, 11, 1)
    first_thursday = first + timedelta(days=(3 - first.weekday()) % 7)
    return first_thursday + timedelta(days=22)


def to_days(values: list[date]) -> np.ndarray:
    return np.array([np.datetime64(v, "D") for v in values], dtype="datetime64[D]")


def plant_working_days(first: np.datetime64, last: np.datetime64) -> np.ndarray:
    """Plant working days from first to last (inclusive): Monday to Saturday, minus plant holidays."""
    days = np.arange(first, last + DAY, dtype="datetime64[D]")
    years = range(int(str(first)[:4]), int(str(last)[:4]) + 1)
    return days[(weekday_of(days) != 6) & ~np.isin(days, plant_holidays(years))]


def plant_holidays(years: range) -> np.ndarray:
    """Days the plant is closed: New Year, Spring Festival week, Labour Day and National Day weeks."""
    out: list[date] = []
    for y in years:
        out.append(date(y, 1, 1))
        sf = spring_festival(y)
        out += [sf + timedelta(days=k) for k in range(-2, 7)]
        out += [date(y, 5, d) for d in range(1, 6)]
        out += [date(y, 10, d) for d in range(1, 8)]
    return to_days(sorted(out))


@dataclass(frozen=True)
class Window:
    """The 365-day history ending the day before `as_of` (company zone dates)."""

    as_of: date
    days: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "days", np.arange(self.start_day, self.end_day + DAY, dtype="datetime64[D]"))

    @property
    def start(self) -> date:
        return self.as_of - timedelta(days=365)

    @property
    def end(self) -> date:
        return self.as_of - timedelta(days=1)

    @property
    def start_day(self) -> np.datetime64:
        return np.datetime64(self.start, "D")

    @property
    def end_day(self) -> np.datetime64:
        return np.datetime64(self.end, "D")

    @property
    def n_days(self) -> int:
        return len(self.days)

    @property
    def start_utc(self) -> np.datetime64:
        """Shanghai midnight at the first history day, in UTC seconds."""
        return (self.start_day - SHANGHAI_OFFSET).astype("datetime64[s]")

    @property
    def snapshot_utc(self) -> np.datetime64:
        """The moment the data is extracted: `as_of` 00:00 Shanghai, in UTC seconds."""
        return (np.datetime64(self.as_of, "D") - SHANGHAI_OFFSET).astype("datetime64[s]")

    def day_index(self, utc: np.ndarray) -> np.ndarray:
        """Index of the Shanghai day (0 = first history day) of UTC timestamps."""
        return ((utc - self.start_utc) // np.timedelta64(1, "D")).astype(np.int64)

    def utc_at(self, day_index: np.ndarray, seconds_local: np.ndarray) -> np.ndarray:
        """UTC timestamp of a Shanghai day index plus local seconds after midnight."""
        secs = np.asarray(day_index, dtype=np.int64) * DAY_S + np.asarray(seconds_local, dtype=np.int64)
        return self.start_utc + secs.astype("timedelta64[s]")

    @property
    def plan_end_day(self) -> np.datetime64:
        """The last day of the plant's planning horizon: `as_of` + PLAN_AHEAD_DAYS."""
        return np.datetime64(self.as_of, "D") + np.timedelta64(PLAN_AHEAD_DAYS, "D")

    def working_days(self) -> np.ndarray:
        """Plant working days in the window: Monday to Saturday, minus plant holidays."""
        return plant_working_days(self.start_day, self.end_day)


def weekday_of(days: np.ndarray) -> np.ndarray:
    """Monday = 0 … Sunday = 6 for datetime64[D] values."""
    return (days.astype("datetime64[D]").view("int64") - 4) % 7


def month_day(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Calendar month (1-12) and day of month of datetime64[D] values."""
    days = np.asarray(days, dtype="datetime64[D]")
    month_start = days.astype("datetime64[M]")
    dom = (days - month_start.astype("datetime64[D]")).astype(np.int64) + 1
    return month_start.astype(np.int64) % 12 + 1, dom
