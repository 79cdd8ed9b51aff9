"""Inventory-plan arithmetic: available to promise, safety stock, reorder point, days of cover.

Pure functions on numbers, so each can be checked by hand; the pipeline applies them per SKU and
warehouse. Formulas (the standard ones for a periodic forecast with normally distributed error):

- ATP (available to promise) = on hand − reserved for open orders + confirmed inbound before the date.
- Safety stock = z × σ × √L, where z is the standard normal quantile of the service level (cycle service
  level: the probability of no stock-out during one replenishment lead time), σ the standard deviation
  of the forecast error per period (from the backtest: the RMSE of the chosen model), and L the lead time
  in the same periods. Using forecast error rather than demand variability is the point: a good forecast
  needs less buffer.
- Reorder point = expected demand over the lead time + safety stock.
- Days of cover = available stock ÷ average forecast demand per day.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from statistics import NormalDist

DEFAULT_SERVICE_LEVEL = 0.95


def available_to_promise(on_hand: float, reserved: float, confirmed_inbound: float = 0.0) -> float:
    """ATP = on hand − reserved + confirmed inbound before the date (may be negative: oversold)."""
    return on_hand - reserved + confirmed_inbound


def service_level_z(service_level: float = DEFAULT_SERVICE_LEVEL) -> float:
    """The standard normal quantile of a cycle service level (0.95 → 1.645)."""
    if not 0.5 <= service_level < 1:
        raise ValueError(f"service level must be in [0.5, 1): got {service_level}")
    return NormalDist().inv_cdf(service_level)


def safety_stock(
    error_std_per_period: float, lead_time_periods: float, service_level: float = DEFAULT_SERVICE_LEVEL
) -> float:
    """Safety stock = z × σ × √L (see the module docstring)."""
    if error_std_per_period < 0 or lead_time_periods < 0:
        raise ValueError("the forecast error and the lead time cannot be negative")
    return service_level_z(service_level) * error_std_per_period * math.sqrt(lead_time_periods)


def reorder_point(
    demand_per_period: float,
    error_std_per_period: float,
    lead_time_periods: float,
    service_level: float = DEFAULT_SERVICE_LEVEL,
) -> float:
    """Reorder point = demand per period × L + safety stock."""
    return demand_per_period * lead_time_periods + safety_stock(
        error_std_per_period, lead_time_periods, service_level
    )


def days_of_cover(available: float, demand_per_day: float) -> float:
    """Days the available stock lasts at the forecast rate; infinite when nothing is expected to sell."""
    if demand_per_day <= 0:
        return math.inf
    return max(available, 0.0) / demand_per_day


def projected_stockout_date(available: float, daily_forecast: list[float], start: date) -> date | None:
    """The first day on which cumulative forecast demand exceeds the available stock, or None within the
    forecast horizon. ``daily_forecast[0]`` is the demand of ``start``."""
    remaining = available
    for offset, demand in enumerate(daily_forecast):
        remaining -= demand
        if remaining < 0:
            return start + timedelta(days=offset)
    return None


def is_overstocked(cover_days: float, max_cover_days: float = 120.0) -> bool:
    """Overstock: more days of cover than the configured limit (capital tied up)."""
    return cover_days > max_cover_days
