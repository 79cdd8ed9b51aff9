"""Warehouse extracts: shipments per shipped order line, stock movements and daily stock snapshots.

Shipments are derived from the channels' own orders (same order ids, master SKUs, line quantities), so
every order a channel reports as shipped has its rows here and nothing else does. An order leaves in one
shipment, or in two when a SKU was short (backorders.py): the first carries what there was, the backorder
the rest, each with its own shipment id and tracking number. Movements are the
ledger behind the snapshots: for every SKU x warehouse, each day's snapshot equals the previous one plus
that day's movements.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .catalog import Catalog
from .demand import NAT, ChannelOrders
from .inventory import WAREHOUSES, StockRun
from .output import Output, company_day, fmt_date, fmt_local
from .window import HOUR_S, Window, rng_for

SHIPMENT_COLUMNS = [
    "shipment_id",
    "channel",
    "channel_order_id",
    "warehouse_code",
    "carrier",
    "tracking_no",
    "shipped_at",
    "delivered_at",
    "sku",
    "qty",
]
MOVEMENT_COLUMNS = ["movement_id", "moved_at", "warehouse_code", "sku", "movement_type", "qty", "reference"]


@dataclass
class Flows:
    """Customer-driven stock flows, as (day, sku, warehouse) arrays and as movement rows."""

    outflow: np.ndarray  # (D, S, W) units issued to customers
    inflow: np.ndarray  # (D, S, W) units returned by customers
    reserved: np.ndarray  # (D, S, W) units of confirmed, unshipped orders at end of day
    movements: pd.DataFrame  # at (UTC), wh, sku, kind, qty (signed), reference


def build_shipments(window: Window, channels: list[ChannelOrders]) -> pd.DataFrame:
    """One row per line of every shipment that left by the snapshot: the first shipment of each shipped order
    (the whole order, or what there was) and the backorders; one shipment id per order and part."""
    snap = window.snapshot_utc
    parts = []
    for co in channels:
        o, sp = co.orders, co.split
        li = co.lines
        oo = li["order"].to_numpy()
        first_delivered = np.where(sp.first_delivered < snap, sp.first_delivered, NAT)
        back_delivered = np.where(sp.back_delivered < snap, sp.back_delivered, NAT)
        for part, qty, shipped, cols in (
            (
                1,
                sp.first_qty,
                o["shipped_at"].to_numpy(dtype="datetime64[s]"),
                (o["warehouse"], o["carrier"], o["tracking_no"], first_delivered),
            ),
            (
                2,
                sp.back_qty,
                np.where(sp.back_shipped < snap, sp.back_shipped, NAT),
                (sp.back_warehouse, sp.back_carrier, sp.back_tracking, back_delivered),
            ),
        ):
            take = ~np.isnat(shipped)[oo] & (qty > 0)
            sel = oo[take]
            warehouse, carrier, tracking, delivered = (np.asarray(c) for c in cols)
            parts.append(
                pd.DataFrame(
                    {
                        "channel": co.channel,
                        "channel_order_id": o["order_id"].to_numpy()[sel],
                        "part": part,
                        "warehouse": warehouse[sel],
                        "carrier": carrier[sel],
                        "tracking_no": tracking[sel],
                        "shipped_at": shipped[sel],
                        "delivered_at": np.asarray(delivered, dtype="datetime64[s]")[sel],
                        "sku": li["sku"].to_numpy()[take],
                        "qty": qty[take],
                        "line_no": li["line_no"].to_numpy()[take],
                    }
                )
            )
    ship = pd.concat(parts, ignore_index=True)
    ship = ship.sort_values(["shipped_at", "channel", "channel_order_id", "part", "line_no"], kind="stable")
    ship = ship.reset_index(drop=True)
    key = ship["channel"] + "|" + ship["channel_order_id"].astype(str) + "|" + ship["part"].astype(str)
    ship["shipment_no"] = pd.factorize(key)[0] + 1
    ship["shipment_id"] = ship["shipment_no"].map("SHP-{:07d}".format)
    return ship


def build_flows(
    window: Window,
    catalog: Catalog,
    channels: list[ChannelOrders],
    shipments: pd.DataFrame,
    pos: pd.DataFrame,
) -> Flows:
    n_d, n_s, n_w = window.n_days, catalog.n, len(WAREHOUSES)
    wh_index = {w: i for i, w in enumerate(WAREHOUSES)}
    out = np.zeros((n_d, n_s, n_w), np.int64)
    inn = np.zeros((n_d, n_s, n_w), np.int64)
    reserved_delta = np.zeros((n_d + 1, n_s, n_w), np.int64)

    sh = shipments
    d = window.day_index(sh["shipped_at"].to_numpy())
    w = sh["warehouse"].map(wh_index).to_numpy()
    np.add.at(out, (d, sh["sku"].to_numpy(), w), sh["qty"].to_numpy())
    moves = [
        _moves(
            sh["shipped_at"].to_numpy(),
            w,
            sh["sku"].to_numpy(),
            "shipment",
            -sh["qty"].to_numpy(),
            sh["shipment_id"].to_numpy(),
        )
    ]

    pd_ = window.day_index(pos["at"].to_numpy())
    sold = pos["qty"].to_numpy() > 0
    np.add.at(out, (pd_[sold], pos["sku"].to_numpy()[sold], 2), pos["qty"].to_numpy()[sold])
    np.add.at(inn, (pd_[~sold], pos["sku"].to_numpy()[~sold], 2), -pos["qty"].to_numpy()[~sold])
    moves.append(
        _moves(
            pos["at"].to_numpy(),
            2,
            pos["sku"].to_numpy(),
            pos["kind"].to_numpy(),
            -pos["qty"].to_numpy(),
            pos["reference"].to_numpy(),
        )
    )

    for co in channels:
        o, sp = co.orders, co.split
        li = co.lines
        oo = li["order"].to_numpy()
        sku = li["sku"].to_numpy()
        wh = o["warehouse"].map(wh_index).to_numpy()[oo]
        # Returns: the units the customer received, back into the order's warehouse, naming the order.
        ret = o["returned_at"].to_numpy(dtype="datetime64[s]")[oo]
        got = sp.first_qty + sp.back_qty
        r = ~np.isnat(ret) & (got > 0)
        if r.any():
            np.add.at(inn, (window.day_index(ret[r]), sku[r], wh[r]), got[r])
            moves.append(_moves(ret[r], wh[r], sku[r], "return", got[r], o["order_id"].to_numpy()[oo][r]))
        _reserve(window, co, wh, reserved_delta)
    reserved = np.cumsum(reserved_delta, axis=0)[:n_d]
    return Flows(outflow=out, inflow=inn, reserved=reserved, movements=pd.concat(moves, ignore_index=True))


def _reserve(window: Window, co: ChannelOrders, wh: np.ndarray, reserved_delta: np.ndarray) -> None:
    """Add a channel's reservations to `reserved_delta` (day, sku, warehouse; +units the day they start,
    -units the day they end): reserved in the order's warehouse (`wh`, per line) from confirmation until
    the units ship (first shipment or backorder), the order is cancelled, or the rest of an order that ends
    short is cancelled."""
    o, sp, oo = co.orders, co.split, co.lines["order"].to_numpy()
    sku = co.lines["sku"].to_numpy()
    snap = window.snapshot_utc
    paid = o["paid_at"].to_numpy(dtype="datetime64[s]")[oo]
    cancelled = o["cancelled_at"].to_numpy(dtype="datetime64[s]")[oo]
    back_shipped = np.where(sp.back_shipped < snap, sp.back_shipped, NAT)[oo]
    closed = np.where(sp.closed < snap, sp.closed, NAT)[oo]
    for qty, until in (
        (sp.first_qty, o["shipped_at"].to_numpy(dtype="datetime64[s]")[oo]),
        (sp.back_qty, back_shipped),
        (sp.short_qty, closed),
    ):
        end = np.fmin(until, cancelled)
        has = ~np.isnat(paid) & (qty > 0)
        a = window.day_index(paid[has])
        b = np.where(
            np.isnat(end[has]),
            window.n_days,
            window.day_index(np.where(np.isnat(end[has]), paid[has], end[has])),
        )
        keep = b > a
        np.add.at(reserved_delta, (a[keep], sku[has][keep], wh[has][keep]), qty[has][keep])
        np.add.at(reserved_delta, (b[keep], sku[has][keep], wh[has][keep]), -qty[has][keep])


def write_shipments(out: Output, catalog: Catalog, shipments: pd.DataFrame) -> list[str]:
    sku = catalog.products["sku"].to_numpy()
    shipped = shipments["shipped_at"].to_numpy(dtype="datetime64[s]")

    def frame(rows: np.ndarray) -> pd.DataFrame:
        s = shipments.iloc[rows]
        return pd.DataFrame(
            {
                "shipment_id": s["shipment_id"].to_numpy(),
                "channel": s["channel"].to_numpy(),
                "channel_order_id": s["channel_order_id"].to_numpy(),
                "warehouse_code": s["warehouse"].to_numpy(),
                "carrier": s["carrier"].to_numpy(),
                "tracking_no": s["tracking_no"].to_numpy(),
                "shipped_at": fmt_local(shipped[rows]),
                "delivered_at": fmt_local(s["delivered_at"].to_numpy()),
                "sku": sku[s["sku"].to_numpy()],
                "qty": s["qty"].to_numpy(),
            }
        )

    day = company_day(shipped)
    return out.monthly_rows("wms", "shipments_{}.csv", frame, day.astype("datetime64[M]").astype(str), day)


def write_stock(
    out: Output,
    seed: int,
    window: Window,
    catalog: Catalog,
    run: StockRun,
    flows: Flows,
    production: pd.DataFrame,
) -> dict:
    """Movements (customer flows + replenishment + production) and the daily snapshots."""
    mv = _movements(rng_for(seed, "wms-times"), window, run, flows, production)
    sku = catalog.products["sku"].to_numpy()
    wh = np.array(WAREHOUSES)
    moved_at = mv["at"].to_numpy(dtype="datetime64[s]")

    def frame(rows: np.ndarray) -> pd.DataFrame:
        m = mv.iloc[rows]
        return pd.DataFrame(
            {
                "movement_id": [f"MV-{i + 1:07d}" for i in rows],
                "moved_at": fmt_local(moved_at[rows]),
                "warehouse_code": wh[m["wh"].to_numpy().astype(np.int64)],
                "sku": sku[m["sku"].to_numpy().astype(np.int64)],
                "movement_type": m["kind"].to_numpy(),
                "qty": m["qty"].to_numpy().astype(np.int64),
                "reference": m["reference"].to_numpy(),
            }
        )

    day = company_day(moved_at)
    month = day.astype("datetime64[M]").astype(str)
    files = out.monthly_rows("wms", "movements_{}.csv", frame, month, day)

    n_d, n_s, n_w = run.on_hand.shape
    days = np.repeat(window.days, n_s * n_w)
    snap = pd.DataFrame(
        {
            "snapshot_date": fmt_date(days),
            "warehouse_code": np.tile(np.repeat(wh, n_s), n_d),
            "sku": np.tile(np.tile(sku, n_w), n_d),
            "on_hand_qty": run.on_hand.transpose(0, 2, 1).reshape(-1),
            "reserved_qty": flows.reserved.transpose(0, 2, 1).reshape(-1),
            "in_transit_qty": run.in_transit.transpose(0, 2, 1).reshape(-1),
        }
    )
    files += out.monthly_csv(
        "wms", "stock_snapshots_{}.csv", snap, np.asarray(snap["snapshot_date"], dtype="U7")
    )
    return {"movements": len(mv), "snapshots": len(snap), "files": files}


def _movements(
    rng: np.random.Generator, window: Window, run: StockRun, flows: Flows, production: pd.DataFrame
) -> pd.DataFrame:
    """Every stock movement (at, wh, sku, kind, qty, reference) in time order: the customer flows, the
    stock run's receipts, transfers and adjustments at plausible hours, the plant's receipts."""

    def at(day: np.ndarray, lo_h: float, hi_h: float) -> np.ndarray:
        return window.utc_at(
            np.asarray(day, np.int64), rng.integers(int(lo_h * HOUR_S), int(hi_h * HOUR_S), len(day))
        )

    parts = [flows.movements]
    if run.receipts:
        r = np.array([x[:4] for x in run.receipts], dtype=np.int64)
        kind = np.array([x[4] for x in run.receipts])
        when = np.where(kind == "expedited", at(r[:, 0], 18, 21), at(r[:, 0], 9, 16))
        parts.append(
            _moves(when, r[:, 2], r[:, 1], "receipt", r[:, 3], [f"PO/{i + 1:06d}" for i in range(len(r))])
        )
    if run.transfers:
        t = np.array(run.transfers, dtype=np.int64)
        ref = np.array([f"TR/{i + 1:06d}" for i in range(len(t))], dtype=object)
        parts.append(_moves(at(t[:, 0], 7, 9), 0, t[:, 2], "transfer_out", -t[:, 4], ref))
        parts.append(_moves(at(t[:, 1], 13, 17), t[:, 3], t[:, 2], "transfer_in", t[:, 4], ref))
    if run.adjustments:
        a = np.array(run.adjustments, dtype=np.int64)
        ref = [f"ADJ/{i + 1:05d}" for i in range(len(a))]
        parts.append(_moves(at(a[:, 0], 20, 21.5), a[:, 2], a[:, 1], "adjustment", a[:, 3], ref))
    if len(production):
        p = production
        parts.append(
            _moves(
                p["at"].to_numpy(),
                0,
                p["sku"].to_numpy(),
                "production_receipt",
                p["qty"].to_numpy(),
                p["reference"].to_numpy(),
            )
        )
    mv = pd.concat(parts, ignore_index=True)
    mv["at"] = mv["at"].to_numpy(dtype="datetime64[s]")
    return mv.sort_values(["at", "wh", "sku", "kind"], kind="stable").reset_index(drop=True)


def _moves(
    at: np.ndarray,
    wh: np.ndarray | int,
    sku: np.ndarray,
    kind: str,
    qty: np.ndarray,
    reference: np.ndarray | list[str],
) -> pd.DataFrame:
    return pd.DataFrame({"at": at, "wh": wh, "sku": sku, "kind": kind, "qty": qty, "reference": reference})
