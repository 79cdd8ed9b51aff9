"""The KPI formulas of ``shared/reference/domain.md`` as pure functions over plain tables.

Each function takes the rows of a mart (as a DataFrame) and a period, and returns a ``Ratio`` with the
numerator and denominator kept, so a dashboard can show "how many of how many" and a test can check
the arithmetic by hand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import pandas as pd

SOLD_STATUSES = ("confirmed", "shipped", "delivered")


@dataclass(frozen=True)
class Ratio:
    numerator: float
    denominator: float

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None


def _in_period(dates: pd.Series, start: date, end: date) -> pd.Series:
    """Dates within [start, end], both inclusive."""
    if not pd.api.types.is_datetime64_any_dtype(dates):
        dates = pd.to_datetime(dates)  # a no-op on datetimes that still costs ~30 ms per million
    return (dates >= pd.Timestamp(start)) & (dates <= pd.Timestamp(end))


def _complete(frame: pd.DataFrame, flag: str) -> pd.Series:
    """The rows not flagged partial (an order whose landed copy is incomplete waits for the complete
    one); every row when the frame has no such flag."""
    if flag not in frame:
        return pd.Series(True, index=frame.index)
    return ~frame[flag].fillna(False).astype(bool)


def on_time_delivery(orders: pd.DataFrame, start: date, end: date) -> Ratio:
    """OTD = orders delivered on or before their promised date ÷ orders delivered in the period.

    The period selects orders by delivery date (company zone). Cancelled orders are excluded, and so are
    counter sales (handed over at the till: nothing to promise) and partial orders (``is_partial``, when
    given). Needs the columns ``delivered_date``, ``promised_date``, ``order_status`` and
    ``fulfilment_type`` of ``fct_orders``.
    """
    delivered = orders[
        orders["delivered_date"].notna()
        & (orders["order_status"] != "cancelled")
        & (orders["fulfilment_type"] == "ship")
        & _complete(orders, "is_partial")
        & _in_period(orders["delivered_date"], start, end)
    ]
    on_time = pd.to_datetime(delivered["delivered_date"]) <= pd.to_datetime(delivered["promised_date"])
    return Ratio(float(on_time.sum()), float(len(delivered)))


def on_time_delivery_daily(deliveries: pd.DataFrame, start: date, end: date) -> Ratio:
    """``on_time_delivery`` from its counts per delivery day (``delivered_date, on_time, delivered``,
    as ``kpis.daily.deliveries`` sums them)."""
    rows = deliveries[_in_period(deliveries["delivered_date"], start, end)]
    return Ratio(float(rows["on_time"].sum()), float(rows["delivered"].sum()))


def oee(machine_shifts: pd.DataFrame, start: date, end: date) -> Ratio:
    """OEE rolled up over machines and shifts, weighted by planned production time (PPT).

    OEE = Σ(OEEᵢ × PPTᵢ) ÷ Σ PPTᵢ over the shifts whose shift date is in the period, where per shift
    OEEᵢ = availability × performance × quality as computed in ``fct_machine_shifts``.
    """
    rows = machine_shifts[_in_period(machine_shifts["shift_date"], start, end)]
    weights = rows["planned_production_minutes"].astype(float)
    return Ratio(float((rows["oee"].astype(float) * weights).sum()), float(weights.sum()))


def oee_components(machine_shifts: pd.DataFrame, start: date, end: date) -> dict[str, float | None]:
    """Availability, performance and quality rolled up as ratios of time sums, so that they multiply to
    the rolled-up ``oee`` (a PPT-weighted mean of each part would not):

    A = Σ runᵢ ÷ Σ PPTᵢ, P = Σ netᵢ ÷ Σ runᵢ, Q = Σ productiveᵢ ÷ Σ netᵢ, with runᵢ = Aᵢ × PPTᵢ,
    netᵢ = runᵢ × Pᵢ and productiveᵢ = netᵢ × Qᵢ = OEEᵢ × PPTᵢ; so A × P × Q = Σ(OEEᵢ × PPTᵢ) ÷ Σ PPTᵢ.
    A missing A or P counts as 0, a missing Q as 1 (as in ``oee``). None where the denominator is 0.
    """
    rows = machine_shifts[_in_period(machine_shifts["shift_date"], start, end)]
    ppt = rows["planned_production_minutes"].astype(float)
    run = ppt * rows["availability"].astype(float).fillna(0.0)
    net = run * rows["performance"].astype(float).fillna(0.0)
    productive = net * rows["quality"].astype(float).fillna(1.0)
    sums = [float(ppt.sum()), float(run.sum()), float(net.sum()), float(productive.sum())]
    return {
        part: (numerator / denominator if denominator else None)
        for part, denominator, numerator in zip(
            ("availability", "performance", "quality"), sums[:3], sums[1:], strict=True
        )
    }


def cost_of_goods_sold(order_lines: pd.DataFrame, start: date, end: date) -> float:
    """COGS = standard cost of the units sold in the period, by order date (company zone).

    A line is sold when its channel status maps to confirmed, shipped or delivered; store returns
    (negative lines) subtract. Pending, cancelled and refunded lines carry no cost, nor do the lines of
    a partial order (``is_partial_order``). Needs ``order_date``,
    ``line_status``, ``quantity`` and ``line_cost_reporting`` of ``fct_order_lines``.
    """
    rows = order_lines[
        _in_period(order_lines["order_date"], start, end) & _complete(order_lines, "is_partial_order")
    ]
    sold = rows["line_status"].isin(SOLD_STATUSES) | (rows["quantity"] < 0)
    return float(rows.loc[sold, "line_cost_reporting"].astype(float).sum())


def cost_of_goods_sold_daily(cogs: pd.DataFrame, start: date, end: date) -> float:
    """``cost_of_goods_sold`` from its sums per order day (``order_date, cogs``, as
    ``kpis.daily.cogs`` sums them)."""
    rows = cogs[_in_period(cogs["order_date"], start, end)]
    return float(rows["cogs"].astype(float).sum())


def average_inventory_value(inventory_daily: pd.DataFrame, start: date, end: date) -> tuple[float, int]:
    """Mean over the days of the period of the total end-of-day inventory value; and how many days.
    Takes the rows of ``fct_inventory_daily`` or their totals per day (``kpis.daily``)."""
    rows = inventory_daily[_in_period(inventory_daily["snapshot_date"], start, end)]
    per_day = rows.groupby("snapshot_date")["inventory_value_reporting"].sum().astype(float)
    return (float(per_day.mean()) if len(per_day) else 0.0), int(len(per_day))


def inventory_days(average_inventory: float, cogs: float, days: int) -> float | None:
    """DIO = average inventory value ÷ COGS × days in the period. None when nothing was sold."""
    if cogs <= 0 or days <= 0:
        return None
    return average_inventory / cogs * days


def inventory_turnover(average_inventory: float, cogs: float) -> float | None:
    """Turnover = COGS ÷ average inventory value."""
    return cogs / average_inventory if average_inventory > 0 else None


def within_band(
    value: float | None, benchmark: float, low_factor: float = 0.8, high_factor: float = 1.2
) -> bool:
    """Inventory days are on target when low_factor × benchmark ≤ value ≤ high_factor × benchmark."""
    if value is None or math.isnan(value):
        return False
    return low_factor * benchmark <= value <= high_factor * benchmark


def target_status(
    value: float | None,
    direction: str,
    target: float | None = None,
    low: float | None = None,
    high: float | None = None,
) -> str:
    """``on_target``, ``off_target`` or ``info`` (no value or no target), for a KPI's status colour.

    ``direction`` comes from the editable targets (seeds/kpi_targets.csv): ``min`` is on target when
    value ≥ target (OTD, OEE), ``max`` when value ≤ target (cycle time, first response), ``band`` when
    low ≤ value ≤ high (inventory days within 0.8–1.2 × the industry benchmark).
    """
    if value is None or math.isnan(value):
        return "info"
    if direction == "band":
        if low is None or high is None or math.isnan(low) or math.isnan(high):
            return "info"
        return "on_target" if low <= value <= high else "off_target"
    if target is None or math.isnan(target) or direction not in ("min", "max"):
        return "info"
    on_target = value >= target if direction == "min" else value <= target
    return "on_target" if on_target else "off_target"
