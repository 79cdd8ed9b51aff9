"""The KPI overview on a real published warehouse, as a manager.

Every expected figure is computed here by hand, with SQL on the base marts (fct_orders, fct_order_lines,
fct_shipments, fct_machine_shifts, fct_inventory_daily, fct_cs_tickets) and the definitions of
shared/reference/domain.md, never with the page's own marts or code.
"""

from __future__ import annotations

import os
from datetime import date, timedelta

import pandas as pd
import pytest

from tests.dashboards.appkit import open_app

PAGE = "views/overview.py"

# Delivered orders that count in OTD: by carrier, not cancelled, delivered in [start, end].
DELIVERED = (
    "select * from marts.fct_orders where fulfilment_type = 'ship' and order_status <> 'cancelled' "
    "and delivered_date between ? and ?"
)
# Per order: every SKU on its lines that are neither cancelled nor pending delivered complete by the WMS; a
# line the channel cancelled or refunded because it could not ship still counts as ordered (it is short).
IN_FULL = """
    with ordered as (
        select order_key, sku, sum(quantity) as units from marts.fct_order_lines
        where (line_status not in ('cancelled', 'pending') or is_line_cancelled) and quantity > 0 group by all
    ), delivered as (
        select order_key, sku, sum(quantity) filter (where delivered_at_utc is not null) as units
        from marts.fct_shipments group by all
    )
    select ordered.order_key, bool_and(coalesce(delivered.units, 0) >= ordered.units) as in_full
    from ordered left join delivered using (order_key, sku) group by 1
"""
# Primary category: the largest amount among the order's lines that are not cancelled.
PRIMARY_CATEGORY = """
    select order_key, category from (
        select l.order_key, coalesce(p.product_category, 'Unmapped SKU') as category,
            sum(l.line_amount_reporting) as amount
        from marts.fct_order_lines l left join marts.dim_products p on p.sku = l.sku
        where l.line_status <> 'cancelled' group by all
    ) qualify row_number() over (partition by order_key order by amount desc nulls last, category) = 1
"""


def hand_order_kpis(db, start: date, end: date, channel: str | None = None, category: str | None = None):
    """OTD, OTIF (numerators, denominator) and the mean cycle time in days, by delivery date."""
    extra, params = "", [start, end]
    if channel:
        extra += " and o.channel = ?"
        params.append(channel)
    if category:
        extra += " and pc.category = ?"
        params.append(category)
    return db.query(
        f"with o as ({DELIVERED}), f as ({IN_FULL}), pc as ({PRIMARY_CATEGORY}) "
        "select count(*) filter (where o.delivered_date <= o.promised_date), "
        "count(*) filter (where o.delivered_date <= o.promised_date and f.in_full), count(*), "
        "avg(date_diff('second', o.ordered_at_utc, o.delivered_at_utc)) / 86400.0 "
        f"from o left join f using (order_key) left join pc using (order_key) where true {extra}",
        params,
    )[0]


def hand_fill(db, start: date, end: date, channel: str | None = None) -> tuple[float, float]:
    """Units filled on the first shipment, units ordered: by order date, orders confirmed or further,
    by carrier, not made to order."""
    extra, params = "", [start, end]
    if channel:
        extra, params = " and channel = ?", [*params, channel]
    return db.query(
        "with o as (select * from marts.fct_orders where fulfilment_type = 'ship' "
        "and order_status in ('confirmed', 'shipped', 'delivered', 'returned') "
        f"and order_date between ? and ? {extra} and channel || ':' || coalesce(fulfilment_ref, '') not in ("
        "select sales_order_ref from marts.fct_production_operations "
        "where sales_order_ref is not null and production_order_state <> 'cancel')), "
        "first_shipment as (select order_key, shipment_id from marts.fct_shipments qualify row_number() "
        "over (partition by order_key order by shipped_at_utc, shipment_id) = 1), "
        "first_units as (select s.order_key, s.sku, sum(s.quantity) as units from marts.fct_shipments s "
        "join first_shipment f on f.order_key = s.order_key and f.shipment_id = s.shipment_id group by all), "
        "ordered as (select l.order_key, l.sku, sum(l.quantity) as units from marts.fct_order_lines l "
        "join o on o.order_key = l.order_key "
        "where (l.line_status not in ('cancelled', 'pending') or l.is_line_cancelled) and l.quantity > 0 "
        "group by all) "
        "select coalesce(sum(ordered.units) filter (where coalesce(f.units, 0) >= ordered.units), 0), "
        "coalesce(sum(ordered.units), 0) from ordered left join first_units f using (order_key, sku)",
        params,
    )[0]


def hand_oee(db, start: date, end: date, machine: str | None = None) -> tuple[float, float]:
    """Σ OEE × planned production time and Σ planned production time (OEE of a shift without one = 0)."""
    extra, params = ("and machine_id = ?", [start, end, machine]) if machine else ("", [start, end])
    return db.query(
        "select sum(coalesce(oee, 0) * planned_production_minutes), sum(planned_production_minutes) "
        f"from marts.fct_machine_shifts where shift_date between ? and ? {extra}",
        params,
    )[0]


def hand_dio(db, start: date, end: date, category: str | None = None) -> float:
    """Average inventory value ÷ COGS × days, with the days those of the stock snapshots in the range."""
    extra = "and p.product_category = ?" if category else ""
    params = [start, end, category] if category else [start, end]
    stock, days = db.query(
        "select sum(i.inventory_value_reporting), count(distinct i.snapshot_date) "
        "from marts.fct_inventory_daily i left join marts.dim_products p on p.sku = i.sku "
        f"where i.snapshot_date between ? and ? {extra}",
        params,
    )[0]
    (cogs,) = db.query(
        "select sum(l.line_cost_reporting) from marts.fct_order_lines l "
        "left join marts.dim_products p on p.sku = l.sku where l.order_date between ? and ? "
        f"and (l.line_status in ('confirmed', 'shipped', 'delivered') or l.quantity < 0) {extra}",
        params,
    )[0]
    return float(stock) / days / float(cogs) * days


def hand_response_minutes(db, start: date, end: date, channel: str | None = None) -> float:
    extra, params = ("and channel = ?", [start, end, channel]) if channel else ("", [start, end])
    return db.query(
        "select avg(first_response_minutes) from marts.fct_cs_tickets "
        f"where created_date between ? and ? {extra}",
        params,
    )[0][0]


def percent(value: float) -> str:
    return f"{100 * value:.1f} %"


def minutes(value: float) -> str:
    return f"{value:,.0f} min"  # one unit for first response: its target is in minutes


def metrics(app) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def captions(app) -> list[str]:
    return [caption.value for caption in app.caption]


def frame_with(app, column: str) -> pd.DataFrame:
    """The dataframe on the page that has ``column`` (each table has its own columns)."""
    found = [frame.value for frame in app.dataframe if column in frame.value.columns]
    assert len(found) == 1, [list(frame.value.columns) for frame in app.dataframe]
    return found[0]


@pytest.fixture()
def app(built_instance, monkeypatch):
    return open_app(built_instance.home, monkeypatch, role="manager", page=PAGE)


@pytest.fixture(scope="module")
def last_month(built_instance) -> tuple[str, date, date]:
    """The latest complete month of marts.kpi_monthly: the page's default range."""
    period, start, end = built_instance.query(
        "select period, period_start, period_end from marts.kpi_monthly "
        "where period_type = 'month' and is_complete order by period desc limit 1"
    )[0]
    return period, start, end


def test_the_default_range_is_the_last_complete_month_and_matches_kpi_monthly(
    app, built_instance, last_month
):
    period, start, end = last_month
    assert app.selectbox(key="overview_period").value == "last_month"
    assert f"Last complete month ({period})" in app.selectbox(key="overview_period").options
    shown = metrics(app)
    monthly = dict(
        built_instance.query("select kpi, value from marts.kpi_monthly where period = ?", [period])
    )
    assert shown["On-time delivery"] == percent(monthly["otd_rate"])
    assert shown["OEE"] == percent(monthly["oee"])
    assert shown["Inventory days"] == f"{monthly['inventory_days']:.0f} days"
    # the same three by hand from the base marts, and the counts behind OTD exactly
    on_time, otif, delivered, cycle_days = hand_order_kpis(built_instance, start, end)
    assert f"{on_time:,} of {delivered:,} delivered orders on time" in captions(app)
    numerator, ppt = hand_oee(built_instance, start, end)
    assert shown["OEE"] == percent(numerator / ppt)
    assert shown["Inventory days"] == f"{hand_dio(built_instance, start, end):.0f} days"


def test_every_headline_of_the_default_range_equals_the_hand_computed_value(app, built_instance, last_month):
    _, start, end = last_month
    shown = metrics(app)
    on_time, otif, delivered, cycle_days = hand_order_kpis(built_instance, start, end)
    filled, ordered = hand_fill(built_instance, start, end)
    assert shown["On-time delivery"] == percent(on_time / delivered)
    assert shown["OTIF"] == percent(otif / delivered)
    assert shown["Fill rate"] == percent(filled / ordered)
    assert shown["Order cycle time"] == f"{cycle_days:.1f} days"
    assert shown["First response time"] == minutes(hand_response_minutes(built_instance, start, end))
    assert (
        f"{filled:,.0f} of {ordered:,.0f} units shipped complete on the first shipment (by order date)"
        in (captions(app))
    )
    # a card per KPI with a trend chart each, and a status that follows the editable target
    assert len(shown) == 8  # the seven KPI cards and the oversell rate (tests/inventory checks it)
    assert len(app.get("plotly_chart")) >= 7
    (target,) = built_instance.query("select target from seeds.kpi_targets where kpi = 'otd_rate'")[0]
    status = "On target" if on_time / delivered >= target else "Off target"
    assert any(status in element.value and "Target ≥ 95 %" in element.value for element in app.markdown)


def test_the_whole_history_matches_kpi_monthly(app, built_instance):
    app.selectbox(key="overview_period").select("history").run()
    assert not app.exception, app.exception
    history = dict(
        built_instance.query("select kpi, value from marts.kpi_monthly where period_type = 'history'")
    )
    shown = metrics(app)
    assert shown["On-time delivery"] == percent(history["otd_rate"])
    assert shown["OEE"] == percent(history["oee"])
    assert shown["Inventory days"] == f"{history['inventory_days']:.0f} days"


def test_one_channel_and_a_date_range_filter_the_order_kpis_and_name_what_they_ignore(app, built_instance):
    (last_day,) = built_instance.query("select max(delivered_date) from marts.fct_orders")[0]
    start, end = last_day - timedelta(days=59), last_day - timedelta(days=10)
    channel = "tmall"
    app.selectbox(key="overview_period").select("custom").run()
    app.date_input(key="overview_dates").set_value((start, end)).run()
    app.multiselect(key="overview_channels").set_value([channel]).run()
    assert not app.exception, app.exception
    shown = metrics(app)
    on_time, otif, delivered, cycle_days = hand_order_kpis(built_instance, start, end, channel=channel)
    all_on_time, _, all_delivered, _ = hand_order_kpis(built_instance, start, end)
    assert delivered < all_delivered  # the filter really narrows the orders
    assert shown["On-time delivery"] == percent(on_time / delivered)
    assert f"{on_time:,} of {delivered:,} delivered orders on time" in captions(app)
    assert shown["OTIF"] == percent(otif / delivered)
    assert shown["Order cycle time"] == f"{cycle_days:.1f} days"
    filled, ordered = hand_fill(built_instance, start, end, channel=channel)
    assert shown["Fill rate"] == percent(filled / ordered)
    response = hand_response_minutes(built_instance, start, end, channel)
    assert shown["First response time"] == ("–" if response is None else minutes(response))
    # OEE and inventory days cannot follow a channel: same as without it, and the card says so
    numerator, ppt = hand_oee(built_instance, start, end)
    assert shown["OEE"] == percent(numerator / ppt)
    assert shown["Inventory days"] == f"{hand_dio(built_instance, start, end):.0f} days"
    assert captions(app).count("Not filtered by: channel") == 2


def test_a_category_filter_counts_each_order_under_its_primary_category(app, built_instance, last_month):
    _, start, end = last_month
    (category,) = built_instance.query(
        f"with o as ({DELIVERED}), pc as ({PRIMARY_CATEGORY}) "
        "select pc.category from o join pc using (order_key) group by 1 order by count(*) desc limit 1",
        [start, end],
    )[0]
    app.multiselect(key="overview_categories").set_value([category]).run()
    assert not app.exception, app.exception
    on_time, _, delivered, _ = hand_order_kpis(built_instance, start, end, category=category)
    shown = metrics(app)
    assert shown["On-time delivery"] == percent(on_time / delivered)
    assert shown["Inventory days"] == f"{hand_dio(built_instance, start, end, category):.0f} days"
    assert "Not filtered by: category" in captions(app)  # OEE and first response


def test_a_warehouse_and_a_work_center_filter_their_kpis(app, built_instance, last_month):
    _, start, end = last_month
    warehouse, work_center = "WH-GZ", "SEW"
    app.multiselect(key="overview_warehouses").set_value([warehouse]).run()
    app.multiselect(key="overview_work_centers").set_value([work_center]).run()
    assert not app.exception, app.exception
    # an order counts under the warehouse that shipped most of its units
    on_time, delivered = built_instance.query(
        f"with o as ({DELIVERED}), units as (select order_key, warehouse_code, sum(quantity) as n "
        "from marts.fct_shipments group by all), main as (select order_key, warehouse_code from units "
        "qualify row_number() over (partition by order_key order by n desc, warehouse_code) = 1) "
        "select count(*) filter (where o.delivered_date <= o.promised_date), count(*) "
        "from o join main using (order_key) where main.warehouse_code = ?",
        [start, end, warehouse],
    )[0]
    shown = metrics(app)
    assert 0 < delivered
    assert shown["On-time delivery"] == percent(on_time / delivered)
    productive, ppt = built_instance.query(
        "select sum(coalesce(oee, 0) * planned_production_minutes), sum(planned_production_minutes) "
        "from marts.fct_machine_shifts where shift_date between ? and ? and work_center = ?",
        [start, end, work_center],
    )[0]
    assert shown["OEE"] == percent(productive / ppt)
    notes = captions(app)
    assert notes.count("Not filtered by: work center") == 5  # OTD, OTIF, fill rate, cycle time, DIO
    assert "Not filtered by: warehouse" in notes  # OEE
    assert "Not filtered by: work center, warehouse" in notes  # first response


def test_otd_drills_down_to_the_late_orders_of_a_channel_and_to_the_lines_of_one(app, built_instance):
    app.selectbox(key="overview_period").select("history").run()
    assert app.selectbox(key="overview_drill").value == "otd_rate"
    start, end = built_instance.query(
        "select period_start, period_end from marts.kpi_monthly where period_type = 'history' limit 1"
    )[0]
    late_by_channel = dict(
        built_instance.query(
            f"select channel, count(*) from ({DELIVERED}) where delivered_date > promised_date group by 1",
            [start, end],
        )
    )
    by_channel = frame_with(app, "late_shipment")
    assert dict(zip(by_channel["channel"], by_channel["late"], strict=True)) == {
        channel: late_by_channel.get(channel, 0) for channel in by_channel["channel"]
    }
    assert (
        by_channel["late_production"] + by_channel["late_shipment"] + by_channel["carrier"]
        == by_channel["late"]
    ).all()

    channel = max(late_by_channel, key=late_by_channel.get)
    app.selectbox(key="overview_otd_channel").select(channel).run()
    assert not app.exception, app.exception
    late = frame_with(app, "channel_order_id")
    expected = pd.DataFrame(
        built_instance.query(
            "select o.channel_order_id, l.late_reason from marts.fct_orders o "
            "left join marts.kpi_late_orders l using (order_key) "
            "where o.channel = ? and o.fulfilment_type = 'ship' and o.order_status <> 'cancelled' "
            "and o.delivered_date > o.promised_date",
            [channel],
        ),
        columns=["channel_order_id", "late_reason"],
    )
    assert sorted(late["channel_order_id"]) == sorted(expected["channel_order_id"])
    labels = {"late_production": "Late production", "late_shipment": "Late shipment", "carrier": "Carrier"}
    reasons = dict(zip(expected["channel_order_id"], expected["late_reason"].map(labels), strict=True))
    assert dict(zip(late["channel_order_id"], late["reason"], strict=True)) == reasons

    order_id = late["channel_order_id"].iloc[-1]
    app.selectbox(key="overview_late_order").select(order_id).run()
    assert not app.exception, app.exception
    lines = frame_with(app, "line_number")
    expected_lines = pd.DataFrame(
        built_instance.query(
            "select line_number, sku, quantity from marts.fct_order_lines "
            "where channel = ? and channel_order_id = ? order by line_number",
            [channel, order_id],
        ),
        columns=["line_number", "sku", "quantity"],
    )
    assert lines["sku"].tolist() == expected_lines["sku"].tolist()
    assert lines["quantity"].tolist() == expected_lines["quantity"].tolist()


def test_oee_drills_down_to_the_six_losses_of_a_machine_that_add_up_to_its_lost_time(
    app, built_instance, last_month
):
    _, start, end = last_month
    app.selectbox(key="overview_drill").select("oee").run()
    assert not app.exception, app.exception
    machines = frame_with(app, "machine_id")
    expected = [
        row[0]
        for row in built_instance.query(
            "select distinct machine_id from marts.fct_machine_shifts where shift_date between ? and ? "
            "and not is_idle_shift",  # a machine idle all month has no OEE to drill into
            [start, end],
        )
    ]
    assert sorted(machines["machine_id"]) == sorted(expected)
    machine = sorted(expected)[-1]
    app.selectbox(key="overview_machine").select(machine).run()
    assert not app.exception, app.exception
    losses = frame_with(app, "loss")
    assert losses["loss"].tolist() == [
        "Breakdowns",
        "Setups & adjustments",
        "Minor stops & idling",
        "Reduced speed",
        "Defects & start-up rejects (not separable)",
    ]
    assert (losses["minutes"] >= -1e-9).all()
    productive, ppt = hand_oee(built_instance, start, end, machine)
    assert losses["minutes"].sum() == pytest.approx(ppt - productive, rel=1e-9)
    (breakdowns,) = built_instance.query(
        "select sum(breakdown_minutes) from marts.fct_machine_shifts where machine_id = ? "
        "and shift_date between ? and ?",
        [machine, start, end],
    )[0]
    assert losses["minutes"].iloc[0] == pytest.approx(breakdowns)
    assert any("cannot be told apart" in caption for caption in captions(app))


def test_inventory_days_drill_down_by_category_against_the_band(app, built_instance, last_month):
    _, start, end = last_month
    app.selectbox(key="overview_drill").select("inventory_days").run()
    assert not app.exception, app.exception
    table = frame_with(app, "inventory_days")
    category = table.dropna(subset=["inventory_days"])["product_category"].iloc[0]
    row = table[table["product_category"] == category].iloc[0]
    assert row["inventory_days"] == pytest.approx(hand_dio(built_instance, start, end, category))
    low, high = built_instance.query(
        "select b.value * b.band_low_factor, b.value * b.band_high_factor from seeds.industry_benchmarks b "
        "join seeds.company_profile p on p.setting = 'industry' and p.value = b.industry "
        "where b.metric = 'inventory_days'"
    )[0]
    assert row["status"] == ("On target" if low <= row["inventory_days"] <= high else "Off target")
    app.radio(key="overview_inventory_level").set_value("both").run()
    assert not app.exception, app.exception
    assert {"product_category", "warehouse_code"} <= set(frame_with(app, "inventory_days").columns)


def test_first_response_time_drills_down_by_channel(app, built_instance, last_month):
    _, start, end = last_month
    app.selectbox(key="overview_drill").select("cs_first_response").run()
    assert not app.exception, app.exception
    table = frame_with(app, "response_minutes")
    for channel, value in zip(table["channel"], table["response_minutes"], strict=True):
        assert value == pytest.approx(hand_response_minutes(built_instance, start, end, channel))


def test_a_filter_that_selects_no_orders_says_so(app, built_instance, last_month):
    _, start, end = last_month
    channel, category = built_instance.query(
        f"with o as ({DELIVERED}), pc as ({PRIMARY_CATEGORY}) "
        "select c.channel, p.category from marts.dim_channels c "
        "cross join (select distinct category from pc) p "
        "where not exists (select 1 from o join pc using (order_key) "
        "where o.channel = c.channel and pc.category = p.category) order by 1, 2 limit 1",
        [start, end],
    )[0]
    app.multiselect(key="overview_channels").set_value([channel]).run()
    app.multiselect(key="overview_categories").set_value([category]).run()
    assert not app.exception, app.exception
    shown = metrics(app)
    assert shown["On-time delivery"] == "–"
    assert shown["OTIF"] == "–"
    assert "No data for these filters in this range." in captions(app)
    assert "No delivered orders for these filters in this range." in [info.value for info in app.info]


def test_a_shared_address_opens_the_overview_with_its_filters_and_keeps_them_in_sync(
    built_instance, monkeypatch
):
    """Filters were not in the address, so a view could not be bookmarked or shared."""
    channel = built_instance.query("select channel from marts.dim_channels order by 1 limit 1")[0][0]
    address = {"period": "month_to_date", "channel": f"{channel},no-such-channel"}
    app = open_app(built_instance.home, monkeypatch, role="manager", address=address)
    assert app.selectbox(key="overview_period").value == "month_to_date"
    assert app.multiselect(key="overview_channels").value == [channel]
    assert "Not filtered by: channel" in captions(app)
    app.selectbox(key="overview_period").select("year_to_date").run()
    app.multiselect(key="overview_channels").set_value([]).run()
    assert app.query_params["period"] == "year_to_date" and "channel" not in app.query_params


def test_each_card_compares_with_the_previous_period_and_shows_the_latest_week(
    app, built_instance, last_month
):
    _, start, end = last_month
    previous_end = start - timedelta(days=1)
    previous_start = previous_end.replace(day=1)
    now = hand_order_kpis(built_instance, start, end)
    before = hand_order_kpis(built_instance, previous_start, previous_end)
    otd = next(m for m in app.metric if m.label == "On-time delivery")
    change = 100 * (now[0] / now[2] - before[0] / before[2])
    assert otd.proto.delta in (f"{change:+.1f} pts", f"{change:+.1f} pts".replace("-0.0", "+0.0"))
    assert otd.proto.delta_description == f"vs {previous_start:%Y-%m-%d} – {previous_end:%Y-%m-%d}"
    latest = f"Latest 7 days ({end - timedelta(days=6):%Y-%m-%d} – {end:%Y-%m-%d}): "
    week = [c for c in captions(app) if c.startswith(latest)]
    assert len(week) == 7, captions(app)
    on_time, _, delivered, _ = hand_order_kpis(built_instance, end - timedelta(days=6), end)
    if delivered:
        assert week[0].startswith(f"{latest}{percent(on_time / delivered)}")
    app.selectbox(key="overview_period").select("week").run()
    assert not app.exception, app.exception
    assert all(m.proto.delta_description.startswith("vs ") for m in app.metric if m.proto.delta)


def test_a_card_is_on_target_only_when_its_latest_week_is_too(built_instance, monkeypatch):
    """First response "3.2 h, on target" while the last week ran ~320 min against a 240-min target."""
    from dashboards.queries import overview as q
    from dashboards.sections.overview_cards import Band, Headline, Targets
    from kpis.formulas import target_status

    monkeypatch.setenv("OMNIOPS_HOME", str(built_instance.home))
    targets, band = Targets(q.kpi_targets()), Band.from_benchmark(q.inventory_benchmark())
    months = built_instance.query(
        "select period_start, period_end from marts.kpi_monthly where period_type = 'month' order by 1"
    )
    statuses = set()
    for start, end in months:
        for kpi in Headline(q.Filters(start, end), "week", targets, band).kpis().values():
            target, direction = targets.of(kpi.key)
            if kpi.key == "inventory_days":
                latest = target_status(kpi.latest, "band", low=band.low, high=band.high)
            else:
                latest = target_status(kpi.latest, direction, target)
            statuses.add(kpi.status)
            if kpi.status == "on_target":
                assert latest != "off_target", (kpi.key, start, kpi.value, kpi.latest)
            if latest == "off_target" and target_status(kpi.value, direction, target) == "on_target":
                assert kpi.status == "slipping"
    assert "on_target" in statuses


def test_the_page_in_chinese(built_instance, monkeypatch):
    app = open_app(built_instance.home, monkeypatch, role="manager", page=PAGE, language="zh")
    assert not app.exception, app.exception
    labels = set(metrics(app))
    assert {"准时交付率", "设备综合效率 (OEE)", "库存周转天数", "客服首次响应时间"} <= labels
    # Units in Chinese too: "87 天", "3.2 小时".
    assert metrics(app)["库存周转天数"].endswith(" 天")
    assert metrics(app)["客服首次响应时间"].endswith((" 分钟", " 小时"))
    assert app.selectbox(key="overview_period").label == "期间"
    assert app.subheader[0].value == "下钻分析"
    app.selectbox(key="overview_drill").select("oee").run()
    assert not app.exception, app.exception
    assert "设备故障" in frame_with(app, "loss")["loss"].tolist()


def test_without_a_published_warehouse_the_app_says_what_to_run(tmp_path, monkeypatch):
    monkeypatch.setenv("OMNIOPS_HOME", str(tmp_path))
    app = open_app(tmp_path, monkeypatch, role="manager")
    assert not app.exception
    assert "omniops run" in app.warning[0].value
    assert os.environ["OMNIOPS_HOME"] == str(tmp_path)
