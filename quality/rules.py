"""What a raw table must satisfy, declared as data; ``validate`` turns it into GX expectations.

Raw tables hold text only, so numbers and timestamps are checked twice: the text must have the shape
(a regex), and the parsed value must be in range (numbers) or not in the future (timestamps).
Critical rules (required columns, keys) block the pipeline; the others only warn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class TimeFormat:
    """How a source writes a timestamp: regex for the text, strptime format (or ``ISO8601``) to parse
    it, and the zone of naive values (``None`` when the text carries its offset)."""

    regex: str
    parse: str
    zone: str | None = None


SHOPIFY_TIME = TimeFormat(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{4}$", "%Y-%m-%d %H:%M:%S %z")
ISO_OFFSET = TimeFormat(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)$", "ISO8601")
ISO_UTC_Z = TimeFormat(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", "%Y-%m-%dT%H:%M:%SZ")
# Social events are JSON lines kept as written (`2026-03-01T12:00:00+08:00`); the looser pattern also
# accepts `2026-03-01 04:00:00+00`, how DuckDB writes a timestamp back to JSON text.
ANY_ISO = TimeFormat(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}(:?\d{2})?|Z)$", "ISO8601")
SHANGHAI_TIME = TimeFormat(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", "%Y-%m-%d %H:%M:%S", "Asia/Shanghai")
SHANGHAI_DATE = TimeFormat(r"^\d{4}-\d{2}-\d{2}$", "%Y-%m-%d", "Asia/Shanghai")
MONTH = TimeFormat(r"^\d{4}-\d{2}$", "%Y-%m", "Asia/Shanghai")

NUMBER_REGEX = r"^-?\d+(\.\d+)?$"


@dataclass(frozen=True)
class Number:
    """A text column holding a number within [low, high] (``None``: unbounded)."""

    low: float | None = 0
    high: float | None = None


@dataclass(frozen=True)
class Timestamp:
    """A text column holding a time; ``may_be_future`` for plans (deadlines, forecasts, schedules)."""

    format: TimeFormat
    may_be_future: bool = False


@dataclass(frozen=True)
class TableRules:
    """The rules of one raw table ``raw.<source>__<table>``."""

    source: str
    table: str
    required: tuple[str, ...]  # columns that must exist (critical)
    keys: tuple[str, ...]  # not null (critical) and unique together within each file (critical)
    not_null: tuple[str, ...] = ()  # further columns that must be filled (critical)
    numbers: dict[str, Number] = field(default_factory=dict)
    timestamps: dict[str, Timestamp] = field(default_factory=dict)
    known_values: dict[str, frozenset[str]] = field(default_factory=dict)  # status-like columns
    # Columns computed from others before validating, e.g. the status pair a channel's mapping uses.
    derived: dict[str, Callable[[pd.DataFrame], pd.Series]] = field(default_factory=dict)

    @property
    def raw_table(self) -> str:
        return f"{self.source}__{self.table}"
