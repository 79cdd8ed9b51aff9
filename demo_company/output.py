"""Writing the landing files and formatting values the way each source system prints them.

All formatting is vectorised (numpy datetime strings, pandas CSV writer) so a large `scale` stays fast.
Every file written goes through `Output`, which keeps the file list and row counts for the manifest.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from .window import SHANGHAI_OFFSET


def _blank_nat(values: np.ndarray, strings: np.ndarray) -> np.ndarray:
    return np.where(np.isnat(values), "", strings).astype(object)


def fmt_local(utc: np.ndarray, offset: np.timedelta64 = SHANGHAI_OFFSET) -> np.ndarray:
    """`2026-03-01 12:34:56` in a fixed-offset local zone; empty where NaT."""
    utc = np.asarray(utc, dtype="datetime64[s]")
    s = np.char.replace(np.datetime_as_string(utc + offset, unit="s"), "T", " ")
    return _blank_nat(utc, s)


def fmt_iso(utc: np.ndarray, suffix: str = "+00:00", offset: np.timedelta64 | None = None) -> np.ndarray:
    """ISO-8601 with an explicit zone suffix (`2026-03-01T15:23:45+00:00`); empty where NaT."""
    utc = np.asarray(utc, dtype="datetime64[s]")
    local = utc if offset is None else utc + offset
    s = np.char.add(np.datetime_as_string(local, unit="s"), suffix)
    return _blank_nat(utc, s)


def fmt_with_zone(utc: np.ndarray, zone: str) -> np.ndarray:
    """`2026-03-01 10:23:45 -0500` in a zone with daylight saving time (Shopify's format)."""
    utc = np.asarray(utc, dtype="datetime64[s]")
    missing = np.isnat(utc)
    utc = np.where(missing, np.datetime64(0, "s"), utc)
    idx = pd.DatetimeIndex(utc).tz_localize("UTC").tz_convert(zone)
    local = idx.tz_localize(None).to_numpy().astype("datetime64[s]")
    minutes = ((local - utc) // np.timedelta64(1, "m")).astype(np.int64)
    sign = np.where(minutes < 0, "-", "+")
    hhmm = np.char.zfill((np.abs(minutes) // 60 * 100 + np.abs(minutes) % 60).astype(str), 4)
    s = np.char.replace(np.datetime_as_string(local, unit="s"), "T", " ")
    s = np.char.add(np.char.add(s, " "), np.char.add(sign, hhmm))
    return np.where(missing, "", s).astype(object)


def company_day(utc: np.ndarray) -> np.ndarray:
    """The company (Asia/Shanghai) day of UTC timestamps: the day a daily export files a row under."""
    return (np.asarray(utc, dtype="datetime64[s]") + SHANGHAI_OFFSET).astype("datetime64[D]")


def local_day(text: np.ndarray) -> np.ndarray:
    """The day of `YYYY-MM-DD…` local-time strings (empty = NaT)."""
    return np.asarray(pd.Series(text).str[:10].to_numpy(), dtype="datetime64[D]")


def fmt_date(days: np.ndarray) -> np.ndarray:
    days = np.asarray(days, dtype="datetime64[D]")
    return _blank_nat(days, np.datetime_as_string(days, unit="D"))


def fmt_money(values: np.ndarray) -> np.ndarray:
    """Two decimals, empty where NaN."""
    values = np.asarray(values, dtype=float)
    s = np.char.mod("%.2f", np.round(np.nan_to_num(values), 2) + 0.0)  # + 0.0 turns -0.00 into 0.00
    return np.where(np.isnan(values), "", s).astype(object)


class Output:
    """Writes files under `root/<source>/` and records them for the manifest."""

    def __init__(
        self,
        root: Path,
        progress: Callable[[str], None] | None = None,
        tail: tuple[np.datetime64, np.datetime64] | None = None,
    ) -> None:
        self.root = Path(root)
        self.files: dict[str, list[str]] = {}
        self.rows: dict[str, int] = {}
        self.daily: dict[str, list[str]] = {}  # the daily files among `files`
        self._progress = progress
        # Company days (Asia/Shanghai, first and last) whose dated exports go to one file per day.
        self.tail = None if tail is None else (np.datetime64(tail[0], "D"), np.datetime64(tail[1], "D"))

    def say(self, message: str) -> None:
        if self._progress is not None:
            self._progress(message)

    def _path(self, source: str, name: str, rows: int) -> Path:
        folder = self.root / source
        folder.mkdir(parents=True, exist_ok=True)
        self.files.setdefault(source, []).append(name)
        self.rows[f"{source}/{name}"] = rows
        return folder / name

    def csv(
        self,
        source: str,
        name: str,
        frame: pd.DataFrame,
        *,
        encoding: str = "utf-8",
        sep: str = ",",
        quoting: int = csv.QUOTE_MINIMAL,
    ) -> None:
        path = self._path(source, name, len(frame))
        frame.to_csv(path, index=False, sep=sep, encoding=encoding, lineterminator="\n", quoting=quoting)

    def jsonl(self, source: str, name: str, records: Iterable[dict]) -> None:
        lines = [json.dumps(r, ensure_ascii=False) for r in records]
        path = self._path(source, name, len(lines))
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")

    def json(self, name: str, payload: dict) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        text = json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=False)
        (self.root / name).write_text(text + "\n", encoding="utf-8")

    def in_tail(self, day: np.ndarray) -> np.ndarray:
        """Rows whose company day is exported in a daily file rather than in its month's file."""
        day = np.asarray(day, dtype="datetime64[D]")
        if self.tail is None:
            return np.zeros(len(day), dtype=bool)
        return ~np.isnat(day) & (day >= self.tail[0]) & (day <= self.tail[1])

    def daily_csv(
        self,
        source: str,
        pattern: str,
        frame: pd.DataFrame,
        day: np.ndarray,
        *,
        compact: bool = False,
        **kwargs,
    ) -> list[str]:
        """The tail rows as one file per company day, `pattern.format(day)` (`20261122` when compact),
        the way a system's daily export arrives; rows keep their order."""
        return self.daily_rows(source, pattern, lambda rows: frame.iloc[rows], day, compact=compact, **kwargs)

    def daily_rows(
        self,
        source: str,
        pattern: str,
        build: Callable[[np.ndarray], pd.DataFrame],
        day: np.ndarray,
        *,
        compact: bool = False,
        **kwargs,
    ) -> list[str]:
        """`daily_csv` with the rows of each file formatted by `build(rows)` (see `monthly_rows`)."""
        day = np.asarray(day, dtype="datetime64[D]")
        tail = self.in_tail(day)
        names: list[str] = []
        for d in np.unique(day[tail]):
            name = pattern.format(str(d).replace("-", "") if compact else str(d))
            self.csv(source, name, build(np.flatnonzero(tail & (day == d))), **kwargs)
            self.mark_daily(source, name)
            names.append(name)
        return names

    def mark_daily(self, source: str, name: str) -> None:
        self.daily.setdefault(source, []).append(name)

    def daily_jsonl(self, source: str, pattern: str, records: list[dict], day: np.ndarray) -> list[str]:
        """JSON-lines counterpart of `daily_csv`."""
        day = np.asarray(day, dtype="datetime64[D]")
        tail = self.in_tail(day)
        names: list[str] = []
        for d in np.unique(day[tail]):
            name = pattern.format(str(d))
            self.jsonl(source, name, [records[i] for i in np.flatnonzero(tail & (day == d))])
            self.mark_daily(source, name)
            names.append(name)
        return names

    def monthly_csv(
        self,
        source: str,
        pattern: str,
        frame: pd.DataFrame,
        month: np.ndarray,
        day: np.ndarray | None = None,
        *,
        compact: bool = False,
        **kwargs,
    ) -> list[str]:
        """One file per month (`pattern.format(month)`), rows keeping their order. With `day` (each row's
        company day), rows in the daily tail go to daily files (`daily_csv`) instead."""
        return self.monthly_rows(
            source, pattern, lambda rows: frame.iloc[rows], month, day, compact=compact, **kwargs
        )

    def monthly_rows(
        self,
        source: str,
        pattern: str,
        build: Callable[[np.ndarray], pd.DataFrame],
        month: np.ndarray,
        day: np.ndarray | None = None,
        *,
        compact: bool = False,
        **kwargs,
    ) -> list[str]:
        """`monthly_csv` for big tables: `build(rows)` formats only one file's rows (positions, in
        order) at a time, so the text of the whole table is never in memory at once."""
        names: list[str] = []
        month = np.asarray(month)
        tail = np.zeros(len(month), dtype=bool) if day is None else self.in_tail(day)
        for m in sorted(set(month[~tail].tolist())):
            name = pattern.format(m)
            self.csv(source, name, build(np.flatnonzero(~tail & (month == m))), **kwargs)
            names.append(name)
        if day is not None:
            names += self.daily_rows(source, pattern, build, day, compact=compact, **kwargs)
        return names
