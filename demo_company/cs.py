"""Customer-service tickets (helpdesk export): about 3 % of orders, more for late and returned ones.

Every ticket names a real channel order id exactly as the channel writes it. First responses are fast on
chat-first channels (Tmall, WeChat) and slower by e-mail (Shopify, Amazon). Timestamps are UTC.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .customers import shout
from .demand import NAT, ChannelOrders
from .output import Output, company_day, fmt_iso
from .window import DAY_S, HOUR_S, Window

BASE_RATE = 0.018
COLUMNS = [
    "ticket_id",
    "channel",
    "order_ref",
    "customer_contact",
    "subject",
    "category",
    "created_at",
    "first_response_at",
    "resolved_at",
    "agent",
    "status",
]
AGENTS = ("Amy Zhou", "Kevin Li", "Luna Chen", "Mike Wang", "Sara Liu", "Tom Zhang")
# median minutes to the first response
FIRST_RESPONSE_MIN = {"shopify": 300, "amazon": 180, "tmall": 4, "social": 10, "stores": 90}
SUBJECTS_EN = {
    "where_is_my_order": "Where is my order {ref}?",
    "return_request": "Return request for order {ref}",
    "damaged_item": "Item arrived damaged ({ref})",
    "wrong_item": "Wrong item received in {ref}",
    "cancel_request": "Please cancel order {ref}",
    "invoice_request": "Invoice for order {ref}",
    "product_question": "Question about my order {ref}",
}
SUBJECTS_ZH = {
    "where_is_my_order": "订单{ref}什么时候到？",
    "return_request": "订单{ref}申请退货",
    "damaged_item": "订单{ref}收到的商品有破损",
    "wrong_item": "订单{ref}发错货了",
    "cancel_request": "取消订单{ref}",
    "invoice_request": "订单{ref}需要开发票",
    "product_question": "订单{ref}商品咨询",
}


def generate(rng: np.random.Generator, window: Window, channels: list[ChannelOrders], out: Output) -> dict:
    """Pick orders that needed help, date the tickets around the order's story, write monthly files."""
    frames = [_channel_tickets(rng, window.snapshot_utc, co) for co in channels]
    tickets = pd.concat([f for f in frames if f is not None], ignore_index=True).sort_values(
        ["created", "channel", "order_ref"], kind="stable"
    )
    tickets = tickets.reset_index(drop=True)
    created = fmt_iso(tickets["created"].to_numpy(), "Z")
    frame = pd.DataFrame(
        {
            "ticket_id": [f"T-{i + 1:06d}" for i in range(len(tickets))],
            "channel": tickets["channel"].to_numpy(),
            "order_ref": tickets["order_ref"].to_numpy(),
            "customer_contact": tickets["customer_contact"].to_numpy(),
            "subject": tickets["subject"].to_numpy(),
            "category": tickets["category"].to_numpy(),
            "created_at": created,
            "first_response_at": fmt_iso(tickets["first"].to_numpy(), "Z"),
            "resolved_at": fmt_iso(tickets["resolved"].to_numpy(), "Z"),
            "agent": tickets["agent"].to_numpy(),
            "status": tickets["status"].to_numpy(),
        }
    )[COLUMNS]
    month = np.asarray(created, dtype="U7")
    files = out.monthly_csv("cs", "tickets_{}.csv", frame, month, company_day(tickets["created"].to_numpy()))
    out.say(f"cs: {len(frame):,} tickets in {len(files)} files")
    return {"tickets": len(frame)}


def _channel_tickets(rng: np.random.Generator, snap: np.datetime64, co: ChannelOrders) -> pd.DataFrame | None:
    """The tickets about one channel's orders (None without any): who wrote, about what, when, and how far
    the helpdesk got by the snapshot."""
    o = co.orders
    n = len(o)
    ordered = o["ordered_at"].to_numpy(dtype="datetime64[s]")
    shipped = o["shipped_at"].to_numpy(dtype="datetime64[s]")
    delivered = o["delivered_at"].to_numpy(dtype="datetime64[s]")
    returned = o["returned_at"].to_numpy(dtype="datetime64[s]")
    cancelled = o["cancelled_at"].to_numpy(dtype="datetime64[s]")
    promised_end = (o["promised"].to_numpy(dtype="datetime64[D]") + 1).astype(
        "datetime64[s]"
    ) - np.timedelta64(8 * HOUR_S, "s")
    late = ~np.isnat(delivered) & (delivered > promised_end)
    late |= np.isnat(delivered) & ~np.isnat(shipped) & (promised_end < snap)  # or still in transit, late
    p = np.full(n, BASE_RATE)
    p = np.where(late, 0.25, p)
    p = np.where(~np.isnat(returned), 0.5, p)
    p = np.where(~np.isnat(cancelled), 0.12, p)
    pick = rng.random(n) < p
    idx = np.flatnonzero(pick)
    if not len(idx):
        return None
    cat = _categories(rng, co.channel, late[idx], returned[idx], cancelled[idx])
    u = rng.uniform(0, 1, len(idx))
    t = _written_at(u, cat, ordered[idx], shipped[idx], delivered[idx], returned[idx], cancelled[idx])
    keep = ~np.isnat(t) & (t < snap)
    idx, cat, t = idx[keep], cat[keep], t[keep]

    med = FIRST_RESPONSE_MIN[co.channel] * 60
    first = t + np.clip(rng.lognormal(np.log(med), 1.0, len(idx)), 30, 30 * HOUR_S).astype("timedelta64[s]")
    resolved = first + rng.lognormal(np.log(20 * HOUR_S), 0.9, len(idx)).astype("timedelta64[s]")
    first = np.where(first < snap, first, NAT)
    resolved = np.where(~np.isnat(first) & (resolved < snap), resolved, NAT)
    status = np.where(np.isnat(first), "open", np.where(np.isnat(resolved), "pending", "resolved"))
    status = np.where(
        ~np.isnat(resolved) & (resolved < snap - np.timedelta64(7 * DAY_S, "s")), "closed", status
    )
    email = o["contact_email"].to_numpy()[idx].astype(object)
    phone = o["contact_phone"].to_numpy()[idx].astype(object)
    if co.channel in ("shopify", "amazon"):
        contact = np.where(email != "", shout(email, rng, 0.2), phone)
    else:
        contact = np.where((phone != "") & (rng.random(len(idx)) < 0.8), phone, email)
    contact = np.where(contact == "", o["customer"].to_numpy()[idx], contact)  # no e-mail/phone: the name
    refs = o["order_id"].astype(str).to_numpy()[idx]
    subjects = SUBJECTS_EN if co.channel in ("shopify", "amazon") else SUBJECTS_ZH
    return pd.DataFrame(
        {
            "channel": co.channel,
            "order_ref": refs,
            "customer_contact": contact,
            "subject": [subjects[c].format(ref=r) for c, r in zip(cat, refs, strict=True)],
            "category": cat,
            "created": t,
            "first": first,
            "resolved": resolved,
            "agent": np.where(np.isnat(first), "", rng.choice(AGENTS, len(idx))),
            "status": status,
        }
    )


def _categories(
    rng: np.random.Generator, channel: str, late: np.ndarray, returned: np.ndarray, cancelled: np.ndarray
) -> np.ndarray:
    """What a ticket is about: what happened to the order, else a drawn everyday question."""
    cat = np.where(
        ~np.isnat(returned),
        "return_request",
        np.where(late, "where_is_my_order", np.where(~np.isnat(cancelled), "cancel_request", "")),
    )
    other = cat == ""
    pool = ["product_question", "damaged_item", "wrong_item", "where_is_my_order"]
    weights = [0.35, 0.2, 0.1, 0.35]
    if channel in ("social", "stores"):
        pool, weights = pool + ["invoice_request"], [0.3, 0.15, 0.1, 0.25, 0.2]
    cat[other] = rng.choice(pool, int(other.sum()), p=np.array(weights) / sum(weights))
    return cat


def _written_at(
    u: np.ndarray,
    cat: np.ndarray,
    ordered: np.ndarray,
    shipped: np.ndarray,
    delivered: np.ndarray,
    returned: np.ndarray,
    cancelled: np.ndarray,
) -> np.ndarray:
    """When the customer writes, relative to the order's story (`u`: a uniform draw per ticket)."""
    after_delivery = np.where(np.isnat(delivered), NAT, delivered + (u * 3 * DAY_S).astype("timedelta64[s]"))
    t = ordered + (u * 2 * DAY_S).astype("timedelta64[s]")
    wismo = cat == "where_is_my_order"
    base_wismo = np.where(np.isnat(shipped), ordered, shipped)
    t = np.where(wismo, base_wismo + ((1 + u * 4) * DAY_S).astype("timedelta64[s]"), t)
    for c in ("damaged_item", "wrong_item"):
        t = np.where((cat == c) & ~np.isnat(after_delivery), after_delivery, t)
    ret = cat == "return_request"
    t = np.where(ret, np.fmin(delivered + ((0.5 + u * 2) * DAY_S).astype("timedelta64[s]"), returned), t)
    can = cat == "cancel_request"
    return np.where(can, ordered + (u * (cancelled - ordered).astype(np.int64)).astype("timedelta64[s]"), t)
