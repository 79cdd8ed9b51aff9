"""The web shop: Shopify "Export orders" CSVs, one per month, overlapping by one day.

Shopify writes one row per line item and fills the order-level columns only on an order's first row.
Store zone America/New_York (timestamps with their UTC offset), currency USD. Defects on purpose: about
5 % of lines carry an old SKU that only `erp/sku_aliases.csv` resolves, a handful of `Lineitem price`
cells read `N/A`, and the last day of each month is exported again at the top of the next month's file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import backorders
from .catalog import Catalog
from .channel import Basket, Company, channel_orders, fulfil, promise, sample_orders
from .customers import SALES_TAX_BY_STATE, People, cn_phone, pick_buyers, us_phone
from .demand import Carrier, ChannelOrders, Fulfilment, Lifecycle, money, tracking_numbers
from .output import company_day, fmt_money, fmt_with_zone
from .window import Window

ZONE = "America/New_York"
BASKET = Basket(
    "shopify",
    per_year=4500,
    lines_p=(0.58, 0.27, 0.11, 0.04),
    qty_p=(0.82, 0.13, 0.04, 0.01),
    price="price_usd",
    tilt={"Apparel": 1.2},
)
COLUMNS = [
    "Name",
    "Email",
    "Financial Status",
    "Paid at",
    "Fulfillment Status",
    "Fulfilled at",
    "Currency",
    "Subtotal",
    "Shipping",
    "Taxes",
    "Total",
    "Discount Code",
    "Discount Amount",
    "Shipping Method",
    "Created at",
    "Lineitem quantity",
    "Lineitem name",
    "Lineitem price",
    "Lineitem sku",
    "Lineitem fulfillment status",
    "Billing Name",
    "Shipping Name",
    "Shipping City",
    "Shipping Zip",
    "Shipping Country",
    "Shipping Phone",
    "Cancelled at",
    "Refunded Amount",
    "Id",
    "Tags",
    "Source",
]
# Columns Shopify repeats on every row of an order; all other order-level columns only on the first row.
REPEATED = {"Name", "Email", "Created at"}
LINE_COLUMNS = {c for c in COLUMNS if c.startswith("Lineitem")}

FULFILMENT = Fulfilment(
    carriers=(
        Carrier("DHL Express", 0.35, 0.7, 3),
        Carrier("FedEx", 0.3, 1.0, 3),
        Carrier("UPS", 0.2, 1.0, 4),
        Carrier("YunExpress", 0.15, 2.4, 5),
    ),
    warehouses=(("WH-SH", 0.9), ("WH-GZ", 0.1)),
    late_base=0.036,
    cancel_rate=0.03,
    cancel_unpaid_share=0.6,
    return_rate=0.022,
    pay_minutes=0.3,
    late_pay_share=0.02,
    overseas=True,
)


def generate(rng: np.random.Generator, company: Company) -> tuple[ChannelOrders, dict]:
    """Simulate the web shop's year and write its monthly exports; returns orders and manifest counts."""
    window, out = company.window, company.out
    ordered_at, lines = sample_orders(rng, company, BASKET)
    n = len(ordered_at)
    buyers = _buyers(rng, company.people, n)
    promised = promise(window, "shopify", ordered_at)
    life, split = fulfil(rng, company, "shopify", ordered_at, promised, lines, FULFILMENT)
    order_names = np.array([f"#{1001 + i}" for i in range(n)], dtype=object)
    created_text = fmt_with_zone(ordered_at, ZONE)
    order_columns = _order_columns(
        rng, window, ordered_at, lines, life, split, buyers, order_names, created_text
    )
    shipped_units = split.shipped_units(window.snapshot_utc)
    line_rows, old, is_na = _line_rows(rng, company.catalog, lines, shipped_units, order_columns)

    # Monthly files by store-local creation date; the last day of a month opens the next month's file.
    # The daily tail (company days) is exported day by day instead.
    line_order = lines["order"].to_numpy()
    local_day = np.array(pd.Series(created_text).str[:10].to_numpy(), dtype="datetime64[D]")[line_order]
    month = local_day.astype("datetime64[M]")
    last_day = (month + 1).astype("datetime64[D]") - 1
    files, duplicates, na_in_files = [], 0, 0
    day = company_day(ordered_at)[line_order]
    history = ~out.in_tail(day)
    for m in np.unique(month[history]):
        own = (month == m) & history
        prev = (month == m - 1) & (local_day == last_day) & history
        take = np.flatnonzero(prev | own)
        file_name = f"orders_export_{str(m)}.csv"
        out.csv("shopify", file_name, line_rows(take))
        files.append(file_name)
        duplicates += int(prev.sum())
        na_in_files += int(is_na[take].sum())
    files += out.daily_rows("shopify", "orders_export_{}.csv", line_rows, day)
    na_in_files += int(is_na[~history].sum())
    out.say(f"shopify: {n:,} orders, {len(lines):,} lines in {len(files)} files")

    counts = dict(
        orders=n, lines=len(lines), duplicates=duplicates, alias=int(old.sum()), price_na=na_in_files
    )
    return channel_orders(
        "shopify",
        lines,
        life,
        split,
        order_id=order_names,
        ordered_at=ordered_at,
        promised=window.start_day + promised.astype("timedelta64[D]"),
        tracking_no=tracking_numbers(rng, life.carrier),
        contact_email=buyers.email,
        contact_phone=buyers.phone,
        customer=buyers.name,
    ), counts


@dataclass(frozen=True)
class _Buyers:
    address: pd.DataFrame  # the overseas person of each order (address, state)
    name: np.ndarray
    email: np.ndarray
    phone: np.ndarray


def _buyers(rng: np.random.Generator, people: People, n: int) -> _Buyers:
    """Overseas buyers, plus some overseas Chinese who also shop on Tmall / WeChat; contact details as
    typed (some e-mails capitalised or missing, phones in four formats or missing)."""
    buyer = pick_buyers(rng, np.arange(len(people.us)), n)
    cn_buyer = rng.random(n) < 0.06
    cn_pick = pick_buyers(rng, people.slice(0.5, 0.62), n)
    us = people.us.iloc[buyer].reset_index(drop=True)
    cn = people.cn.iloc[cn_pick].reset_index(drop=True)
    name = np.where(cn_buyer, cn["name_en"], us["name"])
    email = np.where(cn_buyer, cn["email"], us["email"]).astype(object)
    email = np.where(rng.random(n) < 0.04, "", email)
    capital = rng.random(n) < 0.05
    email = np.array(
        [e[:1].upper() + e[1:] if c else e for e, c in zip(email, capital, strict=True)], dtype=object
    )
    phone = us_phone(
        people.us, buyer, rng.choice(["paren", "dash", "plain", "dots"], n, p=[0.4, 0.3, 0.2, 0.1])
    )
    phone = np.where(cn_buyer, cn_phone(cn["phone"], "intl"), phone)
    phone = np.where(rng.random(n) < 0.15, "", phone)
    return _Buyers(us, name, email, phone)


def _order_columns(
    rng: np.random.Generator,
    window: Window,
    ordered_at: np.ndarray,
    lines: pd.DataFrame,
    life: Lifecycle,
    split: backorders.Split,
    buyers: _Buyers,
    order_names: np.ndarray,
    created_text: np.ndarray,
) -> Callable[[np.ndarray], dict[str, np.ndarray]]:
    """Money, financial and fulfilment status of each order; returns the formatter of the order-level
    columns of orders `oi` (a file's worth at a time)."""
    n = len(order_names)
    snap = window.snapshot_utc
    gross = (lines["qty"] * lines["unit_price"]).groupby(lines["order"]).sum().reindex(range(n)).to_numpy()
    created_day = window.start_day + window.day_index(ordered_at).astype("timedelta64[D]")
    code, pct = _discounts(rng, created_day)
    discount = money(gross * pct)
    subtotal = money(gross - discount)
    express = rng.random(n) < 0.18
    shipping = np.where(express, 14.90, np.where(subtotal >= 75, 0.0, 6.90))
    state = buyers.address["state"].to_numpy()
    taxes = money(subtotal * np.array([SALES_TAX_BY_STATE.get(s, 0.0) for s in state]))
    total = money(subtotal + shipping + taxes)

    paid = life.paid_at
    cancelled = ~np.isnat(life.cancelled_at)
    returned = ~np.isnat(life.returned_at)
    fulfilled = ~np.isnat(life.shipped_at)
    authorized = (rng.random(n) < 0.12) & ~np.isnat(paid) & ~fulfilled & ~cancelled
    fin = np.where(np.isnat(paid), "pending", "paid").astype(object)
    fin[authorized] = "authorized"
    # The rest of an order that ends short is refunded: its share of the subtotal, with its tax.
    o = lines["order"].to_numpy()
    short_gross = np.bincount(o, split.short_qty * lines["unit_price"].to_numpy(), minlength=n)
    closed = split.closed_by(snap)
    short_refund = money(np.where(gross > 0, short_gross / np.maximum(gross, 1e-9), 0.0) * (subtotal + taxes))
    fin[closed & (fin == "paid")] = "partially_refunded"
    fin[returned] = "refunded"
    fin[cancelled] = np.where(np.isnat(paid[cancelled]), "voided", "refunded")
    # Partly shipped while the backorder is still to come; `Fulfilled at` is the latest shipment so far.
    fstat = np.where(split.waiting(snap), "partial", np.where(fulfilled, "fulfilled", "unfulfilled"))
    back_shipped = np.where(split.back_shipped < snap, split.back_shipped, np.datetime64("NaT", "s"))
    fulfilled_at = np.fmax(life.shipped_at, back_shipped)
    refunded = np.where(fin == "partially_refunded", short_refund, 0.0)
    refunded = np.where(returned | (cancelled & ~np.isnat(paid)), total, refunded)
    paid_shown = np.where(authorized | (cancelled & np.isnat(paid)), np.datetime64("NaT", "s"), paid)

    first_id = 5012345678901
    ids = first_id + np.cumsum(rng.integers(40_000, 2_500_000, n))
    vip = rng.random(n) < 0.05
    tags = np.where(vip, "VIP", np.where(rng.random(n) < 0.08, "newsletter", ""))
    us = buyers.address

    def order_columns(oi: np.ndarray) -> dict[str, np.ndarray]:
        return {
            "Name": order_names[oi],
            "Email": buyers.email[oi],
            "Financial Status": fin[oi],
            "Paid at": fmt_with_zone(paid_shown[oi], ZONE),
            "Fulfillment Status": fstat[oi],
            "Fulfilled at": fmt_with_zone(fulfilled_at[oi], ZONE),
            "Currency": np.full(len(oi), "USD", dtype=object),
            "Subtotal": fmt_money(subtotal[oi]),
            "Shipping": fmt_money(shipping[oi]),
            "Taxes": fmt_money(taxes[oi]),
            "Total": fmt_money(total[oi]),
            "Discount Code": code[oi],
            "Discount Amount": fmt_money(discount[oi]),
            "Shipping Method": np.where(express[oi], "Express", "Standard"),
            "Created at": created_text[oi],
            "Billing Name": buyers.name[oi],
            "Shipping Name": buyers.name[oi],
            "Shipping City": us["city"].to_numpy()[oi],
            "Shipping Zip": us["zip"].to_numpy()[oi],
            "Shipping Country": us["country"].to_numpy()[oi],
            "Shipping Phone": buyers.phone[oi],
            "Cancelled at": fmt_with_zone(life.cancelled_at[oi], ZONE),
            "Refunded Amount": fmt_money(refunded[oi]),
            "Id": ids[oi].astype(str),
            "Tags": tags[oi],
            "Source": np.full(len(oi), "web", dtype=object),
        }

    return order_columns


def _line_rows(
    rng: np.random.Generator,
    catalog: Catalog,
    lines: pd.DataFrame,
    shipped_units: np.ndarray,
    order_columns: Callable[[np.ndarray], dict[str, np.ndarray]],
) -> tuple[Callable[[np.ndarray], pd.DataFrame], np.ndarray, np.ndarray]:
    """The formatter of file rows for lines `li` (order-level columns on an order's first row only), and
    the deliberate defects: lines with an alias SKU, lines whose price reads N/A."""
    p = catalog.products
    old = rng.random(len(lines)) < 0.05
    sku_text = np.where(old, p["old_sku"].to_numpy()[lines["sku"]], p["sku"].to_numpy()[lines["sku"]])
    n_na = max(2, int(round(len(lines) * 0.0015)))
    na_rows = rng.choice(len(lines), min(n_na, len(lines)), replace=False)
    is_na = np.zeros(len(lines), dtype=bool)
    is_na[na_rows] = True
    line_status = np.select(
        [shipped_units >= lines["qty"].to_numpy(), shipped_units > 0], ["fulfilled", "partial"], "pending"
    )
    line_order = lines["order"].to_numpy()
    later = lines["line_no"].to_numpy() > 1

    def line_rows(li: np.ndarray) -> pd.DataFrame:
        columns = order_columns(line_order[li])
        for col in columns:
            if col not in REPEATED:
                columns[col] = np.where(later[li], "", columns[col]).astype(object)
        price = fmt_money(lines["unit_price"].to_numpy()[li])
        price[is_na[li]] = "N/A"
        columns["Lineitem quantity"] = lines["qty"].to_numpy()[li]
        columns["Lineitem name"] = p["name"].to_numpy()[lines["sku"].to_numpy()[li]]
        columns["Lineitem price"] = price
        columns["Lineitem sku"] = sku_text[li]
        columns["Lineitem fulfillment status"] = line_status[li]
        return pd.DataFrame(columns)[COLUMNS]

    return line_rows, old, is_na


def _discounts(rng: np.random.Generator, created_day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Discount codes: a welcome code all year, a Black-Friday code in late November/December."""
    n = len(created_day)
    month = created_day.astype("datetime64[M]").astype(np.int64) % 12 + 1
    code = np.full(n, "", dtype=object)
    pct = np.zeros(n)
    welcome = rng.random(n) < 0.08
    code[welcome], pct[welcome] = "WELCOME10", 0.10
    holiday = ((month == 11) | (month == 12)) & (rng.random(n) < 0.25)
    code[holiday], pct[holiday] = "BFCM25", 0.25
    spring = ((month == 3) | (month == 4)) & (rng.random(n) < 0.1)
    code[spring], pct[spring] = "SPRING15", 0.15
    return code, pct
