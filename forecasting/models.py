"""Candidate models per series: statsforecast for the fast ones, Prophet where the calendar matters.

The candidates of a series depend on its history, measured on the shortest backtest training slice (so
the backtest and the final forecast use the same set):

- baselines, always: ``SeasonalNaive`` (season m by frequency; ``Naive`` when the slice is shorter than
  m + 1 points) and ``WindowAverage`` (moving average);
- intermittent series (share of zero periods ≥ 30 %): ``CrostonSBA`` and ``TSB``;
- other series with ≥ 8 points: ``AutoETS`` and ``Theta``, at daily frequency restricted for speed to
  ETS(A,N,A) (ETS(A,Ad,N) without season) and the standard Theta on the last ``INPUT_SIZE`` days;
- ``TopDown`` (``forecasting.topdown``) only when the caller passes ``groups``;
- ``Prophet`` (``forecasting.prophet_model``), which costs five fits per series, only where it can matter:
  daily, non-intermittent, at least ``PROPHET_MIN_HISTORY`` days, and a calendar signal
  (``calendar.calendar_signal``) or the series listed in ``prophet_ids``; at most ``PROPHET_MAX_SHARE`` of
  all series get it (``prophet_ids`` first, then by volume). ``prophet="all"`` drops the signal and the
  budget; ``prophet="off"`` never uses Prophet. Prophet competes in the same backtest like any model.

Prediction intervals (80 % by default): native for ``SeasonalNaive``, ``Naive``, ``AutoETS`` and ``Theta``;
statsforecast's ``ConformalIntervals`` (``CONFORMAL_WINDOWS`` windows of h steps) for ``WindowAverage``,
``CrostonSBA`` and ``TSB``; for Prophet ŷ ± the level-quantile of its absolute in-sample residuals over the
last year. They serve only the few series forecast without a backtest (and Prophet's backtest): the
statsforecast backtest and final fits compute point forecasts alone, the bands of every backtested series
being conformal (``forecasting.conformal``).
Timings behind these choices:
docs/choices_and_measurements.md.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsforecast.models
import statsforecast.utils
from statsforecast.models import (
    TSB,
    AutoETS,
    CrostonSBA,
    Naive,
    SeasonalNaive,
    Theta,
    WindowAverage,
)
from statsforecast.utils import ConformalIntervals


def _memoised_quantiles(original):
    """statsforecast's ``_quantiles`` (the z of each level), memoised on its arguments.

    statsforecast builds a fresh scipy distribution, docstring and all, for every forecast with intervals
    only to read the same one or two z values: 17 % of the CPU of a daily backtest. Same numbers, once.
    """
    if getattr(original, "memoised", False):
        return original

    @functools.lru_cache(maxsize=256)
    def cached(shape: tuple, levels: tuple, distribution: str, params: tuple) -> np.ndarray:
        return np.array(
            original(np.asarray(levels, dtype=float).reshape(shape), distribution, dict(params) or None)
        )

    def quantiles(level, distribution="normal", dist_params=None):
        level = np.asarray(level, dtype=float)
        try:
            params = tuple(sorted((dist_params or {}).items()))
            z = cached(level.shape, tuple(level.ravel().tolist()), distribution, params)
        except TypeError:  # an unhashable parameter: no memo
            return original(level, distribution, dist_params)
        return z.copy()

    quantiles.memoised = True
    return quantiles


statsforecast.utils._quantiles = _memoised_quantiles(statsforecast.utils._quantiles)
statsforecast.models._quantiles = _memoised_quantiles(statsforecast.models._quantiles)


SEASON_LENGTH = {"D": 7, "W": 52, "MS": 12, "QS": 4}
MOVING_AVERAGE_WINDOW = {"D": 7, "W": 4, "MS": 3, "QS": 4}
INPUT_SIZE = {"D": 364}  # statsforecast models see at most this many recent points (None: all)
INTERMITTENT_ZERO_SHARE = 0.3
CONFORMAL_WINDOWS = 2
MIN_ETS_LENGTH = 8
PROPHET_MIN_HISTORY = 365
PROPHET_MAX_SHARE = 0.10
PROPHET_MODES = ("auto", "all", "off")

# Lower is simpler; used to break ties in the champion choice.
COMPLEXITY = {
    "SeasonalNaive": 0,
    "Naive": 0,
    "WindowAverage": 1,
    "CrostonSBA": 2,
    "TSB": 3,
    "Theta": 4,
    "AutoETS": 5,
    "Prophet": 6,
    "TopDown": 7,
}
BASELINES = ("SeasonalNaive", "Naive", "WindowAverage")
INTERMITTENT_MODELS = ("CrostonSBA", "TSB")
CONFORMAL_MODELS = ("WindowAverage", "CrostonSBA", "TSB")
STATS_MODELS = tuple(name for name in COMPLEXITY if name not in ("Prophet", "TopDown"))


def season_length(freq: str) -> int:
    """Season length m for a pandas frequency alias (D→7, W→52, MS→12, QS→4)."""
    try:
        return SEASON_LENGTH[freq]
    except KeyError:
        raise ValueError(f"unsupported freq {freq!r}; use one of {sorted(SEASON_LENGTH)}") from None


def pandas_freq(freq: str, first_ds: object | None = None) -> str:
    """The pandas offset for future dates; weekly data keeps the weekday of its first date (e.g. W-MON)."""
    season_length(freq)
    if freq != "W":
        return freq
    day = pd.Timestamp(first_ds).day_name()[:3].upper() if first_ds is not None else "SUN"
    return f"W-{day}"


def is_intermittent(y: np.ndarray) -> bool:
    """A series is intermittent when at least 30 % of its periods have zero demand."""
    y = np.asarray(y, dtype=float)
    return len(y) > 0 and float((y == 0).mean()) >= INTERMITTENT_ZERO_SHARE


@dataclass(frozen=True)
class CandidateSet:
    """The model names competing for a series; hashable so series with the same set share one fit."""

    names: tuple[str, ...]
    seasonal_ets: bool = False

    @property
    def stats_names(self) -> tuple[str, ...]:
        """The candidates statsforecast fits (all but Prophet)."""
        return tuple(n for n in self.names if n != "Prophet")


def prophet_eligible(y_train: np.ndarray, freq: str) -> bool:
    """Condition 1 of the Prophet policy: daily, non-intermittent, ≥ 365 days of training history."""
    return freq == "D" and len(y_train) >= PROPHET_MIN_HISTORY and not is_intermittent(y_train)


def choose_candidates(y_train: np.ndarray, freq: str, prophet: bool = False) -> CandidateSet:
    """Pick the candidate set from the (shortest) training history of one series.

    ``prophet`` says whether the Prophet policy admitted the series (see the module docstring).
    """
    m = season_length(freq)
    names = ["SeasonalNaive" if len(y_train) > m else "Naive", "WindowAverage"]
    if is_intermittent(y_train):
        return CandidateSet(tuple(names + list(INTERMITTENT_MODELS)))
    extra = ["Prophet"] if prophet and prophet_eligible(y_train, freq) else []
    if len(y_train) >= max(MIN_ETS_LENGTH, 2 * m):
        return CandidateSet(tuple(names + ["Theta", "AutoETS"] + extra), seasonal_ets=True)
    if len(y_train) >= MIN_ETS_LENGTH:
        return CandidateSet(tuple(names + ["Theta", "AutoETS"] + extra), seasonal_ets=False)
    return CandidateSet(tuple(names))


def build_models(candidates: CandidateSet, freq: str, horizon: int, intervals: bool = True) -> list:
    """Instantiate the statsforecast models of a candidate set (aliases equal the names; Prophet skipped).

    ``intervals=False`` leaves the conformal models without intervals (history too short for them).
    """
    m = season_length(freq)
    conformal = ConformalIntervals(h=horizon, n_windows=CONFORMAL_WINDOWS) if intervals else None
    season = m if candidates.seasonal_ets else 1
    if freq == "D":
        ets = lambda: AutoETS(season_length=season, model="ANA" if season > 1 else "AAN", damped=season == 1)  # noqa: E731
    else:
        ets = lambda: AutoETS(season_length=season)  # noqa: E731
    factory = {
        "SeasonalNaive": lambda: SeasonalNaive(season_length=m),
        "Naive": lambda: Naive(),
        "WindowAverage": lambda: WindowAverage(
            window_size=MOVING_AVERAGE_WINDOW[freq], prediction_intervals=conformal
        ),
        "CrostonSBA": lambda: CrostonSBA(prediction_intervals=conformal),
        "TSB": lambda: TSB(alpha_d=0.1, alpha_p=0.1, prediction_intervals=conformal),
        "Theta": lambda: Theta(season_length=season, decomposition_type="additive"),
        "AutoETS": ets,
    }
    return [factory[name]() for name in candidates.stats_names]


def min_train_length(horizon: int, freq: str) -> int:
    """Shortest training slice on which every candidate, incl. conformal intervals, can be fitted."""
    return CONFORMAL_WINDOWS * horizon + MOVING_AVERAGE_WINDOW[freq] + 1


def min_length_for_intervals(horizon: int, freq: str) -> int:
    """Kept for callers of the first version; equals ``min_train_length``."""
    return min_train_length(horizon, freq)
