"""The plant floor: 11 work centers with 19 machines, their shift calendars and planned downtime.

Apparel runs CUT → (PRT print / embroidery) → SEW → (WSH garment wash) → TRM trim & press → QC → PKG;
electronics (SMT) → ASM → TST → (BRN burn-in) → QC → PKG; QC and PKG serve both families (routes per
style in production.py).

Shifts: `A` 06:00–14:00 and `B` 14:00–22:00 local time on plant working days (Monday to Saturday except
plant holidays), each with a 30-minute break 4 h in. Machines differ a little: the print line and the
test station run only shift A on Saturdays, the legacy sewing line SEW-05 has no B shift. The calendar
covers the history and the PLAN_AHEAD_DAYS after the snapshot (planned shifts).

Planned downtime: about one block of 2–8 h per machine per month (preventive maintenance; calibration for
test and inspection stations), always inside the machine's own shifts of one working day, over the history
and the planning horizon. The MES books these windows as `planned_stop` / `PM`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .output import fmt_date, fmt_local
from .window import HOUR_S, SHANGHAI_OFFSET, Window, plant_working_days, rng_for, weekday_of

SHIFTS = (("A", 6 * HOUR_S), ("B", 14 * HOUR_S))  # shift code, local start (seconds after midnight)
SHIFT_S = 8 * HOUR_S
BREAK_S = 30 * 60
BREAK_AT = 4 * HOUR_S  # the break starts 4 h into the shift (10:00 and 18:00)
AVAILABLE_S = SHIFT_S - BREAK_S
PM_REASON = "PM"

# code, name, owner, time efficiency, OEE target, setup minutes per operation
WORK_CENTERS = (
    ("CUT", "Cutting", "Zhao Lei", 1.0, 0.85, 30),
    ("PRT", "Printing & Embroidery", "Sun Li", 1.0, 0.80, 30),
    ("SEW", "Sewing", "Wu Min", 0.95, 0.80, 45),
    ("WSH", "Garment Washing", "Guo Qiang", 1.0, 0.80, 20),
    ("TRM", "Trim & Press", "Lin Na", 1.0, 0.85, 15),
    ("SMT", "Surface-Mount Technology", "Chen Hao", 1.0, 0.85, 40),
    ("ASM", "Electronics Assembly", "Huang Tao", 1.0, 0.85, 35),
    ("TST", "Functional Test", "Xu Jing", 1.0, 0.85, 20),
    ("BRN", "Burn-in", "He Yong", 1.0, 0.85, 10),
    ("QC", "Quality Inspection", "Liu Yang", 1.0, 0.85, 10),
    ("PKG", "Packing", "Ma Jun", 1.0, 0.85, 15),
)
SETUP_MIN = {w[0]: w[5] for w in WORK_CENTERS}


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
    shifts: str = "AB"  # shifts on Monday to Friday
    saturday_shifts: str = "AB"

    def works(self, code: str, saturday: bool) -> bool:
        return code in (self.saturday_shifts if saturday else self.shifts)


_MANUAL = dict(breakdowns_per_shift=0.35, breakdown_minutes=40.0, minor_stops_per_shift=3.0)
MACHINES = (
    Machine("CUT-01", "Automatic cutter 1 (heavy fabrics)", "CUT", "2019-03-11"),
    Machine(
        "CUT-02",
        "Automatic cutter 2",
        "CUT",
        "2021-06-01",
        breakdowns_per_shift=0.9,
        setup_factor=1.5,
        speed=0.94,
    ),
    Machine(
        "PRT-01",
        "Print & embroidery line",
        "PRT",
        "2022-08-22",
        breakdowns_per_shift=0.6,
        scrap=0.02,
        saturday_shifts="A",
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
        shifts="A",
        saturday_shifts="A",
    ),
    Machine("WSH-01", "Garment washer", "WSH", "2020-01-13", breakdowns_per_shift=0.5, scrap=0.008),
    Machine("TRM-01", "Trim & press line", "TRM", "2019-03-11", scrap=0.005, **_MANUAL),
    Machine("SMT-01", "SMT line", "SMT", "2023-05-08", breakdowns_per_shift=0.6, scrap=0.02, speed=0.965),
    Machine("ASM-01", "Assembly cell 1", "ASM", "2020-10-12"),
    Machine("ASM-02", "Assembly cell 2 (battery welding)", "ASM", "2020-10-12", speed=0.96, scrap=0.025),
    Machine(
        "TST-01",
        "Functional test station",
        "TST",
        "2021-04-19",
        scrap=0.02,
        saturday_shifts="A",
        **_MANUAL,
    ),
    Machine("BRN-01", "Burn-in rack", "BRN", "2021-04-19", breakdowns_per_shift=0.3, scrap=0.01),
    Machine("QC-01", "Inspection station 1", "QC", "2018-09-03", scrap=0.01, **_MANUAL),
    Machine("QC-02", "Inspection station 2", "QC", "2021-11-15", scrap=0.01, **_MANUAL),
    Machine("PKG-01", "Packing line 1", "PKG", "2017-07-01", scrap=0.005),
    Machine("PKG-02", "Packing line 2", "PKG", "2021-11-15", scrap=0.005, breakdowns_per_shift=0.55),
)
MACHINE_INDEX = {m.id: i for i, m in enumerate(MACHINES)}
CALIBRATED = ("TST", "QC")  # their planned downtime is calibration, everyone else's maintenance


def work_centers_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Code": [w[0] for w in WORK_CENTERS],
            "Work Center": [w[1] for w in WORK_CENTERS],
            "Owner": [w[2] for w in WORK_CENTERS],
            "Time Efficiency": [w[3] for w in WORK_CENTERS],
            "OEE Target": [w[4] for w in WORK_CENTERS],
        }
    )


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


@dataclass(frozen=True)
class Shifts:
    """Every calendar shift of the plant between two days, chronological, and who works it."""

    day: np.ndarray  # datetime64[D], the local shift date
    code: np.ndarray  # "A" / "B"
    start: np.ndarray  # UTC seconds since the epoch (int64)
    works: np.ndarray  # (machines, shifts) bool: the machine has this shift in its calendar

    def __len__(self) -> int:
        return len(self.day)


def plant_shifts(first: np.datetime64, last: np.datetime64) -> Shifts:
    days = plant_working_days(first, last)
    day = np.repeat(days, len(SHIFTS))
    code = np.tile(np.array([s[0] for s in SHIFTS]), len(days))
    offset = np.tile([s[1] for s in SHIFTS], len(days))
    start = (day.astype("datetime64[s]") - SHANGHAI_OFFSET).astype(np.int64) + offset
    saturday = weekday_of(day) == 5
    works = np.array(
        [[m.works(c, bool(s)) for c, s in zip(code, saturday, strict=True)] for m in MACHINES], dtype=bool
    ).reshape(len(MACHINES), len(day))
    return Shifts(day=day, code=code, start=start, works=works)


def history_shifts(window: Window) -> Shifts:
    """The shifts the MES has run: the history window."""
    return plant_shifts(window.start_day, window.end_day)


def calendar_shifts(window: Window) -> Shifts:
    """The ERP's shift calendar: the history and the planning horizon after the snapshot."""
    return plant_shifts(window.start_day, window.plan_end_day)


def shift_calendar(window: Window) -> pd.DataFrame:
    sh = calendar_shifts(window)
    s_idx, m_idx = np.nonzero(sh.works.T)  # shift-major order: all machines of a shift together
    start = sh.start[s_idx].astype("datetime64[s]")
    return pd.DataFrame(
        {
            "Date": fmt_date(sh.day[s_idx]),
            "Machine": np.array([m.id for m in MACHINES])[m_idx],
            "Shift": sh.code[s_idx],
            "Start": fmt_local(start),
            "End": fmt_local(start + np.timedelta64(SHIFT_S, "s")),
            "Planned Break (min)": BREAK_S // 60,
        }
    )


@dataclass(frozen=True)
class Downtime:
    """Planned downtime windows (UTC seconds), sorted by machine and start."""

    machine: np.ndarray  # machine index
    start: np.ndarray
    end: np.ndarray
    reason: np.ndarray


def planned_downtime(seed: int, window: Window) -> Downtime:
    """About one 2–8 h block per machine and month, on one working day inside the machine's shifts."""
    rng = rng_for(seed, "plant-downtime")
    sh = calendar_shifts(window)
    first = np.datetime64(window.start_day, "D")
    last = window.plan_end_day
    rows: list[tuple[int, int, int, str]] = []
    for mi, m in enumerate(MACHINES):
        own = sh.works[mi]
        days = np.unique(sh.day[own])
        reason = "Calibration" if m.wc in CALIBRATED else "Preventive maintenance"
        at = first + np.timedelta64(int(rng.integers(0, 30)), "D")
        while at <= last:
            k = int(np.searchsorted(days, at))
            if k >= len(days):
                break
            day = days[k]
            on_day = own & (sh.day == day)
            span_start = int(sh.start[on_day].min())
            span_end = int(sh.start[on_day].max()) + SHIFT_S
            hours = float(rng.choice([2, 3, 4, 4, 5, 6, 8]))
            length = int(min(hours * HOUR_S, span_end - span_start))
            slots = (span_end - span_start - length) // 1800
            begin = span_start + int(rng.integers(0, slots + 1)) * 1800
            rows.append((mi, begin, begin + length, reason))
            at = day + np.timedelta64(int(rng.integers(24, 37)), "D")
    frame = pd.DataFrame(rows, columns=["machine", "start", "end", "reason"])
    return Downtime(
        machine=frame["machine"].to_numpy(np.int64),
        start=frame["start"].to_numpy(np.int64),
        end=frame["end"].to_numpy(np.int64),
        reason=frame["reason"].to_numpy(object),
    )


def downtime_frame(dt: Downtime) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Machine": np.array([m.id for m in MACHINES])[dt.machine],
            "Start": fmt_local(dt.start.astype("datetime64[s]")),
            "End": fmt_local(dt.end.astype("datetime64[s]")),
            "Reason": dt.reason,
        }
    )


def downtime_in_shifts(sh: Shifts, dt: Downtime) -> dict[tuple[int, int], list[tuple[int, int]]]:
    """Planned downtime clipped to each (machine, shift) it touches, as offsets from the shift start."""
    out: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for mi, a, b in zip(dt.machine, dt.start, dt.end, strict=True):
        lo = int(np.searchsorted(sh.start, a - SHIFT_S, side="right"))
        hi = int(np.searchsorted(sh.start, b, side="left"))
        for si in range(lo, hi):
            if not sh.works[mi, si]:
                continue
            s0 = int(sh.start[si])
            ca, cb = max(int(a) - s0, 0), min(int(b) - s0, SHIFT_S)
            if cb > ca:
                out.setdefault((int(mi), si), []).append((ca, cb))
    return out


class ShiftClock:
    """The available time of one machine-shift: the shift minus the break and planned downtime.

    The MES simulation runs on the available-time axis [0, avail); `clock` maps a point of it back to
    seconds after the shift start, `events` turns segments of it into clock intervals tiling the shift.
    """

    def __init__(self, downtime: list[tuple[int, int]] | None = None) -> None:
        stops = [(BREAK_AT, BREAK_AT + BREAK_S, "BREAK")]
        for a, b in downtime or []:
            for pa, pb in ((a, min(b, BREAK_AT)), (max(a, BREAK_AT + BREAK_S), b)):
                if pb > pa:
                    stops.append((pa, pb, PM_REASON))
        self.stops = sorted(stops)
        opens: list[tuple[int, int]] = []
        cursor = 0
        for a, b, _ in self.stops:
            if a > cursor:
                opens.append((cursor, a))
            cursor = max(cursor, b)
        if cursor < SHIFT_S:
            opens.append((cursor, SHIFT_S))
        self.opens = opens
        self.cum = np.cumsum([0] + [b - a for a, b in opens]).tolist()
        self.avail = int(self.cum[-1])

    def clock(self, t: int) -> int:
        """Seconds after the shift start of available time t (a point at a stop's start lies after it)."""
        if not self.opens:
            return SHIFT_S
        for (a, b), c in zip(self.opens, self.cum, strict=False):
            if t < c + (b - a):
                return a + (t - c)
        return self.opens[-1][1]

    def events(self, segs: list[tuple[str, int, int, str]]) -> list[tuple[str, int, int, str]]:
        """Available-time segments → clock intervals, with the planned stops inserted and touching
        intervals of the same state and reason merged."""
        pieces: list[tuple[int, int, str, str]] = [(a, b, "planned_stop", r) for a, b, r in self.stops]
        for state, a, b, reason in segs:
            if b <= a:
                continue
            for (oa, ob), c in zip(self.opens, self.cum, strict=False):
                lo, hi = max(a, c), min(b, c + (ob - oa))
                if hi > lo:
                    pieces.append((oa + lo - c, oa + hi - c, state, reason))
        pieces.sort()
        out: list[tuple[str, int, int, str]] = []
        for a, b, state, reason in pieces:
            if out and out[-1][0] == state and out[-1][3] == reason and out[-1][2] == a:
                out[-1] = (state, out[-1][1], b, reason)
            else:
                out.append((state, a, b, reason))
        return out


def shift_clocks(sh: Shifts, dt: Downtime) -> tuple[dict[tuple[int, int], ShiftClock], ShiftClock]:
    """A clock per (machine, shift) with planned downtime, and the shared clock of every other shift."""
    return {k: ShiftClock(v) for k, v in downtime_in_shifts(sh, dt).items()}, ShiftClock()


def available_seconds(sh: Shifts, dt: Downtime) -> np.ndarray:
    """(machines, shifts): seconds available for production (0 where the machine has no such shift)."""
    avail = np.where(sh.works, AVAILABLE_S, 0).astype(np.int64)
    for (mi, si), clk in shift_clocks(sh, dt)[0].items():
        avail[mi, si] = clk.avail
    return avail
