"""The checks in DuckDB (``quality.sql_checks``) give GX's outcomes, field for field: on hand-made
tables that break every kind of rule, on every suite over an empty table, and on the demo company."""

from __future__ import annotations

import json
import warnings
from datetime import UTC, datetime

import duckdb
import pandas as pd
import pytest

from landing.sources import source_systems
from quality.suites import TABLE_RULES, rules_of
from quality.validate import check_source, expectations_of, read_raw_table, validate_frame
from tests.quality.test_suites import NOW, amazon_frame, tmall_frame

TMALL = rules_of("tmall")[0]
AMAZON = rules_of("amazon")[0]


def by_expectation(outcomes) -> dict:
    return {(o.expectation, o.column): o for o in outcomes}


def land(frame: pd.DataFrame, raw_table: str) -> duckdb.DuckDBPyConnection:
    """The frame as a raw table (all text, NULL where the frame has none) in a new database."""
    conn = duckdb.connect()
    conn.execute("create schema raw")
    text = frame.astype(object).where(frame.notna(), None)
    conn.register("frame", text)
    conn.execute(f'create table raw."{raw_table}" as select * from frame')
    return conn


def assert_same_outcomes(frame: pd.DataFrame, rules) -> list:
    from quality.sql_checks import validate_files

    files = sorted(frame["_source_file"].dropna().unique())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gx = by_expectation(validate_frame(frame, rules, NOW))
    sql = by_expectation(validate_files(land(frame, rules.raw_table), rules, files, NOW))
    assert sql == gx
    return list(sql.values())


def broken_tmall() -> pd.DataFrame:
    frame = tmall_frame()
    frame.loc[0, "子订单编号"] = " "  # blank key
    frame.loc[1, "订单状态"] = "XX"  # unknown status (and the derived status pair)
    frame.loc[0, "购买数量"] = "-3"  # out of range
    frame.loc[1, "单价"] = "abc"  # not a number
    frame.loc[1, "订单付款时间"] = "2026-11-25 20:30:00"  # 12:30 UTC: in the future
    frame.loc[0, "确认收货时间"] = "2026-03-05T18:00"  # not the format
    return frame.drop(columns=["发货时间"])  # an optional column of the rules missing


def test_every_kind_of_failure_is_reported_alike():
    outcomes = assert_same_outcomes(broken_tmall(), TMALL)
    assert sum(not o.success for o in outcomes) == 9


def test_a_missing_required_column_and_a_duplicate_key_are_reported_alike():
    frame = tmall_frame().drop(columns=["购买数量"])
    frame.loc[1, "子订单编号"] = frame.loc[0, "子订单编号"]
    outcomes = by_expectation(assert_same_outcomes(frame, TMALL))
    assert outcomes[("expect_table_columns_to_match_set", None)].example_values == "购买数量"
    assert outcomes[("expect_compound_columns_to_be_unique", "子订单编号")].unexpected_count == 2


@pytest.mark.parametrize(
    "changes",
    [
        {"quantity": ["1", "-5"]},  # whole numbers: examples print as -5
        {"quantity": ["2.5", "-5"]},  # a fraction in the column: pandas prints -5.0
        {"item-price": ["1e3", None], "item-tax": ["", "x"]},
        {"purchase-date": ["2027-01-01T00:00:00Z", "2026-03-01T15:23:45.5+0800"]},
        {"order-status": ["Lost", None]},
    ],
)
def test_numbers_times_and_values_are_read_as_pandas_reads_them(changes):
    frame = amazon_frame()
    for column, values in changes.items():
        frame[column] = values
    assert_same_outcomes(frame, AMAZON)


def test_social_json_records_are_checked_per_top_level_key():
    from quality.sql_checks import validate_files

    conn = duckdb.connect()
    conn.execute("create schema raw")
    conn.execute("create table raw.social__events (record json, _source_file varchar)")
    for platform in ("wechat", "weibo"):
        record = {"event_id": "EV-1", "thread_id": "WX-1", "platform": platform, "event_type": "quote"}
        record |= {"event_time": "2026-03-01 04:00:00+00", "items": [], "order_no": None}
        conn.execute("insert into raw.social__events values (?, 'social/e.jsonl')", [json.dumps(record)])
    (rules,) = rules_of("social")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gx = validate_frame(read_raw_table(conn, "social__events"), rules, NOW)
    assert by_expectation(validate_files(conn, rules, ["social/e.jsonl"], NOW)) == by_expectation(gx)


def test_every_suite_runs_on_an_empty_table_and_the_suites_hold_320_expectations():
    assert len(TABLE_RULES) == 26 and sum(len(expectations_of(r, NOW)) for r in TABLE_RULES) == 320
    for rules in TABLE_RULES:
        frame = pd.DataFrame({c: pd.Series(dtype=object) for c in (*rules.required, "_source_file")})
        assert_same_outcomes(frame, rules)


def test_the_demo_company_gets_the_same_outcomes_from_both_engines(built_instance, tmp_path):
    """Every raw table of the built demo company, all its files, checked by GX and in DuckDB."""
    now = datetime.now(UTC)
    for source in source_systems():
        outcomes = {}
        for engine in ("gx", "duckdb"):
            # A fresh copy each time: checking records which files passed, so the second would skip them.
            db = tmp_path / f"{source}-{engine}.duckdb"
            db.write_bytes(built_instance.published_db.read_bytes())
            with duckdb.connect(str(db)) as conn:
                conn.execute("drop table if exists landing.dq_file_checks")
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    checked = check_source(conn, source, now, engine=engine)
            outcomes[engine] = (by_expectation(checked.outcomes), checked.files)
        assert outcomes["duckdb"] == outcomes["gx"], source
        assert outcomes["gx"][1] and all(o.rows_validated for o in outcomes["gx"][0].values())
