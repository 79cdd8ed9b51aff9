"""Run the GX expectations of a raw table and report one outcome per expectation.

Uses the GX 1.x API directly: an ephemeral context (nothing written to disk, no analytics), one
pandas data source, one dataframe asset per raw table and a whole-dataframe batch. Raw columns are
text; numbers and times are parsed into extra columns (``qty (number)``, ``sold_at (UTC)``) first, so
range and future checks compare values, not strings.

Incremental: every expectation is per row or per file (keys are unique *within* a file), so a table
is valid when each of its files is. Only the files not yet validated are read: new or replaced files
(a path and checksum with no passing check in ``landing.dq_file_checks``) and files whose critical
expectations failed last time (so a blocking failure blocks until the file is replaced). The cost of a
run grows with the new files, not with the history. Large batches are validated in chunks of whole
files to bound memory.
"""

from __future__ import annotations

import multiprocessing
import sys
import time
import types
import warnings
from collections.abc import Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, ProcessPoolExecutor, wait
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

import duckdb
import pandas as pd
import pyarrow as pa

from core import settings
from landing.sources.time_formats import TimeFormat
from quality.rules import NUMBER_REGEX, TableRules
from quality.suites import rules_of

if TYPE_CHECKING:
    import great_expectations as gx

EXAMPLES = 5
RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": 20}
FILE_CHECKS = "landing.dq_file_checks"
# Rows validated at once: a first landing of years of history is validated in chunks of whole files.
CHUNK_ROWS = 500_000
CHECK_WORKERS_DEFAULT = 2


def check_workers() -> int:
    """Processes that validate chunks side by side (GX runs in one Python thread): ``$OMNIOPS_CHECK_WORKERS``,
    default 2 (this machine's cores); 1 validates in the calling process."""
    return settings.check_workers(CHECK_WORKERS_DEFAULT)


_ARROW_TEXT = {pa.string(): pd.StringDtype("pyarrow"), pa.large_string(): pd.StringDtype("pyarrow")}


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
    files_validated: int = 0
    rows_validated: int = 0
    failed_files: tuple[str, ...] = ()  # the files holding the offending rows


@dataclass(frozen=True)
class PendingFile:
    """A file of a raw table that needs validating; ``retried`` when its last critical check failed."""

    path: str
    sha256: str
    rows: int
    retried: bool = False


@dataclass(frozen=True)
class CheckedFile:
    """One file validated in this run: a row of ``landing.dq_file_checks``."""

    raw_table: str
    file_path: str
    sha256: str
    rows: int
    critical_success: bool
    retried: bool = False
    other_success: bool = True


@dataclass
class SourceCheck:
    """What one run validated of a source system: the outcomes and the files behind them."""

    outcomes: list[ExpectationOutcome] = field(default_factory=list)
    files: list[CheckedFile] = field(default_factory=list)


def number_column(column: str) -> str:
    return f"{column} (number)"


def time_column(column: str) -> str:
    return f"{column} (UTC)"


@cache
def _context():
    """One ephemeral context per process; GX wants one active before suites are built. GX is imported
    here, not with the module: it takes seconds, and the pipeline checks in DuckDB (``sql_checks``)."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )
    from great_expectations.execution_engine import pandas_execution_engine

    # GX fingerprints every in-memory batch under this size by hashing all its rows (a fifth of the
    # validation time at 500,000 rows); the fingerprint only labels the batch, and ours are never reused.
    pandas_execution_engine.HASH_THRESHOLD = 0
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


@dataclass(frozen=True)
class Expectation:
    """One expectation of a suite: its GX type and arguments, whether it is critical, and the column it
    reports on. Both engines run these: GX (``build_suite``) and DuckDB (``quality.sql_checks``)."""

    type: str
    kwargs: dict[str, Any]
    critical: bool
    column: str | None


def expectations_of(
    rules: TableRules, now: datetime, columns: Iterable[str] | None = None
) -> list[Expectation]:
    """The expectations of one raw table, derived from its rules.

    Rules on an optional column that the table lacks (``columns``) are left out; rules on a missing
    required column stay in and fail with the required-columns expectation.
    """
    present = set(rules.required) | (set(columns) if columns is not None else set(_ruled_columns(rules)))
    found: list[Expectation] = []

    def add(kind: str, critical: bool, reported: str | None, **kwargs) -> None:
        found.append(Expectation(f"expect_{kind}", kwargs, critical, reported))

    add("table_columns_to_match_set", True, None, column_set=list(rules.required), exact_match=False)
    for column in (*rules.keys, *rules.not_null):
        add("column_values_to_not_be_null", True, column, column=column)
    # Unique per file: the overlapping exports repeat lines between files, never inside one.
    key = [*rules.keys, "_source_file"]
    add("compound_columns_to_be_unique", True, ", ".join(rules.keys), column_list=key)
    for column, number in rules.numbers.items():
        if column not in present:
            continue
        add("column_values_to_match_regex", False, column, column=column, regex=NUMBER_REGEX)
        parsed = number_column(column)
        add(
            "column_values_to_be_between",
            False,
            parsed,
            column=parsed,
            min_value=number.low,
            max_value=number.high,
        )
    future_limit = now.astimezone(UTC).replace(tzinfo=None)
    for column, timestamp in rules.timestamps.items():
        if column not in present:
            continue
        add("column_values_to_match_regex", False, column, column=column, regex=timestamp.format.regex)
        if not timestamp.may_be_future:
            parsed = time_column(column)
            add("column_values_to_be_between", False, parsed, column=parsed, max_value=future_limit)
    for column, values in rules.known_values.items():
        if column not in present and column not in rules.derived:
            continue
        add("column_values_to_be_in_set", False, column, column=column, value_set=sorted(values))
    return found


def build_suite(
    rules: TableRules, now: datetime, columns: Iterable[str] | None = None
) -> gx.ExpectationSuite:
    """The GX suite of one raw table (``expectations_of``); ``meta`` says whether an expectation is
    critical and its column."""
    import great_expectations as gx
    import great_expectations.expectations as gxe

    _context()
    suite = gx.ExpectationSuite(name=rules.raw_table)
    for spec in expectations_of(rules, now, columns):
        name = "".join(part.title() for part in spec.type.split("_"))
        expectation = getattr(gxe, name)(**spec.kwargs)
        expectation.meta = {"critical": spec.critical, "column": spec.column}
        suite.add_expectation(expectation)
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
    files = prepared["_source_file"] if "_source_file" in prepared else pd.Series(dtype=object)
    files_validated = int(files.nunique())
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
                files_validated=files_validated,
                rows_validated=len(prepared),
                failed_files=()
                if result.success
                else _failed_files(prepared, files, rules, config.type, column, config.kwargs),
            )
        )
    return outcomes


def _failed_files(
    prepared: pd.DataFrame,
    files: pd.Series,
    rules: TableRules,
    expectation: str,
    column: str | None,
    kwargs: dict,
) -> tuple[str, ...]:
    """The files holding the rows a failed expectation reports (all files if a column is missing).

    Files failing a critical expectation are validated again on every run until they are replaced;
    files with warnings are listed as open warnings while they are current. Only computed on failure.
    """
    values = prepared[column] if column in prepared else None
    if values is None and expectation != "expect_compound_columns_to_be_unique":
        bad = pd.Series(True, index=prepared.index)
    elif expectation == "expect_column_values_to_not_be_null":
        bad = values.isna()
    elif expectation == "expect_compound_columns_to_be_unique":
        if set(rules.keys) <= set(prepared):
            bad = prepared.duplicated([*rules.keys, "_source_file"], keep=False)
        else:
            bad = pd.Series(True, index=prepared.index)
    elif expectation == "expect_column_values_to_match_regex":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "has match groups": only whether it matches counts
            bad = values.notna() & ~values.astype("string").str.contains(kwargs["regex"], regex=True)
    elif expectation == "expect_column_values_to_be_between":
        low, high = kwargs.get("min_value"), kwargs.get("max_value")
        bad = pd.Series(False, index=prepared.index)
        if low is not None:
            bad |= values < low
        if high is not None:
            bad |= values > high
        bad &= values.notna()
    elif expectation == "expect_column_values_to_be_in_set":
        bad = values.notna() & ~values.isin(list(kwargs["value_set"]))
    else:
        bad = pd.Series(True, index=prepared.index)
    return tuple(sorted(str(f) for f in files[bad].dropna().unique()))


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _table_columns(conn: duckdb.DuckDBPyConnection, raw_table: str) -> list[str]:
    return [
        name
        for (name,) in conn.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'raw' and table_name = ? order by ordinal_position",
            [raw_table],
        ).fetchall()
    ]


def read_raw_table(
    conn: duckdb.DuckDBPyConnection,
    raw_table: str,
    files: Sequence[str] | None = None,
    columns: Iterable[str] | None = None,
) -> pd.DataFrame:
    """A raw table as text columns; JSON-lines tables get one column per top-level key.

    ``files``: only the rows of these ``_source_file``s; ``columns``: only these columns (and JSON
    keys), the ones the rules read. Text arrives Arrow-backed, without a round trip through objects.
    """
    table_columns = _table_columns(conn, raw_table)
    wanted = None if columns is None else set(columns)
    where, params = "", []
    if files is not None:
        where, params = " where _source_file in (select unnest(?::varchar[]))", [list(files)]
    if "record" not in table_columns:
        selected = [c for c in table_columns if wanted is None or c in wanted]
        sql = f'select {", ".join(map(_quoted, selected))} from raw."{raw_table}"{where}'
        return _frame(conn, sql, params)
    keys = [
        key
        for (key,) in conn.execute(
            f'select distinct unnest(json_keys(record)) from raw."{raw_table}"{where} order by 1', params
        ).fetchall()
        if wanted is None or key in wanted
    ]
    selected = [f"json_extract_string(record, ?) as {_quoted(key)}" for key in keys]
    lineage = [c for c in sorted(set(table_columns) - {"record"}) if wanted is None or c in wanted]
    sql = f'select {", ".join([*selected, *map(_quoted, lineage)])} from raw."{raw_table}"{where}'
    return _frame(conn, sql, [*(f"$.{key}" for key in keys), *params])


def _frame(conn: duckdb.DuckDBPyConnection, sql: str, params: list) -> pd.DataFrame:
    return conn.sql(sql, params=params or None).to_arrow_table().to_pandas(types_mapper=_ARROW_TEXT.get)


def pending_files(conn: duckdb.DuckDBPyConnection, raw_table: str) -> list[PendingFile]:
    """The current files of a raw table without a passing critical check of their checksum.

    Read from the raw table itself (two columns, cheap in DuckDB), so a file landed by a run whose
    checks never ran (a crash) is still validated next time.
    """
    columns = _table_columns(conn, raw_table)
    sha = "_file_sha256" if "_file_sha256" in columns else "''"
    files = (
        f"select _source_file as file_path, {sha} as sha256, count(*) as n "
        f'from raw."{raw_table}" group by all'
    )
    known = conn.execute(
        "select count(*) from information_schema.tables where table_schema = 'landing' "
        "and table_name = 'dq_file_checks'"
    ).fetchone()[0]
    if not known:
        sql, params = f"select file_path, sha256, n, false from ({files}) order by file_path", []
    else:
        sql = f"""
            with files as ({files}),
            checked as (
                select file_path, sha256, arg_max(critical_success, checked_at) as ok
                from {FILE_CHECKS} where raw_table = ? group by all
            )
            select file_path, sha256, n, ok is not null
            from files left join checked using (file_path, sha256)
            where ok is distinct from true
            order by file_path
        """
        params = [raw_table]
    return [PendingFile(p, s or "", n, r) for p, s, n, r in conn.execute(sql, params).fetchall()]


def open_warnings(conn: duckdb.DuckDBPyConnection, raw_table: str) -> list[str]:
    """Current files (same checksum) whose latest validation had warnings: validated once, not again,
    so a run that validates nothing new can still say that these rows are in the table."""
    known = conn.execute(
        "select count(*) from information_schema.columns where table_schema = 'landing' "
        "and table_name = 'dq_file_checks' and column_name = 'other_success'"
    ).fetchone()[0]
    if not known:
        return []
    columns = _table_columns(conn, raw_table)
    sha = "_file_sha256" if "_file_sha256" in columns else "''"
    sql = f"""
        with files as (select distinct _source_file as file_path, {sha} as sha256 from raw."{raw_table}"),
        checked as (
            select file_path, sha256, arg_max(other_success, checked_at) as ok
            from {FILE_CHECKS} where raw_table = ? group by all
        )
        select file_path from files join checked using (file_path, sha256) where not ok order by 1
    """
    return [path for (path,) in conn.execute(sql, [raw_table]).fetchall()]


def _chunks(files: Sequence[PendingFile], rows: int) -> Iterable[list[PendingFile]]:
    """Whole files (uniqueness is per file) in batches of about ``rows`` rows."""
    batch: list[PendingFile] = []
    size = 0
    for file in files:
        if batch and size + file.rows > rows:
            yield batch
            batch, size = [], 0
        batch.append(file)
        size += file.rows
    if batch:
        yield batch


def _merge(parts: list[list[ExpectationOutcome]]) -> list[ExpectationOutcome]:
    """One outcome per expectation from the outcomes of several chunks (counts add up)."""
    merged: dict[tuple[str, str | None], ExpectationOutcome] = {}
    for outcomes in parts:
        for o in outcomes:
            key = (o.expectation, o.column)
            if key not in merged:
                merged[key] = o
                continue
            m = merged[key]
            examples = [e for text in (m.example_values, o.example_values) if text for e in text.split(", ")]
            merged[key] = replace(
                m,
                success=m.success and o.success,
                unexpected_count=None
                if m.unexpected_count is None and o.unexpected_count is None
                else (m.unexpected_count or 0) + (o.unexpected_count or 0),
                element_count=(m.element_count or 0) + (o.element_count or 0),
                example_values=", ".join(list(dict.fromkeys(examples))[:EXAMPLES]) or None,
                failed_files=tuple(sorted({*m.failed_files, *o.failed_files})),
            )
    # Totals over all chunks (a chunk may lack an optional column, so not summed per expectation).
    files = sum(outcomes[0].files_validated for outcomes in parts if outcomes)
    rows = sum(outcomes[0].rows_validated for outcomes in parts if outcomes)
    return [replace(o, files_validated=files, rows_validated=rows) for o in merged.values()]


def _nothing_new(
    conn: duckdb.DuckDBPyConnection, rules: TableRules, now: datetime
) -> list[ExpectationOutcome]:
    """Passing outcomes over 0 rows: every current file passed when it was validated."""
    columns = _table_columns(conn, rules.raw_table)
    return [
        outcome_of(rules, e, success=True, unexpected_count=0, element_count=0, example_values=None)
        for e in expectations_of(rules, now, None if "record" in columns else columns)
    ]


def outcome_of(rules: TableRules, expectation: Expectation, **measured) -> ExpectationOutcome:
    """The outcome of one of the table's expectations, with what was measured (success, counts…)."""
    return ExpectationOutcome(
        source=rules.source,
        raw_table=rules.raw_table,
        expectation=expectation.type,
        column=expectation.column,
        critical=expectation.critical,
        **measured,
    )


def check_table(
    conn: duckdb.DuckDBPyConnection,
    rules: TableRules,
    now: datetime,
    chunk_rows: int = CHUNK_ROWS,
    pool: Executor | None = None,
    workers: int = 1,
    pending: list[PendingFile] | None = None,
    engine: str = "duckdb",
) -> SourceCheck:
    """Validate the pending files of one raw table: in DuckDB, in one query (``engine="duckdb"``,
    ``quality.sql_checks``), or with GX on frames (``"gx"``), a chunk of whole files at a time (in
    ``pool``'s ``workers`` processes when there are several chunks). ``pending``: the files, when
    already read. Both engines give the same outcomes."""
    pending = pending_files(conn, rules.raw_table) if pending is None else pending
    if not pending:
        return SourceCheck(_nothing_new(conn, rules, now), [])
    if engine == "duckdb":
        from quality.sql_checks import validate_files

        return _checked(rules, pending, [validate_files(conn, rules, [f.path for f in pending], now)])
    batches = list(_chunks(pending, chunk_rows))

    def frame(batch: list[PendingFile]) -> pd.DataFrame:
        return read_raw_table(conn, rules.raw_table, [f.path for f in batch], _used_columns(rules))

    if pool is None or len(batches) < 2:
        parts = [validate_frame(frame(batch), rules, now) for batch in batches]
    else:
        # DuckDB reads the next chunks here while the workers validate; at most two chunks per worker
        # wait or run, so memory stays bounded.
        futures = []
        for batch in batches:
            while sum(not f.done() for f in futures) >= 2 * workers:
                wait(futures, return_when=FIRST_COMPLETED)
            futures.append(pool.submit(validate_frame, frame(batch), rules, now))
        parts = [f.result() for f in futures]
    return _checked(rules, pending, parts)


def _checked(
    rules: TableRules, pending: list[PendingFile], parts: list[list[ExpectationOutcome]]
) -> SourceCheck:
    """The outcomes of all parts and, per file, whether it passed the critical expectations."""
    outcomes = _merge(parts)
    failed = {f for o in outcomes if o.critical for f in o.failed_files}
    warned = {f for o in outcomes if not o.critical for f in o.failed_files}
    files = [
        CheckedFile(
            rules.raw_table, f.path, f.sha256, f.rows, f.path not in failed, f.retried, f.path not in warned
        )
        for f in pending
    ]
    return SourceCheck(outcomes, files)


def check_source(
    conn: duckdb.DuckDBPyConnection,
    source: str,
    now: datetime | None = None,
    chunk_rows: int = CHUNK_ROWS,
    engine: str = "duckdb",
) -> SourceCheck:
    """Validate the pending files of every raw table of a source system (its suite) in DuckDB, or with
    GX (``engine="gx"``)."""
    now = now or datetime.now(UTC)
    result = SourceCheck()
    workers = check_workers()
    with ExitStack() as stack:
        pool = None
        for rules in rules_of(source):
            pending = pending_files(conn, rules.raw_table)
            if engine == "gx" and pool is None and workers > 1 and sum(f.rows for f in pending) > chunk_rows:
                # Started only for a large first landing: the processes import GX (a few seconds).
                pool = stack.enter_context(_worker_pool(workers))
            table = check_table(conn, rules, now, chunk_rows, pool, workers, pending, engine)
            result.outcomes.extend(table.outcomes)
            result.files.extend(table.files)
    return result


def _worker_pool(workers: int) -> ProcessPoolExecutor:
    """Processes that import only what validation needs. A spawned process first runs the parent's
    ``__main__`` script again (a Streamlit page under AppTest, any unguarded script), so every worker is
    started here with ``__main__`` hidden."""
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        # submitted while none can have finished: each submit starts one more process
        for _ in range(workers):
            pool.submit(time.sleep, 0)
    finally:
        sys.modules["__main__"] = main
    return pool


def validate_source(
    conn: duckdb.DuckDBPyConnection, source: str, now: datetime | None = None, engine: str = "duckdb"
) -> list[ExpectationOutcome]:
    """Validate the pending files of every raw table of a source system; the outcomes only."""
    return check_source(conn, source, now, engine=engine).outcomes
