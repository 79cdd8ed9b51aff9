"""What GX checks of a raw table, derived from its declaration (``landing.sources``); ``validate``
turns it into GX expectations.

Raw tables hold text only, so numbers and timestamps are checked twice: the text must have the shape
(a regex), and the parsed value must be in range (numbers) or not in the future (timestamps).
Critical rules (required columns, keys, filled columns) block the pipeline; the others only warn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from landing.sources.declaration import Number, Timestamp, WholeNumber

NUMBER_REGEX = r"^-?\d+(\.\d+)?$"


@dataclass(frozen=True)
class TableRules:
    """The GX rules of one raw table ``raw.<source>__<table>``."""

    source: str
    table: str
    required: tuple[str, ...]  # columns that must exist (critical)
    keys: tuple[str, ...]  # not null (critical) and unique together within each file (critical)
    not_null: tuple[str, ...] = ()  # further columns that must be filled (critical)
    numbers: dict[str, WholeNumber | Number] = field(default_factory=dict)  # within [low, high]
    timestamps: dict[str, Timestamp] = field(default_factory=dict)
    known_values: dict[str, frozenset[str]] = field(default_factory=dict)  # status-like columns
    # Columns computed from others before validating, e.g. the status pair a channel's mapping uses.
    derived: dict[str, Callable[[pd.DataFrame], pd.Series]] = field(default_factory=dict)
    # The same columns in SQL for the DuckDB checks: templates with ``{column}`` for each source column.
    derived_sql: dict[str, str] = field(default_factory=dict)

    @property
    def raw_table(self) -> str:
        return f"{self.source}__{self.table}"
