"""Candidate models per series, all from statsforecast (kept well-tested instead of written by hand).

Which models compete for a series depends on its history (measured on the shortest backtest training
slice, so the backtest and the final forecast use the same set):

- ``SeasonalNaive`` (season by frequency) and ``WindowAverage`` (moving average) always run: they are the
  baselines the champion must beat.
- ``CrostonSBA`` and ``TSB`` run when the series is intermittent (share of zero periods ≥ 30 %).
- ``AutoETS`` runs for non-intermittent series with enough history: seasonal when the training slice holds
  two full seasons, otherwise non-seasonal (level/trend only).

Prediction intervals (80 % by default): ``SeasonalNaive`` and ``AutoETS`` give native model-based intervals.
``WindowAverage``, ``CrostonSBA`` and ``TSB`` have none, so they get statsforecast's ``ConformalIntervals``
(split-conformal quantiles of rolling-origin residuals on the training data, ``CONFORMAL_WINDOWS`` windows of
``h`` steps). Both kinds are scored for coverage in the backtest.

Prophet is not a candidate in this slice (slow; added later behind an opt-in flag).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsforecast.models import TSB, AutoETS, CrostonSBA, SeasonalNaive, WindowAverage
from statsforecast.utils import ConformalIntervals

SEASON_LENGTH = {"D": 7, "W": 52, "MS": 12, "QS": 4}
MOVING_AVERAGE_WINDOW = {"D": 7, "W": 4, "MS": 3, "QS": 4}
INTERMITTENT_ZERO_SHARE = 0.3
CONFORMAL_WINDOWS = 2
MIN_ETS_LENGTH = 8

# Lower is simpler; used to break ties in the champion choice.
COMPLEXITY = {"SeasonalNaive": 0, "WindowAverage": 1, "CrostonSBA": 2, "TSB": 3, "AutoETS": 4}
BASELINES = ("SeasonalNaive", "WindowAverage")
INTERMITTENT_MODELS = ("CrostonSBA", "TSB")


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


def choose_candidates(y_train: np.ndarray, freq: str) -> CandidateSet:
    """Pick the candidate set from the (shortest) training history of one series."""
    m = season_length(freq)
    names = list(BASELINES)
    if is_intermittent(y_train):
        names += INTERMITTENT_MODELS
        return CandidateSet(tuple(names))
    if len(y_train) >= max(MIN_ETS_LENGTH, 2 * m):
        return CandidateSet(tuple(names + ["AutoETS"]), seasonal_ets=True)
    if len(y_train) >= MIN_ETS_LENGTH:
        return CandidateSet(tuple(names + ["AutoETS"]), seasonal_ets=False)
    return CandidateSet(tuple(names))


def build_models(candidates: CandidateSet, freq: str, horizon: int) -> list:
    """Instantiate the statsforecast models of a candidate set (aliases equal the names)."""
    m = season_length(freq)
    conformal = ConformalIntervals(h=horizon, n_windows=CONFORMAL_WINDOWS)
    factory = {
        "SeasonalNaive": lambda: SeasonalNaive(season_length=m),
        "WindowAverage": lambda: WindowAverage(
            window_size=MOVING_AVERAGE_WINDOW[freq], prediction_intervals=conformal
        ),
        "CrostonSBA": lambda: CrostonSBA(prediction_intervals=conformal),
        "TSB": lambda: TSB(alpha_d=0.1, alpha_p=0.1, prediction_intervals=conformal),
        "AutoETS": lambda: AutoETS(season_length=m if candidates.seasonal_ets else 1),
    }
    return [factory[name]() for name in candidates.names]


def min_length_for_intervals(horizon: int, freq: str) -> int:
    """Shortest training history on which every candidate (incl. conformal intervals) can be fitted."""
    return max(CONFORMAL_WINDOWS * horizon + MOVING_AVERAGE_WINDOW[freq] + 1, season_length(freq) + 1)
