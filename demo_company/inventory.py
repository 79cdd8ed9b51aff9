"""Daily stock simulation for every SKU x warehouse: what the WMS snapshots and movements record.

Replenishment follows a min/max rule in days of forward demand: when stock on hand plus stock on its way
falls below `lo` days (plus the lead time), order up to `hi` days. Bought SKUs are purchased into
WH-SH and WH-GZ; plant-made SKUs are produced into WH-SH (production orders, sized on company-wide
stock) and transferred to WH-GZ; the store stock WH-ST is refilled from WH-SH twice a week. A few SKUs are
deliberately overstocked and a few are planned too tightly and run out (expedited receipts then cover the
day's shipments, so stock never goes negative). Snapshots equal the running sum of the movements exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .catalog import Catalog
from .window import Window, rng_for

WAREHOUSES = ("WH-SH", "WH-GZ", "WH-ST")
SH, GZ, ST = 0, 1, 2
HORIZON_DAYS = 90  # forward demand window used for reorder decisions (smooths bulk B2B orders)
TRANSFER_LEAD = {GZ: 3, ST: 2}
MO_MIN_QTY = 10


@dataclass(frozen=True)
class Policy:
    lo: np.ndarray  # (S, W) reorder cover in days
    hi: np.ndarray  # (S, W) order-up-to cover in days
    init_cover: np.ndarray  # (S, W) days of cover on hand at the start
    vendor_lead: np.ndarray  # (S,) days
    mfg_lead: np.ndarray  # (S,) days
    make: np.ndarray  # (S,) bool
    review_day: np.ndarray  # (S, W) weekday of the weekly review (0 = Monday)
    overstock: np.ndarray  # (S,) bool
    tight: np.ndarray  # (S,) bool


def build_policy(seed: int, catalog: Catalog) -> Policy:
    rng = rng_for(seed, "inventory-policy")
    p = catalog.products
    s = len(p)
    make = p["make"].to_numpy()
    lo = rng.uniform(42, 52, (s, 3))
    hi = rng.uniform(74, 86, (s, 3))
    init = rng.uniform(60, 90, (s, 3))
    # A few SKUs pile up (bought too much before the year) and a few are planned too tightly.
    order = rng.permutation(s)
    overstock = np.zeros(s, bool)
    overstock[order[:6]] = True
    buy = np.flatnonzero(~make)
    tight = np.zeros(s, bool)
    popular = p["popularity"].to_numpy() >= np.median(p["popularity"].to_numpy())
    candidates = buy[~overstock[buy] & popular[buy]]
    tight[rng.choice(candidates, 5, replace=False)] = True
    init[make, SH] += 30  # the Shanghai DC also feeds the other warehouses with plant-made SKUs
    init[overstock] = rng.uniform(260, 380, (int(overstock.sum()), 3))
    lo[overstock], hi[overstock] = 25.0, 50.0
    lo[tight], hi[tight] = 2.0, 16.0
    init[tight] = rng.uniform(10, 20, (int(tight.sum()), 3))
    vendor = p["vendor_lead_days"].to_numpy().astype(float)
    vendor[tight] += 15
    return Policy(
        lo=lo,
        hi=hi,
        init_cover=init,
        vendor_lead=vendor,
        mfg_lead=p["mfg_lead_days"].to_numpy().astype(float),
        make=make,
        review_day=rng.integers(0, 6, (s, 3)),
        overstock=overstock,
        tight=tight,
    )


@dataclass
class StockRun:
    on_hand: np.ndarray  # (D, S, W) end of day
    in_transit: np.ndarray  # (D, S, W)
    receipts: list[tuple[int, int, int, int, str]] = field(default_factory=list)  # day, sku, wh, qty, kind
    transfers: list[tuple[int, int, int, int, int]] = field(
        default_factory=list
    )  # out day, in day, sku, to, qty
    adjustments: list[tuple[int, int, int, int]] = field(default_factory=list)  # day, sku, wh, qty
    mo_releases: list[tuple[int, int, int]] = field(default_factory=list)  # day, sku, qty (planning run)
    expedited: int = 0


def forward_demand(outflow: np.ndarray, horizon: int = HORIZON_DAYS) -> np.ndarray:
    """Mean daily outflow over the next `horizon` days; past the window, the year's mean."""
    d = outflow.shape[0]
    mean = outflow.mean(axis=0, keepdims=True)
    padded = np.concatenate([outflow, np.repeat(mean, horizon, axis=0)], axis=0)
    c = np.concatenate([np.zeros((1,) + outflow.shape[1:]), np.cumsum(padded, axis=0)], axis=0)
    return (c[horizon : horizon + d] - c[:d]) / horizon


def simulate(
    seed: int,
    window: Window,
    policy: Policy,
    outflow: np.ndarray,
    inflow: np.ndarray,
    *,
    mo_arrivals: np.ndarray | None = None,
    plan_mos: bool,
) -> StockRun:
    """Run the year day by day (vectorised over SKU x warehouse).

    outflow/inflow: (D, S, W) customer issues (shipments, counter sales) and returns.
    plan_mos=True decides production orders (planning run, arrivals after the planned lead time);
    otherwise `mo_arrivals` (D, S) are the plant's actual production receipts into WH-SH.
    """
    rng = rng_for(seed, "inventory-run")
    n_days, n_sku, n_wh = outflow.shape
    fwd = forward_demand(outflow.astype(float))
    company_fwd = fwd.sum(axis=2)
    weekday = (window.days.view("int64") - 4) % 7
    make = policy.make

    on_hand = np.ceil(fwd[0] * policy.init_cover).astype(np.int64)
    arrive = np.zeros((n_days + 120, n_sku, n_wh), np.int64)  # purchase receipts and transfers by day
    arrive_kind_po = np.zeros((n_days + 120, n_sku, n_wh), np.int64)
    in_transit = np.zeros((n_sku, n_wh), np.int64)
    mo_open = np.zeros(n_sku, np.int64)
    mo_due = np.zeros((n_days + 120, n_sku), np.int64)
    run = StockRun(
        on_hand=np.zeros((n_days, n_sku, n_wh), np.int64),
        in_transit=np.zeros((n_days, n_sku, n_wh), np.int64),
    )
    po_combo = ~make[:, None] & (np.arange(n_wh) != ST)[None, :]
    transfer_combo = np.zeros((n_sku, n_wh), bool)
    transfer_combo[:, ST] = True
    transfer_combo[make, GZ] = True

    for d in range(n_days):
        # 1. Arrivals: purchase receipts, transfers in, production receipts.
        arrived = arrive[d]
        on_hand += arrived
        in_transit -= arrived
        for s_, w_ in zip(*np.nonzero(arrive_kind_po[d]), strict=True):
            run.receipts.append((d, int(s_), int(w_), int(arrive_kind_po[d, s_, w_]), "receipt"))
        if plan_mos:
            prod = mo_due[d]
        else:
            prod = mo_arrivals[d] if mo_arrivals is not None else np.zeros(n_sku, np.int64)
        on_hand[:, SH] += prod
        mo_open -= np.minimum(mo_open, prod)

        # 2. Customer flows.
        on_hand += inflow[d] - outflow[d]

        # 3. Reviews.
        review = policy.review_day == weekday[d]
        review[:, ST] |= weekday[d] == (policy.review_day[:, ST] + 3) % 7  # store stock twice a week
        lead = np.where(make[:, None], 0.0, policy.vendor_lead[:, None]) * np.ones((1, n_wh))
        lead[:, ST] = TRANSFER_LEAD[ST]
        lead[make, GZ] = TRANSFER_LEAD[GZ]
        position = on_hand + in_transit
        low = position < fwd[d] * (lead + policy.lo)
        want = np.ceil(fwd[d] * (lead + policy.hi) - position).astype(np.int64)
        order = review & low & (want > 0) & (fwd[d] > 0)

        po = order & po_combo
        for s_, w_ in zip(*np.nonzero(po), strict=True):
            q = int(want[s_, w_])
            q = q if q < 20 else int(np.ceil(q / 5) * 5)
            days = int(max(3, round(policy.vendor_lead[s_] + rng.integers(-2, 5))))
            arrive[d + days, s_, w_] += q
            arrive_kind_po[d + days, s_, w_] += q
            in_transit[s_, w_] += q

        tr = order & transfer_combo
        if tr.any():
            req = np.where(tr, want, 0)
            total = req.sum(axis=1)
            avail = np.maximum(on_hand[:, SH], 0)
            ratio = np.where(total > 0, np.minimum(1.0, avail / np.maximum(total, 1)), 0.0)
            give = np.floor(req * ratio[:, None]).astype(np.int64)
            on_hand[:, SH] -= give.sum(axis=1)
            for s_, w_ in zip(*np.nonzero(give), strict=True):
                q = int(give[s_, w_])
                back = d + TRANSFER_LEAD[int(w_)]
                arrive[back, s_, w_] += q
                in_transit[s_, w_] += q
                run.transfers.append((d, back, int(s_), int(w_), q))

        if plan_mos:
            weekly = policy.review_day[:, SH] == weekday[d]
            pos = on_hand.sum(axis=1) + in_transit.sum(axis=1) + mo_open
            cover_lead = policy.mfg_lead
            lo_c, hi_c = policy.lo[:, SH] + 8, policy.hi[:, SH] + 8
            need = np.ceil(company_fwd[d] * (cover_lead + hi_c) - pos).astype(np.int64)
            go = make & weekly & (pos < company_fwd[d] * (cover_lead + lo_c)) & (company_fwd[d] > 0)
            for s_ in np.flatnonzero(go):
                # Minimum batch: a month of demand, at least MO_MIN_QTY units; round to tens.
                q = max(int(need[s_]), int(np.ceil(company_fwd[d, s_] * 30)), MO_MIN_QTY)
                q = int(np.ceil(q / 10) * 10) if q >= 50 else int(np.ceil(q / 5) * 5)
                run.mo_releases.append((d, int(s_), q))
                mo_open[s_] += q
                mo_due[d + int(policy.mfg_lead[s_]), s_] += q

        # 4. Cycle-count corrections, then expedite whatever would be negative.
        counted = (rng.random((n_sku, n_wh)) < 0.002) & (on_hand >= 20)
        for s_, w_ in zip(*np.nonzero(counted), strict=True):
            q = int(rng.choice([-3, -2, -1, -1, 1, 2]))
            on_hand[s_, w_] += q
            run.adjustments.append((d, int(s_), int(w_), q))
        short = on_hand < 0
        if short.any():
            for s_, w_ in zip(*np.nonzero(short), strict=True):
                run.receipts.append((d, int(s_), int(w_), int(-on_hand[s_, w_]), "expedited"))
                run.expedited += 1
            on_hand = np.maximum(on_hand, 0)

        run.on_hand[d] = on_hand
        run.in_transit[d] = in_transit
    return run
