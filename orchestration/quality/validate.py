"""Run the GX expectations of a raw table and report one outcome per expectation.

Uses the GX 1.x API directly: an ephemeral context (nothing written to disk, no analytics), one
pandas data source, one dataframe asset per raw table and a whole-dataframe batch. Raw columns are
text; numbers and times are parsed into extra columns (``qty (number)``, ``sold_at (UTC)``) first, so
range and future checks compare values, not strings.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

import duckdb
import great_expectations as gx
import great_expectations.expectations as gxe
import pandas as pd
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)

from orchestration.quality.rules import NUMBER_REGEX, TableRules, TimeFormat
from orchestration.quality.suites import rules_of

EXAMPLES = 5
RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": 20}


@dataclass(frozen=True)
class ExpectationOutcome:
    """One expectation on one raw table: a row of ``landing.dq_results``."""

    source: str
    raw_table: str
    expectation: str
    column: str | None
    critical: bool
    success: bool
    unexpected_count: int | None
    element_count: int | None
    example_values: str | None


def number_column(column: str) -> str:
    return f"{column} (number)"


def time_column(column: str) -> str:
    return f"{column} (UTC)"


@cache
def _context():
    """One ephemeral context per process; GX wants one active before suites are built."""
    return gx.get_context(
        mode="ephemeral",
        project_config=DataContextConfig(
            analytics_enabled=False,
            store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
            progress_bars=ProgressBarsConfig(globally=False),
        ),
    )


@cache
def _data_source():
    return _context().data_sources.add_pandas("raw")


def _batch_definition(raw_table: str):
    source = _data_source()
    asset_names = {asset.name for asset in source.assets}
    asset = source.get_asset(raw_table) if raw_table in asset_names else source.add_dataframe_asset(raw_table)
    names = {definition.name for definition in asset.batch_definitions}
    if "whole table" in names:
        return asset.get_batch_definition("whole table")
    return asset.add_batch_definition_whole_dataframe("whole table")


def parse_times(text: pd.Series, fmt: TimeFormat) -> pd.Series:
    """Text → naive UTC timestamps; unparseable text becomes NaT (the regex check reports it)."""
    if fmt.zone is None:
        parsed = pd.to_datetime(text, format=fmt.parse, utc=True, errors="coerce")
    else:
        parsed = pd.to_datetime(text, format=fmt.parse, errors="coerce")
        parsed = parsed.dt.tz_localize(fmt.zone, ambiguous="NaT", nonexistent="NaT").dt.tz_convert("UTC")
    return parsed.dt.tz_localize(None)


def prepare_frame(frame: pd.DataFrame, rules: TableRules) -> pd.DataFrame:
    """Add the derived, number and time columns the expectations read; absent sources are skipped."""
    frame = frame.copy()
    for column in (*rules.keys, *rules.not_null):
        if column in frame and pd.api.types.is_string_dtype(frame[column]):
            # A quoted empty field lands as '' rather than NULL; for a key both mean "missing".
            frame[column] = frame[column].where(frame[column].str.strip().ne(""), None)
    for name, derive in rules.derived.items():
        try:
            frame[name] = derive(frame)
        except KeyError:
            pass  # a source column is missing; the required-columns expectation reports it
    for column in rules.numbers:
        if column in frame:
            frame[number_column(column)] = pd.to_numeric(frame[column], errors="coerce")
    for column, timestamp in rules.timestamps.items():
        if column in frame:
            frame[time_column(column)] = parse_times(frame[column], timestamp.format)
    return frame


def build_suite(
    rules: TableRules, now: datetime, columns: Iterable[str] | None = None
) -> gx.ExpectationSuite:
    """The GX suite of one raw table; ``meta`` says whether an expectation is critical and its column.

    Rules on an optional column that the table lacks (``columns``) are left out; rules on a missing
    required column stay in and fail with the required-columns expectation.
    """
    present = set(rules.required) | (set(columns) if columns is not None else set(_ruled_columns(rules)))

    _context()
    suite = gx.ExpectationSuite(name=rules.raw_table)

    def add(expectation, critical: bool, column: str | None) -> None:
        expectation.meta = {"critical": critical, "column": column}
        suite.add_expectation(expectation)

    add(gxe.ExpectTableColumnsToMatchSet(column_set=list(rules.required), exact_match=False), True, None)
    for column in (*rules.keys, *rules.not_null):
        add(gxe.ExpectColumnValuesToNotBeNull(column=column), True, column)
    # Unique per file: the overlapping exports repeat lines between files, never inside one.
    key = [*rules.keys, "_source_file"]
    add(gxe.ExpectCompoundColumnsToBeUnique(column_list=key), True, ", ".join(rules.keys))
    for column, number in rules.numbers.items():
        if column not in present:
            continue
        add(gxe.ExpectColumnValuesToMatchRegex(column=column, regex=NUMBER_REGEX), False, column)
        add(
            gxe.ExpectColumnValuesToBeBetween(
                column=number_column(column), min_value=number.low, max_value=number.high
            ),
            False,
            number_column(column),
        )
    future_limit = now.astimezone(UTC).replace(tzinfo=None)
    for column, timestamp in rules.timestamps.items():
        if column not in present:
            continue
        add(gxe.ExpectColumnValuesToMatchRegex(column=column, regex=timestamp.format.regex), False, column)
        if not timestamp.may_be_future:
            add(
                gxe.ExpectColumnValuesToBeBetween(column=time_column(column), max_value=future_limit),
                False,
                time_column(column),
            )
    for column, values in rules.known_values.items():
        if column not in present and column not in rules.derived:
            continue
        add(gxe.ExpectColumnValuesToBeInSet(column=column, value_set=sorted(values)), False, column)
    return suite


def _ruled_columns(rules: TableRules) -> list[str]:
    return [*rules.numbers, *rules.timestamps, *rules.known_values]


def _used_columns(rules: TableRules) -> set[str]:
    """Columns a table's expectations read; derived columns must be computed from required ones."""
    return {*rules.required, *rules.keys, *rules.not_null, *_ruled_columns(rules), "_source_file"}


def _examples(result: dict) -> str | None:
    if "details" in result and "mismatched" in result["details"]:
        missing = (result["details"]["mismatched"] or {}).get("missing") or []
        return ", ".join(missing) or None
    values = []
    for value in result.get("partial_unexpected_list") or []:
        text = "|".join(str(v) for v in value.values()) if isinstance(value, dict) else str(value)
        if text not in values:
            values.append(text)
    return ", ".join(values[:EXAMPLES]) or None


def validate_frame(
    frame: pd.DataFrame, rules: TableRules, now: datetime | None = None
) -> list[ExpectationOutcome]:
    """Validate one raw table's rows (all of them) and return one outcome per expectation."""
    now = now or datetime.now(UTC)
    # Only the columns the rules read: GX copies the frame per metric, so fewer columns is faster.
    used = [c for c in frame.columns if c in _used_columns(rules)]
    # Arrow-backed strings: GX copies the frame per metric, and these copy ~4x faster than objects.
    text = frame[used].astype({c: "string[pyarrow]" for c in used if frame[c].dtype == object})
    prepared = prepare_frame(text, rules)
    suite = build_suite(rules, now, frame.columns)
    batch = _batch_definition(rules.raw_table).get_batch(batch_parameters={"dataframe": prepared})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        validation = batch.validate(suite, result_format=RESULT_FORMAT)
    outcomes = []
    for result in validation.results:
        config = result.expectation_config
        details = result.result or {}
        column = config.meta["column"]
        missing = (
            column is not None
            and config.type != "expect_compound_columns_to_be_unique"
            and (column not in prepared)
        )
        table_level = config.type == "expect_table_columns_to_match_set"
        unexpected = details.get("unexpected_count")
        if table_level:
            unexpected = len((details.get("details") or {}).get("mismatched", {}).get("missing") or [])
        outcomes.append(
            ExpectationOutcome(
                source=rules.source,
                raw_table=rules.raw_table,
                expectation=config.type,
                column=column,
                critical=bool(config.meta["critical"]),
                success=bool(result.success),
                unexpected_count=unexpected,
                element_count=len(prepared) if table_level else details.get("element_count"),
                example_values="column missing" if missing else _examples(details),
            )
        )
    return outcomes


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_raw_table(conn: duckdb.DuckDBPyConnection, raw_table: str) -> pd.DataFrame:
    """A raw table as text columns; JSON-lines tables get one column per top-level key."""
    columns = {
        name
        for (name,) in conn.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'raw' and table_name = ?",
            [raw_table],
        ).fetchall()
    }
    if "record" not in columns:
        return conn.execute(f'select * from raw."{raw_table}"').df()
    keys = [
        key
        for (key,) in conn.execute(
            f'select distinct unnest(json_keys(record)) from raw."{raw_table}" order by 1'
        ).fetchall()
    ]
    selected = ", ".join(f"json_extract_string(record, ?) as {_quoted(key)}" for key in keys)
    lineage = ", ".join(sorted(columns - {"record"}))
    sql = f'select {selected}{", " if selected else ""}{lineage} from raw."{raw_table}"'
    return conn.execute(sql, [f"$.{key}" for key in keys]).df()


def validate_source(
    conn: duckdb.DuckDBPyConnection, source: str, now: datetime | None = None
) -> list[ExpectationOutcome]:
    """Validate every raw table of a source system (its suite)."""
    outcomes = []
    for rules in rules_of(source):
        outcomes.extend(validate_frame(read_raw_table(conn, rules.raw_table), rules, now))
    return outcomes
