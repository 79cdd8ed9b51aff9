"""The plant floor: 12 machines in 4 work centers, their shift calendar and the MES simulation.

Each calendar shift of each machine is tiled exactly by MES events (no gaps, no overlaps): a 30-minute
planned break in the middle of the shift, setups when a machine changes production-order operation,
breakdowns and minor stops that occur while it runs (so their share does not depend on how busy the
plant is), running time, and `planned_stop` / `NO-ORDERS` when there is no released work. Counts are
booked per machine x shift x production order operation and never exceed what the ideal cycle time
allows in the shift's run time (performance <= 99.5 %).

OEE arithmetic the data is built for (domain.md): planned production time = shift - planned stops;
run time = planned production time - breakdowns - setups (idle minor stops stay in run time);
performance = total_count x ideal cycle time / run time; quality = good / total.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .output import Output, fmt_date, fmt_local
from .window import HOUR_S, SHANGHAI_OFFSET, Window

SHIFTS = (("A", 6 * HOUR_S), ("B", 14 * HOUR_S))  # shift code, local start (seconds after midnight)
SHIFT_S = 8 * HOUR_S
BREAK_S = 30 * 60
BREAK_AT = 4 * HOUR_S  # the break starts 4 h into the shift (10:00 and 18:00)
AVAILABLE_S = SHIFT_S - BREAK_S
WORK_AHEAD_S = 45 * 24 * HOUR_S  # how far ahead of its planned start an order may be pulled in
PERF_CAP = 0.995

# code, name, owner, time efficiency, OEE target, setup minutes per operation
WORK_CENTERS = (
    ("CUT", "Cutting", "Zhao Lei", 1.0, 0.85, 30),
    ("SEW", "Sewing", "Wu Min", 0.95, 0.80, 45),
    ("ASM", "Electronics Assembly", "Huang Tao", 1.0, 0.85, 40),
    ("PKG", "Packing", "Ma Jun", 1.0, 0.85, 15),
)


@dataclass(frozen=True)
class Machine:
    id: str
    name: str
    wc: str
    commissioned: str
    breakdowns_per_shift: float = 0.7  # at full load
    breakdown_minutes: float = 55.0
    minor_stops_per_shift: float = 3.5
    minor_stop_minutes: float = 5.0
    speed: float = 0.955  # share of ideal speed while running (reduced-speed loss)
    scrap: float = 0.015
    setup_factor: float = 1.0


MACHINES = (
    Machine("CUT-01", "Automatic cutter 1", "CUT", "2019-03-11"),
    Machine(
        "CUT-02",
        "Automatic cutter 2",
        "CUT",
        "2021-06-01",
        breakdowns_per_shift=0.9,
        setup_factor=1.5,
        speed=0.94,
    ),
    Machine("SEW-01", "Sewing line 1", "SEW", "2018-09-03", scrap=0.012),
    Machine("SEW-02", "Sewing line 2", "SEW", "2018-09-03"),
    Machine("SEW-03", "Sewing line 3", "SEW", "2020-04-20", speed=0.965),
    Machine("SEW-04", "Sewing line 4", "SEW", "2022-02-14", breakdowns_per_shift=0.5),
    Machine(
        "SEW-05",
        "Sewing line 5 (legacy)",
        "SEW",
        "2009-05-18",
        breakdowns_per_shift=1.3,
        breakdown_minutes=62.0,
        minor_stops_per_shift=5.0,
        minor_stop_minutes=6.5,
        speed=0.9,
        scrap=0.035,
    ),
    Machine("ASM-01", "Assembly cell 1", "ASM", "2020-10-12"),
    Machine("ASM-02", "Assembly cell 2", "ASM", "2020-10-12", speed=0.96),
    Machine("ASM-03", "Assembly cell 3", "ASM", "2023-03-06", scrap=0.03, minor_stops_per_shift=4.5),
    Machine("PKG-01", "Packing line 1", "PKG", "2017-07-01", scrap=0.005),
    Machine("PKG-02", "Packing line 2", "PKG", "2021-11-15", scrap=0.005, breakdowns_per_shift=0.55),
)
BREAKDOWN_REASONS = ("BD-MECH", "BD-ELEC", "BD-JAM")
MINOR_REASONS = ("MINOR-STOP", "WAIT-MATERIAL", "ADJUST")


def machines_frame(ict: dict[str, int]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Machine": [m.id for m in MACHINES],
            "Name": [m.name for m in MACHINES],
            "Work Center": [m.wc for m in MACHINES],
            "Ideal Cycle Time (s)": [ict[m.wc] for m in MACHINES],
            "Commissioned on": [m.commissioned for m in MACHINES],
        }
    )


def shift_starts(window: Window) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(day, shift code, UTC start seconds) of every calendar shift, chronological."""
    days = window.working_days()
    day = np.repeat(days, len(SHIFTS))
    code = np.tile([s[0] for s in SHIFTS], len(days))
    offset = np.tile([s[1] for s in SHIFTS], len(days))
    start = (day.astype("datetime64[s]") - SHANGHAI_OFFSET).astype(np.int64) + offset
    return day, code, start


def shift_calendar(window: Window) -> pd.DataFrame:
    day, code, start = shift_starts(window)
    n = len(MACHINES)
    start_utc = np.repeat(start, n).astype("datetime64[s]")
    return pd.DataFrame(
        {
            "Date": fmt_date(np.repeat(day, n)),
            "Machine": np.tile([m.id for m in MACHINES], len(day)),
            "Shift": np.repeat(code, n),
            "Start": fmt_local(start_utc),
            "End": fmt_local(start_utc + np.timedelta64(SHIFT_S, "s")),
            "Planned Break (min)": BREAK_S // 60,
        }
    )


def expected_efficiency(m: Machine) -> float:
    """Expected ideal-time output per available second at full load, before setups."""
    run_per_shift = AVAILABLE_S * 0.9
    bd = m.breakdowns_per_shift * m.breakdown_minutes * 60 / run_per_shift
    minor = m.minor_stops_per_shift * m.minor_stop_minutes * 60 / run_per_shift
    return m.speed / (1 + bd + minor)


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
    progress: float = 0.0
    counted: int = 0
    good: int = 0
    started: int = -1
    done_at: int = -1
    carry: int = 0


@dataclass
class MesResult:
    events: pd.DataFrame
    counts: pd.DataFrame
    ops: list[Op] = field(repr=False)


@dataclass
class _MachineState:
    machine: Machine
    ict: int
    op: int = -1
    setup_left: int = 0
    to_breakdown: float = 0.0
    to_minor: float = 0.0


def simulate(rng: np.random.Generator, window: Window, ops: list[Op], ict: dict[str, int]) -> MesResult:
    """Run the plant shift by shift; operations are pulled by earliest deadline (EDD)."""
    day, code, start = shift_starts(window)
    by_wc_future: dict[str, list[tuple[int, int, int]]] = {wc[0]: [] for wc in WORK_CENTERS}
    for i in _first_ops(ops):
        by_wc_future[ops[i].wc].append((ops[i].release, ops[i].deadline, i))
    for lst in by_wc_future.values():
        lst.sort()
    pointer = {wc: 0 for wc in by_wc_future}
    ready: dict[str, list[tuple[int, int, int]]] = {wc: [] for wc in by_wc_future}
    waiting: list[tuple[int, int]] = []  # (eligible time, op) for successors of finished operations

    states = []
    for m in MACHINES:
        s = _MachineState(m, ict[m.wc])
        s.to_breakdown = _draw_ttf(rng, m.breakdowns_per_shift)
        s.to_minor = _draw_ttf(rng, m.minor_stops_per_shift)
        states.append(s)

    ev_machine: list[int] = []
    ev_state: list[str] = []
    ev_start: list[int] = []
    ev_end: list[int] = []
    ev_reason: list[str] = []
    cnt_rows: list[tuple[int, int, int, int, int]] = []  # machine, shift index, op, total, good

    for si in range(len(start)):
        t0 = int(start[si])
        for wc, lst in by_wc_future.items():
            k = pointer[wc]
            while k < len(lst) and lst[k][0] <= t0 + WORK_AHEAD_S:
                heapq.heappush(ready[wc], (lst[k][1], ops[lst[k][2]].mo, lst[k][2]))
                k += 1
            pointer[wc] = k
        still = []
        for when, i in waiting:
            if when <= t0:
                heapq.heappush(ready[ops[i].wc], (ops[i].deadline, ops[i].mo, i))
            else:
                still.append((when, i))
        waiting = still

        # Machines pick work in a rotating order, so no machine is always last in line.
        for mi in np.roll(np.arange(len(states)), -(si % len(states))):
            st = states[mi]
            m = st.machine
            segs: list[tuple[str, int, int, str]] = []
            produced: dict[int, float] = {}
            t = 0
            while t < AVAILABLE_S:
                if st.op < 0:
                    q = ready[m.wc]
                    if not q:
                        segs.append(("planned_stop", t, AVAILABLE_S, "NO-ORDERS"))
                        break
                    _, _, st.op = heapq.heappop(q)
                    op = ops[st.op]
                    st.setup_left = int(op.setup_s * m.setup_factor * rng.uniform(0.85, 1.3))
                    if op.started < 0:
                        op.started = t0 + _clock(t)
                if st.setup_left > 0:
                    d = min(st.setup_left, AVAILABLE_S - t)
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
                        AVAILABLE_S - t,
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
                    op.done_at = t0 + _clock(t)
                    st.op = -1
                if st.to_breakdown <= 0 and t < AVAILABLE_S:
                    dur = int(
                        min(rng.lognormal(np.log(m.breakdown_minutes * 60 * 0.67), 0.9), AVAILABLE_S - t)
                    )
                    segs.append(("breakdown", t, t + dur, BREAKDOWN_REASONS[int(rng.integers(0, 3))]))
                    t += dur
                    st.to_breakdown = _draw_ttf(rng, m.breakdowns_per_shift)
                elif st.to_minor <= 0 and t < AVAILABLE_S:
                    dur = int(min(rng.uniform(0.4, 1.6) * m.minor_stop_minutes * 60, AVAILABLE_S - t))
                    segs.append(("idle", t, t + dur, MINOR_REASONS[int(rng.integers(0, 3))]))
                    t += dur
                    st.to_minor = _draw_ttf(rng, m.minor_stops_per_shift)
                if st.to_breakdown <= 0:
                    st.to_breakdown = _draw_ttf(rng, m.breakdowns_per_shift)
                if st.to_minor <= 0:
                    st.to_minor = _draw_ttf(rng, m.minor_stops_per_shift)

            # Counts: whole units completed in this shift, capped at what the run time allows.
            run_s = sum(b - a for s_, a, b, _ in segs if s_ in ("running", "idle"))
            cap = int(PERF_CAP * run_s // st.ict)
            units: dict[int, int] = {}
            for i, gained in produced.items():
                op = ops[i]
                done_units = int(math.floor(op.progress + 1e-6)) - int(
                    math.floor(op.progress - gained + 1e-6)
                )
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
            for i, total in units.items():
                op = ops[i]
                if total <= 0:
                    continue
                good = total - int(rng.binomial(total, m.scrap))
                op.counted += total
                op.good += good
                cnt_rows.append((mi, si, i, total, good))
            for i in units:
                op = ops[i]
                if op.done_at >= 0 and op.successor >= 0 and ops[op.successor].qty_in == 0:
                    ops[op.successor].qty_in = max(op.good, 1)
                    waiting.append((op.done_at, op.successor))

            for state, a, b, reason in _with_break(segs):
                ev_machine.append(mi)
                ev_state.append(state)
                ev_start.append(t0 + a)
                ev_end.append(t0 + b)
                ev_reason.append(reason)

    events = pd.DataFrame(
        {"machine": ev_machine, "state": ev_state, "start": ev_start, "end": ev_end, "reason": ev_reason}
    )
    counts = pd.DataFrame(cnt_rows, columns=["machine", "shift", "op", "total", "good"])
    counts["day"] = day[counts["shift"].to_numpy()]
    counts["code"] = code[counts["shift"].to_numpy()]
    return MesResult(events=events, counts=counts, ops=ops)


def _first_ops(ops: list[Op]) -> list[int]:
    has_pred = {o.successor for o in ops if o.successor >= 0}
    return [i for i in range(len(ops)) if i not in has_pred]


def _draw_ttf(rng: np.random.Generator, per_shift: float) -> float:
    """Running seconds until the next stop, for a rate given per fully loaded shift."""
    return float(rng.exponential(AVAILABLE_S * 0.9 / max(per_shift, 1e-6)))


def _clock(t: int) -> int:
    """Seconds after shift start of a point on the available-time axis (the break is not available)."""
    return t + (BREAK_S if t >= BREAK_AT else 0)


def _with_break(segs: list[tuple[str, int, int, str]]) -> list[tuple[str, int, int, str]]:
    """Insert the planned break, convert to clock offsets and merge touching segments of the same kind."""
    out: list[tuple[str, int, int, str]] = []
    inserted = False
    for state, a, b, reason in segs:
        if b <= a:
            continue
        pieces = [(a, b)] if not (a < BREAK_AT < b) else [(a, BREAK_AT), (BREAK_AT, b)]
        for pa, pb in pieces:
            if not inserted and pa >= BREAK_AT:
                out.append(("planned_stop", BREAK_AT, BREAK_AT + BREAK_S, "BREAK"))
                inserted = True
            ca = _clock(pa)
            cb = BREAK_AT if pb == BREAK_AT else _clock(pb)
            if out and out[-1][0] == state and out[-1][3] == reason and out[-1][2] == ca:
                out[-1] = (state, out[-1][1], cb, reason)
            else:
                out.append((state, ca, cb, reason))
    if not inserted:
        out.append(("planned_stop", BREAK_AT, BREAK_AT + BREAK_S, "BREAK"))
    return out


def write(out: Output, result: MesResult, mo_refs: list[str], window: Window) -> dict:
    """Monthly machine_events and production_counts files; returns OEE inputs per machine for the log."""
    ev = result.events.sort_values(["start", "machine"], kind="stable").reset_index(drop=True)
    start = ev["start"].to_numpy().astype("datetime64[s]")
    end = ev["end"].to_numpy().astype("datetime64[s]")
    events = pd.DataFrame(
        {
            "event_id": [f"EV{i + 1:07d}" for i in range(len(ev))],
            "machine_id": np.array([m.id for m in MACHINES])[ev["machine"].to_numpy()],
            "state": ev["state"].to_numpy(),
            "started_at": fmt_local(start),
            "ended_at": fmt_local(end),
            "reason_code": ev["reason"].to_numpy(),
        }
    )
    month = events["started_at"].str[:7].to_numpy()
    files = out.monthly_csv("mes", "machine_events_{}.csv", events, month)
    c = result.counts
    ops = result.ops
    counts = pd.DataFrame(
        {
            "machine_id": np.array([m.id for m in MACHINES])[c["machine"].to_numpy()],
            "shift_date": fmt_date(c["day"].to_numpy()),
            "shift": c["code"].to_numpy(),
            "production_order": [mo_refs[ops[i].mo] for i in c["op"]],
            "operation_seq": [ops[i].seq for i in c["op"]],
            "total_count": c["total"].to_numpy(),
            "good_count": c["good"].to_numpy(),
        }
    )
    files += out.monthly_csv(
        "mes", "production_counts_{}.csv", counts, counts["shift_date"].str[:7].to_numpy()
    )
    out.say(f"mes: {len(events):,} machine events, {len(counts):,} count rows in {len(files)} files")
    return {"events": len(events), "counts": len(counts)}
