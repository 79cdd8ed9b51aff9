"""ATP, feeds and oversells on the shared built demo instance (the whole asset graph ran once)."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from dagster import materialize

from inventory.feeds import FORMATS, read_feed
from tests.dashboards.appkit import open_app
from tests.inventory.test_feeds import DOCUMENTED

QUANTITY = {"shopify": "Available", "amazon": "quantity", "tmall": "可售库存"}


def test_first_day_atp_is_on_hand_minus_open_orders_plus_receipts(built_instance):
    """Recomputed from the base marts: Σ ATP on the first day = Σ on hand − open units due by then +
    receipts due by then (every position, every channel)."""
    (atp_total,) = built_instance.query(
        "select sum(atp) from marts.fct_atp_daily where date = (select min(date) from marts.fct_atp_daily)"
    )[0]
    (on_hand,) = built_instance.query(
        "select sum(greatest(on_hand_qty, 0)) from marts.fct_inventory_daily "
        "where snapshot_date = (select max(snapshot_date) from marts.fct_inventory_daily)"
    )[0]
    (first_day,) = built_instance.query("select min(date) from marts.fct_atp_daily")[0]
    (open_units,) = built_instance.query(
        "with shipped as (select order_key, sku, sum(quantity) as q from marts.fct_shipments group by all) "
        "select coalesce(sum(l.quantity - coalesce(s.q, 0)), 0) from marts.fct_order_lines l "
        "join marts.fct_orders o using (order_key) left join shipped s using (order_key, sku) "
        "where o.order_status in ('confirmed', 'shipped') and l.line_status in ('confirmed', 'shipped') "
        "and not coalesce(l.is_line_cancelled, false) and l.quantity > coalesce(s.q, 0) "
        "and l.sku in (select sku from marts.dim_products) "
        "and coalesce(o.promised_date, l.order_date) <= ?",
        [first_day],
    )[0]
    (receipts,) = built_instance.query(
        "select sum(scheduled_receipts) from marts.fct_atp_daily where date = ?", [first_day]
    )[0]
    assert atp_total == pytest.approx(float(on_hand) - float(open_units) + float(receipts))
    (horizon,) = built_instance.query("select count(distinct date) from marts.fct_atp_daily")[0]
    assert horizon == 42


def test_feeds_are_written_in_each_format_and_never_exceed_atp(built_instance):
    offered = {}
    for channel, fmt in FORMATS.items():
        (path,) = sorted((built_instance.home / "outbox" / channel).glob("*"))
        assert path.read_text(encoding=fmt.encoding).splitlines()[0] == DOCUMENTED[channel]
        feed = read_feed(path, channel)
        offered[channel] = int(feed[QUANTITY.get(channel, "available_qty")].astype(int).sum())
    allocation = built_instance.df(
        "select channel, sum(allocation) as a, sum(feed_qty) as f "
        "from marts.fct_channel_allocation group by 1"
    ).set_index("channel")
    for channel, units in offered.items():
        assert units == allocation.loc[channel, "f"] <= allocation.loc[channel, "a"]
    # Per SKU, all channels' feeds together ≤ the lowest ATP ahead of every warehouse.
    over = built_instance.query(
        "with lowest as (select sku, sum(greatest(m, 0)) as pool from (select sku, warehouse_id, "
        "min(atp) as m from marts.fct_atp_daily group by all) group by sku) "
        "select count(*) from (select sku, sum(feed_qty) as f "
        "from marts.fct_channel_allocation group by sku) a "
        "join lowest using (sku) where a.f > lowest.pool"
    )[0][0]
    assert over == 0
    assert sum(offered.values()) > 0


def test_oversell_counts_match_the_lines(built_instance):
    (lines, units), (daily_lines, daily_units) = built_instance.query(
        "select count(*), coalesce(sum(qty), 0) from marts.fct_oversell_lines "
        "union all select sum(oversold_lines), sum(oversold_units) from marts.kpi_oversell_daily"
    )
    assert (lines, units) == (daily_lines, daily_units)
    assert lines > 0, "the demo company oversells"
    bad = built_instance.query("select count(*) from marts.fct_oversell_lines where available_before > 0")
    assert bad[0][0] == 0


def test_an_invalid_allocation_writes_no_feed(built_instance, tmp_path):
    from orchestration.assets.atp import channel_stock_feeds
    from orchestration.resources import WarehouseResource

    (tmp_path / "warehouse").mkdir()
    shutil.copy(built_instance.published_db, tmp_path / "warehouse" / "build.duckdb")
    with duckdb.connect(str(tmp_path / "warehouse" / "build.duckdb")) as conn:
        conn.execute("update seeds.channel_allocation set share = 0.6 where channel = 'amazon'")
        conn.execute("update seeds.channel_allocation set channel = 'jd' where channel = 'social'")
    result = materialize(
        [channel_stock_feeds],
        resources={"warehouse": WarehouseResource(home=str(tmp_path))},
        raise_on_error=False,
    )
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    message = str(failure.event_specific_data.error)
    assert "row 4: unknown channel 'jd'" in message
    assert "shares of (all categories) sum to 130%, above 100 %" in message
    assert not (tmp_path / "outbox").exists()


def test_the_overview_shows_the_oversell_rate_and_its_orders(built_instance, monkeypatch):
    app = open_app(built_instance.home, monkeypatch, page="views/overview.py")
    app.selectbox(key="overview_period").set_value("history").run()
    assert not app.exception, app.exception
    (rate,) = built_instance.query(
        "select sum(oversold_lines) / sum(accepted_lines) from marts.kpi_oversell_daily"
    )[0]
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Oversell rate"] == f"{100 * rate:.2f} %"
    assert any("Target ≤ 0.2 %" in m.value for m in app.markdown)
    (channel, lines) = built_instance.query(
        "select channel, count(*) from marts.fct_oversell_lines group by 1 order by 2 desc, 1 limit 1"
    )[0]
    app.selectbox(key="overview_oversell_channel").set_value(channel).run()
    table = next(d for d in app.dataframe if "available_before" in d.value.columns)
    assert len(table.value) == min(lines, 500)
    assert set(table.value["outcome"]) <= {
        "cancelled",
        "backordered",
        "shipped late",
        "shipped on time",
        "open",
    }
