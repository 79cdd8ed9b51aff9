"""Social commerce on WeChat, Douyin and Xiaohongshu: conversation threads as JSON-lines events.

A thread runs inquiry → quote → counter offers → order → paid, or ends `lost`, or is still an open
inquiry at the snapshot. One thread is one channel order. About 40 % of threads are B2B accounts from the
ERP ordering in bulk at negotiated prices; bulk orders of plant-made SKUs are made to order (see
production.py). SKUs here are master SKUs; prices CNY. The threads say nothing about shipping: the WMS
alone shows orders that left in two parts (backorders.py), or short when a B2B account took what there was.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .catalog import Catalog
from .channel import Company, channel_orders, fulfil, order_count
from .customers import People, cn_phone, pick_buyers
from .demand import (
    NAT,
    SERVICE_LEVEL_DAYS,
    Carrier,
    ChannelOrders,
    Fulfilment,
    bulk_qty,
    made_to_order,
    mto_timing,
    sample_order_times,
    sample_qty,
    sku_weights,
    tracking_numbers,
)
from .output import Output, company_day, fmt_iso
from .window import DAY_S, HOUR_S, SHANGHAI_OFFSET

THREADS_PER_YEAR = 1500
PLATFORMS = (("wechat", "WX", 0.5), ("douyin", "DY", 0.3), ("xiaohongshu", "XHS", 0.2))
SALES_REPS = ("Wang Fang", "Li Na", "Zhang Wei", "Chen Jing", "Liu Yang")
FULFILMENT = Fulfilment(
    carriers=(
        Carrier("SF Express", 0.45, 0.6, 1),
        Carrier("ZTO", 0.3, 1.0, 1),
        Carrier("Deppon", 0.25, 1.8, 2),
    ),
    warehouses=(("WH-GZ", 0.6), ("WH-SH", 0.4)),
    late_base=0.042,
    cancel_rate=0.0,
    cancel_unpaid_share=0.0,
    return_rate=0.0,
    pay_minutes=30.0,
)


def generate(rng: np.random.Generator, company: Company) -> tuple[ChannelOrders, dict]:
    """Simulate the social-commerce threads and write the monthly event files."""
    window, people, catalog = company.window, company.people, company.catalog
    n = order_count(THREADS_PER_YEAR, company.scale)
    snap = window.snapshot_utc
    start = sample_order_times(rng, window, "social", n)
    plat, b2b, account, cn = _who(rng, people, n)
    outcome = rng.choice(["order", "lost", "open"], n, p=[0.72, 0.1, 0.18])
    weights = sku_weights(catalog, "social", rng, tilt={"Apparel": 1.1})
    rep = rng.choice(SALES_REPS, n)
    phone_style = rng.choice(["plain", "e164"], n, p=[0.7, 0.3])
    phones = cn_phone(cn["phone"], phone_style)
    threads = _threads(rng, catalog, start, b2b, outcome, weights)

    # Threads still running at the snapshot lose their future events.
    paid_plan = np.array([th["paid"] for th in threads], dtype="datetime64[s]")
    ordered_at = np.array([th["ordered"] for th in threads], dtype="datetime64[s]")
    has_order = ~np.isnat(ordered_at) & (ordered_at < snap)
    ordered_at = np.where(has_order, ordered_at, NAT)

    # Orders (threads with an order event by the snapshot) and their fulfilment.
    oi = np.flatnonzero(has_order)
    oi = oi[np.argsort(ordered_at[oi], kind="stable")]
    order_no = np.full(n, None, dtype=object)
    order_no[oi] = [f"SC-{k + 1:06d}" for k in range(len(oi))]
    od = window.day_index(ordered_at[oi])
    bulk = b2b[oi]
    lines, has_mto = _lines(catalog, threads, oi, b2b, company.scale)
    promised_days = od + np.where(bulk, rng.integers(10, 22, len(oi)), SERVICE_LEVEL_DAYS["social"])
    promised_days, ship_from, mto_due = mto_timing(rng, ordered_at[oi], has_mto, od, promised_days)
    promised = np.full(n, np.datetime64("NaT", "D"))
    promised[oi] = window.start_day + promised_days.astype("timedelta64[D]")
    credit = bulk & (account["tier"].to_numpy()[oi] == "A")
    ready = np.where(credit, ordered_at[oi], paid_plan[oi])
    ready = np.where(has_mto, np.maximum(ready, ship_from), ready)
    life, split = fulfil(
        rng,
        company,
        "social",
        ordered_at[oi],
        promised_days,
        lines,
        FULFILMENT,
        b2b=bulk,
        made_to_order=has_mto,
        ready_at=ready,
        paid_at=np.where(paid_plan[oi] < snap, paid_plan[oi], NAT),
        cancelled=np.zeros(len(oi), bool),
    )

    # Who the thread is with, as the platform shows it; then the events, as JSON lines.
    platform = np.array([x[0] for x in PLATFORMS])[plat]
    prefix = np.array([x[1] for x in PLATFORMS])[plat]
    year = start.astype("datetime64[Y]").astype(np.int64) + 1970
    thread_id = [f"{prefix[i]}-{year[i]}-{i + 1:06d}" for i in range(n)]
    nickname = np.where(b2b, cn["name"] + "(" + account["company"].str[2:4] + ")", cn["nick"])
    give_phone = has_order | (rng.random(n) < 0.7)
    wechat = cn["wechat_id"].to_numpy()
    for i, th in enumerate(threads):
        th["head"] = {
            "thread_id": thread_id[i],
            "platform": platform[i],
            "customer": {
                "nickname": nickname[i],
                "phone": phones[i] if give_phone[i] else None,
                "wechat_id": wechat[i] if platform[i] == "wechat" else None,
            },
            "order_no": order_no[i],
            "promised_date": str(promised[i]),
            "sales_rep": rep[i],
        }
    events = _events(threads, ordered_at, has_order, snap)
    files = _write_events(company.out, events)
    company.out.say(
        f"social: {n:,} threads ({len(oi):,} orders), {len(events):,} events in {len(files)} files"
    )

    counts = dict(
        orders=n,
        lines=_agreed_lines(events),
        with_order=len(oi),
        lost=int(sum(1 for e in events if e[3]["event_type"] == "lost")),
    )
    return channel_orders(
        "social",
        lines,
        life,
        split,
        order_id=order_no[oi],
        ordered_at=ordered_at[oi],
        promised=promised[oi],
        tracking_no=tracking_numbers(rng, life.carrier),
        contact_email=cn["email"].to_numpy()[oi],
        contact_phone=phones[oi],
        customer=np.where(bulk, account["company"].to_numpy()[oi], cn["name"].to_numpy()[oi]),
        tier=np.where(bulk, account["tier"].to_numpy()[oi], ""),
        b2b=bulk,
        thread_id=np.array(thread_id, dtype=object)[oi],
        mto_due=mto_due,
    ), counts


def _who(
    rng: np.random.Generator, people: People, n: int
) -> tuple[np.ndarray, np.ndarray, pd.DataFrame, pd.DataFrame]:
    """Each thread's platform, whether it is a B2B account's (40 %), the account and the person."""
    plat = rng.choice(len(PLATFORMS), n, p=[x[2] for x in PLATFORMS])
    b2b_accounts = people.b2b("social")
    b2b = rng.random(n) < 0.4
    account = b2b_accounts.iloc[rng.integers(0, len(b2b_accounts), n)].reset_index(drop=True)
    person = np.where(b2b, account["person"].to_numpy(), pick_buyers(rng, people.slice(0.45, 0.88), n))
    return plat, b2b, account, people.cn.iloc[person].reset_index(drop=True)


def _threads(
    rng: np.random.Generator,
    catalog: Catalog,
    start: np.ndarray,
    b2b: np.ndarray,
    outcome: np.ndarray,
    weights: np.ndarray,
) -> list[dict]:
    """Each thread's steps (kind, time, items) from the first inquiry to its outcome, with the agreed
    SKUs, quantities and prices and the planned order and payment times (NaT without an order)."""
    p = catalog.products
    # Scalar draws are `rng.choice(values, p=...)` written out: the same draws, faster (docs/demo_company.md).
    sku_codes = p["sku"].astype(str).tolist()
    price_cny = p["price_cny"].to_numpy()
    line_cdf = {True: _cdf([0.45, 0.3, 0.17, 0.08]), False: _cdf([0.7, 0.22, 0.08, 0.0])}
    counter_cdf = {True: _cdf([0.3, 0.45, 0.25]), False: _cdf([0.7, 0.25, 0.05])}
    threads: list[dict] = []
    for i in range(len(start)):
        k = int(np.searchsorted(line_cdf[bool(b2b[i])], rng.random(), side="right")) + 1
        skus = rng.choice(len(weights), k, replace=False, p=weights)
        qty = bulk_qty(rng, k, 45, 10, 500) if b2b[i] else sample_qty(rng, k, (0.6, 0.25, 0.1, 0.03, 0.02))
        disc = rng.uniform(0.15, 0.3) if b2b[i] else rng.uniform(0.0, 0.1)
        price = np.round(price_cny[skus] * (1 - disc), 0)
        t = start[i]
        steps = [("inquiry", t, None)]
        t = t + np.timedelta64(int(rng.integers(600, 8 * HOUR_S)), "s")
        steps.append(("quote", t, _items(sku_codes, skus, qty, price)))
        for _ in range(int(np.searchsorted(counter_cdf[bool(b2b[i])], rng.random(), side="right"))):
            t = t + np.timedelta64(int(rng.integers(2 * HOUR_S, 2 * DAY_S)), "s")
            price = np.round(price * rng.uniform(0.94, 0.98), 0)
            if b2b[i] and rng.random() < 0.4:
                qty = np.maximum((qty * rng.uniform(0.8, 1.5, k)).round(), 1).astype(np.int64)
            steps.append(("counter_offer", t, _items(sku_codes, skus, qty, price)))
        ordered = paid = NAT
        if outcome[i] == "order":
            t = t + np.timedelta64(int(rng.integers(HOUR_S, 3 * DAY_S)), "s")
            ordered = t
            steps.append(("order", t, _items(sku_codes, skus, qty, price)))
            wait = rng.integers(2 * HOUR_S, 5 * DAY_S) if b2b[i] else rng.integers(300, 6 * HOUR_S)
            paid = t + np.timedelta64(int(wait), "s")
            steps.append(("paid", paid, None))
        elif outcome[i] == "lost":
            t = t + np.timedelta64(int(rng.integers(DAY_S, 10 * DAY_S)), "s")
            steps.append(("lost", t, None))
        threads.append(dict(steps=steps, skus=skus, qty=qty, price=price, ordered=ordered, paid=paid))
    return threads


def _lines(
    catalog: Catalog, threads: list[dict], oi: np.ndarray, b2b: np.ndarray, scale: float
) -> tuple[pd.DataFrame, np.ndarray]:
    """The agreed lines of the orders (threads `oi`, in order) with which are made to order (`mto`), and
    the orders with a made-to-order line."""
    rows = [
        (k, j + 1, int(th_sku), int(q), float(pr))
        for k, i in enumerate(oi)
        for j, (th_sku, q, pr) in enumerate(
            zip(threads[i]["skus"], threads[i]["qty"], threads[i]["price"], strict=True)
        )
    ]
    lines = pd.DataFrame(rows, columns=["order", "line_no", "sku", "qty", "unit_price"])
    mto_lines = [
        made_to_order(
            catalog,
            threads[i]["skus"],
            threads[i]["qty"],
            np.full(len(threads[i]["skus"]), b2b[i]),
            np.full(len(threads[i]["skus"]), i),
            scale,
        )
        for i in oi
    ]
    lines["mto"] = np.concatenate(mto_lines) if mto_lines else np.zeros(0, bool)
    return lines, np.array([m.any() for m in mto_lines], dtype=bool)


def _events(
    threads: list[dict], ordered_at: np.ndarray, has_order: np.ndarray, snap: np.datetime64
) -> list[tuple[np.datetime64, int, int, dict]]:
    """Every event before the snapshot, as (time, thread, step, record), in time order and numbered."""
    events: list[tuple[np.datetime64, int, int, dict]] = []
    for i, th in enumerate(threads):
        head = th["head"]
        for seq, (kind, t, items) in enumerate(th["steps"]):
            if t >= snap:
                break
            after_order = has_order[i] and t >= ordered_at[i]
            events.append(
                (
                    t,
                    i,
                    seq,
                    {
                        "event_id": "",
                        "thread_id": head["thread_id"],
                        "platform": head["platform"],
                        "event_type": kind,
                        "event_time": "",
                        "customer": head["customer"],
                        "items": items,
                        "order_no": head["order_no"] if after_order else None,
                        "promised_date": head["promised_date"] if after_order else None,
                        "currency": "CNY",
                        "sales_rep": head["sales_rep"],
                    },
                )
            )
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    times = np.array([e[0] for e in events], dtype="datetime64[s]")
    stamps = fmt_iso(times, "+08:00", offset=SHANGHAI_OFFSET)
    for k, (e, ts) in enumerate(zip(events, stamps, strict=True)):
        e[3]["event_id"] = f"EV-{k + 1:06d}"
        e[3]["event_time"] = ts
    return events


def _agreed_lines(events: list[tuple[np.datetime64, int, int, dict]]) -> int:
    """Lines agreed in all threads: a thread's agreed content is its latest event with items."""
    last_items = {}
    for _, i, _, rec in events:
        if rec["items"]:
            last_items[i] = rec["items"]
    return sum(len(v) for v in last_items.values())


def _write_events(out: Output, events: list[tuple[np.datetime64, int, int, dict]]) -> list[str]:
    """One JSON-lines file per Shanghai month, the daily tail one file per day."""
    times = np.array([e[0] for e in events], dtype="datetime64[s]")
    months = (times + SHANGHAI_OFFSET).astype("datetime64[M]").astype(str)
    records = [e[3] for e in events]
    day = company_day(times)
    history = ~out.in_tail(day)
    files = []
    for m in sorted(set(months[history].tolist())):
        name = f"events_{m}.jsonl"
        out.jsonl("social", name, [records[i] for i in np.flatnonzero(history & (months == m))])
        files.append(name)
    return files + out.daily_jsonl("social", "events_{}.jsonl", records, day)


def _items(sku_codes: list[str], skus: np.ndarray, qty: np.ndarray, price: np.ndarray) -> list[dict]:
    return [
        {"sku": sku_codes[s], "qty": int(q), "unit_price": float(pr)}
        for s, q, pr in zip(skus.tolist(), qty.tolist(), price.tolist(), strict=True)
    ]


def _cdf(p: list[float]) -> np.ndarray:
    """Normalised cumulative weights, as numpy's Generator.choice builds them."""
    cdf = np.asarray(p, dtype=float).cumsum()
    return cdf / cdf[-1]
