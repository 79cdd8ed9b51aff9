"""The MES simulation: the plant (plant.py) runs the production orders shift by shift over the history.

Each calendar shift of each machine (its own calendar, plant.py) is tiled exactly by MES events (no gaps,
no overlaps): a 30-minute planned break in the middle of the shift, planned downtime (`planned_stop` /
`PM`, from erp/machine_downtime.csv), setups when a machine changes production-order operation,
breakdowns and minor stops that occur while it runs (so their share does not depend on how busy the
plant is), now and then a longer wait for material (`idle` / `WAIT-MATERIAL`) before an operation,
running time, and `planned_stop` / `NO-ORDERS` when there is no released work the machine may do.
Operations are pulled by earliest deadline (EDD), each only by the machines its routing allows
(`Eligible Machines`). Counts are booked per machine x shift x production order operation and never
exceed what the ideal cycle time allows in the shift's run time (performance <= 99.5 %).

OEE arithmetic the data is built for (domain.md): planned production time = shift - planned stops
(break, planned downtime, no orders); run time = planned production time - breakdowns - setups (idle
minor stops and material waits stay in run time); performance = total_count x ideal cycle time / run
time; quality = good / total.

The dispatch plan is what the planner gave each machine for each shift, issued the day before: from the
queues as they stand before the shift, each machine's current operation and then the next ones it may
do in EDD order, at the routing's standard time per unit (which allows for minor stops but not for
breakdowns) after the routing's setup. Actual counts then fall short of it for reasons the data shows:
a breakdown or a material wait on that machine in that shift, a slower machine than the standard (the
legacy SEW-05), scrap (good below total), and planned operations that did not start at all.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .output import Output, fmt_date, fmt_local
from .plant import AVAILABLE_S, MACHINES, Machine, ShiftClock, Shifts

WORK_AHEAD_S = 2 * 24 * 3600  # a released lot may start up to two days before its scheduled date
PERF_CAP = 0.995
BREAKDOWN_REASONS = ("BD-MECH", "BD-ELEC", "BD-JAM")
MINOR_REASONS = ("MINOR-STOP", "ADJUST")
MATERIAL_WAIT_P = 0.05  # share of operation starts that wait for material first
MATERIAL_WAIT_MIN = (20.0, 80.0)  # minutes, uniform
SETUP_SPREAD = (0.85, 1.3)  # actual setup / standard setup x machine factor, uniform


def minor_allowance(m: Machine) -> float:
    """Share of running time lost to minor stops at full load (the routing standard allows for it)."""
    return m.minor_stops_per_shift * m.minor_stop_minutes * 60 / (AVAILABLE_S * 0.9)


def standard_efficiency(m: Machine) -> float:
    """Ideal-time output per running second without breakdowns: what the routing standard assumes."""
    return m.speed / (1 + minor_allowance(m))


def expected_efficiency(m: Machine) -> float:
    """Expected ideal-time output per available second at full load, before setups and material waits."""
    bd = m.breakdowns_per_shift * m.breakdown_minutes * 60 / (AVAILABLE_S * 0.9)
    return m.speed / (1 + bd + minor_allowance(m))


@dataclass
class Op:
    """One operation of one production order, as the MES sees it."""

    mo: int
    seq: int
    wc: str
    setup_s: int
    deadline: int
    release: int
    successor: int  # index of the next operation of the same order, -1 for the last one
    qty_in: int = 0  # units to process (the predecessor's good output)
    eligible: tuple[int, ...] = ()  # machine indexes allowed to run it; empty = every machine of wc
    progress: float = 0.0
    counted: int = 0
    good: int = 0
    started: int = -1
    done_at: int = -1
    carry: int = 0


@dataclass
class MesResult:
    events: pd.DataFrame  # machine, state, start, end (UTC seconds), reason
    counts: pd.DataFrame  # machine, shift, op, total, good, day, code
    plan: pd.DataFrame  # machine, shift, op, planned, day, code
    ops: list[Op] = field(repr=False)
    shifts: Shifts = field(repr=False)


@dataclass
class _MachineState:
    machine: Machine
    ict: int
    keys: list[tuple[str, tuple[int, ...]]]  # the queues it may pull from
    op: int = -1
    setup_left: int = 0
    wait_left: int = 0
    to_breakdown: float = 0.0
    to_minor: float = 0.0


Queue = list[tuple[int, int, int]]  # heap of (deadline, mo, op index)


def simulate(
    rng: np.random.Generator,
    shifts: Shifts,
    clocks: dict[tuple[int, int], ShiftClock],
    ops: list[Op],
    ict: dict[str, int],
    standard_s: dict[str, float],
) -> MesResult:
    """Run the plant over `shifts`; `clocks` holds the machine-shifts with planned downtime,
    `standard_s` the routing's standard seconds per unit per work center (for the dispatch plan)."""
    default_clock = ShiftClock()
    keys = sorted({(o.wc, o.eligible) for o in ops})
    future: dict[tuple[str, tuple[int, ...]], list[tuple[int, int, int]]] = {k: [] for k in keys}
    for i in _first_ops(ops):
        future[(ops[i].wc, ops[i].eligible)].append((ops[i].release, ops[i].deadline, i))
    for lst in future.values():
        lst.sort()
    pointer = dict.fromkeys(keys, 0)
    ready: dict[tuple[str, tuple[int, ...]], Queue] = {k: [] for k in keys}
    waiting: list[tuple[int, int]] = []  # (eligible time, op) for successors of finished operations

    states = []
    for mi, m in enumerate(MACHINES):
        own = [k for k in keys if k[0] == m.wc and (not k[1] or mi in k[1])]
        s = _MachineState(m, ict[m.wc], own)
        s.to_breakdown = _draw_ttf(rng, m.breakdowns_per_shift)
        s.to_minor = _draw_ttf(rng, m.minor_stops_per_shift)
        states.append(s)

    local = [sum(1 for m in MACHINES[:mi] if m.wc == MACHINES[mi].wc) for mi in range(len(MACHINES))]
    crew = [sum(1 for m in MACHINES if m.wc == MACHINES[mi].wc) for mi in range(len(MACHINES))]
    ev_rows: list[tuple[int, str, int, int, str]] = []
    cnt_rows: list[tuple[int, int, int, int, int]] = []  # machine, shift index, op, total, good
    plan_rows: list[tuple[int, int, int, int]] = []  # machine, shift index, op, planned units

    for si in range(len(shifts)):
        t0 = int(shifts.start[si])
        for k, lst in future.items():
            j = pointer[k]
            while j < len(lst) and lst[j][0] <= t0 + WORK_AHEAD_S:
                heapq.heappush(ready[k], (lst[j][1], ops[lst[j][2]].mo, lst[j][2]))
                j += 1
            pointer[k] = j
        still = []
        for when, i in waiting:
            if when <= t0:
                heapq.heappush(ready[(ops[i].wc, ops[i].eligible)], (ops[i].deadline, ops[i].mo, i))
            else:
                still.append((when, i))
        waiting = still

        # Machines of a work center pick work in a rotating order, so none is always last in line.
        order = sorted(
            (mi for mi in range(len(states)) if shifts.works[mi, si]),
            key=lambda mi: ((local[mi] - si) % crew[mi], mi),
        )
        plan_rows += _dispatch(si, order, states, ready, ops, clocks, default_clock, standard_s)

        for mi in order:
            st = states[mi]
            clk = clocks.get((mi, si), default_clock)
            segs, produced = _run_shift(rng, st, clk, t0, ops, ready)
            for i, total, good in _book_counts(rng, st, segs, produced, ops, waiting):
                cnt_rows.append((mi, si, i, total, good))
            for state, a, b, reason in clk.events(segs):
                ev_rows.append((mi, state, t0 + a, t0 + b, reason))

    events = pd.DataFrame(ev_rows, columns=["machine", "state", "start", "end", "reason"])
    counts = pd.DataFrame(cnt_rows, columns=["machine", "shift", "op", "total", "good"])
    plan = pd.DataFrame(plan_rows, columns=["machine", "shift", "op", "planned"])
    for frame in (counts, plan):
        frame["day"] = shifts.day[frame["shift"].to_numpy()]
        frame["code"] = shifts.code[frame["shift"].to_numpy()]
    return MesResult(events=events, counts=counts, plan=plan, ops=ops, shifts=shifts)


def _run_shift(
    rng: np.random.Generator,
    st: _MachineState,
    clk: ShiftClock,
    t0: int,
    ops: list[Op],
    ready: dict[tuple[str, tuple[int, ...]], Queue],
) -> tuple[list[tuple[str, int, int, str]], dict[int, float]]:
    """One machine through one shift (`t0` its start): the segments of its available time (state, from,
    to, reason; seconds of run time) and the units of progress it made per operation."""
    m = st.machine
    avail = clk.avail
    segs: list[tuple[str, int, int, str]] = []
    produced: dict[int, float] = {}
    t = 0
    while t < avail:
        if st.op < 0:
            picked = _pick(ready, st.keys)
            if picked < 0:
                segs.append(("planned_stop", t, avail, "NO-ORDERS"))
                break
            st.op = picked
            op = ops[st.op]
            st.setup_left = int(op.setup_s * m.setup_factor * rng.uniform(*SETUP_SPREAD))
            st.wait_left = int(rng.uniform(*MATERIAL_WAIT_MIN) * 60) if rng.random() < MATERIAL_WAIT_P else 0
            if op.started < 0:
                op.started = t0 + clk.clock(t)
        if st.wait_left > 0:
            d = min(st.wait_left, avail - t)
            segs.append(("idle", t, t + d, "WAIT-MATERIAL"))
            st.wait_left -= d
            t += d
            continue
        if st.setup_left > 0:
            d = min(st.setup_left, avail - t)
            segs.append(("setup", t, t + d, "CHANGEOVER"))
            st.setup_left -= d
            t += d
            continue
        op = ops[st.op]
        rate = m.speed / st.ict
        need = max(math.ceil((op.qty_in - op.progress) / rate - 1e-9), 1)
        d = int(
            min(
                need,
                avail - t,
                max(math.ceil(st.to_breakdown), 1),
                max(math.ceil(st.to_minor), 1),
            )
        )
        segs.append(("running", t, t + d, ""))
        before = op.progress
        op.progress = min(op.qty_in, op.progress + d * rate)
        produced[st.op] = produced.get(st.op, 0.0) + (op.progress - before)
        st.to_breakdown -= d
        st.to_minor -= d
        t += d
        if op.progress >= op.qty_in - 1e-6:
            op.progress = float(op.qty_in)
            op.done_at = t0 + clk.clock(t)
            st.op = -1
        if st.to_breakdown <= 0 and t < avail:
            dur = int(min(rng.lognormal(np.log(m.breakdown_minutes * 60 * 0.67), 0.9), avail - t))
            segs.append(("breakdown", t, t + dur, BREAKDOWN_REASONS[int(rng.integers(0, 3))]))
            t += dur
            st.to_breakdown = _draw_ttf(rng, m.breakdowns_per_shift)
        elif st.to_minor <= 0 and t < avail:
            dur = int(min(rng.uniform(0.4, 1.6) * m.minor_stop_minutes * 60, avail - t))
            segs.append(("idle", t, t + dur, MINOR_REASONS[int(rng.integers(0, 2))]))
            t += dur
            st.to_minor = _draw_ttf(rng, m.minor_stops_per_shift)
        if st.to_breakdown <= 0:
            st.to_breakdown = _draw_ttf(rng, m.breakdowns_per_shift)
        if st.to_minor <= 0:
            st.to_minor = _draw_ttf(rng, m.minor_stops_per_shift)
    return segs, produced


def _book_counts(
    rng: np.random.Generator,
    st: _MachineState,
    segs: list[tuple[str, int, int, str]],
    produced: dict[int, float],
    ops: list[Op],
    waiting: list[tuple[int, int]],
) -> list[tuple[int, int, int]]:
    """Counts of one machine-shift (op, total, good): whole units completed in the shift, capped at what
    its run time allows (the rest carried to the next shift). A finished operation releases its
    successor into `waiting`."""
    run_s = sum(b - a for s_, a, b, _ in segs if s_ in ("running", "idle"))
    cap = int(PERF_CAP * run_s // st.ict)
    units: dict[int, int] = {}
    for i, gained in produced.items():
        op = ops[i]
        done_units = int(math.floor(op.progress + 1e-6)) - int(math.floor(op.progress - gained + 1e-6))
        units[i] = done_units + op.carry
        op.carry = 0
    excess = sum(units.values()) - cap
    for i in sorted(units, key=lambda k: -units[k]):
        if excess <= 0:
            break
        cut = min(excess, units[i])
        units[i] -= cut
        excess -= cut
        if ops[i].done_at < 0:
            ops[i].carry += cut
    booked = []
    for i, total in units.items():
        op = ops[i]
        if total <= 0:
            continue
        good = total - int(rng.binomial(total, st.machine.scrap))
        op.counted += total
        op.good += good
        booked.append((i, total, good))
    for i in units:
        op = ops[i]
        if op.done_at >= 0 and op.successor >= 0 and ops[op.successor].qty_in == 0:
            ops[op.successor].qty_in = max(op.good, 1)
            waiting.append((op.done_at, op.successor))
    return booked


def _pick(ready: dict[tuple[str, tuple[int, ...]], Queue], keys: list[tuple[str, tuple[int, ...]]]) -> int:
    """Pop the earliest-deadline operation among the queues a machine may pull from; -1 if none."""
    best = None
    for k in keys:
        q = ready[k]
        if q and (best is None or q[0] < ready[best][0]):
            best = k
    return -1 if best is None else heapq.heappop(ready[best])[2]


def _dispatch(
    si: int,
    order: list[int],
    states: list[_MachineState],
    ready: dict[tuple[str, tuple[int, ...]], Queue],
    ops: list[Op],
    clocks: dict[tuple[int, int], ShiftClock],
    default_clock: ShiftClock,
    standard_s: dict[str, float],
) -> list[tuple[int, int, int, int]]:
    """The plan for one shift: per machine, its current operation, then the next ones in EDD order, at
    the routing standard (setup + standard time per unit), until the shift's available time is used."""
    copies: dict[tuple[str, tuple[int, ...]], Queue] = {}
    rows: list[tuple[int, int, int, int]] = []
    for mi in order:
        st = states[mi]
        std = standard_s[st.machine.wc]
        budget = float(clocks.get((mi, si), default_clock).avail)
        if st.op >= 0:
            op = ops[st.op]
            budget -= st.setup_left
            left = op.qty_in - int(op.progress)
            q = min(left, int(max(budget, 0.0) // std))
            if q > 0:
                rows.append((mi, si, st.op, q))
                budget -= q * std
            if q < left:
                continue
        while budget > 0:
            best = None
            for k in st.keys:
                if k not in copies:
                    copies[k] = list(ready[k])  # a heap's copy is a heap
                if copies[k] and (best is None or copies[k][0] < copies[best][0]):
                    best = k
            if best is None:
                break
            entry = heapq.heappop(copies[best])
            i = entry[2]
            budget -= ops[i].setup_s
            q = min(ops[i].qty_in, int(max(budget, 0.0) // std))
            if q <= 0:  # does not fit: it stays in line for the next machine
                heapq.heappush(copies[best], entry)
                break
            rows.append((mi, si, i, q))
            budget -= q * std
    return rows


def _first_ops(ops: list[Op]) -> list[int]:
    has_pred = {o.successor for o in ops if o.successor >= 0}
    return [i for i in range(len(ops)) if i not in has_pred]


def _draw_ttf(rng: np.random.Generator, per_shift: float) -> float:
    """Running seconds until the next stop, for a rate given per fully loaded shift."""
    return float(rng.exponential(AVAILABLE_S * 0.9 / max(per_shift, 1e-6)))


def write(out: Output, result: MesResult, mo_refs: list[str], consumption: pd.DataFrame) -> dict:
    """Monthly machine_events, production_counts, dispatch_plan and material_consumption files."""
    ids = np.array([m.id for m in MACHINES])
    refs = np.array(mo_refs, dtype=object)
    ev = result.events.sort_values(["start", "machine"], kind="stable").reset_index(drop=True)
    start = ev["start"].to_numpy().astype("datetime64[s]")
    end = ev["end"].to_numpy().astype("datetime64[s]")
    events = pd.DataFrame(
        {
            "event_id": [f"EV{i + 1:07d}" for i in range(len(ev))],
            "machine_id": ids[ev["machine"].to_numpy()],
            "state": ev["state"].to_numpy(),
            "started_at": fmt_local(start),
            "ended_at": fmt_local(end),
            "reason_code": ev["reason"].to_numpy(),
        }
    )
    month = events["started_at"].str[:7].to_numpy()
    files = out.monthly_csv("mes", "machine_events_{}.csv", events, month)
    ops = result.ops
    c = result.counts
    counts = pd.DataFrame(
        {
            "machine_id": ids[c["machine"].to_numpy()],
            "shift_date": fmt_date(c["day"].to_numpy()),
            "shift": c["code"].to_numpy(),
            "production_order": refs[[ops[i].mo for i in c["op"]]],
            "operation_seq": [ops[i].seq for i in c["op"]],
            "total_count": c["total"].to_numpy(),
            "good_count": c["good"].to_numpy(),
        }
    )
    files += out.monthly_csv(
        "mes", "production_counts_{}.csv", counts, counts["shift_date"].str[:7].to_numpy()
    )
    p = result.plan.sort_values(["shift", "machine"], kind="stable")
    plan = pd.DataFrame(
        {
            "shift_date": fmt_date(p["day"].to_numpy()),
            "shift": p["code"].to_numpy(),
            "machine_id": ids[p["machine"].to_numpy()],
            "production_order": refs[[ops[i].mo for i in p["op"]]],
            "operation_seq": [ops[i].seq for i in p["op"]],
            "planned_qty": p["planned"].to_numpy(),
        }
    )
    files += out.monthly_csv("mes", "dispatch_plan_{}.csv", plan, plan["shift_date"].str[:7].to_numpy())
    files += out.monthly_csv(
        "mes",
        "material_consumption_{}.csv",
        consumption,
        consumption["shift_date"].str[:7].to_numpy(),
    )
    out.say(
        f"mes: {len(events):,} machine events, {len(counts):,} count rows, {len(plan):,} dispatch rows, "
        f"{len(consumption):,} consumption rows in {len(files)} files"
    )
    return {"events": len(events), "counts": len(counts), "plan": len(plan)}
