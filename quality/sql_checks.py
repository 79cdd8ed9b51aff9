"""The expectations of a raw table run as one SQL query in DuckDB, where the rows are.

The same expectations as the GX suites (``quality.validate.expectations_of``, derived from the
declarations), compiled to SQL: one aggregate per expectation (unexpected rows, offending files, the
first unexpected values) over the pending files' rows, in a single scan. Nothing is copied out to
pandas, so the cost is DuckDB's (parallel, spills to disk) rather than GX's (one Python thread that
copies the frame for every column filter). The outcomes are GX's, field for field: same counts, same
example values in the same order (rows in landing order), the same "column missing" failures
(``tests/quality/test_sql_checks.py`` compares both engines).

How each expectation reads, as GX does on the prepared frame:

- keys and filled columns: blank text is missing (``prepare_frame``);
- numbers: the text parsed as pandas' ``to_numeric`` would (plain decimals and exponents, else NULL);
- times: parsed with the source's format and zone, in UTC without zone; NULL when unparseable;
- a NULL value is never unexpected, except for not-null; uniqueness counts NULL keys as equal.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import duckdb

from landing.sources.time_formats import TimeFormat
from quality.rules import TableRules
from quality.validate import (
    EXAMPLES,
    RESULT_FORMAT,
    Expectation,
    ExpectationOutcome,
    _quoted,
    _table_columns,
    expectations_of,
    number_column,
    outcome_of,
    time_column,
)

FIRST_UNEXPECTED = RESULT_FORMAT["partial_unexpected_count"]  # the unexpected values GX lists
# A number as pandas' to_numeric reads it: optional sign, digits with an optional fraction, exponent.
_NUMBER = r"\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*"
_WHOLE = r"\s*[+-]?\d+\s*"
_BLANK = r"\s*"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _time_sql(column: str, fmt: TimeFormat) -> str:
    """Text → naive UTC timestamp, as ``quality.validate.parse_times``; NULL when unparseable."""
    if fmt.parse == "ISO8601":
        # Offsets as written; a time without one is UTC (pandas' utc=True); the session is in UTC.
        return f"try_cast({column} as timestamptz)::timestamp"
    parsed = f"try_strptime({column}, {_literal(fmt.parse)})"
    if fmt.zone is None:
        return f"{parsed}::timestamptz::timestamp"
    return f"timezone('UTC', timezone({_literal(fmt.zone)}, {parsed}))"


def _source_columns(
    conn: duckdb.DuckDBPyConnection, raw_table: str, where: str, params: list
) -> dict[str, str]:
    """Each column the rows have → the SQL that reads it as text (JSON-lines: one per top-level key)."""
    columns = _table_columns(conn, raw_table)
    if "record" not in columns:
        return {c: _quoted(c) for c in columns}
    keys = [
        key
        for (key,) in conn.execute(
            f'select distinct unnest(json_keys(record)) from raw."{raw_table}"{where} order by 1', params
        ).fetchall()
    ]
    lineage = {c: _quoted(c) for c in sorted(set(columns) - {"record"})}
    return {key: f"json_extract_string(record, {_literal('$.' + key)})" for key in keys} | lineage


def _prepared_columns(rules: TableRules, source: dict[str, str]) -> dict[str, str]:
    """Every column the expectations read → its SQL, as ``prepare_frame`` builds the frame."""
    prepared = dict(source)
    for column in (*rules.keys, *rules.not_null):
        if column in prepared:
            text = prepared[column]
            prepared[column] = f"case when regexp_full_match({text}, '{_BLANK}') then null else {text} end"
    for name, template in rules.derived_sql.items():
        try:
            prepared[name] = f"({template.format_map(prepared)})"
        except KeyError:
            pass  # a source column is missing; the required-columns expectation reports it
    for column in rules.numbers:
        if column in source:
            text = prepared[column]
            prepared[number_column(column)] = (
                f"case when regexp_full_match({text}, '{_NUMBER}') then cast(trim({text}) as double) end"
            )
    for column, timestamp in rules.timestamps.items():
        if column in source:
            prepared[time_column(column)] = _time_sql(prepared[column], timestamp.format)
    return prepared


def _unexpected(spec: Expectation, column: str) -> str:
    """SQL that is true for a row the expectation does not accept (over the prepared relation)."""
    kind, args = spec.type, spec.kwargs
    if kind == "expect_column_values_to_not_be_null":
        return f"{column} is null"
    if kind == "expect_column_values_to_match_regex":
        return f"{column} is not null and not regexp_matches({column}, {_literal(args['regex'])})"
    if kind == "expect_column_values_to_be_between":
        low, high = args.get("min_value"), args.get("max_value")
        bounds = []
        if low is not None:
            bounds.append(f"{column} < {_bound(low)}")
        if high is not None:
            bounds.append(f"{column} > {_bound(high)}")
        return f"{column} is not null and ({' or '.join(bounds)})"
    if kind == "expect_column_values_to_be_in_set":
        values = ", ".join(_literal(v) for v in args["value_set"]) or "null"
        return f"{column} is not null and {column} not in ({values})"
    raise ValueError(f"no SQL for {kind}")


def _bound(value) -> str:
    return f"timestamp {_literal(value.isoformat(sep=' '))}" if isinstance(value, datetime) else repr(value)


def validate_files(
    conn: duckdb.DuckDBPyConnection, rules: TableRules, files: Sequence[str], now: datetime
) -> list[ExpectationOutcome]:
    """Run a table's expectations on the rows of ``files`` in one query; one outcome per expectation."""
    cursor = conn.cursor()  # its own session: the time zone below is not the caller's
    try:
        cursor.execute("set TimeZone = 'UTC'")
        return _validate(cursor, rules, files, now)
    finally:
        cursor.close()


def _validate(
    conn: duckdb.DuckDBPyConnection, rules: TableRules, files: Sequence[str], now: datetime
) -> list[ExpectationOutcome]:
    where, params = " where _source_file in (select unnest(?::varchar[]))", [list(files)]
    source = _source_columns(conn, rules.raw_table, where, params)
    specs = expectations_of(rules, now, source)
    prepared = _prepared_columns(rules, source)
    names = {column: f"c{i}" for i, column in enumerate(prepared)}
    file = names["_source_file"]
    key = [names[c] for c in (*rules.keys, "_source_file") if c in prepared]
    keyed = len(key) == len(rules.keys) + 1
    copies = f", count(*) over (partition by {', '.join(key)}) as _copies" if keyed else ""
    select = ", ".join(f"{sql} as {names[column]}" for column, sql in prepared.items())
    rows = f'select {select}, rowid as _row{copies} from raw."{rules.raw_table}"{where}'

    measured = [spec for spec in specs if _reads_rows(spec, prepared, keyed)]
    # Each expectation's test once per row, as a column; the aggregates below only read it.
    flags, aggregates = [], ["count(*)", f"list(distinct {file})"]
    for i, spec in enumerate(measured):
        if spec.type == "expect_compound_columns_to_be_unique":
            bad = "_copies > 1"
            value = "concat_ws('|', " + ", ".join(f"coalesce({c}::varchar, '<NA>')" for c in key) + ")"
        else:
            bad, value = _unexpected(spec, names[spec.kwargs["column"]]), names[spec.kwargs["column"]]
        flags.append(f"coalesce({bad}, false) as b{i}")
        aggregates += [
            f"count(*) filter (where b{i})",
            f"list(distinct {file}) filter (where b{i})",
            f"arg_min({value}, _row, {FIRST_UNEXPECTED}) filter (where b{i})",
        ]
    # Whether pandas reads a number column as floats: its examples then print as 5.0, not 5.
    numbers = [c for c in rules.numbers if c in source]
    aggregates += [
        f"coalesce(bool_or({names[c]} = '' or ({names[number_column(c)]} is not null "
        f"and not regexp_full_match({names[c]}, '{_WHOLE}'))), false)"
        for c in numbers
    ]
    flagged = f"select *{''.join(', ' + f for f in flags)} from ({rows})"
    answer = conn.execute(f"select {', '.join(aggregates)} from ({flagged})", params).fetchone()
    total, all_files = answer[0], tuple(sorted(answer[1] or ()))
    found = {id(spec): answer[2 + 3 * i : 5 + 3 * i] for i, spec in enumerate(measured)}
    flags = answer[2 + 3 * len(measured) :]
    floats = {number_column(c) for c, is_float in zip(numbers, flags, strict=True) if is_float}

    outcomes = []
    for spec in specs:
        unexpected, elements, examples, failed = None, None, None, all_files
        if spec.type == "expect_table_columns_to_match_set":
            missing = [c for c in spec.kwargs["column_set"] if c not in prepared]
            unexpected, elements, examples = len(missing), total, ", ".join(missing) or None
            success = not missing
        elif id(spec) in found:
            unexpected, bad_files, first = found[id(spec)]
            success, elements, failed = unexpected == 0, total, tuple(sorted(bad_files or ()))
            examples = _examples(first, spec.column in floats) if unexpected else None
            if unexpected and spec.type == "expect_column_values_to_not_be_null":
                examples = "<NA>"  # how pandas prints the missing value GX lists
        else:  # a column (or a key column) the rows lack
            success = False
            if spec.type != "expect_compound_columns_to_be_unique":
                examples = "column missing"
        outcomes.append(
            outcome_of(
                rules,
                spec,
                success=success,
                unexpected_count=unexpected,
                element_count=elements,
                example_values=examples,
                files_validated=len(all_files),
                rows_validated=total,
                failed_files=() if success else failed,
            )
        )
    return outcomes


def _reads_rows(spec: Expectation, prepared: dict[str, str], keyed: bool) -> bool:
    """Whether the expectation is measured over the rows (not the column set; not a missing column)."""
    if spec.type == "expect_compound_columns_to_be_unique":
        return keyed
    return spec.type != "expect_table_columns_to_match_set" and spec.kwargs["column"] in prepared


def _examples(values: list | None, floats: bool) -> str | None:
    """Up to five distinct values, in row order, printed as GX's pandas results print them."""
    shown: list[str] = []
    for value in values or []:
        if value is None:
            text = "<NA>"
        elif isinstance(value, float):
            text = str(value) if floats or not value.is_integer() else str(int(value))
        else:
            text = str(value)
        if text not in shown:
            shown.append(text)
    return ", ".join(shown[:EXAMPLES]) or None
