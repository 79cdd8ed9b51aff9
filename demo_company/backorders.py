"""Backorders: orders that leave the warehouse in two parts because a SKU was short when they were picked.

At picking time a line of a multi-line or multi-unit order can find too little stock: the first shipment
leaves with what there is (the line missing, or part of its quantity) and a backorder shipment follows
2-7 days later, from the same DC or the other one, with its own carrier tracking number. A few split
orders never get the rest: it is cancelled and refunded (`closed`), so the order ends short.

Who runs short: each line's chance grows with the SKU's stock risk (the SKUs the stock policy plans too
tightly, see inventory.py, run out far more often) and with the channel's demand peak on the picking day
(festival weeks empty the shelves). Made-to-order orders wait for production and ship complete; a single
unit of a one-line order cannot be split. Marketplace buyers (web shop, Amazon, Tmall) are refunded a
whole missing line; B2B accounts also accept part of a line's quantity as final.

The shortage is drawn, not read from the simulated stock: the stock is replayed afterwards from these
very shipments (wms.build_flows, inventory.py), so a snapshot can still show some stock of a SKU at the DC
on the day a line of it was short (backordered lines find less stock than the average line, not none).

Every draw comes from the channel's own `backorders-<channel>` stream, so the channels' other data do not
move when the rates here are tuned. Times are planned (not cut at the snapshot): callers cut them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from .demand import NAT, Fulfilment, Lifecycle, intensity, tracking_numbers
from .window import DAY_S, HOUR_S, Window, rng_for

# Chance that a line finds its SKU short at picking, for a SKU of ordinary stock risk outside peaks.
# Tuned so the fill rate by units lands around 96 % (B2B lines are large: one short line costs many units).
LINE_SHORT_RATE = {"shopify": 0.02, "amazon": 0.018, "tmall": 0.02, "social": 0.019, "stores": 0.023}
# SKUs planned too tightly (inventory.Policy.tight) are out of stock at the end of 20-40 % of days; with
# this factor about a quarter of their lines run short.
TIGHT_SKU_FACTOR = 10.0
PEAK_CAP = 3.0  # the demand-peak multiplier is capped here (Double 11 is 9x a normal day)
MULTI_UNIT_FACTOR = 1.5  # a line of 2+ units is likelier to find too few on the shelf
# Of the split orders that may end short (see above), this many do: about 1 % of the shipped orders. The
# marts judge "in full" on what was finally delivered, so OTIF sits about that much below OTD.
END_SHORT_SHARE = 0.4
BACKORDER_DAYS = (2, 7)  # the backorder ships this many days after the first shipment (inclusive)
OTHER_DC_SHARE = 0.35  # backorders shipped from the other DC, where the stock was
OTHER_CARRIER_SHARE = 0.2
DCS = ("WH-SH", "WH-GZ")
_CHANNEL_RHYTHM = {"stores": "stores_orders"}  # demand.intensity's name for the store orders


@dataclass(frozen=True)
class Shortages:
    """Where stock runs short: a stock-risk weight per SKU, and the seed for each channel's stream."""

    seed: int
    sku_weight: np.ndarray  # (S,) relative chance that a line of the SKU finds it short

    @classmethod
    def from_policy(cls, seed: int, tight: np.ndarray) -> Shortages:
        return cls(seed, np.where(np.asarray(tight, bool), TIGHT_SKU_FACTOR, 1.0))

    def rng(self, channel: str) -> np.random.Generator:
        return rng_for(self.seed, f"backorders-{channel}")


@dataclass
class Split:
    """How each order's lines leave the warehouse. Per line: units on the first shipment, on the backorder,
    never shipped. Per order (planned; NaT = never): the first shipment, the backorder, the cancellation of
    the rest."""

    line_order: np.ndarray  # (L,) row of the order
    first_qty: np.ndarray  # (L,)
    back_qty: np.ndarray  # (L,)
    short_qty: np.ndarray  # (L,)
    first_shipped: np.ndarray  # (N,)
    first_delivered: np.ndarray  # (N,)
    back_shipped: np.ndarray  # (N,)
    back_delivered: np.ndarray  # (N,)
    back_warehouse: np.ndarray  # (N,) object, '' without a backorder
    back_carrier: np.ndarray  # (N,) object, '' without a backorder
    back_tracking: np.ndarray  # (N,) object, '' without a backorder
    closed: np.ndarray  # (N,) when the rest was cancelled and refunded

    @property
    def is_split(self) -> np.ndarray:
        """Orders whose first shipment leaves something behind."""
        return ~np.isnat(self.back_shipped) | ~np.isnat(self.closed)

    def shipped_units(self, at: np.datetime64) -> np.ndarray:
        """Units of each line shipped by `at`."""
        o = self.line_order
        first = ~np.isnat(self.first_shipped) & (self.first_shipped <= at)
        back = ~np.isnat(self.back_shipped) & (self.back_shipped <= at)
        return np.where(first[o], self.first_qty, 0) + np.where(back[o], self.back_qty, 0)

    def closed_by(self, at: np.datetime64) -> np.ndarray:
        return ~np.isnat(self.closed) & (self.closed <= at)

    def waiting(self, at: np.datetime64) -> np.ndarray:
        """Orders partly shipped at `at`: the first shipment left, the rest neither shipped nor cancelled."""
        first = ~np.isnat(self.first_shipped) & (self.first_shipped <= at)
        back_done = ~np.isnat(self.back_shipped) & (self.back_shipped <= at)
        return first & self.is_split & ~back_done & ~self.closed_by(at)


def plan(
    shortages: Shortages,
    channel: str,
    window: Window,
    lines: pd.DataFrame,
    life: Lifecycle,
    spec: Fulfilment,
    *,
    b2b: np.ndarray | None = None,
    made_to_order: np.ndarray | None = None,
) -> tuple[Lifecycle, Split]:
    """Split the orders that find a SKU short; returns the lifecycle with the order's delivery and return
    moved to its completion, and the split.

    lines: order, line_no, sku, qty. b2b / made_to_order: per order (default: none).
    """
    rng = shortages.rng(channel)
    n, n_l = len(life.paid_at), len(lines)
    b2b = np.zeros(n, bool) if b2b is None else np.asarray(b2b, bool)
    mto = np.zeros(n, bool) if made_to_order is None else np.asarray(made_to_order, bool)
    o = lines["order"].to_numpy()
    sku = lines["sku"].to_numpy()
    qty = lines["qty"].to_numpy().astype(np.int64)
    ship1 = np.asarray(life.planned["shipped_at"], dtype="datetime64[s]")
    deliv1 = np.asarray(life.planned["delivered_at"], dtype="datetime64[s]")
    n_lines = np.bincount(o, minlength=n)

    # Which line runs short (at most one per order).
    ships = ~np.isnat(ship1) & ~mto
    pick_day = window.day_index(np.where(ships, ship1, window.start_utc))
    peak = _peak(window, channel, pick_day)
    p = (
        LINE_SHORT_RATE[channel]
        * shortages.sku_weight[sku]
        * peak[o]
        * np.where(qty >= 2, MULTI_UNIT_FACTOR, 1.0)
    )
    can = ships[o] & ((n_lines[o] >= 2) | (qty >= 2))
    short = can & (rng.random(n_l) < p)
    short &= ~pd.Series(np.where(short, o, -1)).duplicated().to_numpy()
    whole = short & (n_lines[o] >= 2) & ((qty == 1) | (rng.random(n_l) < 0.5))
    part = np.clip(np.floor(qty * rng.uniform(0.2, 0.9, n_l)).astype(np.int64), 1, np.maximum(qty - 1, 1))
    first_qty = np.where(short, np.where(whole, 0, part), qty)
    rest = qty - first_qty

    # Which split orders end short: a marketplace refunds a whole missing line, B2B also part of one.
    split = np.bincount(o[short], minlength=n) > 0
    whole_order = np.bincount(o[whole], minlength=n) > 0
    ends_short = split & (b2b | whole_order) & (rng.random(n) < END_SHORT_SHARE)
    backordered = split & ~ends_short

    lo, hi = BACKORDER_DAYS
    day1 = window.day_index(np.where(split, ship1, window.start_utc))
    ship2 = window.utc_at(day1 + rng.integers(lo, hi + 1, n), rng.integers(10 * HOUR_S, 19 * HOUR_S, n))
    # the backorder travels about as long as the first parcel did (same route, maybe another carrier)
    transit1 = np.where(split, deliv1 - ship1, np.timedelta64(0, "s")).astype(np.int64)
    transit2 = np.maximum(transit1 * rng.uniform(0.8, 1.2, n), 6 * HOUR_S).astype(np.int64)
    deliv2 = ship2 + transit2.astype("timedelta64[s]")
    closed = ship1 + (rng.uniform(lo, hi, n) * DAY_S).astype(np.int64).astype("timedelta64[s]")
    same_dc = rng.random(n) >= OTHER_DC_SHARE
    other_dc = np.where(life.warehouse == DCS[0], DCS[1], DCS[0])
    names = np.array([c.name for c in spec.carriers], dtype=object)
    shares = np.array([c.share for c in spec.carriers])
    other_carrier = names[rng.choice(len(names), n, p=shares / shares.sum())]
    carrier2 = np.where(rng.random(n) < OTHER_CARRIER_SHARE, other_carrier, life.carrier).astype(object)
    tracking2 = np.full(n, "", dtype=object)
    tracking2[backordered] = tracking_numbers(rng, carrier2[backordered])

    result = Split(
        line_order=o,
        first_qty=first_qty,
        back_qty=np.where(backordered[o], rest, 0),
        short_qty=np.where(ends_short[o], rest, 0),
        first_shipped=ship1,
        first_delivered=deliv1,
        back_shipped=np.where(backordered, ship2, NAT),
        back_delivered=np.where(backordered, deliv2, NAT),
        back_warehouse=np.where(backordered, np.where(same_dc, life.warehouse, other_dc), "").astype(object),
        back_carrier=np.where(backordered, carrier2, "").astype(object),
        back_tracking=tracking2,
        closed=np.where(ends_short, closed, NAT),
    )
    return _complete(window, life, result), result


def _peak(window: Window, channel: str, day: np.ndarray) -> np.ndarray:
    """The channel's demand on each day relative to its median day, between 1 and PEAK_CAP."""
    name = _CHANNEL_RHYTHM.get(channel, channel)
    days = window.start_day + np.arange(window.n_days + 60).astype("timedelta64[D]")
    level = intensity(days, name, window)
    rel = np.clip(level / np.median(level[: window.n_days]), 1.0, PEAK_CAP)
    return rel[np.clip(day, 0, len(rel) - 1)]


def _complete(window: Window, life: Lifecycle, split: Split) -> Lifecycle:
    """The order is delivered when its last part arrives (or, ending short, when the rest is cancelled);
    a return comes that much later too."""
    deliv1 = split.first_delivered
    done = np.where(~np.isnat(split.back_delivered), np.fmax(split.back_delivered, deliv1), deliv1)
    done = np.where(~np.isnat(split.closed), np.fmax(split.closed, deliv1), done)
    ret = np.asarray(life.planned["returned_at"], dtype="datetime64[s]")
    ret = np.where(np.isnat(ret), NAT, done + (ret - deliv1))
    snap = window.snapshot_utc
    planned = dict(life.planned, delivered_at=done, returned_at=ret)
    return replace(
        life,
        delivered_at=np.where(done < snap, done, NAT),
        returned_at=np.where(ret < snap, ret, NAT),
        planned=planned,
    )
