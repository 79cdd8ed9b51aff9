"""Working time: the plant's shift calendar as one time axis in minutes, and each machine's gaps on it.

The scheduler does not count wall-clock minutes. It counts *plant minutes*: minutes in which at least one
machine has a shift. Nights, Sundays and holidays without any shift take no room on that axis, so an
operation that does not finish in one shift simply pauses and resumes at the next one (the way a
production order really runs over several shifts).

Each shift window offers its net time: ``[start, start + (end - start - break))``. The planned break
lies inside the shift on the floor; moving it to the end keeps the capacity right and the model small
(bars on the Gantt chart can show up to a break's length early within a shift).

A machine is *blocked* on the plant axis where the plant works but it does not: minutes outside its own
shifts (e.g. a machine that runs only shift A on Saturdays) and its planned downtime. Operations may
pause across plant-wide closures, but they may not overlap a machine's blocked interval; they finish
before it or start after it. That is conservative for short gaps and exact for maintenance.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["PlantCalendar", "merge_intervals"]

_MIN = np.timedelta64(1, "m")


def merge_intervals(intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sort and merge overlapping or touching ``[start, end)`` intervals; drop empty ones."""
    out: list[tuple[int, int]] = []
    for s, e in sorted((int(s), int(e)) for s, e in intervals if e > s):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _minutes(ts) -> np.ndarray:
    """Wall-clock timestamps (naive local time) as whole minutes since the epoch."""
    arr = pd.to_datetime(pd.Series(ts)).to_numpy(dtype="datetime64[m]")
    return arr.astype(np.int64)


@dataclass(frozen=True)
class PlantCalendar:
    """The plant-minute axis from ``origin`` (the planning moment) over the given shift windows.

    ``starts``/``ends``: merged plant windows in clock minutes since the epoch, clipped to the origin;
    ``offsets[i]``: plant minutes elapsed before window ``i``. ``blocked[m]``: machine ``m``'s blocked
    intervals in plant minutes, merged.
    """

    origin: pd.Timestamp
    starts: np.ndarray
    ends: np.ndarray
    offsets: np.ndarray
    blocked: dict[str, tuple[tuple[int, int], ...]]

    @classmethod
    def from_frames(
        cls,
        shifts: pd.DataFrame,
        origin: pd.Timestamp | str,
        downtime: pd.DataFrame | None = None,
        machines: Iterable[str] | None = None,
    ) -> PlantCalendar:
        """Build from shift rows (``machine_id, shift_start, shift_end, break_minutes``) and downtime rows
        (``machine_id, downtime_start, downtime_end``), all naive local timestamps. ``machines`` lists
        every machine to plan (a machine without any shift row is blocked throughout)."""
        origin = pd.Timestamp(origin).floor("min")
        o = int(np.datetime64(origin.to_datetime64(), "m").astype(np.int64))
        s = _minutes(shifts["shift_start"])
        length = _minutes(shifts["shift_end"]) - s
        brk = shifts["break_minutes"].fillna(0).to_numpy(dtype=np.int64) if "break_minutes" in shifts else 0
        e = s + np.maximum(length - brk, 0)
        s = np.maximum(s, o)
        keep = e > s
        mids = shifts["machine_id"].astype(str).to_numpy()[keep]
        s, e = s[keep], e[keep]
        plant = merge_intervals(zip(s.tolist(), e.tolist(), strict=True))
        starts = np.array([p[0] for p in plant], dtype=np.int64)
        ends = np.array([p[1] for p in plant], dtype=np.int64)
        offsets = np.concatenate([[0], np.cumsum(ends - starts)[:-1]]).astype(np.int64) if plant else ends
        cal = cls(origin, starts, ends, offsets, {})
        names = sorted(set(machines) if machines is not None else set(mids))
        blocked: dict[str, tuple[tuple[int, int], ...]] = {}
        for m in names:
            own = merge_intervals(
                (cal.axis_of(a), cal.axis_of(b)) for a, b in zip(s[mids == m], e[mids == m], strict=True)
            )
            gaps = cal._complement(own)
            if downtime is not None and len(downtime):
                d = downtime.loc[downtime["machine_id"].astype(str) == m]
                ds, de = _minutes(d["downtime_start"]), _minutes(d["downtime_end"])
                gaps += [(cal.axis_of(a), cal.axis_of(b)) for a, b in zip(ds, de, strict=True)]
            blocked[m] = tuple(merge_intervals(gaps))
        object.__setattr__(cal, "blocked", blocked)
        return cal

    @property
    def horizon(self) -> int:
        """Plant minutes available from the origin to the end of the last shift."""
        return int(self.offsets[-1] + self.ends[-1] - self.starts[-1]) if len(self.starts) else 0

    def _complement(self, own: list[tuple[int, int]]) -> list[tuple[int, int]]:
        gaps, t = [], 0
        for a, b in own:
            if a > t:
                gaps.append((t, a))
            t = max(t, b)
        if t < self.horizon:
            gaps.append((t, self.horizon))
        return gaps

    def axis_of(self, clock_minute: int) -> int:
        """Plant minutes between the origin and a clock minute (a closed moment maps to the next opening)."""
        i = int(np.searchsorted(self.ends, clock_minute, side="right"))
        if i >= len(self.starts):
            return self.horizon
        return int(self.offsets[i] + max(0, clock_minute - self.starts[i]))

    def to_axis(self, ts) -> int:
        """A wall-clock timestamp on the plant axis (before the origin gives 0)."""
        return self.axis_of(int(np.datetime64(pd.Timestamp(ts).to_datetime64(), "m").astype(np.int64)))

    def to_clock(self, minute: int, end: bool = False) -> pd.Timestamp:
        """The wall-clock time of a plant minute. ``end=True`` puts a minute that falls on a window
        boundary at the end of the earlier window (where a finishing operation stops), not the start of
        the next one. Beyond the calendar, time runs on at clock speed after the last shift."""
        if not len(self.starts):
            return self.origin + pd.Timedelta(minutes=int(minute))
        side = "left" if end else "right"
        i = int(np.searchsorted(self.offsets, minute, side=side)) - 1
        i = max(i, 0)
        clock = int(self.starts[i] + minute - self.offsets[i])
        return pd.Timestamp(np.datetime64(clock, "m"))

    def capacity(self, machine: str, start: int = 0, end: int | None = None) -> int:
        """Plant minutes in ``[start, end)`` in which ``machine`` is not blocked."""
        end = self.horizon if end is None else end
        lost = sum(max(0, min(b, end) - max(a, start)) for a, b in self.blocked.get(machine, ()))
        return max(0, end - start - lost)
