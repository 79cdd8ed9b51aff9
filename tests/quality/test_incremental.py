"""Incremental checks on a small real warehouse file: only new, replaced or still failing files are
validated, and a blocking failure stays blocking until its file is replaced."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import duckdb
import pytest

from quality.results import DQ_RESULTS, store_outcomes
from quality.suites import rules_of
from quality.validate import (
    FILE_CHECKS,
    SourceCheck,
    check_source,
    open_warnings,
    read_raw_table,
)

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
TABLE = "amazon__all_orders"
# The raw table's required columns, as the suite declares them (the rows below fill each one).
COLUMNS = next(r for r in rules_of("amazon") if r.table == "all_orders").required


def line(order: str, sku: str, **changes: str) -> dict[str, str]:
    row = {
        "amazon-order-id": order,
        "purchase-date": "2026-03-01T15:23:45+00:00",
        "last-updated-date": "2026-03-02T10:00:00+00:00",
        "order-status": "Shipped",
        "sku": sku,
        "quantity": "1",
        "currency": "USD",
        "item-price": "29.90",
        "item-tax": "2.50",
    }
    return row | changes


def land(conn: duckdb.DuckDBPyConnection, path: str, rows: list[dict[str, str]]) -> None:
    """What landing does with a new or replaced file: its old rows go, the new ones come with lineage."""
    sha = hashlib.sha256(repr(rows).encode()).hexdigest()
    conn.execute(f"delete from raw.{TABLE} where _source_file = ?", [path])
    for number, row in enumerate(rows, start=1):
        conn.execute(
            f"insert into raw.{TABLE} values ({', '.join('?' * (len(COLUMNS) + 4))})",
            [*(row[c] for c in COLUMNS), path, number, sha, NOW.replace(tzinfo=None)],
        )


@pytest.fixture()
def warehouse(tmp_path):
    conn = duckdb.connect(str(tmp_path / "build.duckdb"))
    conn.execute("create schema raw")
    text = ", ".join(f'"{c}" varchar' for c in COLUMNS)
    conn.execute(
        f"create table raw.{TABLE} ({text}, _source_file varchar, _record_number bigint, "
        "_file_sha256 varchar, _loaded_at timestamp)"
    )
    yield conn
    conn.close()


def run_checks(conn: duckdb.DuckDBPyConnection, run_id: str, chunk_rows: int = 500_000) -> SourceCheck:
    """One run of the asset check's work: validate the pending files, store outcomes and files."""
    checked = check_source(conn, "amazon", NOW, chunk_rows)
    store_outcomes(conn, checked.outcomes, run_id, NOW, checked.files)
    return checked


def critical_failures(checked: SourceCheck) -> dict[str, tuple[str, ...]]:
    return {o.expectation: o.failed_files for o in checked.outcomes if o.critical and not o.success}


MARCH = "amazon/All-Orders-Report_2026-03-01_2026-03-31.txt"
APRIL = "amazon/All-Orders-Report_2026-03-29_2026-04-30.txt"
MAY = "amazon/All-Orders-Report_2026-04-28_2026-05-31.txt"


def test_a_run_without_new_files_validates_nothing_and_passes(warehouse):
    land(warehouse, MARCH, [line("A-1", "S1"), line("A-1", "S2"), line("A-2", "S1")])
    first = run_checks(warehouse, "run-1")
    assert first.outcomes and all(o.success for o in first.outcomes)
    assert {o.rows_validated for o in first.outcomes} == {3}

    second = run_checks(warehouse, "run-2")
    assert [f.file_path for f in second.files] == []
    assert second.outcomes and all(o.success for o in second.outcomes)
    assert {(o.files_validated, o.rows_validated, o.element_count) for o in second.outcomes} == {(0, 0, 0)}
    # Same expectations reported as in a run that read rows, so the latest results stay comparable.
    assert {(o.expectation, o.column) for o in second.outcomes} == {
        (o.expectation, o.column) for o in first.outcomes
    }
    stored = warehouse.execute(
        f"select distinct rows_validated, files_validated, success from {DQ_RESULTS} where run_id = 'run-2'"
    ).fetchall()
    assert stored == [(0, 0, True)]


def test_rows_validated_are_the_rows_of_the_new_files(warehouse):
    land(warehouse, MARCH, [line("A-1", "S1"), line("A-1", "S2"), line("A-2", "S1")])
    land(warehouse, APRIL, [line("A-2", "S1"), line("A-3", "S1")])  # overlaps MARCH on purpose
    first = run_checks(warehouse, "run-1")
    assert {(o.files_validated, o.rows_validated) for o in first.outcomes} == {(2, 5)}

    land(warehouse, MAY, [line("A-4", "S1"), line("A-4", "S2"), line("A-5", "S3"), line("A-6", "S1")])
    second = run_checks(warehouse, "run-2")
    assert [(f.file_path, f.rows) for f in second.files] == [(MAY, 4)]
    assert {(o.files_validated, o.rows_validated) for o in second.outcomes} == {(1, 4)}
    not_null = next(o for o in second.outcomes if o.expectation == "expect_column_values_to_not_be_null")
    assert not_null.element_count == 4

    land(warehouse, APRIL, [line("A-2", "S1"), line("A-3", "S1"), line("A-3", "S2")])  # corrected export
    third = run_checks(warehouse, "run-3")
    assert {(o.files_validated, o.rows_validated) for o in third.outcomes} == {(1, 3)}


def test_a_duplicate_key_blocks_until_its_file_is_replaced(warehouse):
    land(warehouse, MARCH, [line("A-1", "S1"), line("A-2", "S1")])
    assert critical_failures(run_checks(warehouse, "run-1")) == {}

    land(warehouse, APRIL, [line("A-3", "S1"), line("A-3", "S1"), line("A-4", "S1")])
    land(warehouse, MAY, [line("A-5", "S1")])
    failing = run_checks(warehouse, "run-2")
    assert critical_failures(failing) == {"expect_compound_columns_to_be_unique": (APRIL,)}
    assert {f.file_path: f.critical_success for f in failing.files} == {APRIL: False, MAY: True}

    again = run_checks(warehouse, "run-3")  # no new file: the failing one is validated again
    assert critical_failures(again) == {"expect_compound_columns_to_be_unique": (APRIL,)}
    assert [(f.file_path, f.retried) for f in again.files] == [(APRIL, True)]
    assert {o.rows_validated for o in again.outcomes} == {3}
    stored = warehouse.execute(
        f"select failed_files, unexpected_count from {DQ_RESULTS} where run_id = 'run-3' and not success"
    ).fetchall()
    assert stored == [(APRIL, 2)]

    land(warehouse, APRIL, [line("A-3", "S1"), line("A-4", "S1")])  # the corrected re-export
    fixed = run_checks(warehouse, "run-4")
    assert critical_failures(fixed) == {}
    assert [(f.file_path, f.retried) for f in fixed.files] == [(APRIL, False)]
    assert [f.file_path for f in run_checks(warehouse, "run-5").files] == []


def test_a_missing_key_names_its_file_and_warnings_are_not_validated_again(warehouse):
    land(warehouse, MARCH, [line("A-1", "S1", **{"order-status": "Teleported"}), line("A-5", "S1")])
    land(warehouse, APRIL, [line("A-2", "S1"), line("A-3", ""), line("A-4", "S1", quantity="x")])
    checked = run_checks(warehouse, "run-1")
    assert critical_failures(checked) == {"expect_column_values_to_not_be_null": (APRIL,)}
    warnings = {o.column: o.failed_files for o in checked.outcomes if not o.critical and not o.success}
    assert warnings == {"order-status": (MARCH,), "quantity": (APRIL,)}
    # Only the critically failing file comes back; a warning is reported by the run validating its
    # file, and listed as open while the file is current.
    assert [f.file_path for f in run_checks(warehouse, "run-2").files] == [APRIL]
    assert open_warnings(warehouse, TABLE) == [MARCH, APRIL]
    land(warehouse, MARCH, [line("A-1", "S1")])
    assert [f.file_path for f in run_checks(warehouse, "run-3").files] == [MARCH, APRIL]
    assert open_warnings(warehouse, TABLE) == [APRIL]


def test_chunks_of_whole_files_give_the_outcomes_of_one_batch(warehouse):
    land(warehouse, MARCH, [line("A-1", "S1"), line("A-1", "S1"), line("A-2", "S1", quantity="-1")])
    land(warehouse, APRIL, [line("A-1", "S1"), line("A-3", "S1", **{"order-status": "Teleported"})])
    land(warehouse, MAY, [line("A-4", "S1", quantity="x")])
    whole = check_source(warehouse, "amazon", NOW)  # in DuckDB, one query
    chunked = check_source(warehouse, "amazon", NOW, chunk_rows=1, engine="gx")

    def summary(checked: SourceCheck) -> set:
        return {
            (o.expectation, o.column, o.success, o.unexpected_count, o.element_count, o.failed_files)
            for o in checked.outcomes
        }

    assert summary(chunked) == summary(whole)
    assert {(o.files_validated, o.rows_validated) for o in chunked.outcomes} == {(3, 6)}
    unique = next(o for o in chunked.outcomes if o.expectation == "expect_compound_columns_to_be_unique")
    assert (unique.success, unique.unexpected_count, unique.failed_files) == (False, 2, (MARCH,))


def test_only_the_pending_files_and_the_ruled_columns_are_read(warehouse):
    land(warehouse, MARCH, [line("A-1", "S1")])
    land(warehouse, APRIL, [line("A-2", "S1"), line("A-3", "S1")])
    rules = rules_of("amazon")[0]
    frame = read_raw_table(warehouse, TABLE, [APRIL], ["sku", "_source_file", "not-a-column"])
    assert list(frame.columns) == ["sku", "_source_file"]
    assert frame["_source_file"].tolist() == [APRIL, APRIL]
    assert str(frame["sku"].dtype) == "string"
    assert len(read_raw_table(warehouse, TABLE, [], rules.required)) == 0


def test_results_of_an_older_warehouse_get_the_new_columns(warehouse):
    warehouse.execute("create schema landing")
    warehouse.execute(
        f"create table {DQ_RESULTS} (run_id varchar, checked_at timestamp, source varchar, "
        'raw_table varchar, expectation varchar, "column" varchar, critical boolean, success boolean, '
        "unexpected_count bigint, element_count bigint, example_values varchar)"
    )
    warehouse.execute(f"insert into {DQ_RESULTS} (run_id, success) values ('old', true)")
    land(warehouse, MARCH, [line("A-1", "S1")])
    run_checks(warehouse, "run-1")
    rows = warehouse.execute(
        f"select run_id, max(rows_validated), max(files_validated) from {DQ_RESULTS} group by 1 order by 1"
    ).fetchall()
    assert rows == [("old", None, None), ("run-1", 1, 1)]
    assert warehouse.execute(f"select count(*) from {FILE_CHECKS}").fetchone() == (1,)


def test_chunks_are_validated_in_worker_processes_whatever_script_runs_the_parent(
    warehouse, tmp_path, monkeypatch
):
    """Spawned workers would run the parent's ``__main__`` script again (under AppTest, a Streamlit
    page); a script that raises must not break them."""
    import sys
    import types

    script = tmp_path / "unguarded.py"
    script.write_text("raise SystemExit('the parent script ran in a worker')\n")
    main = types.ModuleType("__main__")
    main.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", main)
    monkeypatch.setenv("OMNIOPS_CHECK_WORKERS", "2")
    land(warehouse, MARCH, [line("A-1", "S1"), line("A-1", "S1")])
    land(warehouse, APRIL, [line("A-2", "S1", quantity="-1")])
    chunked = check_source(warehouse, "amazon", NOW, chunk_rows=1, engine="gx")
    assert {(o.files_validated, o.rows_validated) for o in chunked.outcomes} == {(2, 3)}
    unique = next(o for o in chunked.outcomes if o.expectation == "expect_compound_columns_to_be_unique")
    assert (unique.success, unique.failed_files) == (False, (MARCH,))
