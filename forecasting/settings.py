"""What one forecast run is asked for, as one typed object passed down the library.

The backtest, the champion selection and the TopDown groups all read the same settings; a caller that
changes one (e.g. the group run's ``n_jobs``) makes a copy with ``dataclasses.replace``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

N_WINDOWS = 4  # backtest origins (cut-offs)
LEVEL = 80  # prediction interval, percent


@dataclass(frozen=True)
class ForecastSettings:
    """``horizon`` periods at ``freq`` (D, W, MS, QS); ``n_windows`` backtest origins; ``level`` % intervals;
    ``n_jobs`` workers (-1: all cores); ``prophet`` ("auto", "all", "off") and ``prophet_ids`` (series
    always offered Prophet when eligible) steer the Prophet policy of ``forecasting.models``; ``groups``
    (unique_id → group name) offers the ``TopDown`` candidate of ``forecasting.topdown`` (None: none);
    ``engine`` (e.g. a SparkSession) runs the statsforecast fits there through statsforecast's fugue
    backend instead of in this process (``forecasting.rolling.on_engine``; Prophet and TopDown stay local)."""

    horizon: int
    freq: str
    n_windows: int = N_WINDOWS
    level: int = LEVEL
    n_jobs: int = 1
    prophet: str = "auto"
    prophet_ids: Collection[str] = ()
    groups: Mapping[str, str] | None = None
    engine: Any = None
