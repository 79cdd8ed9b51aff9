"""Six own stores: POS receipts (counter sales, returns as negative lines) and store orders.

Counter sales are handed over at the till, so they have no shipment; POS lines carry the EAN-13 barcode,
which needs the alias table. Store orders follow the offline flow — order → stock check → invoice (开票)
→ ship → completed — and are shipped from the DCs like any other order; most are B2B accounts. An order
shipped in two parts (backorders.py) is `shipped` from its first parcel and `completed` once the last one
arrived, or once the account accepted what there was.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .channel import Basket, Company, channel_orders, fulfil, sample_orders
from .customers import People, cn_phone, pick_buyers, shout
from .demand import (
    NAT,
    Carrier,
    ChannelOrders,
    Fulfilment,
    Lifecycle,
    bulk_qty,
    made_to_order,
    money,
    mto_timing,
    sample_qty,
    tracking_numbers,
)
from .output import fmt_date, fmt_local, fmt_money, local_day
from .window import DAY_S, HOUR_S, SHANGHAI_OFFSET, Window, month_day

POS_BASKET = Basket(
    "stores_pos",
    per_year=3000,
    lines_p=(0.62, 0.26, 0.09, 0.03),
    qty_p=(0.85, 0.12, 0.03),
    price="price_cny",
    tilt={"Apparel": 1.6},
)
# Store orders draw their quantities and prices per account (`_quantities_and_prices`).
ORDER_BASKET = Basket("stores_orders", per_year=400, lines_p=(0.45, 0.3, 0.17, 0.08), minimum=3)
RETURN_RATE = 0.025
# code, name, share of traffic, shipping DC, cashiers, sales reps
STORES = (
    ("SH01", "Shanghai Jing'an", 0.22, "WH-SH", ("Zhou Min", "Xu Jing"), ("Gao Lei",)),
    ("SH02", "Shanghai Xintiandi", 0.18, "WH-SH", ("Sun Yan", "Ma Li"), ("Zhu Tao",)),
    ("BJ01", "Beijing Sanlitun", 0.18, "WH-SH", ("Hu Jie", "Guo Na"), ("He Qiang",)),
    ("GZ01", "Guangzhou Tianhe", 0.14, "WH-GZ", ("Lin Hua", "Luo Fang"), ("Zheng Hao",)),
    ("SZ01", "Shenzhen Futian", 0.14, "WH-GZ", ("Liang Yu", "Xie Ting"), ("Song Bo",)),
    ("CD01", "Chengdu Taikoo Li", 0.14, "WH-SH", ("Tang Xin", "Han Yi"), ("Feng Jun",)),
)
POS_COLUMNS = [
    "receipt_no",
    "store_code",
    "register_no",
    "cashier",
    "sold_at",
    "barcode",
    "item_name",
    "qty",
    "unit_price",
    "discount_amount",
    "line_total",
    "payment_method",
    "member_phone",
    "original_receipt_no",
]
ORDER_COLUMNS = [
    "order_no",
    "line_no",
    "store_code",
    "sales_rep",
    "customer_name",
    "customer_phone",
    "customer_email",
    "company",
    "created_at",
    "promised_date",
    "sku",
    "qty",
    "unit_price",
    "stock_checked_at",
    "invoice_no",
    "invoiced_at",
    "status",
]
FULFILMENT = Fulfilment(
    carriers=(Carrier("SF Express", 0.6, 0.7, 1), Carrier("JD Logistics", 0.4, 0.9, 1)),
    warehouses=(("WH-SH", 0.6), ("WH-GZ", 0.4)),
    late_base=0.045,
    cancel_rate=0.03,
    cancel_unpaid_share=0.0,
    return_rate=0.0,
    pay_minutes=60.0,
)


def _store_weights() -> np.ndarray:
    w = np.array([s[2] for s in STORES])
    return w / w.sum()


def generate_pos(rng: np.random.Generator, company: Company) -> tuple[pd.DataFrame, dict]:
    """Counter sales and returns; returns the POS lines (sku index, signed qty, time) for the stock model."""
    window, people, out = company.window, company.people, company.out
    p = company.catalog.products
    sold_at, lines = sample_orders(rng, company, POS_BASKET)
    n = len(sold_at)
    store = rng.choice(len(STORES), n, p=_store_weights())
    members = people.members()
    is_member = rng.random(n) < 0.45
    member_phone = np.where(
        is_member,
        people.cn["phone"].to_numpy()[members["person"].to_numpy()[rng.integers(0, len(members), n)]],
        "",
    )
    pay = rng.choice(["wechat_pay", "alipay", "card", "cash"], n, p=[0.45, 0.35, 0.12, 0.08])
    register = rng.integers(1, 3, n)
    cashier = np.array([STORES[s][4][int(r) - 1] for s, r in zip(store, register, strict=True)], dtype=object)

    o = lines["order"].to_numpy()
    unit = lines["unit_price"].to_numpy()
    qty = lines["qty"].to_numpy()
    golden_week = _golden_week(sold_at)[o]
    rate = np.where(is_member[o], 0.05, 0.0) + np.where(golden_week, 0.1, 0.0)
    discount = money(qty * unit * rate)
    sales = pd.DataFrame(
        {
            "receipt": o,
            "store": store[o],
            "sold_at": sold_at[o],
            "sku": lines["sku"].to_numpy(),
            "qty": qty,
            "unit_price": unit,
            "discount": discount,
            "total": money(qty * unit - discount),
            "pay": pay[o],
            "member": member_phone[o],
            "register": register[o],
            "cashier": cashier[o],
            "orig": -1,
        }
    )

    ret_lines = _returns(rng, window, sales, n)
    allp = pd.concat([sales, ret_lines], ignore_index=True)
    allp = allp.sort_values(["sold_at", "receipt"], kind="stable").reset_index(drop=True)
    local = fmt_local(allp["sold_at"].to_numpy())
    code = np.array([s[0] for s in STORES])[allp["store"].to_numpy()]
    receipt_no, original = _receipt_numbers(allp, local, code)
    pos = pd.DataFrame(
        {
            "receipt_no": receipt_no,
            "store_code": code,
            "register_no": allp["register"].to_numpy(),
            "cashier": allp["cashier"].to_numpy(),
            "sold_at": local,
            "barcode": p["barcode"].to_numpy()[allp["sku"]],
            "item_name": p["name_zh"].to_numpy()[allp["sku"]],
            "qty": allp["qty"].to_numpy(),
            "unit_price": fmt_money(allp["unit_price"].to_numpy()),
            "discount_amount": fmt_money(allp["discount"].to_numpy()),
            "line_total": fmt_money(allp["total"].to_numpy()),
            "payment_method": allp["pay"].to_numpy(),
            "member_phone": allp["member"].to_numpy(),
            "original_receipt_no": original,
        }
    )[POS_COLUMNS]
    month = pd.Series(local).str[:7].to_numpy()
    files = out.monthly_csv("stores", "pos_receipts_{}.csv", pos, month, local_day(local))
    out.say(f"stores: {n:,} receipts, {len(ret_lines):,} returns in {len(files)} POS files")
    # A return receipt is a channel document of its own (status "returned"), so it counts as an order.
    counts = dict(orders=n + len(ret_lines), lines=len(pos), returns=len(ret_lines), alias=len(pos))
    movements = pd.DataFrame(
        {
            "at": allp["sold_at"].to_numpy(),
            "sku": allp["sku"].to_numpy(),
            "qty": allp["qty"].to_numpy(),
            "reference": receipt_no,
            "kind": np.where(allp["qty"].to_numpy() < 0, "return", "pos_sale"),
        }
    )
    return movements, counts


def _returns(rng: np.random.Generator, window: Window, sales: pd.DataFrame, n: int) -> pd.DataFrame:
    """Returns: one line of an earlier receipt, brought back to the same store within 30 days, as a receipt
    of its own (numbered from `n`) with negative quantity and amounts."""
    ret_lines = sales.loc[rng.random(len(sales)) < RETURN_RATE * 1.4].drop_duplicates("receipt").copy()
    day = window.day_index(ret_lines["sold_at"].to_numpy()) + rng.integers(1, 31, len(ret_lines))
    ret_lines["sold_at"] = window.utc_at(day, rng.integers(11 * HOUR_S, 21 * HOUR_S, len(ret_lines)))
    ret_lines = ret_lines.loc[ret_lines["sold_at"].to_numpy() < window.snapshot_utc]
    ret_lines["orig"] = ret_lines["receipt"]
    ret_lines["receipt"] = n + np.arange(len(ret_lines))
    for col in ("qty", "discount", "total"):
        ret_lines[col] = -ret_lines[col]
    return ret_lines


def _receipt_numbers(
    allp: pd.DataFrame, local: np.ndarray, code: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Receipt numbers (store + local date + running number per store and day) of each POS line, and of
    the receipt a return line brings back ('' for a sale)."""
    ymd = pd.Series(local).str[:10].str.replace("-", "", regex=False)
    first_rows = allp.drop_duplicates("receipt")
    key = pd.Series(code[first_rows.index], index=first_rows.index) + ymd[first_rows.index]
    seq = key.groupby(key).cumcount() + 1
    number = pd.Series(
        code[first_rows.index]
        + "-"
        + ymd[first_rows.index].to_numpy()
        + "-"
        + seq.map("{:04d}".format).to_numpy(),
        index=first_rows["receipt"].to_numpy(),
    )
    receipt_no = number.reindex(allp["receipt"].to_numpy()).to_numpy()
    original = np.where(allp["orig"].to_numpy() >= 0, number.reindex(allp["orig"].to_numpy()).to_numpy(), "")
    return receipt_no, original


def _golden_week(utc: np.ndarray) -> np.ndarray:
    month, dom = month_day((utc + SHANGHAI_OFFSET).astype("datetime64[D]"))
    return (month == 10) & (dom <= 7)


def generate_orders(rng: np.random.Generator, company: Company) -> tuple[ChannelOrders, dict]:
    """Store orders (taken by a sales rep, delivered from a DC) and their monthly files."""
    window, people = company.window, company.people
    p = company.catalog.products
    created, lines = sample_orders(rng, company, ORDER_BASKET)
    n = len(created)
    store = rng.choice(len(STORES), n, p=_store_weights())
    b2b, acc, cn, member_tier = _buyers(rng, people, n)
    has_mto = _quantities_and_prices(rng, company, lines, b2b)
    o = lines["order"].to_numpy()
    od = window.day_index(created)
    promised_days = od + np.where(b2b, rng.integers(7, 22, n), rng.integers(3, 11, n))
    promised_days, ship_from, mto_due = mto_timing(rng, created, has_mto, od, promised_days)
    checked = created + rng.uniform(900, 20 * HOUR_S, n).astype("timedelta64[s]")
    invoiced = checked + rng.uniform(HOUR_S, 2 * DAY_S, n).astype("timedelta64[s]")
    cancelled = (rng.random(n) < FULFILMENT.cancel_rate) & ~has_mto
    invoiced = np.where(cancelled, NAT, invoiced)
    life, split = fulfil(
        rng,
        company,
        "stores",
        created,
        promised_days,
        lines,
        FULFILMENT,
        warehouse=np.array([s[3] for s in STORES], dtype=object)[store],  # a store's orders ship from its DC
        b2b=b2b,
        made_to_order=has_mto,
        ready_at=np.where(has_mto, np.maximum(invoiced, ship_from), invoiced),
        paid_at=checked,
        cancelled=cancelled,
    )
    snap = window.snapshot_utc
    checked_seen = np.where(checked < snap, checked, NAT)
    invoiced_seen = np.where(invoiced < snap, invoiced, NAT)
    status = _status(life, checked_seen, invoiced_seen)
    order_no = np.array([f"SO-{k + 1:06d}" for k in range(n)], dtype=object)
    phone = cn_phone(cn["phone"], rng.choice(["space", "dash", "plain"], n, p=[0.5, 0.3, 0.2]))
    email = shout(cn["email"].to_numpy(), rng, 0.3)
    rep = np.array([STORES[s][5][0] for s in store], dtype=object)
    promised = window.start_day + promised_days.astype("timedelta64[D]")
    rows = pd.DataFrame(
        {
            "order_no": order_no[o],
            "line_no": lines["line_no"].to_numpy(),
            "store_code": np.array([s[0] for s in STORES])[store][o],
            "sales_rep": rep[o],
            "customer_name": cn["name"].to_numpy()[o],
            "customer_phone": phone[o],
            "customer_email": email[o],
            "company": np.where(b2b, acc["company"].to_numpy(), "")[o],
            "created_at": fmt_local(created)[o],
            "promised_date": fmt_date(promised)[o],
            "sku": p["sku"].to_numpy()[lines["sku"]],
            "qty": lines["qty"].to_numpy(),
            "unit_price": fmt_money(lines["unit_price"].to_numpy()),
            "stock_checked_at": fmt_local(checked_seen)[o],
            "invoice_no": _invoice_numbers(invoiced_seen)[o],
            "invoiced_at": fmt_local(invoiced_seen)[o],
            "status": status[o],
        }
    )[ORDER_COLUMNS]
    files = company.out.monthly_csv(
        "stores",
        "store_orders_{}.csv",
        rows,
        rows["created_at"].str[:7].to_numpy(),
        local_day(rows["created_at"].to_numpy()),
    )
    company.out.say(f"stores: {n:,} store orders, {len(lines):,} lines in {len(files)} files")
    return channel_orders(
        "stores",
        lines,
        life,
        split,
        order_id=order_no,
        ordered_at=created,
        promised=promised,
        tracking_no=tracking_numbers(rng, life.carrier),
        contact_email=email,
        contact_phone=phone,
        customer=np.where(b2b, acc["company"].to_numpy(), cn["name"].to_numpy()),
        tier=np.where(b2b, acc["tier"].to_numpy(), member_tier),
        b2b=b2b,
        mto_due=mto_due,
    ), dict(orders=n, lines=len(lines))


def _buyers(
    rng: np.random.Generator, people: People, n: int
) -> tuple[np.ndarray, pd.DataFrame, pd.DataFrame, np.ndarray]:
    """Half the store orders come from B2B accounts, the rest from members: which orders are B2B, the
    account and the person of each order, and the member's tier."""
    accounts = people.b2b("stores")
    b2b = rng.random(n) < 0.5
    acc = accounts.iloc[rng.integers(0, len(accounts), n)].reset_index(drop=True)
    members = people.members()
    member_person = pick_buyers(rng, members["person"].to_numpy(), n)
    person = np.where(b2b, acc["person"].to_numpy(), member_person)
    cn = people.cn.iloc[person].reset_index(drop=True)
    member_tier = members["tier"].to_numpy()[np.searchsorted(members["person"].to_numpy(), member_person)]
    return b2b, acc, cn, member_tier


def _quantities_and_prices(
    rng: np.random.Generator, company: Company, lines: pd.DataFrame, b2b: np.ndarray
) -> np.ndarray:
    """Fill in each line's qty, unit_price (B2B accounts buy in bulk at a negotiated discount) and mto
    (made to order); returns the orders with a made-to-order line."""
    p = company.catalog.products
    o = lines["order"].to_numpy()
    bulk = b2b[o]
    lines["qty"] = np.where(
        bulk, bulk_qty(rng, len(lines), 30, 5, 300), sample_qty(rng, len(lines), (0.7, 0.2, 0.1))
    )
    disc = np.where(b2b, rng.uniform(0.1, 0.2, len(b2b)), 0.0)
    lines["unit_price"] = np.round(p["price_cny"].to_numpy()[lines["sku"]] * (1 - disc[o]), 2)
    lines["mto"] = made_to_order(
        company.catalog, lines["sku"].to_numpy(), lines["qty"].to_numpy(), bulk, o, company.scale
    )
    return lines.groupby("order")["mto"].any().reindex(range(len(b2b)), fill_value=False).to_numpy()


def _status(life: Lifecycle, checked: np.ndarray, invoiced: np.ndarray) -> np.ndarray:
    """The offline flow: created → stock_checked → invoiced → shipped → completed (or cancelled)."""
    status = np.full(len(checked), "created", dtype=object)
    status[~np.isnat(checked)] = "stock_checked"
    status[~np.isnat(invoiced)] = "invoiced"
    status[~np.isnat(life.shipped_at)] = "shipped"
    status[~np.isnat(life.delivered_at)] = "completed"
    status[~np.isnat(life.cancelled_at)] = "cancelled"
    return status


def _invoice_numbers(invoiced: np.ndarray) -> np.ndarray:
    """`FP<year><running number>` in invoice order; '' for orders not invoiced."""
    inv_year = (invoiced + SHANGHAI_OFFSET).astype("datetime64[Y]").astype(str)
    inv_rank = np.cumsum(~np.isnat(invoiced))
    return np.where(
        np.isnat(invoiced),
        "",
        np.char.add(np.char.add("FP", inv_year), np.char.zfill(inv_rank.astype(str), 6)),
    )
