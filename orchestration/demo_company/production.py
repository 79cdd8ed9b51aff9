"""Production planning for the plant: which production orders (MOs) exist and how the plant ran them.

Two kinds of MOs: make-to-stock orders released by the stock policy for plant-made SKUs (inventory.py's
planning run), and make-to-order MOs for bulk B2B lines from social commerce and store orders (`Source`
= `social:SC-…` / `stores:SO-…`). The MES simulation (mes.py) then runs them; an MO is `done` when its
last operation is finished, `progress` when started, `confirmed` when still waiting. The plant's ideal
cycle times are sized so its capacity matches the load at scale 1 (and stays at that speed below scale 1,
idling as `NO-ORDERS` instead), so OEE looks the same at every scale.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .catalog import WORK_CENTER_ROUTES, Catalog
from .demand import ChannelOrders
from .inventory import Policy, StockRun, simulate
from .mes import AVAILABLE_S, MACHINES, WORK_CENTERS, MesResult, Op, expected_efficiency, shift_starts
from .mes import simulate as run_mes
from .window import DAY_S, HOUR_S, Window, rng_for

# Plant capacity / load at scale 1 per work center. Downstream centers get less slack: they wait for
# upstream work anyway, and a tight fit keeps their idle (NO-ORDERS) time small.
HEADROOM = {"CUT": 1.0, "ASM": 1.0, "SEW": 0.95, "PKG": 0.92}
OVERRUN = 1.02  # extra units started to cover scrap
SEQUENCES = (10, 20, 30)
RUSH_DAYS = 5


@dataclass
class PlantResult:
    mos: pd.DataFrame  # one row per MO with its final state
    routings: pd.DataFrame
    ict: dict[str, int]
    mes: MesResult
    stock: StockRun
    production: pd.DataFrame  # production receipts: at, sku, qty, reference


def _product_factor(sku: str) -> float:
    return 0.9 + (zlib.crc32(sku.encode()) % 31) / 100.0


def routings(catalog: Catalog) -> pd.DataFrame:
    """Operations per plant-made SKU (without the time per unit, which comes from the calibration)."""
    setup = {wc[0]: wc[5] for wc in WORK_CENTERS}
    names = {"CUT": "Cutting", "SEW": "Sewing", "ASM": "Assembly", "PKG": "Packing"}
    rows = []
    for r in catalog.products.loc[catalog.products["make"]].itertuples():
        for seq, wc in zip(SEQUENCES, WORK_CENTER_ROUTES[r.family], strict=False):
            rows.append(
                (r.sku_idx, r.sku, seq, names[wc], wc, round(setup[wc] * _product_factor(r.sku + wc)))
            )
    return pd.DataFrame(
        rows, columns=["sku_idx", "Product", "Sequence", "Operation", "Work Center", "Setup Time (min)"]
    )


def make_to_order(channels: list[ChannelOrders], catalog: Catalog) -> pd.DataFrame:
    """One MO per bulk B2B line of a plant-made SKU."""
    parts = []
    cost = catalog.products["cost_cny"].to_numpy()
    for co in channels:
        if "mto" not in co.lines.columns:
            continue
        li = co.lines.loc[co.lines["mto"]]
        o = co.orders.iloc[li["order"].to_numpy()]
        price = li["unit_price"].to_numpy()
        parts.append(
            pd.DataFrame(
                {
                    "sku": li["sku"].to_numpy(),
                    "qty": li["qty"].to_numpy(),
                    "release": o["ordered_at"].to_numpy(dtype="datetime64[s]")
                    + np.timedelta64(2 * HOUR_S, "s"),
                    "deadline": o["mto_due"].to_numpy(dtype="datetime64[s]"),
                    "source": co.channel + ":" + o["order_id"].astype(str).to_numpy(),
                    "tier": o["tier"].to_numpy(),
                    "margin": np.round((price - cost[li["sku"].to_numpy()]) / price, 3),
                }
            )
        )
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def plan_and_run(
    seed: int,
    window: Window,
    catalog: Catalog,
    policy: Policy,
    outflow: np.ndarray,
    inflow: np.ndarray,
    channels: list[ChannelOrders],
    scale: float,
) -> PlantResult:
    """Plan MOs with the stock policy, run them through the plant, replay the stock year with its output."""
    rng = rng_for(seed, "production")
    p = catalog.products
    mto = make_to_order(channels, catalog)
    n_d, n_s = outflow.shape[:2]

    # Planning run: MTO output is expected on its due date.
    mto_due = np.zeros((n_d + 120, n_s), np.int64)
    if len(mto):
        dd = np.clip(window.day_index(mto["deadline"].to_numpy()), 0, n_d + 119)
        np.add.at(mto_due, (dd, mto["sku"].to_numpy()), mto["qty"].to_numpy())
    planned = simulate(
        seed, window, policy, outflow, inflow + _as_inflow(mto_due[:n_d], inflow.shape), plan_mos=True
    )

    # The MO list: make-to-stock releases + make-to-order lines, numbered by release time.
    rel = np.array(planned.mo_releases, dtype=np.int64).reshape(-1, 3)
    mts_release = window.utc_at(rel[:, 0], np.full(len(rel), 8 * HOUR_S))
    lead = p["mfg_lead_days"].to_numpy()[rel[:, 1]]
    price = p["price_cny"].to_numpy()[rel[:, 1]]
    mts = pd.DataFrame(
        {
            "sku": rel[:, 1],
            "qty": rel[:, 2],
            "release": mts_release,
            "deadline": mts_release + ((lead * DAY_S) + 10 * HOUR_S).astype("timedelta64[s]"),
            "source": "",
            "tier": "C",
            "margin": np.round((price - p["cost_cny"].to_numpy()[rel[:, 1]]) / price, 3),
        }
    )
    mos = pd.concat([mts, mto], ignore_index=True) if len(mto) else mts
    mos = mos.sort_values(["release", "sku"], kind="stable").reset_index(drop=True)
    mos["ref"] = [f"MO/{i + 1:05d}" for i in range(len(mos))]

    route = routings(catalog)
    ict = calibrate(window, mos, route, scale)
    route["Time per Unit (min)"] = [round(ict[wc] / 60.0, 2) for wc in route["Work Center"]]
    ops = _ops(mos, route)
    mes = run_mes(rng, window, ops, ict)

    # Final state of each MO and its production receipt into WH-SH.
    mos = _states(mos, ops, window)
    done = mos.loc[mos["state"] == "done"]
    production = pd.DataFrame(
        {
            "at": done["finished"].to_numpy(dtype="datetime64[s]"),
            "sku": done["sku"].to_numpy(),
            "qty": done["produced"].to_numpy(),
            "reference": done["ref"].to_numpy(),
        }
    )
    arrivals = np.zeros((n_d, n_s), np.int64)
    np.add.at(
        arrivals,
        (window.day_index(production["at"].to_numpy()), production["sku"].to_numpy()),
        production["qty"].to_numpy(),
    )
    actual = simulate(seed, window, policy, outflow, inflow, mo_arrivals=arrivals, plan_mos=False)
    mos = _extra_orders(rng, mos, window, catalog)
    return PlantResult(mos=mos, routings=route, ict=ict, mes=mes, stock=actual, production=production)


def _as_inflow(per_sku: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    out = np.zeros(shape, np.int64)
    out[:, :, 0] = per_sku
    return out


def calibrate(window: Window, mos: pd.DataFrame, route: pd.DataFrame, scale: float) -> dict[str, int]:
    """Ideal cycle time per work center so that capacity = load x HEADROOM at scale 1."""
    n_shifts = len(shift_starts(window)[0])
    qty_by_sku = mos.groupby("sku")["qty"].sum()
    ict: dict[str, int] = {}
    for wc, _, _, _, _, setup_min in WORK_CENTERS:
        r = route.loc[route["Work Center"] == wc]
        load = float(qty_by_sku.reindex(r["sku_idx"]).fillna(0).sum()) * OVERRUN
        n_ops = int(mos["sku"].isin(r["sku_idx"]).sum())
        machines = [m for m in MACHINES if m.wc == wc]
        setup_s = n_ops * setup_min * 60 * 1.075 * float(np.mean([m.setup_factor for m in machines]))
        avail = len(machines) * n_shifts * AVAILABLE_S - setup_s
        ideal_seconds = avail * float(np.mean([expected_efficiency(m) for m in machines]))
        equiv_load = max(load, 1.0) / min(scale, 1.0)
        ict[wc] = max(1, int(round(ideal_seconds / (equiv_load * HEADROOM[wc]))))
    return ict


def _ops(mos: pd.DataFrame, route: pd.DataFrame) -> list[Op]:
    steps: dict[int, list[tuple[int, str, int]]] = {}
    for sku, seq, wc, setup in zip(
        route["sku_idx"], route["Sequence"], route["Work Center"], route["Setup Time (min)"], strict=True
    ):
        steps.setdefault(int(sku), []).append((int(seq), str(wc), int(setup)))
    release = mos["release"].to_numpy(dtype="datetime64[s]").astype(np.int64)
    # Planners pull customer orders forward: MTO operations are sequenced as if due RUSH_DAYS earlier.
    deadline = mos["deadline"].to_numpy(dtype="datetime64[s]").astype(np.int64)
    deadline = deadline - np.where(mos["source"].to_numpy() != "", RUSH_DAYS * DAY_S, 0)
    ops: list[Op] = []
    for i, (sku, qty) in enumerate(zip(mos["sku"].to_numpy(), mos["qty"].to_numpy(), strict=True)):
        route_steps = sorted(steps[int(sku)])
        first = len(ops)
        for k, (seq, wc, setup) in enumerate(route_steps):
            ops.append(
                Op(
                    mo=i,
                    seq=seq,
                    wc=wc,
                    setup_s=setup * 60,
                    deadline=int(deadline[i]),
                    release=int(release[i]),
                    successor=first + k + 1 if k + 1 < len(route_steps) else -1,
                    qty_in=int(np.ceil(qty * OVERRUN)) if k == 0 else 0,
                )
            )
    return ops


def _states(mos: pd.DataFrame, ops: list[Op], window: Window) -> pd.DataFrame:
    mos = mos.copy()
    n = len(mos)
    started = np.full(n, -1, np.int64)
    finished = np.full(n, -1, np.int64)
    produced = np.zeros(n, np.int64)
    last = {}
    for i, op in enumerate(ops):
        if op.started >= 0 and (started[op.mo] < 0 or op.started < started[op.mo]):
            started[op.mo] = op.started
        if op.successor < 0:
            last[op.mo] = i
    for mo, i in last.items():
        produced[mo] = ops[i].good
        finished[mo] = ops[i].done_at
    state = np.where(finished >= 0, "done", np.where(started >= 0, "progress", "confirmed"))
    mos["state"] = state
    mos["produced"] = produced
    mos["started"] = np.where(started >= 0, started, 0).astype("datetime64[s]")
    mos.loc[started < 0, "started"] = np.datetime64("NaT")
    mos["finished"] = np.where(finished >= 0, finished, 0).astype("datetime64[s]")
    mos.loc[finished < 0, "finished"] = np.datetime64("NaT")
    return mos


def _extra_orders(
    rng: np.random.Generator, mos: pd.DataFrame, window: Window, catalog: Catalog
) -> pd.DataFrame:
    """Orders the MES has not seen: cancelled duplicates (entered twice, one cancelled), MOs confirmed for
    the coming week and drafts for the weeks after. New references follow the existing ones."""
    p = catalog.products
    mts = mos.loc[mos["source"] == ""]
    k = max(1, int(round(len(mts) * 0.02)))
    dup = mts.iloc[rng.choice(len(mts), min(k, len(mts)), replace=False)].copy()
    dup = dup.drop(columns="ref")
    dup["state"], dup["produced"] = "cancel", 0
    dup["started"], dup["finished"] = np.datetime64("NaT", "s"), np.datetime64("NaT", "s")

    weekly = max(2, int(round(len(mts) / 52)))
    make = p.loc[p["make"], "sku_idx"].to_numpy()
    pop = p["popularity"].to_numpy()[make]
    snap = window.snapshot_utc
    parts = [mos, dup]
    for state, n_new, lo_day, hi_day in (
        ("confirmed", weekly, 0.3, 6.0),
        ("draft", max(2, weekly // 2), 8, 20),
    ):
        sku = rng.choice(make, n_new, replace=False, p=pop / pop.sum())
        rel = snap + (rng.uniform(lo_day, hi_day, n_new) * DAY_S).astype(np.int64).astype("timedelta64[s]")
        lead = p["mfg_lead_days"].to_numpy()[sku]
        deadline = rel + (lead * DAY_S + 10 * HOUR_S).astype("timedelta64[s]")
        if state == "confirmed":  # the planner promised these within four weeks
            deadline = np.minimum(deadline, snap + np.timedelta64(27 * DAY_S, "s"))
        price = p["price_cny"].to_numpy()[sku]
        typical = mts["qty"].median() if len(mts) else 50
        parts.append(
            pd.DataFrame(
                {
                    "sku": sku,
                    "qty": (np.maximum(rng.uniform(0.5, 1.5, n_new) * typical / 10, 1).round() * 10).astype(
                        int
                    ),
                    "release": rel,
                    "deadline": deadline,
                    "source": "",
                    "tier": "C",
                    "margin": np.round((price - p["cost_cny"].to_numpy()[sku]) / price, 3),
                    "state": state,
                    "produced": 0,
                    "started": np.datetime64("NaT", "s"),
                    "finished": np.datetime64("NaT", "s"),
                }
            )
        )
    extra = pd.concat(parts[1:], ignore_index=True).sort_values("release", kind="stable")
    extra["ref"] = [f"MO/{len(mos) + i + 1:05d}" for i in range(len(extra))]
    for col in ("started", "finished"):
        extra[col] = extra[col].astype("datetime64[s]")
        mos[col] = mos[col].astype("datetime64[s]")
    return pd.concat([mos, extra[mos.columns]], ignore_index=True)
