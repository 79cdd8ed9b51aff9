"""Production planning for the plant: routings, the production orders (MOs) and how the plant ran them.

Routings: 4–7 operations per plant-made SKU (ROUTES per style; grey tees are also garment-washed), a few
operations restricted to some machines (`Eligible Machines`: twill chinos only on the heavy-fabric
cutter CUT-01, shirts not on the legacy SEW-05, power banks only on the battery-welding cell ASM-02).

Two kinds of MOs: make-to-stock orders released by the stock policy for plant-made SKUs (inventory.py's
planning run), and make-to-order MOs for bulk B2B lines from social commerce and store orders (`Source`
= `social:SC-…` / `stores:SO-…`, with the customer's tier and the line's margin). Planners cut both into
lots (a make-to-stock batch into lots of about LOT_UNITS due LOT_DAYS apart, a large B2B line into up to
MAX_MTO_LOTS lots due together). The MES simulation (mes.py) then runs them; an MO is `done` when its
last operation is finished, `progress` when started, `confirmed` when still waiting. At the snapshot the
planner has also confirmed make-to-stock lots for the coming days (due within half to all of the lead
time, at most five weeks out) for SKUs whose every work center still has room, until the open load
reaches LOAD_TARGET of the capacity over the next LOAD_DAYS (x scale below 1) on their routes, and has
drafts for the weeks after.

The plant's ideal cycle times are sized so its capacity is the load x HEADROOM at scale 1 (and stays at
that speed below scale 1, idling as `NO-ORDERS` instead), so OEE looks the same at every scale. Sewing
(and on the electronics side assembly) is the bottleneck. The routing's `Time per Unit (min)` is the
planning standard: the ideal cycle time divided by the work center's efficiency without breakdowns
(speed and minor stops).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .catalog import Catalog
from .demand import ChannelOrders
from .inventory import Policy, StockRun, simulate
from .materials import bom_by_operation, consumption
from .mes import (
    MATERIAL_WAIT_MIN,
    MATERIAL_WAIT_P,
    SETUP_SPREAD,
    MesResult,
    Op,
    expected_efficiency,
    standard_efficiency,
)
from .mes import simulate as run_mes
from .plant import (
    MACHINE_INDEX,
    MACHINES,
    SETUP_MIN,
    WORK_CENTERS,
    Downtime,
    available_seconds,
    calendar_shifts,
    history_shifts,
    planned_downtime,
    shift_clocks,
)
from .window import DAY_S, HOUR_S, Window, rng_for

# Plant capacity / load at scale 1 per work center. Sewing is the bottleneck (labour-bound), printing
# and electronics assembly come next; the other centers have slack and idle as `NO-ORDERS` at times.
HEADROOM = {
    "CUT": 1.3,
    "PRT": 1.3,
    "SEW": 1.0,
    "WSH": 2.0,
    "TRM": 1.6,
    "SMT": 1.3,
    "ASM": 1.05,
    "TST": 1.5,
    "BRN": 1.5,
    "QC": 1.6,
    "PKG": 1.6,
}
OVERRUN = 1.02  # extra units started to cover scrap
RUSH_DAYS = 5
LOT_UNITS = 30  # make-to-stock batches are cut into lots of about this size (at most MAX_LOTS)
MAX_LOTS = 6
LOT_DAYS = 2  # lots of one batch are due this many days apart
MTO_LOT_UNITS = 100  # a B2B line above this is made in up to MAX_MTO_LOTS lots
MAX_MTO_LOTS = 4
LOAD_DAYS = 21
LOAD_TARGET = 1.0

# Operations per style (work centers in order); the name of each operation.
ROUTES = {
    "LSH": ("CUT", "SEW", "TRM", "QC", "PKG"),
    "OXS": ("CUT", "PRT", "SEW", "TRM", "QC", "PKG"),
    "OCT": ("CUT", "PRT", "SEW", "TRM", "QC", "PKG"),
    "CHN": ("CUT", "SEW", "WSH", "TRM", "QC", "PKG"),
    "EBD": ("SMT", "ASM", "TST", "BRN", "QC", "PKG"),
    "SPK": ("ASM", "TST", "BRN", "QC", "PKG"),
    "PB1": ("SMT", "ASM", "TST", "BRN", "QC", "PKG"),
    "PB2": ("SMT", "ASM", "TST", "BRN", "QC", "PKG"),
    "GAN": ("SMT", "ASM", "TST", "QC", "PKG"),
    "CBL": ("ASM", "TST", "QC", "PKG"),
}
WASHED = {("OCT", "Grey")}  # colours garment-washed after sewing (one more operation)
OPERATION_NAMES = {
    "CUT": "Cutting",
    "PRT": "Printing",
    "SEW": "Sewing",
    "WSH": "Garment wash",
    "TRM": "Trim & press",
    "SMT": "SMT placement & reflow",
    "ASM": "Assembly",
    "TST": "Functional test",
    "BRN": "Burn-in",
    "QC": "Final inspection",
    "PKG": "Packing",
}
STYLE_OPERATION_NAMES = {("OXS", "PRT"): "Logo embroidery", ("OCT", "PRT"): "Screen printing"}
_SEW_NOT_LEGACY = ("SEW-01", "SEW-02", "SEW-03", "SEW-04")
ELIGIBLE = {
    ("CHN", "CUT"): ("CUT-01",),  # twill: the heavy-fabric cutter only
    ("LSH", "SEW"): _SEW_NOT_LEGACY,  # shirts need the newer lines
    ("OXS", "SEW"): _SEW_NOT_LEGACY,
    ("PB1", "ASM"): ("ASM-02",),  # battery welding
    ("PB2", "ASM"): ("ASM-02",),
}


@dataclass
class PlantResult:
    mos: pd.DataFrame  # one row per MO with its final state
    routings: pd.DataFrame
    ict: dict[str, int]
    mes: MesResult
    stock: StockRun
    production: pd.DataFrame  # production receipts: at, sku, qty, reference
    downtime: Downtime
    consumption: pd.DataFrame  # MES material consumption rows, as written


def _product_factor(sku: str) -> float:
    return 0.9 + (zlib.crc32(sku.encode()) % 31) / 100.0


def route_of(style: str, color: str) -> tuple[str, ...]:
    route = ROUTES[style]
    if (style, color) in WASHED:
        k = route.index("SEW") + 1
        route = route[:k] + ("WSH",) + route[k:]
    return route


def routings(catalog: Catalog) -> pd.DataFrame:
    """Operations per plant-made SKU (without the time per unit, which comes from the calibration)."""
    rows = []
    for r in catalog.products.loc[catalog.products["make"]].itertuples():
        for k, wc in enumerate(route_of(r.style_code, r.color)):
            rows.append(
                (
                    r.sku_idx,
                    r.sku,
                    10 * (k + 1),
                    STYLE_OPERATION_NAMES.get((r.style_code, wc), OPERATION_NAMES[wc]),
                    wc,
                    round(SETUP_MIN[wc] * _product_factor(r.sku + wc)),
                    ";".join(ELIGIBLE.get((r.style_code, wc), ())),
                )
            )
    return pd.DataFrame(
        rows,
        columns=[
            "sku_idx",
            "Product",
            "Sequence",
            "Operation",
            "Work Center",
            "Setup Time (min)",
            "Eligible Machines",
        ],
    )


def make_to_order(channels: list[ChannelOrders], catalog: Catalog) -> pd.DataFrame:
    """One MO per bulk B2B line of a plant-made SKU (before cutting it into lots)."""
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


def _lots(mos: pd.DataFrame, n_lots: np.ndarray, stagger_s: int) -> pd.DataFrame:
    """Cut each MO into n_lots lots (sizes differ by at most 1); lot j of k is due (k-1-j) x stagger_s
    earlier than the whole batch."""
    n_lots = np.maximum(np.asarray(n_lots, dtype=np.int64), 1)
    rep = mos.loc[mos.index.repeat(n_lots)].reset_index(drop=True)
    k = np.repeat(n_lots, n_lots)
    j = np.concatenate([np.arange(n) for n in n_lots]) if len(n_lots) else np.zeros(0, np.int64)
    total = rep["qty"].to_numpy()
    rep["qty"] = total // k + (j < total % k)
    rep["deadline"] = rep["deadline"].to_numpy(dtype="datetime64[s]") - ((k - 1 - j) * stagger_s).astype(
        "timedelta64[s]"
    )
    return rep


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

    mos = _production_orders(window, catalog, planned, mto)

    route = routings(catalog)
    hist = history_shifts(window)
    downtime = planned_downtime(seed, window)
    clocks, _ = shift_clocks(hist, downtime)
    ict = calibrate(available_seconds(hist, downtime), mos, route, scale)
    standard = standard_seconds(ict)
    route["Time per Unit (min)"] = [round(standard[wc] / 60.0, 2) for wc in route["Work Center"]]
    ops = _ops(mos, route)
    mes = run_mes(rng, hist, clocks, ops, ict, standard)

    mos = _states(mos, ops)
    production, arrivals = _receipts(window, mos, (n_d, n_s))
    actual = simulate(seed, window, policy, outflow, inflow, mo_arrivals=arrivals, plan_mos=False)
    used = consumption(
        rng_for(seed, "mes-materials"),
        mes,
        mos["sku"].to_numpy(np.int64),
        mos["ref"].tolist(),
        bom_by_operation(catalog, route),
    )
    capacity = capacity_minutes(window, downtime, LOAD_DAYS)
    mos = _extra_orders(rng, mos, ops, route, standard, capacity, window, catalog, scale)
    return PlantResult(
        mos=mos,
        routings=route,
        ict=ict,
        mes=mes,
        stock=actual,
        production=production,
        downtime=downtime,
        consumption=used,
    )


def _production_orders(
    window: Window, catalog: Catalog, planned: StockRun, mto: pd.DataFrame
) -> pd.DataFrame:
    """The MO list: the planning run's make-to-stock lots and the make-to-order lots, numbered by release
    time."""
    p = catalog.products
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
    mts = _lots(mts, np.clip(np.round(mts["qty"] / LOT_UNITS), 1, MAX_LOTS), LOT_DAYS * DAY_S)
    if len(mto):
        mto = _lots(mto, np.clip(np.ceil(mto["qty"] / MTO_LOT_UNITS), 1, MAX_MTO_LOTS), 0)
    mos = pd.concat([mts, mto], ignore_index=True) if len(mto) else mts
    mos = mos.sort_values(["release", "sku"], kind="stable").reset_index(drop=True)
    mos["ref"] = [f"MO/{i + 1:05d}" for i in range(len(mos))]
    return mos


def _receipts(window: Window, mos: pd.DataFrame, shape: tuple[int, int]) -> tuple[pd.DataFrame, np.ndarray]:
    """The finished MOs' receipts into WH-SH (at, sku, qty, reference), and the units per day and SKU."""
    done = mos.loc[mos["state"] == "done"]
    production = pd.DataFrame(
        {
            "at": done["finished"].to_numpy(dtype="datetime64[s]"),
            "sku": done["sku"].to_numpy(),
            "qty": done["produced"].to_numpy(),
            "reference": done["ref"].to_numpy(),
        }
    )
    arrivals = np.zeros(shape, np.int64)
    np.add.at(
        arrivals,
        (window.day_index(production["at"].to_numpy()), production["sku"].to_numpy()),
        production["qty"].to_numpy(),
    )
    return production, arrivals


def _as_inflow(per_sku: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    out = np.zeros(shape, np.int64)
    out[:, :, 0] = per_sku
    return out


def _machines_of(wc: str) -> list[int]:
    return [i for i, m in enumerate(MACHINES) if m.wc == wc]


def calibrate(avail: np.ndarray, mos: pd.DataFrame, route: pd.DataFrame, scale: float) -> dict[str, int]:
    """Ideal cycle time per work center so that capacity = load x HEADROOM at scale 1.

    avail: (machines, history shifts) seconds available for production (calendar minus break and
    planned downtime). Setups and material waits are expected per operation run."""
    qty_by_sku = mos.groupby("sku")["qty"].sum()
    n_by_sku = mos.groupby("sku").size()
    setup_spread = float(np.mean(SETUP_SPREAD))
    wait_s = MATERIAL_WAIT_P * float(np.mean(MATERIAL_WAIT_MIN)) * 60
    ict: dict[str, int] = {}
    for wc, *_ in WORK_CENTERS:
        r = route.loc[route["Work Center"] == wc]
        load = float(qty_by_sku.reindex(r["sku_idx"]).fillna(0).sum()) * OVERRUN
        runs = n_by_sku.reindex(r["sku_idx"]).fillna(0).to_numpy()
        idx = _machines_of(wc)
        factor = float(np.mean([MACHINES[i].setup_factor for i in idx]))
        setup_s = float((runs * r["Setup Time (min)"].to_numpy()).sum()) * 60 * setup_spread * factor
        lost_s = setup_s + runs.sum() * wait_s
        eff = np.array([expected_efficiency(MACHINES[i]) for i in idx])
        ideal_seconds = float((avail[idx].sum(axis=1) * eff).sum()) - lost_s * float(eff.mean())
        equiv_load = max(load, 1.0) / min(scale, 1.0)
        ict[wc] = max(1, int(round(ideal_seconds / (equiv_load * HEADROOM[wc]))))
    return ict


def standard_seconds(ict: dict[str, int]) -> dict[str, float]:
    """The routing's standard seconds per unit: ideal cycle time / efficiency without breakdowns."""
    return {
        wc: ict[wc] / float(np.mean([standard_efficiency(MACHINES[i]) for i in _machines_of(wc)]))
        for wc, *_ in WORK_CENTERS
    }


def capacity_minutes(window: Window, downtime: Downtime, days: int) -> dict[str, float]:
    """Calendar minutes available per work center over the `days` days from the snapshot (shift minus
    break minus planned downtime)."""
    sh = calendar_shifts(window)
    ahead = (sh.day >= np.datetime64(window.as_of, "D")) & (
        sh.day < np.datetime64(window.as_of, "D") + np.timedelta64(days, "D")
    )
    avail = available_seconds(sh, downtime)[:, ahead].sum(axis=1) / 60.0
    return {wc: float(avail[_machines_of(wc)].sum()) for wc, *_ in WORK_CENTERS}


def _ops(mos: pd.DataFrame, route: pd.DataFrame) -> list[Op]:
    steps: dict[int, list[tuple[int, str, int, tuple[int, ...]]]] = {}
    for sku, seq, wc, setup, elig in zip(
        route["sku_idx"],
        route["Sequence"],
        route["Work Center"],
        route["Setup Time (min)"],
        route["Eligible Machines"],
        strict=True,
    ):
        machines = tuple(sorted(MACHINE_INDEX[m] for m in elig.split(";") if m))
        steps.setdefault(int(sku), []).append((int(seq), str(wc), int(setup), machines))
    release = mos["release"].to_numpy(dtype="datetime64[s]").astype(np.int64)
    # Planners pull customer orders forward: MTO operations are sequenced as if due RUSH_DAYS earlier.
    deadline = mos["deadline"].to_numpy(dtype="datetime64[s]").astype(np.int64)
    deadline = deadline - np.where(mos["source"].to_numpy() != "", RUSH_DAYS * DAY_S, 0)
    ops: list[Op] = []
    for i, (sku, qty) in enumerate(zip(mos["sku"].to_numpy(), mos["qty"].to_numpy(), strict=True)):
        route_steps = sorted(steps[int(sku)])
        first = len(ops)
        for k, (seq, wc, setup, machines) in enumerate(route_steps):
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
                    eligible=machines,
                )
            )
    return ops


def _states(mos: pd.DataFrame, ops: list[Op]) -> pd.DataFrame:
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


def open_load_minutes(mos: pd.DataFrame, ops: list[Op], standard: dict[str, float]) -> dict[str, float]:
    """Standard minutes still to do per work center for the MOs the MES ran that are not done: setup of
    operations not started + standard time x units not yet counted."""
    load = dict.fromkeys(standard, 0.0)
    open_ = set(np.flatnonzero(mos["state"].isin(["confirmed", "progress"]).to_numpy()).tolist())
    qty = mos["qty"].to_numpy()
    for op in ops:
        if op.mo not in open_ or op.done_at >= 0:
            continue
        units = op.qty_in if op.qty_in > 0 else int(np.ceil(qty[op.mo] * OVERRUN))
        left = max(units - op.counted, 0)
        load[op.wc] += (op.setup_s if op.started < 0 else 0) / 60.0 + left * standard[op.wc] / 60.0
    return load


def _extra_orders(
    rng: np.random.Generator,
    mos: pd.DataFrame,
    ops: list[Op],
    route: pd.DataFrame,
    standard: dict[str, float],
    capacity: dict[str, float],
    window: Window,
    catalog: Catalog,
    scale: float,
) -> pd.DataFrame:
    """Orders the MES has not seen: cancelled duplicates (entered twice, one cancelled), make-to-stock
    lots confirmed for the coming days and drafts for the weeks after. New references follow the
    existing ones.

    Confirmed lots (at least half a week's worth) are added for SKUs whose every work center's open load
    is still below LOAD_TARGET x min(scale, 1) of its capacity over the next LOAD_DAYS, until none is."""
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
    lots = mts["qty"].to_numpy() if len(mts) else np.array([40])
    snap = window.snapshot_utc
    steps: dict[int, list[tuple[str, int]]] = {}
    for sku, wc, setup in zip(route["sku_idx"], route["Work Center"], route["Setup Time (min)"], strict=True):
        steps.setdefault(int(sku), []).append((str(wc), int(setup)))

    load = open_load_minutes(mos, ops, standard)
    target = LOAD_TARGET * min(scale, 1.0)
    confirmed: list[tuple[int, int]] = []
    while len(confirmed) < weekly * 6:
        # The planner fills the lines that still have room: SKUs whose every work center is below target.
        room = np.array(
            [all(load[wc] < target * capacity[wc] for wc, _ in steps[int(s)]) for s in make], dtype=bool
        )
        if not room.any() and len(confirmed) >= weekly // 2:
            break
        fits = room if room.any() else np.ones(len(make), bool)
        sku = int(rng.choice(make[fits], p=pop[fits] / pop[fits].sum()))
        qty = int(rng.choice(lots))
        confirmed.append((sku, qty))
        for wc, setup in steps[sku]:
            load[wc] += setup + qty * OVERRUN * standard[wc] / 60.0

    parts = [mos, dup]
    n_draft = max(2, weekly // 2)
    draft_sku = rng.choice(make, n_draft, replace=False, p=pop / pop.sum())
    draft_qty = rng.choice(lots, n_draft)
    confirmed_sku = np.array([s for s, _ in confirmed], dtype=np.int64)
    confirmed_qty = np.array([q for _, q in confirmed], dtype=np.int64)
    parts.append(_new_lots(rng, catalog, snap, "confirmed", confirmed_sku, confirmed_qty, (0.3, 8.0)))
    parts.append(_new_lots(rng, catalog, snap, "draft", draft_sku, draft_qty, (8, 20)))
    extra = pd.concat(parts[1:], ignore_index=True).sort_values("release", kind="stable")
    extra["ref"] = [f"MO/{len(mos) + i + 1:05d}" for i in range(len(extra))]
    for col in ("started", "finished"):
        extra[col] = extra[col].astype("datetime64[s]")
        mos[col] = mos[col].astype("datetime64[s]")
    return pd.concat([mos, extra[mos.columns]], ignore_index=True)


def _new_lots(
    rng: np.random.Generator,
    catalog: Catalog,
    snap: np.datetime64,
    state: str,
    sku: np.ndarray,
    qty: np.ndarray,
    days: tuple[float, float],
) -> pd.DataFrame:
    """Make-to-stock lots the planner added at the snapshot, released `days` (from, to) after it."""
    p = catalog.products
    n_new = len(sku)
    rel = snap + (rng.uniform(days[0], days[1], n_new) * DAY_S).astype(np.int64).astype("timedelta64[s]")
    lead = p["mfg_lead_days"].to_numpy()[sku] * DAY_S
    if state == "confirmed":  # promised within half to all of the lead time, at most five weeks out
        lead = (lead * rng.uniform(0.5, 1.0, n_new)).astype(np.int64)
    deadline = rel + (lead + 10 * HOUR_S).astype("timedelta64[s]")
    if state == "confirmed":
        deadline = np.minimum(deadline, snap + np.timedelta64(35 * DAY_S, "s"))
    price = p["price_cny"].to_numpy()[sku]
    return pd.DataFrame(
        {
            "sku": sku,
            "qty": qty,
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
