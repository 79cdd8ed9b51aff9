"""The holiday and shopping-festival table that ships with the package, as Prophet's ``holidays`` frame.

The table (``forecasting/data/holidays.csv``, 2023–2028) lists Chinese public holidays (Spring Festival,
Qingming, Labour Day, Dragon Boat, Mid-Autumn, National Day golden week), the Chinese shopping festivals
(618, Double 11, Double 12) and the western retail days of the Shopify/Amazon channels (Black Friday, Cyber
Monday, Prime Day, Prime Big Deal Days). Lunar dates are written out per year, not computed, so they can be
read and checked; the sources are in the file's header. Each row is one event day ``ds`` with a window of
``lower_window`` (≤ 0) to ``upper_window`` (≥ 0) days, and every day of the window gets its own effect.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources

import numpy as np
import pandas as pd

HOLIDAY_FILE = "holidays.csv"
PROPHET_COLUMNS = ["holiday", "ds", "lower_window", "upper_window"]


def load_holidays(regions: Iterable[str] | None = None) -> pd.DataFrame:
    """The shipped table: ``holiday, ds, lower_window, upper_window, region, notes`` (some regions or all)."""
    with resources.files("forecasting.data").joinpath(HOLIDAY_FILE).open(encoding="utf-8") as f:
        table = pd.read_csv(f, comment="#", parse_dates=["ds"])
    if regions is not None:
        table = table[table["region"].isin(list(regions))]
    return table.sort_values(["ds", "holiday"]).reset_index(drop=True)


def prophet_holidays(regions: Iterable[str] | None = None) -> pd.DataFrame:
    """The table in the shape Prophet's ``holidays=`` argument expects."""
    return load_holidays(regions)[PROPHET_COLUMNS].copy()


def _window_days(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, pd.DatetimeIndex]:
    """Every (holiday, offset k, day) of the table's windows, as three aligned arrays."""
    lower = table["lower_window"].astype(int).to_numpy()
    upper = table["upper_window"].astype(int).to_numpy()
    reps = upper - lower + 1
    offsets = (
        np.concatenate([np.arange(a, b + 1) for a, b in zip(lower, upper, strict=True)]) if len(table) else []
    )
    names = np.repeat(table["holiday"].to_numpy(), reps)
    days = pd.DatetimeIndex(np.repeat(pd.DatetimeIndex(table["ds"]).to_numpy(), reps)) + pd.to_timedelta(
        np.asarray(offsets, dtype=int), "D"
    )
    return names, np.asarray(offsets, dtype=int), days


def holiday_days(ds: pd.Series | pd.DatetimeIndex, table: pd.DataFrame | None = None) -> np.ndarray:
    """Boolean mask: which dates fall in any holiday's window ``[ds + lower_window, ds + upper_window]``."""
    table = prophet_holidays() if table is None else table
    _, _, days = _window_days(table)
    return pd.DatetimeIndex(ds).isin(days)


SIGNAL_MIN_LIFT = 0.3  # |log effect| ≥ log(1.3): a holiday moves demand by ≥ ~30 %
SIGNAL_MIN_Z = 4.5  # many (holiday, offset) pairs are tested: a high bar keeps false alarms rare


def calendar_signal(
    ds: pd.Series | pd.DatetimeIndex, y: np.ndarray, table: pd.DataFrame | None = None
) -> bool:
    """Whether some holiday day of the table visibly moves this (daily) series.

    The baseline of each day is the centred 29-day rolling median times a weekday factor (median ratio per
    weekday); r_t = log((y_t + 1) / (baseline_t + 1)). For each holiday and each offset k of its window (the
    same unit Prophet gives an effect), r̄ is the mean r over the occurrences in the history. There is a
    signal when some |r̄| ≥ SIGNAL_MIN_LIFT and |r̄| ≥ SIGNAL_MIN_Z · σ / √occurrences, where σ is the
    standard deviation of r on non-holiday days.
    """
    table = prophet_holidays() if table is None else table
    ds = pd.DatetimeIndex(ds)
    y = np.asarray(y, dtype=float)
    level = pd.Series(y).rolling(29, center=True, min_periods=8).median().to_numpy()
    ratio = (y + 1) / (level + 1)
    weekday = pd.Series(ratio).groupby(ds.weekday).transform("median").to_numpy()
    r = pd.Series(np.log((y + 1) / (level * weekday + 1)), index=ds)
    on_holiday = holiday_days(ds, table)
    sigma = float(np.nanstd(r[~on_holiday])) if (~on_holiday).any() else 0.0
    names, offsets, days = _window_days(table)
    pos = ds.get_indexer(days)
    values = np.where(pos >= 0, r.to_numpy()[pos], np.nan)
    seen = ~np.isnan(values)
    if not seen.any():
        return False
    codes, _ = pd.factorize(pd.MultiIndex.from_arrays([names[seen], offsets[seen]]))
    count = np.bincount(codes)
    mean = np.abs(np.bincount(codes, weights=values[seen]) / count)
    return bool(np.any((mean >= SIGNAL_MIN_LIFT) & (mean >= SIGNAL_MIN_Z * sigma / np.sqrt(count))))
