"""The whole asset graph on a small demo company, checked against the raw files by hand.

The session fixture (tests/conftest.py) generates the company into a temporary OMNIOPS_HOME and
materialises every asset in-process: landing, `dbt build` (with its data and unit tests), KPIs, publish.
"""

from __future__ import annotations

import pytest

from tests.pipeline import by_hand

CHANNELS = ["amazon", "shopify", "social", "stores", "tmall"]


@pytest.fixture(scope="module")
def raw_lines(built_instance):
    return by_hand.raw_lines(built_instance.landing)


def test_every_raw_order_appears_exactly_once_in_fct_orders(built_instance, raw_lines):
    in_warehouse = built_instance.query("select channel, channel_order_id from marts.fct_orders")
    assert len(in_warehouse) == len(set(in_warehouse)), "an order appears twice in fct_orders"
    for channel in CHANNELS:
        expected = set(raw_lines.loc[raw_lines["channel"] == channel, "order_id"])
        got = {order for c, order in in_warehouse if c == channel}
        assert got == expected, f"{channel}: {len(expected - got)} missing, {len(got - expected)} unexpected"


def test_manifest_order_counts_match_the_warehouse(built_instance):
    counts = dict(built_instance.query("select channel, count(*) from marts.fct_orders group by channel"))
    orders = built_instance.manifest["orders"]
    assert counts["shopify"] == orders["shopify"]
    assert counts["amazon"] == orders["amazon"]
    assert counts["tmall"] == orders["tmall"]
    assert counts["social"] == orders["social"]
    assert counts["stores"] == orders["stores_pos"] + orders["stores_orders"]


def test_overlapping_exports_are_removed_and_nothing_else_is_lost(built_instance, raw_lines):
    lines = dict(built_instance.query("select channel, count(*) from marts.fct_order_lines group by channel"))
    for channel in CHANNELS:
        assert lines[channel] == (raw_lines["channel"] == channel).sum(), channel
    raw_rows = by_hand.raw_row_counts(built_instance.landing)
    duplicates = built_instance.manifest["duplicate_lines"]
    for channel in ("shopify", "amazon"):
        assert duplicates[channel] > 0, f"the demo company should re-export some {channel} lines"
        assert raw_rows[channel] - lines[channel] == duplicates[channel], channel
    copies = dict(
        built_instance.query(
            "select channel, count(*) from marts.fct_order_lines where source_copies > 1 group by channel"
        )
    )
    assert copies["shopify"] == duplicates["shopify"]
    assert copies["amazon"] == duplicates["amazon"]


def test_channel_skus_resolve_through_the_alias_table(built_instance):
    resolution = dict(
        built_instance.query("select sku_resolution, count(*) from marts.fct_order_lines group by 1")
    )
    assert "unresolved" not in resolution
    aliased = dict(
        built_instance.query(
            "select channel, count(*) from marts.fct_order_lines where sku_resolution = 'alias' group by 1"
        )
    )
    manifest_alias = built_instance.manifest["alias_lines"]
    assert aliased["tmall"] == manifest_alias["tmall"]
    assert aliased["shopify"] > 0 and aliased["amazon"] > 0 and aliased["stores"] > 0


def test_store_returns_stay_negative_lines(built_instance):
    (returns,) = built_instance.query(
        "select count(*) from marts.fct_order_lines where channel = 'stores' and quantity < 0"
    )[0]
    assert returns == built_instance.manifest["return_lines"] > 0


def test_on_time_delivery_equals_the_hand_computed_value(built_instance):
    on_time, delivered = by_hand.on_time_delivery(built_instance.landing)
    numerator, denominator, value = built_instance.query(
        "select numerator, denominator, value from marts.kpi_monthly "
        "where kpi = 'otd_rate' and period_type = 'history'"
    )[0]
    assert (numerator, denominator) == (on_time, delivered)
    assert value == pytest.approx(on_time / delivered)
    assert 0.8 < value < 1.0


def test_oee_equals_the_hand_computed_value(built_instance):
    expected = by_hand.oee(built_instance.landing)
    (value,) = built_instance.query(
        "select value from marts.kpi_monthly where kpi = 'oee' and period_type = 'history'"
    )[0]
    assert value == pytest.approx(expected, rel=1e-9)
    assert 0.5 < value < 0.95


def test_inventory_days_equal_the_hand_computed_value(built_instance):
    average, cogs, days = by_hand.inventory_days(built_instance.landing)
    numerator, denominator, value = built_instance.query(
        "select numerator, denominator, value from marts.kpi_monthly "
        "where kpi = 'inventory_days' and period_type = 'history'"
    )[0]
    assert denominator == pytest.approx(cogs, rel=1e-9)
    assert numerator == pytest.approx(average * days, rel=1e-9)
    assert value == pytest.approx(average / cogs * days, rel=1e-9)


def test_every_mart_the_issue_names_is_published(built_instance):
    tables = {
        name
        for (name,) in built_instance.query(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        )
    }
    assert {
        "fct_order_lines",
        "fct_orders",
        "dim_products",
        "dim_customers",
        "dim_channels",
        "fct_shipments",
        "fct_inventory_daily",
        "fct_production_operations",
        "fct_machine_shifts",
        "kpi_monthly",
    } <= tables
    (products,) = built_instance.query("select count(*) from marts.dim_products")[0]
    assert products == 200
