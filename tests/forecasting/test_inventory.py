"""Inventory-plan arithmetic against values worked out by hand."""

from __future__ import annotations

import math
from datetime import date

import pytest

from forecasting import inventory


def test_available_to_promise():
    # 120 on hand − 35 reserved for open orders + 50 confirmed inbound = 135
    assert inventory.available_to_promise(120, 35, 50) == 135
    assert inventory.available_to_promise(10, 25) == -15


def test_service_level_quantiles():
    assert inventory.service_level_z(0.95) == pytest.approx(1.6449, abs=1e-4)
    assert inventory.service_level_z(0.5) == pytest.approx(0.0)
    with pytest.raises(ValueError, match="service level"):
        inventory.service_level_z(1.0)


def test_safety_stock_and_reorder_point_by_hand():
    # σ = 10 units/day of forecast error, lead time 9 days, 95 %: 1.6449 × 10 × 3 = 49.35
    assert inventory.safety_stock(10, 9, 0.95) == pytest.approx(49.346, abs=1e-3)
    # demand 20/day × 9 days = 180, + 49.35 = 229.35
    assert inventory.reorder_point(20, 10, 9, 0.95) == pytest.approx(229.346, abs=1e-3)
    # a perfect forecast needs no buffer
    assert inventory.safety_stock(0, 9) == 0
    with pytest.raises(ValueError):
        inventory.safety_stock(-1, 9)


def test_days_of_cover_and_overstock():
    assert inventory.days_of_cover(300, 2.5) == 120
    assert inventory.days_of_cover(-5, 2.5) == 0
    assert math.isinf(inventory.days_of_cover(10, 0))
    assert inventory.is_overstocked(121, 120) and not inventory.is_overstocked(120, 120)


def test_projected_stockout_date():
    # 10 in stock, demand 4 a day: day 0 → 6, day 1 → 2, day 2 → −2: out of stock on the third day
    assert inventory.projected_stockout_date(10, [4, 4, 4, 4], date(2026, 11, 23)) == date(2026, 11, 25)
    assert inventory.projected_stockout_date(100, [4, 4, 4], date(2026, 11, 23)) is None
