"""What the declaration of a raw table says: its files' format, its columns with their types, and the
rules that landing and the quality checks (GX) apply to them. Every loader, suite and document about a
raw table is derived from its one declaration; each source system declares its tables in its own module.

A rule is enforced at a ``Stage``: landing keeps a bad file or row out of ``raw`` (a rejected file, a
quarantined row); the quality checks report on what landed (critical: blocks the pipeline; otherwise a
warning). Landing stays narrow on purpose: it keeps out only what no later step could use, and leaves
status words and SKUs to dbt, which fails naming an unknown status and lists unknown SKUs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Flag
from types import UnionType
from typing import Literal

import pandas as pd

from landing.sources.time_formats import TimeFormat

FileFormat = Literal["csv", "jsonl"]


class Stage(Flag):
    """Where a rule is enforced: on landing, by the quality checks (GX), both or nowhere."""

    NOWHERE = 0
    LANDING = 1
    QUALITY = 2
    BOTH = 3


LANDING, QUALITY, BOTH, NOWHERE = Stage.LANDING, Stage.QUALITY, Stage.BOTH, Stage.NOWHERE


@dataclass(frozen=True)
class WholeNumber:
    """A count or quantity. Landing quarantines a value that is not a whole number or lies below
    ``minimum`` (None: may be negative); GX warns outside [low, high]."""

    low: int | None = None
    high: int | None = None
    minimum: int | None = 0


@dataclass(frozen=True)
class Number:
    """An amount, rate or duration. Landing quarantines a value that is not a number; GX warns
    outside [low, high]."""

    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class Timestamp:
    """A time or date written in ``format``. Landing quarantines a value that does not parse or lies
    more than a day ahead, GX warns on another shape or a value later than now; ``may_be_future`` for
    plans (promised dates, deadlines, forecasts, schedules)."""

    format: TimeFormat
    may_be_future: bool = False


Kind = WholeNumber | Number | Timestamp | None  # None: text


@dataclass(frozen=True)
class ChannelStatuses:
    """The statuses the dbt seed ``channel_status_map.csv`` maps for the table's channel (read when the
    checks are built, not at import)."""


CHANNEL_STATUSES = ChannelStatuses()
Values = frozenset[str] | ChannelStatuses | None

# Shared by several systems: plausible ranges (GX warns outside them) and the order channels.
QUANTITY = WholeNumber(1, 10_000)
AMOUNT = Number(0, 1_000_000)
CHANNELS = frozenset({"shopify", "amazon", "tmall", "social", "stores"})


def _frozen(values: Iterable[str] | ChannelStatuses | None) -> Values:
    return values if values is None or isinstance(values, ChannelStatuses) else frozenset(values)


@dataclass(frozen=True)
class Column:
    """One column of a raw table (landed as text under this name).

    ``required``: LANDING rejects a file whose header lacks it (CSV only), QUALITY fails critically
    without it. ``filled``: LANDING quarantines a row with it empty, QUALITY fails critically on an
    empty value (key columns: always). ``checked``: where its ``kind`` is enforced. ``values``: GX warns
    on any other value."""

    name: str
    kind: Kind = None
    required: Stage = NOWHERE
    filled: Stage = NOWHERE
    checked: Stage = BOTH
    values: Values = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", _frozen(self.values))


@dataclass(frozen=True)
class Derived:
    """A column the checks compute from others before validating (e.g. the status pair a channel's
    mapping uses), and the values it may take. ``compute`` on a frame (GX), ``sql`` the same in DuckDB:
    an expression with ``{column}`` for each source column (``quality.sql_checks``)."""

    name: str
    compute: Callable[[pd.DataFrame], pd.Series]
    values: Values
    sql: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", _frozen(self.values))


@dataclass(frozen=True)
class LandingRules:
    """What landing checks of a table (derived from its columns, in their order)."""

    required: tuple[str, ...]  # a file whose header lacks one is rejected whole
    not_null: tuple[str, ...]  # a row with one empty is quarantined
    whole_numbers: tuple[Column, ...]
    numbers: tuple[str, ...]  # a non-empty value must be a number
    timestamps: tuple[Column, ...]


@dataclass(frozen=True)
class SourceTable:
    """The declaration of ``raw.<source>__<table>``: the files of a source system that feed it
    (``pattern``, a glob inside the source's landing folder), their format, and the table's columns.

    ``key``: unique within each file (exports overlap on purpose; staging de-duplicates across files);
    ``order_id``: the channel order id, for counting the orders a file re-exports;
    ``expected_every_hours``: how often a file of it is due (daily exports: 24), for dbt source freshness
    on the landing time (``landing.dbt_sources``); None for extracts delivered when they change."""

    source: str
    table: str
    pattern: str
    description: str
    file_format: FileFormat = "csv"
    delimiter: str = ","
    quote: str = '"'
    encoding: str = "utf-8"  # what the source declares; landing detects UTF-8 / GB18030 itself
    columns: tuple[Column, ...] = ()
    key: tuple[str, ...] = ()
    derived: tuple[Derived, ...] = ()
    order_id: str | None = None
    expected_every_hours: int | None = None

    def __post_init__(self) -> None:
        by_name = {column.name: column for column in self.columns}
        where = f"raw table {self.raw_table}"
        if len(by_name) != len(self.columns):
            raise ValueError(f"{where}: a column is declared twice")
        for name in (*self.key, *([self.order_id] if self.order_id else [])):
            if name not in by_name:
                raise ValueError(f"{where}: key or order id {name!r} is not a declared column")
        for name in self.key:
            if QUALITY not in by_name[name].filled:
                raise ValueError(f"{where}: key column {name!r} needs filled=QUALITY or BOTH (GX checks it)")

    @property
    def raw_table(self) -> str:
        return f"{self.source}__{self.table}"

    def checked_columns(self, kind: type | UnionType, stage: Stage) -> tuple[Column, ...]:
        """The columns of a kind whose kind is enforced at ``stage``."""
        return tuple(c for c in self.columns if isinstance(c.kind, kind) and stage in c.checked)

    @property
    def landing(self) -> LandingRules:
        return LandingRules(
            required=tuple(c.name for c in self.columns if LANDING in c.required),
            not_null=tuple(c.name for c in self.columns if LANDING in c.filled),
            whole_numbers=self.checked_columns(WholeNumber, LANDING),
            numbers=tuple(c.name for c in self.checked_columns(Number, LANDING)),
            timestamps=self.checked_columns(Timestamp, LANDING),
        )


@dataclass(frozen=True)
class SourceSystem:
    """A source system: its landing folder ``landing/<name>/``, the dbt source ``<name>`` and its tables."""

    name: str
    description: str
    tables: tuple[SourceTable, ...]

    def __post_init__(self) -> None:
        for table in self.tables:
            if table.source != self.name:
                raise ValueError(f"raw table {table.raw_table} is declared in source system {self.name!r}")
