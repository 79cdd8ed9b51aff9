"""The shared demand and order-lifecycle simulation every channel module builds on.

A channel module decides *what its file looks like*; this module decides *what happened*: when orders
arrive (weekly rhythm, shopping festivals, growth), which SKUs they contain (long tail, category seasons),
and when each order was paid, shipped, delivered, cancelled or returned. All of it is vectorised over
orders and lines so `scale` can grow to millions of lines.

Times are numpy `datetime64[s]` in UTC. An event that happens after the snapshot (`as_of` 00:00 Shanghai)
has not happened yet and is NaT.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .catalog import Catalog
from .window import DAY_S, HOUR_S, Window, black_friday, month_day, spring_festival, weekday_of

if TYPE_CHECKING:
    from .backorders import Split

NAT = np.datetime64("NaT", "s")

US_CHANNELS = ("shopify", "amazon")
# Channel service levels (days from order date to promised delivery), as in the pipeline's seed.
SERVICE_LEVEL_DAYS = {"shopify": 7, "amazon": 5, "tmall": 4, "social": 7, "stores": 5}

_WEEKDAY = {
    "shopify": (1.1, 1.05, 1.0, 1.0, 0.95, 0.9, 1.0),
    "amazon": (1.05, 1.0, 1.0, 1.0, 0.95, 0.95, 1.05),
    "tmall": (0.95, 0.95, 0.95, 1.0, 1.0, 1.1, 1.1),
    "social": (1.15, 1.1, 1.1, 1.05, 1.0, 0.8, 0.7),
    "stores_pos": (0.8, 0.8, 0.85, 0.9, 1.0, 1.45, 1.4),
    "stores_orders": (1.1, 1.1, 1.1, 1.1, 1.0, 0.8, 0.5),
}
_GROWTH = {
    "shopify": 0.25,
    "amazon": 0.2,
    "tmall": 0.2,
    "social": 0.4,
    "stores_pos": 0.05,
    "stores_orders": 0.1,
}

_CN_HOURS = np.array(
    [3, 1.5, 0.8, 0.5, 0.4, 0.5, 1, 2, 3.5, 5, 6, 6, 5, 5, 5.5, 5.5, 5, 4.5, 4.5, 5, 6.5, 7.5, 7, 5],
    dtype=float,
)
_US_LOCAL_HOURS = np.array(
    [2, 1, 0.6, 0.4, 0.4, 0.6, 1.5, 3, 4, 5, 5.5, 5.5, 5.5, 5, 5, 5, 5, 5, 5.5, 6.5, 7, 6.5, 5, 3.5],
    dtype=float,
)
_STORE_HOURS = np.array([0] * 10 + [3, 5, 6, 5, 5, 5.5, 6, 6.5, 7, 7, 6, 4] + [0, 0], dtype=float)
_OFFICE_HOURS = np.array(
    [0.2] * 8 + [2, 5, 6, 5.5, 3, 5, 6, 6, 5.5, 4, 2.5, 2, 1.5, 1, 0.6, 0.3], dtype=float
)
HOURS = {
    "shopify": np.roll(_US_LOCAL_HOURS, 13),  # New York evening = Shanghai morning
    "amazon": np.roll(_US_LOCAL_HOURS, 13),
    "tmall": _CN_HOURS,
    "social": _OFFICE_HOURS * 0.6 + _CN_HOURS * 0.4,
    "stores_pos": _STORE_HOURS,
    "stores_orders": np.where(_STORE_HOURS > 0, _OFFICE_HOURS + 1, 0),
}


def _festival_factor(days: np.ndarray, channel: str) -> np.ndarray:
    """Shopping festivals and holidays, computed for any dates (history or forecast horizon)."""
    f = np.ones(len(days))
    years = sorted({int(str(d)[:4]) for d in (days[0], days[-1])})
    years = list(range(years[0] - 1, years[-1] + 2))

    def span(a, b, factor):
        m = (days >= np.datetime64(a, "D")) & (days <= np.datetime64(b, "D"))
        f[m] *= factor

    for y in years:
        sf = spring_festival(y)
        d = timedelta
        if channel in ("tmall", "social", "stores_pos", "stores_orders"):
            span(sf - d(days=9), sf - d(days=3), 0.8 if channel != "stores_pos" else 1.5)
            span(sf - d(days=2), sf + d(days=6), 0.35 if channel != "stores_pos" else 0.6)
        if channel == "tmall":
            span(f"{y}-11-01", f"{y}-11-10", 2.0)
            span(f"{y}-11-11", f"{y}-11-11", 9.0)
            span(f"{y}-11-12", f"{y}-11-13", 1.5)
            span(f"{y}-06-01", f"{y}-06-17", 1.6)
            span(f"{y}-06-18", f"{y}-06-18", 4.5)
            span(f"{y}-12-12", f"{y}-12-12", 2.5)
        if channel == "social":
            span(f"{y}-11-01", f"{y}-11-11", 1.6)
            span(f"{y}-06-10", f"{y}-06-18", 1.3)
        if channel == "stores_pos":
            span(f"{y}-10-01", f"{y}-10-07", 1.8)
            span(f"{y}-11-11", f"{y}-11-11", 1.4)
        if channel in ("shopify", "amazon"):
            bf = black_friday(y)
            span(bf - d(days=7), bf + d(days=10), 1.6)
            span(bf, bf, 4.0 if channel == "shopify" else 3.5)
            span(bf + d(days=3), bf + d(days=3), 3.5 if channel == "shopify" else 3.0)
            span(bf + d(days=4), date(y, 12, 20), 1.5)
            span(f"{y}-12-21", f"{y}-12-26", 0.8)
            span(f"{y}-01-01", f"{y}-01-31", 0.85)
        if channel == "amazon":
            july = np.datetime64(f"{y}-07-01", "D")
            tue = july + ((1 - int(weekday_of(np.array([july]))[0])) % 7) + 7  # second Tuesday of July
            span(str(tue), str(tue + 1), 4.0)
            october = np.datetime64(f"{y}-10-01", "D")
            tue = october + ((1 - int(weekday_of(np.array([october]))[0])) % 7) + 7
            span(str(tue), str(tue + 1), 2.0)
    return f


def intensity(days: np.ndarray, channel: str, window: Window) -> np.ndarray:
    """Relative order rate per day: weekday rhythm x festivals x growth (same function for the forecast)."""
    days = np.asarray(days, dtype="datetime64[D]")
    # US shoppers' busiest hours (their evening) fall on the next Shanghai day: shift their calendar.
    local = days - 1 if channel in US_CHANNELS else days
    wd = np.array(_WEEKDAY[channel])[weekday_of(local)]
    t = (days - window.start_day).astype(np.int64) / 365.0
    return wd * _festival_factor(local, channel) * np.exp(_GROWTH[channel] * t)


def sample_order_times(rng: np.random.Generator, window: Window, channel: str, n: int) -> np.ndarray:
    """n order timestamps (UTC, sorted) inside the history window, following the channel's intensity."""
    w = intensity(window.days, channel, window)
    day = rng.choice(window.n_days, n, p=w / w.sum())
    hours = HOURS[channel]
    hour = rng.choice(24, n, p=hours / hours.sum())
    secs = hour * HOUR_S + rng.integers(0, HOUR_S, n)
    return np.sort(window.utc_at(day, secs))


def sku_weights(
    catalog: Catalog,
    channel: str,
    rng: np.random.Generator,
    assortment: np.ndarray | None = None,
    tilt: dict[str, float] | None = None,
) -> np.ndarray:
    """Channel popularity of each SKU: the catalogue's long tail, a channel tilt per family, some noise."""
    p = catalog.products
    w = p["popularity"].to_numpy() * rng.lognormal(0.0, 0.35, len(p))
    for family, factor in (tilt or {}).items():
        w = np.where(p["family"] == family, w * factor, w)
    if assortment is not None:
        w = np.where(assortment, w, 0.0)
    return w / w.sum()


def sample_lines(
    rng: np.random.Generator,
    catalog: Catalog,
    ordered_at: np.ndarray,
    weights: np.ndarray,
    lines_p: tuple[float, ...],
) -> pd.DataFrame:
    """Order lines (order, line_no, sku): 1-4 distinct SKUs per order, seasonal by category."""
    n = len(ordered_at)
    k = rng.choice(np.arange(1, len(lines_p) + 1), n, p=np.array(lines_p) / sum(lines_p))
    order = np.repeat(np.arange(n), k)
    month = (ordered_at.astype("datetime64[M]").astype(np.int64) % 12) + 1
    line_month = month[order]
    sku = np.empty(len(order), dtype=np.int64)
    season = catalog.season_factor(np.arange(1, 13))  # 12 x n_sku
    for m in np.unique(line_month):
        sel = line_month == m
        w = weights * season[m - 1]
        sku[sel] = rng.choice(len(w), int(sel.sum()), p=w / w.sum())
    lines = pd.DataFrame({"order": order, "sku": sku})
    lines = lines.loc[~lines.duplicated(["order", "sku"])].reset_index(drop=True)
    lines["line_no"] = lines.groupby("order").cumcount() + 1
    return lines


def sample_qty(rng: np.random.Generator, n: int, probs: tuple[float, ...]) -> np.ndarray:
    p = np.array(probs, dtype=float)
    return rng.choice(np.arange(1, len(p) + 1), n, p=p / p.sum())


def bulk_qty(rng: np.random.Generator, n: int, median: float, lo: int, hi: int) -> np.ndarray:
    """Wholesale quantities: log-normal around a median, rounded to packs of 5 above 20."""
    q = np.clip(np.round(rng.lognormal(np.log(median), 0.7, n)), lo, hi).astype(np.int64)
    return np.where(q > 20, (q // 5) * 5, q)


@dataclass(frozen=True)
class Carrier:
    name: str
    share: float
    late_factor: float  # multiplies the probability that a parcel misses its promised date
    min_transit_days: int


@dataclass(frozen=True)
class Fulfilment:
    """What the warehouse and the carriers do for one channel."""

    carriers: tuple[Carrier, ...]
    warehouses: tuple[tuple[str, float], ...]
    late_base: float  # share of deliveries missing the promise outside peak weeks
    cancel_rate: float
    # Share of cancellations that happen before any payment (Tmall auto-close, voided authorisations).
    cancel_unpaid_share: float
    return_rate: float
    pay_minutes: float  # median minutes from order to payment
    late_pay_share: float = 0.02  # share paying hours to days later
    overseas: bool = False


def late_pressure(days: np.ndarray, overseas: bool) -> np.ndarray:
    """Weeks when many parcels arrive late: festivals' logistics peaks, Spring Festival, storms."""
    f = np.ones(len(days))
    years = range(int(str(days.min())[:4]) - 1, int(str(days.max())[:4]) + 2)

    def span(a, b, factor):
        m = (days >= np.datetime64(a, "D")) & (days <= np.datetime64(b, "D"))
        f[m] *= factor

    for y in years:
        if overseas:
            bf = np.datetime64(black_friday(y), "D")
            span(str(bf), str(bf + 21), 3.2)
            span(f"{y}-01-19", f"{y}-01-26", 4.0)  # winter storm on the US east coast
            span(f"{y}-07-10", f"{y}-07-18", 2.0)
        else:
            sf = np.datetime64(spring_festival(y), "D")
            span(str(sf - 10), str(sf + 8), 4.5)
            span(f"{y}-11-09", f"{y}-11-18", 4.0)
            span(f"{y}-06-16", f"{y}-06-22", 2.5)
            span(f"{y}-09-14", f"{y}-09-20", 3.0)  # typhoon week in the south
    return f


@dataclass
class Lifecycle:
    paid_at: np.ndarray
    cancelled_at: np.ndarray
    shipped_at: np.ndarray
    delivered_at: np.ndarray
    returned_at: np.ndarray
    carrier: np.ndarray
    warehouse: np.ndarray
    planned: dict  # the same events before truncation at the snapshot (for earlier export copies)


def simulate_lifecycle(
    rng: np.random.Generator,
    window: Window,
    ordered_at: np.ndarray,
    promised_day: np.ndarray,
    spec: Fulfilment,
    *,
    ready_at: np.ndarray | None = None,
    paid_at: np.ndarray | None = None,
    cancelled: np.ndarray | None = None,
) -> Lifecycle:
    """Payment, cancellation, shipping, delivery and return times for each order.

    Deliveries are drawn against the promised date: most land between the earliest feasible day and the
    promise, a few (more in peak weeks, more with the slow carrier) land 1-10 days after it.
    `paid_at` replaces the drawn payment times; `ready_at` (NaT = never) replaces "ready to ship once
    paid" (store orders wait for the invoice, B2B accounts on credit ship before paying).
    """
    n = len(ordered_at)
    snap = window.snapshot_utc
    if cancelled is None:
        cancelled = rng.random(n) < spec.cancel_rate
    paid, cancel_at = _payment(rng, spec, ordered_at, cancelled, paid_at)

    ready = paid if ready_at is None else np.asarray(ready_at, dtype="datetime64[s]")
    carrier_idx = rng.choice(len(spec.carriers), n, p=_norm([c.share for c in spec.carriers]))
    carrier_late = np.array([c.late_factor for c in spec.carriers])[carrier_idx]
    min_transit = np.array([c.min_transit_days for c in spec.carriers])[carrier_idx]
    wh_idx = rng.choice(len(spec.warehouses), n, p=_norm([w[1] for w in spec.warehouses]))

    od = window.day_index(ordered_at)
    ready_ok = np.where(np.isnat(ready), ordered_at, ready)
    rd = window.day_index(ready_ok)
    pdays = np.asarray(promised_day, dtype=np.int64)
    day_dates = window.start_day + np.clip(rd, 0, None).astype("timedelta64[D]")
    p_late = spec.late_base * carrier_late * late_pressure(day_dates, spec.overseas)
    if "WH-GZ" in [w[0] for w in spec.warehouses]:
        gz = np.array([w[0] for w in spec.warehouses])[wh_idx] == "WH-GZ"
        p_late = np.where(gz & _in_typhoon(day_dates), p_late * 1.5, p_late)
    late = rng.random(n) < np.clip(p_late, 0, 0.9)
    lo = np.maximum(rd, od) + min_transit
    hi = pdays
    span = np.maximum(hi - lo + 1, 1)
    on_time_day = lo + np.floor(rng.beta(2.0, 2.6, n) * span).astype(np.int64)
    late_day = np.maximum(hi, lo - 1) + 1 + np.minimum(rng.geometric(0.42, n) - 1, 9)
    dd = np.where(late | (lo > hi), late_day, np.minimum(on_time_day, np.maximum(hi, lo)))
    lag = rng.choice([0, 1, 2], n, p=[0.5, 0.38, 0.12])
    sd = np.maximum(np.minimum(rd + lag, dd - min_transit), rd)

    ship = window.utc_at(sd, rng.integers(10 * HOUR_S, 19 * HOUR_S, n))
    ship = np.where(
        ship <= ready_ok, ready_ok + rng.integers(1800, 3 * HOUR_S, n).astype("timedelta64[s]"), ship
    )
    deliv = window.utc_at(dd, rng.integers(9 * HOUR_S, 21 * HOUR_S, n))
    too_soon = deliv < ship + np.timedelta64(6 * HOUR_S, "s")
    deliv = np.where(
        too_soon, ship + rng.integers(6 * HOUR_S, 20 * HOUR_S, n).astype("timedelta64[s]"), deliv
    )

    shipped_plan = np.where(cancelled | np.isnat(ready), NAT, ship)
    delivered_plan = np.where(np.isnat(shipped_plan), NAT, deliv)
    returned = (rng.random(n) < spec.return_rate) & ~np.isnat(delivered_plan)
    ret = np.where(
        returned, delivered_plan + rng.uniform(2 * DAY_S, 20 * DAY_S, n).astype("timedelta64[s]"), NAT
    )
    planned = dict(
        paid_at=paid,
        cancelled_at=cancel_at,
        shipped_at=shipped_plan,
        delivered_at=delivered_plan,
        returned_at=ret,
    )
    cut = {k: np.where(v < snap, v, NAT) for k, v in planned.items()}
    carriers = np.array([c.name for c in spec.carriers], dtype=object)[carrier_idx]
    warehouses = np.array([w[0] for w in spec.warehouses], dtype=object)[wh_idx]
    return Lifecycle(carrier=carriers, warehouse=warehouses, planned=planned, **cut)


def _payment(
    rng: np.random.Generator,
    spec: Fulfilment,
    ordered_at: np.ndarray,
    cancelled: np.ndarray,
    paid_at: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Payment (minutes after the order, a few hours to days late; none for an order cancelled unpaid)
    and cancellation times (NaT = never). `paid_at` replaces the drawn payments (the draws still happen)."""
    n = len(ordered_at)
    delay = rng.lognormal(np.log(max(spec.pay_minutes, 0.1) * 60), 0.8, n)
    slow = rng.random(n) < spec.late_pay_share
    delay = np.where(slow, rng.uniform(2 * HOUR_S, 3 * DAY_S, n), delay)
    paid = ordered_at + delay.astype("timedelta64[s]")
    unpaid_cancel = cancelled & (rng.random(n) < spec.cancel_unpaid_share)
    paid = np.where(unpaid_cancel, NAT, paid)
    if paid_at is not None:
        paid = np.asarray(paid_at, dtype="datetime64[s]")
    base = np.where(np.isnat(paid), ordered_at, paid)
    cancel_at = np.where(cancelled, base + rng.uniform(600, 36 * HOUR_S, n).astype("timedelta64[s]"), NAT)
    return paid, cancel_at


def _in_typhoon(days: np.ndarray) -> np.ndarray:
    month, dom = month_day(days)
    return (month == 9) & (dom >= 14) & (dom <= 20)


_TRACKING = {  # carrier: (prefix, digits)
    "DHL Express": ("", 10),
    "FedEx": ("", 12),
    "UPS": ("1ZW38", 11),
    "YunExpress": ("YUN", 12),
    "USPS": ("9400", 18),
    "SF Express": ("SF", 13),
    "ZTO": ("7", 14),
    "YTO": ("YT", 13),
    "Yunda": ("43", 13),
    "JD Logistics": ("JDVA", 11),
    "Deppon": ("DPK", 12),
}


def tracking_numbers(rng: np.random.Generator, carriers: np.ndarray) -> np.ndarray:
    """Carrier-shaped tracking numbers (prefix + digits)."""
    carriers = np.asarray(carriers, dtype=object)
    out = np.empty(len(carriers), dtype=object)
    for name in sorted(set(carriers.tolist())):
        m = carriers == name
        prefix, width = _TRACKING[name]
        hi = rng.integers(10 ** (min(width, 9) - 1), 10 ** min(width, 9), int(m.sum()))
        lo = rng.integers(0, 10 ** max(width - 9, 1), int(m.sum()))
        digits = [f"{a}{b:0{max(width - 9, 1)}d}"[:width] for a, b in zip(hi, lo, strict=True)]
        out[m] = [prefix + d for d in digits]
    return out


def _norm(w: list[float]) -> np.ndarray:
    a = np.asarray(w, dtype=float)
    return a / a.sum()


MTO_MIN_QTY = 90  # bulk B2B lines of plant-made SKUs at least this large are made to order


MTO_SCALE_CAP = 32.0  # the plant takes the make-to-order work of a company at most this many demos big


def made_to_order(
    catalog: Catalog,
    sku: np.ndarray,
    qty: np.ndarray,
    b2b: np.ndarray,
    order: np.ndarray | None = None,
    scale: float = 1.0,
) -> np.ndarray:
    """Lines the plant makes for the order (a linked production order) instead of shipping from stock.

    The plant (19 machines) does not grow with the company: above MTO_SCALE_CAP x the demo's volume only
    a share MTO_SCALE_CAP / scale of the orders, picked by a hash of their index (no random draw, so
    smaller scales are unchanged), goes to the plant; the rest is bought in and ships from stock."""
    make = catalog.products["make"].to_numpy()[np.asarray(sku, dtype=np.int64)]
    mto = make & np.asarray(b2b, bool) & (np.asarray(qty) >= MTO_MIN_QTY)
    if scale > MTO_SCALE_CAP and order is not None:
        mixed = (np.asarray(order, dtype=np.uint64) * np.uint64(2654435761)) % np.uint64(1 << 32)
        mto &= mixed.astype(np.float64) / float(1 << 32) < MTO_SCALE_CAP / scale
    return mto


def mto_timing(
    rng: np.random.Generator,
    ordered_at: np.ndarray,
    has_mto: np.ndarray,
    od: np.ndarray,
    promised_days: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Orders waiting for production: a later promise, shipping after the goods are made.

    Returns (promised day index, earliest ship time or NaT, production due time or NaT)."""
    n = len(ordered_at)
    promised = np.where(has_mto, od + rng.integers(18, 29, n), promised_days)
    made = ordered_at + (rng.uniform(12, 17, n) * DAY_S).astype("timedelta64[s]")
    ship_from = np.where(has_mto, made, NAT)
    due = np.where(has_mto, made - np.timedelta64(6 * HOUR_S, "s"), NAT)
    return promised, ship_from, due


def money(x: np.ndarray) -> np.ndarray:
    return np.round(np.asarray(x, dtype=float) + 1e-9, 2)


@dataclass
class ChannelOrders:
    """One channel's orders in a common shape, for the WMS, inventory, production and CS modules.

    orders: order_id (as the channel writes it), ordered_at, paid_at, shipped_at, delivered_at,
            cancelled_at, returned_at (UTC, NaT = not by the snapshot), promised (datetime64[D]),
            warehouse, carrier, tracking_no, contact_email, contact_phone, customer, tier, b2b
            (social and stores also: mto_due, when the order waits for a linked production order)
    lines:  order (row of `orders`), line_no, sku (catalogue index), qty, unit_price (channel currency)
            (social and stores also: mto, the line is made to order)
    split:  how the lines leave the warehouse (first shipment, backorder, never shipped; backorders.py).
            `orders.shipped_at` is the first shipment, `delivered_at` the order's completion.
    """

    channel: str
    orders: pd.DataFrame
    lines: pd.DataFrame
    split: Split
