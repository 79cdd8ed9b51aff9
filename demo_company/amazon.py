"""Amazon.com: Seller Central "All Orders Report" flat files (tab-separated, UTC, no buyer contact).

Monthly report windows overlap by three days. An order in the overlap appears in both reports: the
earlier report shows the status it had when that report was pulled (right after its window closed), the
later one the status at the snapshot, with a newer `last-updated-date`. An order shipped in two parts is
`PartiallyShipped` until its backorder leaves (its waiting items `Unshipped`); the items never shipped of
an order that ended short are `Cancelled`. Seller SKUs (`AMZ-AP0001`) always need the alias table;
`item-price` is empty while an order is Pending, as Amazon does.
"""

from __future__ import annotations

import csv
from collections.abc import Callable

import numpy as np
import pandas as pd

from . import backorders
from .catalog import Catalog
from .channel import Basket, Company, channel_orders, fulfil, promise, sample_orders
from .customers import SALES_TAX_BY_STATE, pick_buyers
from .demand import Carrier, ChannelOrders, Fulfilment, money, tracking_numbers
from .output import company_day, fmt_iso, fmt_money

BASKET = Basket(
    "amazon",
    per_year=5000,
    lines_p=(0.7, 0.2, 0.07, 0.03),
    qty_p=(0.85, 0.11, 0.03, 0.01),
    price="amazon_usd",
    tilt={"Electronics": 1.8},
    assortment="on_amazon",
)
OVERLAP_DAYS = 3
COLUMNS = [
    "amazon-order-id",
    "merchant-order-id",
    "purchase-date",
    "last-updated-date",
    "order-status",
    "fulfillment-channel",
    "sales-channel",
    "order-channel",
    "url",
    "ship-service-level",
    "product-name",
    "sku",
    "asin",
    "item-status",
    "quantity",
    "currency",
    "item-price",
    "item-tax",
    "shipping-price",
    "shipping-tax",
    "gift-wrap-price",
    "gift-wrap-tax",
    "item-promotion-discount",
    "ship-promotion-discount",
    "ship-city",
    "ship-state",
    "ship-postal-code",
    "ship-country",
    "promotion-ids",
    "is-business-order",
    "purchase-order-number",
    "price-designation",
]
FULFILMENT = Fulfilment(
    carriers=(
        Carrier("DHL Express", 0.3, 0.8, 2),
        Carrier("UPS", 0.3, 1.0, 3),
        Carrier("FedEx", 0.25, 1.0, 3),
        Carrier("USPS", 0.15, 2.2, 3),
    ),
    warehouses=(("WH-SH", 0.85), ("WH-GZ", 0.15)),
    late_base=0.036,
    cancel_rate=0.028,
    cancel_unpaid_share=0.3,
    return_rate=0.0,
    pay_minutes=4.0,
    late_pay_share=0.03,
    overseas=True,
)


def status_at(
    at: np.datetime64, ev: dict[str, np.ndarray], says_delivered: np.ndarray, split: backorders.Split
) -> tuple[np.ndarray, ...]:
    """Amazon order-status and last-updated-date of each order, and item-status of each line, at a moment.

    `ev` holds the planned order events; `delivered_at` is the order's completion (its last part)."""

    def done(key: str) -> np.ndarray:
        return ~np.isnat(ev[key]) & (ev[key] <= at)

    n = len(ev["ordered_at"])
    status = np.full(n, "Pending", dtype=object)
    updated = ev["ordered_at"].copy()
    for key, label in (
        ("paid_at", "Unshipped"),
        ("shipped_at", "Shipped"),
        ("back_shipped", "Shipped"),
        ("closed", "Shipped"),
        ("delivered_at", "Shipped - Delivered to Buyer"),
        ("cancelled_at", "Cancelled"),
    ):
        m = done(key)
        if key == "delivered_at":
            m &= says_delivered
        if key in ("back_shipped", "closed"):
            m &= status == "Shipped"  # the rest left (or was cancelled) after the first shipment
        status[m] = label
        updated = np.where(m, np.maximum(updated, ev[key]), updated)
    status[split.waiting(at) & (status == "Shipped")] = "PartiallyShipped"
    o = split.line_order
    sent = split.shipped_units(at) > 0
    line_status = status[o]
    item = np.select(
        [
            line_status == "Cancelled",
            np.isin(line_status, ["Pending", "Unshipped"]),
            sent,
            split.closed_by(at)[o] & (split.short_qty > 0),
        ],
        ["Cancelled", "Unshipped", "Shipped", "Cancelled"],
        "Unshipped",
    )
    return status, item, updated


def generate(rng: np.random.Generator, company: Company) -> tuple[ChannelOrders, dict]:
    """Simulate Amazon.com orders and write the overlapping monthly reports."""
    window, people = company.window, company.people
    ordered_at, lines = sample_orders(rng, company, BASKET)
    n = len(ordered_at)
    us_pool = np.flatnonzero(people.us["country"].to_numpy() == "US")
    buyer = pick_buyers(rng, us_pool, n)
    addr = people.us.iloc[buyer].reset_index(drop=True)
    promised = promise(window, "amazon", ordered_at)
    life, split = fulfil(rng, company, "amazon", ordered_at, promised, lines, FULFILMENT)
    ev = dict(life.planned, ordered_at=ordered_at, back_shipped=split.back_shipped, closed=split.closed)
    says_delivered = rng.random(n) < 0.9  # some carriers never confirm delivery to Amazon
    expedited = rng.random(n) < 0.15
    order_ids = _order_ids(rng, n)
    base_rows = _base_rows(rng, company.catalog, lines, ordered_at, addr, expedited, order_ids)

    def status_of(at: np.datetime64) -> tuple[np.ndarray, ...]:
        return status_at(at, ev, says_delivered, split)

    files, duplicates, empty_price = _write_reports(company, ordered_at, lines, base_rows, status_of)
    company.out.say(f"amazon: {n:,} orders, {len(lines):,} lines in {len(files)} reports")

    counts = dict(
        orders=n, lines=len(lines), duplicates=duplicates, alias=len(lines), price_empty=empty_price
    )
    return channel_orders(
        "amazon",
        lines,
        life,
        split,
        order_id=order_ids,
        ordered_at=ordered_at,
        promised=window.start_day + promised.astype("timedelta64[D]"),
        tracking_no=tracking_numbers(rng, life.carrier),
        contact_email=[f"{x.split('-')[2]}@marketplace.amazon.com" for x in order_ids],
        contact_phone="",
        customer=addr["name"].to_numpy(),
    ), counts


def _base_rows(
    rng: np.random.Generator,
    catalog: Catalog,
    lines: pd.DataFrame,
    ordered_at: np.ndarray,
    addr: pd.DataFrame,
    expedited: np.ndarray,
    order_ids: np.ndarray,
) -> Callable[[np.ndarray], pd.DataFrame]:
    """The formatter of report rows for lines `take` (one report's worth at a time), with everything but
    the status columns (those depend on when the report was pulled)."""
    p = catalog.products
    o = lines["order"].to_numpy()
    qty = lines["qty"].to_numpy()
    price = money(qty * lines["unit_price"].to_numpy())
    tax_rate = np.array([SALES_TAX_BY_STATE.get(s, 0.0) for s in addr["state"]])[o]
    first = lines["line_no"].to_numpy() == 1
    ship_price = np.where(first & expedited[o], 9.99, 0.0)
    promo = np.where(rng.random(len(lines)) < 0.06, money(price * 0.1), 0.0)
    sku = lines["sku"].to_numpy()
    product_name = ("Lumen & Loom " + p["name"]).to_numpy()

    def base_rows(take: np.ndarray) -> pd.DataFrame:
        ot, st = o[take], sku[take]
        k = len(take)
        zero = fmt_money(np.zeros(k))
        return pd.DataFrame(
            {
                "amazon-order-id": order_ids[ot],
                "merchant-order-id": "",
                "purchase-date": fmt_iso(ordered_at[ot]),
                "fulfillment-channel": "Merchant",
                "sales-channel": "Amazon.com",
                "order-channel": "",
                "url": "",
                "ship-service-level": np.where(expedited[ot], "Expedited", "Standard"),
                "product-name": product_name[st],
                "sku": p["amazon_sku"].to_numpy()[st],
                "asin": p["asin"].to_numpy()[st],
                "quantity": qty[take],
                "currency": "USD",
                "item-price": fmt_money(price[take]),
                "item-tax": fmt_money(money(price[take] * tax_rate[take])),
                "shipping-price": fmt_money(ship_price[take]),
                "shipping-tax": zero,
                "gift-wrap-price": zero,
                "gift-wrap-tax": zero,
                "item-promotion-discount": fmt_money(promo[take]),
                "ship-promotion-discount": zero,
                "ship-city": addr["city"].to_numpy()[ot],
                "ship-state": addr["state"].to_numpy()[ot],
                "ship-postal-code": addr["zip"].to_numpy()[ot],
                "ship-country": addr["country"].to_numpy()[ot],
                "promotion-ids": np.where(promo[take] > 0, "Lumen10", ""),
                "is-business-order": "false",
                "purchase-order-number": "",
                "price-designation": "",
            }
        )

    return base_rows


def _write_reports(
    company: Company,
    ordered_at: np.ndarray,
    lines: pd.DataFrame,
    base_rows: Callable[[np.ndarray], pd.DataFrame],
    status_of: Callable[[np.datetime64], tuple[np.ndarray, ...]],
) -> tuple[list[str], int, int]:
    """Monthly windows on the UTC purchase date, each starting OVERLAP_DAYS before the previous one ended;
    the daily tail (company days) reported day by day, each report named after its day. Returns the
    reports, the lines shown twice and the empty prices."""
    out = company.out
    o = lines["order"].to_numpy()
    utc_day = ordered_at.astype("datetime64[D]")[o]
    day = company_day(ordered_at)[o]
    history = ~out.in_tail(day)
    months = np.unique(utc_day[history].astype("datetime64[M]"))
    final_status = status_of(company.window.snapshot_utc)
    files, duplicates, empty_price = [], 0, 0

    def report(name: str, take: np.ndarray, early: tuple | None, use_early: np.ndarray | bool) -> int:
        """Write one report; rows using `early` carry the status at its pull time. Returns empty prices."""
        early = early or final_status
        ot = o[take]
        status = np.where(use_early, early[0][ot], final_status[0][ot])
        item = np.where(use_early, early[1][take], final_status[1][take])
        upd = np.where(use_early, early[2][ot], final_status[2][ot])
        frame = base_rows(take)
        frame.insert(3, "last-updated-date", fmt_iso(upd))
        frame.insert(4, "order-status", status)
        frame.insert(13, "item-status", item)
        frame.loc[status == "Pending", "item-price"] = ""
        frame = frame[COLUMNS]
        out.csv("amazon", name, frame, sep="\t", quoting=csv.QUOTE_NONE)
        files.append(name)
        return int((frame["item-price"] == "").sum())

    if len(months):
        first_day, last_day = utc_day[history].min(), utc_day[history].max()
    for k, m in enumerate(months):
        frm = max(m.astype("datetime64[D]") - (OVERLAP_DAYS if k else 0), first_day)
        to = min((m + 1).astype("datetime64[D]") - 1, last_day)
        take = np.flatnonzero((utc_day >= frm) & (utc_day <= to) & history)
        early = status_of((to + 1).astype("datetime64[s]"))
        # Rows that the next report shows again carry the status at this report's pull time.
        use_early = (k + 1 < len(months)) & (utc_day[take] > to - OVERLAP_DAYS)
        empty_price += report(f"All-Orders-Report_{frm}_{to}.txt", take, early, use_early)
        if k:
            duplicates += int((utc_day[take] < m.astype("datetime64[D]")).sum())
    for d in np.unique(day[~history]):
        empty_price += report(f"All-Orders-Report_{d}_{d}.txt", np.flatnonzero(day == d), None, False)
        out.mark_daily("amazon", files[-1])
    return files, duplicates, empty_price


def _order_ids(rng: np.random.Generator, n: int) -> np.ndarray:
    """`113-1234567-1234567`-shaped ids, unique."""
    ids: list[str] = []
    seen: set[str] = set()
    while len(ids) < n:
        k = n - len(ids)
        a = rng.integers(111, 115, k)
        b = rng.integers(0, 10**7, k)
        c = rng.integers(0, 10**7, k)
        for x, y, z in zip(a, b, c, strict=True):
            s = f"{x}-{y:07d}-{z:07d}"
            if s not in seen:
                seen.add(s)
                ids.append(s)
    return np.array(ids, dtype=object)
