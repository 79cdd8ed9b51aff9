"""The GX suites on small hand-made raw tables: each known defect fails exactly its expectation."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import duckdb
import pandas as pd
import pytest

from landing.sources import SOURCE_TABLES, source_systems
from quality.suites import TABLE_RULES, channel_statuses, rules_of
from quality.validate import read_raw_table, validate_frame, validate_source

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
TMALL = rules_of("tmall")[0]
AMAZON = rules_of("amazon")[0]
POS = next(r for r in rules_of("stores") if r.table == "pos_receipts")


def failures(outcomes) -> dict[tuple[str, str | None], int | None]:
    return {(o.expectation, o.column): o.unexpected_count for o in outcomes if not o.success}


def tmall_frame() -> pd.DataFrame:
    """Two clean Tmall lines of one order, as landed: text under the Chinese headers."""
    line = {
        "订单编号": "2065721036841875520",
        "子订单编号": "2065721036841875521",
        "订单状态": "交易成功",
        "订单创建时间": "2026-03-01 12:34:56",
        "订单付款时间": "2026-03-01 12:40:00",
        "发货时间": "2026-03-02 09:00:00",
        "确认收货时间": "2026-03-05 18:00:00",
        "商家编码": "TM-AP-0001",
        "单价": "199.00",
        "购买数量": "2",
        "实付金额": "398.00",
        "退款状态": "没有申请退款",
        "_source_file": "tmall/ExportOrderList202603.csv",
    }
    second = line | {"子订单编号": "2065721036841875522", "退款状态": "退款成功", "购买数量": "1"}
    return pd.DataFrame([line, second])


def amazon_frame() -> pd.DataFrame:
    line = {
        "amazon-order-id": "113-1234567-1234567",
        "purchase-date": "2026-03-01T15:23:45+00:00",
        "last-updated-date": "2026-03-02T10:00:00+00:00",
        "order-status": "Shipped",
        "sku": "AMZ-AP0001",
        "quantity": "1",
        "currency": "USD",
        "item-price": "29.90",
        "item-tax": "2.50",
        "_source_file": "amazon/All-Orders-Report_2026-02-26_2026-03-31.txt",
    }
    pending = line | {"sku": "AMZ-AP0002", "order-status": "Pending", "item-price": None}
    return pd.DataFrame([line, pending])


def test_every_raw_table_has_rules_and_every_source_a_suite():
    assert {r.raw_table for r in TABLE_RULES} == {t.raw_table for t in SOURCE_TABLES}
    assert all(rules_of(source) for source in source_systems())


def test_clean_frames_pass_every_expectation():
    for frame, rules in ((tmall_frame(), TMALL), (amazon_frame(), AMAZON)):
        outcomes = validate_frame(frame, rules, NOW)
        assert failures(outcomes) == {}, rules.raw_table
        assert {o.critical for o in outcomes} == {True, False}


def test_a_null_key_fails_only_the_not_null_expectation():
    frame = tmall_frame()
    frame.loc[1, "子订单编号"] = None
    outcomes = validate_frame(frame, TMALL, NOW)
    assert failures(outcomes) == {("expect_column_values_to_not_be_null", "子订单编号"): 1}
    assert next(o for o in outcomes if not o.success).critical


def test_a_key_twice_in_one_file_fails_but_twice_across_files_passes():
    frame = pd.concat([amazon_frame(), amazon_frame().iloc[[0]]], ignore_index=True)
    outcomes = validate_frame(frame, AMAZON, NOW)
    assert failures(outcomes) == {("expect_compound_columns_to_be_unique", "amazon-order-id, sku"): 2}
    failed = next(o for o in outcomes if not o.success)
    assert failed.critical and "113-1234567-1234567" in failed.example_values

    overlap = (
        amazon_frame().iloc[[0]].assign(_source_file="amazon/All-Orders-Report_2026-03-29_2026-04-30.txt")
    )
    assert failures(validate_frame(pd.concat([amazon_frame(), overlap]), AMAZON, NOW)) == {}


def test_a_negative_quantity_fails_the_range_but_a_pos_return_does_not():
    frame = tmall_frame()
    frame.loc[0, "购买数量"] = "-1"
    outcomes = validate_frame(frame, TMALL, NOW)
    assert failures(outcomes) == {("expect_column_values_to_be_between", "购买数量 (number)"): 1}
    assert not next(o for o in outcomes if not o.success).critical

    receipt = {
        "receipt_no": "SH01-20260301-0007",
        "store_code": "SH01",
        "sold_at": "2026-03-01 14:00:00",
        "barcode": "6927181000114",
        "qty": "-1",
        "unit_price": "299.00",
        "line_total": "-299.00",
        "original_receipt_no": "SH01-20260228-0003",
        "_source_file": "stores/pos_receipts_2026-03.csv",
    }
    assert failures(validate_frame(pd.DataFrame([receipt]), POS, NOW)) == {}


def test_an_unknown_status_fails_and_names_the_value():
    frame = amazon_frame()
    frame.loc[0, "order-status"] = "Teleported"
    outcomes = validate_frame(frame, AMAZON, NOW)
    assert failures(outcomes) == {("expect_column_values_to_be_in_set", "order-status"): 1}
    assert next(o for o in outcomes if not o.success).example_values == "Teleported"


def test_tmall_statuses_come_from_the_seed_with_the_refund_suffix():
    assert "交易成功/退款成功" in channel_statuses("tmall")
    frame = tmall_frame()
    frame.loc[1, "订单状态"] = "等待买家付款"  # with 退款成功: a pair the seed does not map
    assert failures(validate_frame(frame, TMALL, NOW)) == {
        ("expect_column_values_to_be_in_set", "订单状态/退款状态"): 1
    }


def test_a_future_timestamp_fails_and_an_unparseable_one_fails_the_format():
    frame = tmall_frame()
    frame.loc[0, "订单创建时间"] = "2099-01-01 00:00:00"
    frame.loc[1, "发货时间"] = "2026/03/02 09:00"
    outcomes = validate_frame(frame, TMALL, NOW)
    assert failures(outcomes) == {
        ("expect_column_values_to_be_between", "订单创建时间 (UTC)"): 1,
        ("expect_column_values_to_match_regex", "发货时间"): 1,
    }


def test_local_times_are_compared_in_utc():
    # 19:00 in Shanghai is 11:00 UTC: before NOW (12:00 UTC), so not in the future.
    frame = tmall_frame()
    frame["订单创建时间"] = "2026-11-25 19:00:00"
    frame["订单付款时间"] = "2026-11-25 20:30:00"  # 12:30 UTC: in the future
    assert failures(validate_frame(frame, TMALL, NOW)) == {
        ("expect_column_values_to_be_between", "订单付款时间 (UTC)"): 2
    }


def test_a_missing_required_column_fails_the_column_set_and_its_own_checks():
    frame = tmall_frame().drop(columns=["购买数量"])
    outcomes = validate_frame(frame, TMALL, NOW)
    failed = {(o.expectation, o.column) for o in outcomes if not o.success}
    assert failed == {
        ("expect_table_columns_to_match_set", None),
        ("expect_column_values_to_match_regex", "购买数量"),
        ("expect_column_values_to_be_between", "购买数量 (number)"),
    }
    columns = next(o for o in outcomes if o.expectation == "expect_table_columns_to_match_set")
    assert columns.critical and columns.unexpected_count == 1 and columns.example_values == "购买数量"


def test_social_json_records_are_validated_per_top_level_key():
    events = [
        {"event_id": "EV-1", "thread_id": "WX-1", "platform": "wechat", "event_type": "quote"},
        {"event_id": "EV-1", "thread_id": "WX-1", "platform": "weibo", "event_type": "haggle"},
    ]
    conn = duckdb.connect()
    conn.execute("create schema raw")
    conn.execute("create table raw.social__events (record json, _source_file varchar)")
    for event in events:
        record = event | {"event_time": "2026-03-01 04:00:00+00", "items": [], "order_no": None}
        conn.execute(
            "insert into raw.social__events values (?, 'social/events_2026-03.jsonl')", [json.dumps(record)]
        )
    assert list(read_raw_table(conn, "social__events").columns)[:3] == [
        "event_id",
        "event_time",
        "event_type",
    ]
    outcomes = validate_source(conn, "social", NOW)
    assert failures(outcomes) == {
        ("expect_compound_columns_to_be_unique", "event_id"): 2,
        ("expect_column_values_to_be_in_set", "event_type"): 1,
        ("expect_column_values_to_be_in_set", "platform"): 1,
    }


@pytest.mark.parametrize("rules", TABLE_RULES, ids=lambda r: r.raw_table)
def test_every_suite_builds_and_runs_on_an_empty_table(rules):
    frame = pd.DataFrame({column: pd.Series(dtype=object) for column in (*rules.required, "_source_file")})
    outcomes = validate_frame(frame, rules, NOW)
    assert outcomes and failures(outcomes) == {}


def test_a_blank_key_counts_as_missing():
    frame = tmall_frame()
    frame.loc[0, "子订单编号"] = " "
    frame.loc[1, "订单编号"] = None
    assert failures(validate_frame(frame, TMALL, NOW)) == {
        ("expect_column_values_to_not_be_null", "子订单编号"): 1,
        ("expect_column_values_to_not_be_null", "订单编号"): 1,
    }
