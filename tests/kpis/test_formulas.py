"""The KPI formulas against small cases worked out by hand."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from kpis import formulas
from kpis.periods import monthly_periods

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def test_on_time_delivery_counts_by_delivery_date_and_skips_cancelled_and_counter_sales():
    orders = pd.DataFrame(
        {
            "delivered_date": [
                "2026-03-05",
                "2026-03-10",
                "2026-03-31",
                "2026-04-01",
                "2026-03-02",
                "2026-03-03",
            ],
            "promised_date": ["2026-03-05", "2026-03-08", "2026-04-02", "2026-04-09", "2026-03-01", None],
            "order_status": ["delivered", "delivered", "returned", "delivered", "cancelled", "delivered"],
            "fulfilment_type": ["ship", "ship", "ship", "ship", "ship", "counter"],
        }
    )
    # March deliveries that count: on time (5 ≤ 5), late (10 > 8), on time (31 ≤ 2 Apr) → 2 of 3.
    ratio = formulas.on_time_delivery(orders, *MARCH)
    assert (ratio.numerator, ratio.denominator) == (2, 3)
    assert ratio.value == pytest.approx(2 / 3)


def test_oee_rolls_up_weighted_by_planned_production_time():
    shifts = pd.DataFrame(
        {
            "shift_date": ["2026-03-02", "2026-03-02", "2026-04-01"],
            "planned_production_minutes": [450.0, 150.0, 450.0],
            "availability": [0.9, 0.5, 1.0],
            "performance": [0.9, 0.8, 1.0],
            "quality": [1.0, 0.5, 1.0],
            "oee": [0.81, 0.2, 1.0],
        }
    )
    # (0.81 × 450 + 0.2 × 150) / 600 = (364.5 + 30) / 600 = 0.6575
    assert formulas.oee(shifts, *MARCH).value == pytest.approx(0.6575)
    parts = formulas.oee_components(shifts, *MARCH)
    # run 405 + 75 = 480 of 600; net run 364.5 + 60 = 424.5 of 480; productive 364.5 + 30 = 394.5 of 424.5
    assert parts["availability"] == pytest.approx(480 / 600)
    assert parts["performance"] == pytest.approx(424.5 / 480)
    assert parts["quality"] == pytest.approx(394.5 / 424.5)


def test_the_shown_availability_performance_and_quality_multiply_to_the_shown_oee():
    """Issue 17: PPT-weighted means of A, P and Q did not multiply to the PPT-weighted OEE."""
    shifts = pd.DataFrame(
        {
            "shift_date": ["2026-03-02", "2026-03-02", "2026-03-03", "2026-03-04"],
            "planned_production_minutes": [450.0, 150.0, 0.0, 300.0],  # the 3rd: an idle shift
            "availability": [0.9, 0.4, None, 1.0],
            "performance": [0.95, 0.5, None, None],  # the 4th: no run counted, P unknown
            "quality": [0.99, 0.6, None, None],
        }
    )
    shifts["oee"] = shifts["availability"] * shifts["performance"] * shifts["quality"].fillna(1.0)
    parts = formulas.oee_components(shifts, *MARCH)
    product = parts["availability"] * parts["performance"] * parts["quality"]
    assert product == pytest.approx(formulas.oee(shifts, *MARCH).value)
    means = [
        (shifts[part].fillna(0.0) * shifts["planned_production_minutes"]).sum() / 900
        for part in ("availability", "performance", "quality")
    ]
    assert means[0] * means[1] * means[2] != pytest.approx(product)  # the old roll-up did not


def test_inventory_days_from_average_stock_and_cogs():
    inventory = pd.DataFrame(
        {
            "snapshot_date": ["2026-03-01", "2026-03-01", "2026-03-02", "2026-03-03"],
            "inventory_value_reporting": [600.0, 400.0, 800.0, 1200.0],
        }
    )
    lines = pd.DataFrame(
        {
            "order_date": ["2026-03-01", "2026-03-02", "2026-03-02", "2026-03-03", "2026-03-03"],
            "line_status": ["delivered", "cancelled", "pending", "returned", "shipped"],
            "quantity": [2, 5, 1, -1, 1],
            "line_cost_reporting": [20.0, 50.0, 10.0, -10.0, 15.0],
        }
    )
    average, days = formulas.average_inventory_value(inventory, *MARCH)
    assert (average, days) == (1000.0, 3)  # (1000 + 800 + 1200) / 3 days
    cogs = formulas.cost_of_goods_sold(lines, *MARCH)
    assert cogs == 25.0  # 20 sold + 15 sold − 10 store return; cancelled and pending carry no cost
    assert formulas.inventory_days(average, cogs, days) == pytest.approx(1000 / 25 * 3)  # 120 days
    assert formulas.inventory_turnover(average, cogs) == pytest.approx(0.025)
    assert formulas.inventory_days(average, 0.0, days) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [(59.9, False), (60.0, True), (75.0, True), (90.0, True), (90.1, False), (None, False)],
)
def test_inventory_days_band_is_plus_minus_twenty_percent(value, expected):
    assert formulas.within_band(value, 75.0) is expected


def test_months_are_clipped_to_the_data_and_flagged_when_partial():
    periods = monthly_periods(date(2025, 11, 23), date(2026, 1, 10))
    assert [(p.label, p.start, p.end, p.is_complete) for p in periods] == [
        ("2025-11", date(2025, 11, 23), date(2025, 11, 30), False),
        ("2025-12", date(2025, 12, 1), date(2025, 12, 31), True),
        ("2026-01", date(2026, 1, 1), date(2026, 1, 10), False),
        ("2025-11-23..2026-01-10", date(2025, 11, 23), date(2026, 1, 10), True),
    ]
    assert periods[1].days == 31
