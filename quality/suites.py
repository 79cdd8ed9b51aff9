"""The GX suite of every raw table, derived from its declaration in ``landing.sources``; one suite per
source system. The rules themselves are declared there, column by column.

Keys are unique *within a file*: Shopify and Amazon exports overlap on purpose, so the same line
appears in two files and staging de-duplicates it. Channel statuses must be in the dbt seed
``channel_status_map.csv`` (an unmapped status would fail ``dbt build`` later anyway; here it warns
with the offending values before dbt runs).
"""

from __future__ import annotations

import csv
from functools import cache

from core.settings import DBT_PROJECT_DIR
from landing.sources import SOURCE_TABLES, SourceTable
from landing.sources.declaration import (
    QUALITY,
    ChannelStatuses,
    Number,
    Timestamp,
    Values,
    WholeNumber,
)
from quality.rules import TableRules

STATUS_SEED = DBT_PROJECT_DIR / "seeds" / "channel_status_map.csv"


@cache
def channel_statuses(channel: str) -> frozenset[str]:
    """The statuses of a channel that the mapping seed knows."""
    with STATUS_SEED.open(encoding="utf-8", newline="") as handle:
        return frozenset(row["channel_status"] for row in csv.DictReader(handle) if row["channel"] == channel)


def _known(values: Values, table: SourceTable) -> frozenset[str]:
    return channel_statuses(table.source) if isinstance(values, ChannelStatuses) else values


def _known_values(table: SourceTable) -> dict[str, frozenset[str]]:
    """Status-like columns and their values: derived columns first, then declared ones."""
    derived = {d.name: _known(d.values, table) for d in table.derived}
    declared = {c.name: _known(c.values, table) for c in table.columns if c.values is not None}
    return derived | declared


def table_rules(table: SourceTable) -> TableRules:
    """What GX checks of one raw table: the columns' QUALITY rules, in declaration order."""
    return TableRules(
        table.source,
        table.table,
        required=tuple(c.name for c in table.columns if QUALITY in c.required),
        keys=table.key,
        not_null=tuple(c.name for c in table.columns if QUALITY in c.filled and c.name not in table.key),
        numbers={c.name: c.kind for c in table.checked_columns(WholeNumber | Number, QUALITY)},
        timestamps={c.name: c.kind for c in table.checked_columns(Timestamp, QUALITY)},
        known_values=_known_values(table),
        derived={d.name: d.compute for d in table.derived},
        derived_sql={d.name: d.sql for d in table.derived},
    )


TABLE_RULES: tuple[TableRules, ...] = tuple(table_rules(table) for table in SOURCE_TABLES)


def rules_of(source: str) -> list[TableRules]:
    """The rules of every raw table of one source system: that system's suite."""
    return [rules for rules in TABLE_RULES if rules.source == source]
