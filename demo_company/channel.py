"""The skeleton every order channel (shopify, amazon, tmall, social, stores) follows.

A channel generator is `generate(rng, company) -> (ChannelOrders, manifest counts)` and runs the same
steps: sell (`sample_orders`: when orders arrive, which lines and units they hold) → its own buyers and
prices → fulfil (`fulfil`: lifecycle and backorders, from demand.py and backorders.py) → write its files
in its own format → hand the orders over in the common shape (`channel_orders`). Only the buyers, prices
and file format are the channel's own. The order of the random draws is part of the output: moving a
draw from one step to another changes the files.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import backorders
from .catalog import Catalog
from .customers import People
from .demand import (
    SERVICE_LEVEL_DAYS,
    ChannelOrders,
    Fulfilment,
    Lifecycle,
    sample_lines,
    sample_order_times,
    sample_qty,
    simulate_lifecycle,
    sku_weights,
)
from .output import Output
from .window import Window

LINE_COLUMNS = ["order", "line_no", "sku", "qty", "unit_price"]


@dataclass(frozen=True)
class Company:
    """What every channel generator reads and writes to: the inputs one generation shares."""

    window: Window
    catalog: Catalog
    people: People
    scale: float
    out: Output
    shortages: backorders.Shortages


@dataclass(frozen=True)
class Basket:
    """How a channel's orders look: how many a year, lines per order, units per line, which SKUs and price.

    `rhythm` is demand.py's name for the channel's order times; `qty_p` / `price` None leave the units or
    the price to the channel (store orders draw them per account)."""

    rhythm: str
    per_year: int
    lines_p: tuple[float, ...]
    qty_p: tuple[float, ...] | None = None
    price: str | None = None  # the catalogue column of the unit price
    tilt: dict[str, float] | None = None  # popularity factor per product family
    assortment: str | None = None  # the catalogue column saying which SKUs the channel lists
    minimum: int = 5  # orders, however small the scale


def order_count(per_year: int, scale: float, minimum: int = 5) -> int:
    return max(int(round(per_year * scale)), minimum)


def sample_orders(
    rng: np.random.Generator, company: Company, basket: Basket
) -> tuple[np.ndarray, pd.DataFrame]:
    """The channel's year of orders: times (UTC, sorted) and lines (order, sku, line_no, qty, unit_price;
    the last two when the basket draws them)."""
    catalog = company.catalog
    p = catalog.products
    n = order_count(basket.per_year, company.scale, basket.minimum)
    ordered_at = sample_order_times(rng, company.window, basket.rhythm, n)
    assortment = None if basket.assortment is None else p[basket.assortment].to_numpy()
    weights = sku_weights(catalog, basket.rhythm, rng, assortment=assortment, tilt=basket.tilt)
    lines = sample_lines(rng, catalog, ordered_at, weights, basket.lines_p)
    if basket.qty_p is not None:
        lines["qty"] = sample_qty(rng, len(lines), basket.qty_p)
    if basket.price is not None:
        lines["unit_price"] = p[basket.price].to_numpy()[lines["sku"]]
    return ordered_at, lines


def promise(window: Window, channel: str, ordered_at: np.ndarray) -> np.ndarray:
    """Day index of the promised delivery: the order day plus the channel's service level."""
    return window.day_index(ordered_at) + SERVICE_LEVEL_DAYS[channel]


def fulfil(
    rng: np.random.Generator,
    company: Company,
    channel: str,
    ordered_at: np.ndarray,
    promised_day: np.ndarray,
    lines: pd.DataFrame,
    spec: Fulfilment,
    *,
    warehouse: np.ndarray | None = None,
    b2b: np.ndarray | None = None,
    made_to_order: np.ndarray | None = None,
    **timing: np.ndarray,
) -> tuple[Lifecycle, backorders.Split]:
    """Each order's payment, shipping, delivery, cancellation and return, and the orders that leave in two
    parts. `warehouse`: the DC of each order (default: drawn from `spec`); made-to-order orders ship from
    WH-SH, where the plant delivers. `timing`: simulate_lifecycle's ready_at / paid_at / cancelled."""
    window = company.window
    life = simulate_lifecycle(rng, window, ordered_at, promised_day, spec, **timing)
    if warehouse is not None:
        life.warehouse[:] = warehouse
    if made_to_order is not None:
        life.warehouse[made_to_order] = "WH-SH"
    return backorders.plan(
        company.shortages, channel, window, lines, life, spec, b2b=b2b, made_to_order=made_to_order
    )


def channel_orders(
    channel: str,
    lines: pd.DataFrame,
    life: Lifecycle,
    split: backorders.Split,
    *,
    order_id: np.ndarray,
    ordered_at: np.ndarray,
    promised: np.ndarray,
    tracking_no: np.ndarray,
    contact_email: np.ndarray | str,
    contact_phone: np.ndarray | str,
    customer: np.ndarray,
    tier: np.ndarray | str = "",
    b2b: np.ndarray | bool = False,
    **extra: np.ndarray,
) -> ChannelOrders:
    """The channel's orders in the common shape (demand.ChannelOrders): `promised` as dates, `extra`
    columns after the common ones."""
    orders = pd.DataFrame(
        {
            "order_id": order_id,
            "ordered_at": ordered_at,
            "paid_at": life.paid_at,
            "shipped_at": life.shipped_at,
            "delivered_at": life.delivered_at,
            "cancelled_at": life.cancelled_at,
            "returned_at": life.returned_at,
            "promised": promised,
            "warehouse": life.warehouse,
            "carrier": life.carrier,
            "tracking_no": tracking_no,
            "contact_email": contact_email,
            "contact_phone": contact_phone,
            "customer": customer,
            "tier": tier,
            "b2b": b2b,
            **extra,
        }
    )
    kept = lines[LINE_COLUMNS + (["mto"] if "mto" in lines else [])]
    return ChannelOrders(channel, orders, kept, split)
