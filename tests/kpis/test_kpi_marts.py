"""The pre-aggregated KPI marts (dbt_project/models/marts/kpis) reconcile with the facts they summarise.

The marts are built by the real pipeline on the small demo company (``built_instance``); every expected
total is computed here from the base marts. The rules on hand-picked rows are dbt unit tests in
``_kpis__models.yml``; ``target_status`` is checked on plain numbers.
"""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from kpis.formulas import target_status

SHIP_ORDERS = "from marts.fct_orders where fulfilment_type = 'ship' and order_status <> 'cancelled'"


def one(db, sql: str, params: list | None = None) -> tuple:
    """The single row of a query, with DuckDB decimals as floats."""
    return tuple(float(v) if isinstance(v, Decimal) else v for v in db.query(sql, params)[0])


def test_the_delivery_mart_counts_every_delivered_order_once(built_instance):
    expected = built_instance.query(
        "select channel, count(*), count(*) filter (where delivered_date <= promised_date), "
        "count(*) filter (where delivered_date > promised_date), "
        "sum(date_diff('second', ordered_at_utc, delivered_at_utc)) / 3600.0 "
        f"{SHIP_ORDERS} and delivered_date is not null group by 1 order by 1"
    )
    actual = built_instance.query(
        "select channel, sum(delivered_orders), sum(on_time_orders), sum(late_orders), sum(cycle_time_hours) "
        "from marts.kpi_delivery_daily group by 1 order by 1"
    )
    assert [row[:4] for row in actual] == [row[:4] for row in expected]
    for got, want in zip(actual, expected, strict=True):
        assert got[4] == pytest.approx(want[4], rel=1e-12)
    # the attribution partitions the orders: as many as in the order facts, each under one category
    facts, categories = one(
        built_instance,
        "select count(*), count(distinct product_category) from marts.kpi_order_facts where is_delivered",
    )
    assert facts == sum(row[1] for row in expected)
    assert categories > 1


def test_every_late_order_has_exactly_one_reason_and_the_reasons_follow_the_ship_by_date(built_instance):
    (late,) = one(built_instance, f"select count(*) {SHIP_ORDERS} and delivered_date > promised_date")
    by_reason = dict(
        built_instance.query("select late_reason, count(*) from marts.kpi_late_orders group by 1")
    )
    assert sum(by_reason.values()) == late > 0
    assert set(by_reason) <= {"late_production", "late_shipment", "carrier"}
    (wrong,) = one(
        built_instance,
        "select count(*) from marts.kpi_late_orders where (late_reason = 'carrier') <> (shipped_date "
        "<= ship_by_date) "
        "or ship_by_date <> promised_date - standard_transit_days",
    )
    assert wrong == 0
    per_day = one(
        built_instance,
        "select sum(late_production_orders), sum(late_shipment_orders), sum(carrier_late_orders) "
        "from marts.kpi_delivery_daily",
    )
    assert per_day == tuple(
        by_reason.get(reason, 0) for reason in ("late_production", "late_shipment", "carrier")
    )


def test_otif_is_on_time_and_every_line_delivered_complete(built_instance):
    (expected,) = one(
        built_instance,
        "with ordered as (select order_key, sku, sum(quantity) as units from marts.fct_order_lines "
        # lines refunded because they could not be shipped still count as ordered (not in full)
        "where (line_status not in ('cancelled', 'pending') or is_line_cancelled) and quantity > 0 "
        "group by all), "
        "delivered as (select order_key, sku, sum(quantity) filter (where delivered_at_utc is not "
        "null) as units "
        "from marts.fct_shipments group by all), "
        "in_full as (select order_key, bool_and(coalesce(d.units, 0) >= o.units) as ok "
        "from ordered o left join delivered d using (order_key, sku) group by 1) "
        f"select count(*) from (select * {SHIP_ORDERS}) o join in_full using (order_key) "
        "where o.delivered_date <= o.promised_date and in_full.ok",
    )
    (actual,) = one(built_instance, "select sum(otif_orders) from marts.kpi_delivery_daily")
    assert actual == expected


def test_the_fill_mart_holds_the_ordered_units_of_the_orders_served_from_stock(built_instance):
    (expected,) = one(
        built_instance,
        "select sum(l.quantity) from marts.fct_order_lines l join marts.fct_orders o using (order_key) "
        "where o.fulfilment_type = 'ship' and o.order_status in ('confirmed', 'shipped', "
        "'delivered', 'returned') "
        "and (l.line_status not in ('cancelled', 'pending') or l.is_line_cancelled) and l.quantity > 0 "
        "and o.channel || ':' || coalesce(o.fulfilment_ref, '') not in (select sales_order_ref "
        "from marts.fct_production_operations where sales_order_ref is not null "
        "and production_order_state <> 'cancel')",
    )
    ordered, filled = one(
        built_instance, "select sum(units_ordered), sum(units_filled) from marts.kpi_fill_daily"
    )
    assert ordered == expected
    assert 0 < filled <= ordered


def test_the_machine_mart_keeps_planned_time_oee_and_six_losses_that_add_up(built_instance):
    expected = one(
        built_instance,
        "select sum(planned_production_minutes), sum(coalesce(oee, 0) * planned_production_minutes), "
        "sum(breakdown_minutes), sum(setup_minutes), count(distinct machine_id) from "
        "marts.fct_machine_shifts",
    )
    actual = one(
        built_instance,
        "select sum(planned_production_minutes), sum(oee_weighted), sum(breakdown_minutes), "
        "sum(setup_minutes), "
        "count(distinct machine_id), sum(lost_minutes), sum(breakdown_minutes + setup_minutes + "
        "minor_stop_minutes + reduced_speed_minutes + quality_loss_minutes) from marts.kpi_machine_daily",
    )
    for got, want in zip(actual[:5], expected, strict=True):
        assert got == pytest.approx(want, rel=1e-12)
    lost, six = actual[5], actual[6]
    assert lost == pytest.approx(expected[0] - expected[1], rel=1e-9)
    assert six == pytest.approx(lost, rel=1e-9)


def test_the_inventory_mart_keeps_all_stock_and_all_cogs(built_instance):
    stock, cogs = one(
        built_instance,
        "select (select sum(inventory_value_reporting) from marts.fct_inventory_daily), "
        "(select sum(line_cost_reporting) from marts.fct_order_lines "
        "where line_status in ('confirmed', 'shipped', 'delivered') or quantity < 0)",
    )
    actual_stock, actual_cogs, unattributed = one(
        built_instance,
        "select sum(inventory_value), sum(cogs), sum(cogs) filter (where warehouse_code is null) "
        "from marts.kpi_inventory_daily",
    )
    assert actual_stock == pytest.approx(stock, rel=1e-12)
    assert actual_cogs == pytest.approx(cogs, rel=1e-12)
    # only sold lines that have not left a warehouse yet are without one
    (not_shipped,) = one(
        built_instance,
        "select coalesce(sum(l.line_cost_reporting), 0) from marts.fct_order_lines l "
        "where l.fulfilment_type = 'ship' and l.line_status in ('confirmed', 'shipped', 'delivered') "
        "and not exists (select 1 from marts.fct_shipments s where s.order_key = l.order_key and "
        "s.sku = l.sku)",
    )
    assert (unattributed or 0) == pytest.approx(not_shipped, abs=1e-6)


def test_every_month_of_the_marts_equals_kpi_monthly(built_instance):
    """OTD, OEE and inventory days of each month from the daily marts = the KPI asset's figures."""
    months = built_instance.query(
        "select period, period_start, period_end, "
        "max(value) filter (where kpi = 'otd_rate'), max(value) filter (where kpi = 'oee'), "
        "max(value) filter (where kpi = 'inventory_days') from marts.kpi_monthly "
        "where period_type = 'month' group by all order by period"
    )
    assert len(months) >= 12
    for period, start, end, otd, oee, dio in months:
        on_time, delivered = one(
            built_instance,
            "select sum(on_time_orders), sum(delivered_orders) from marts.kpi_delivery_daily "
            "where delivered_date between ? and ?",
            [start, end],
        )
        productive, ppt = one(
            built_instance,
            "select sum(oee_weighted), sum(planned_production_minutes) from marts.kpi_machine_daily "
            "where shift_date between ? and ?",
            [start, end],
        )
        stock, cogs = one(
            built_instance,
            "select sum(inventory_value), sum(cogs) from marts.kpi_inventory_daily where kpi_date "
            "between ? and ?",
            [start, end],
        )
        if delivered:
            assert on_time / delivered == pytest.approx(otd, rel=1e-12), period
        if ppt:
            assert productive / ppt == pytest.approx(oee, rel=1e-9), period
        if dio is not None and not math.isnan(dio):
            assert stock / cogs == pytest.approx(dio, rel=1e-9), period


def test_the_ticket_mart_keeps_every_ticket_and_response_minute(built_instance):
    expected = one(
        built_instance,
        "select count(*), count(first_response_minutes), sum(first_response_minutes) from "
        "marts.fct_cs_tickets",
    )
    actual = one(
        built_instance,
        "select sum(tickets), sum(answered_tickets), sum(first_response_minutes) from marts.kpi_cs_daily",
    )
    assert actual[:2] == expected[:2]
    assert actual[2] == pytest.approx(expected[2], rel=1e-12)


@pytest.mark.parametrize(
    ("value", "direction", "target", "low", "high", "status"),
    [
        (0.95, "min", 0.95, None, None, "on_target"),
        (0.949, "min", 0.95, None, None, "off_target"),
        (5.0, "max", 5.0, None, None, "on_target"),
        (5.1, "max", 5.0, None, None, "off_target"),
        (60.0, "band", None, 60.0, 90.0, "on_target"),
        (90.5, "band", None, 60.0, 90.0, "off_target"),
        (59.9, "band", None, 60.0, 90.0, "off_target"),
        (None, "min", 0.95, None, None, "info"),
        (float("nan"), "max", 5.0, None, None, "info"),
        (0.9, "min", None, None, None, "info"),
        (70.0, "band", None, None, None, "info"),
    ],
)
def test_target_status(value, direction, target, low, high, status):
    assert target_status(value, direction, target, low, high) == status


def test_the_shown_availability_performance_and_quality_multiply_to_the_shown_oee(built_instance):
    """Issue 17: the parts shown beside OEE did not multiply to it (PPT-weighted means of each part).
    Per month in kpi_monthly, and per machine and month summed from kpi_machine_daily as the page does."""
    months = built_instance.query(
        "select period, max(value) filter (where kpi = 'oee'), "
        "max(value) filter (where kpi = 'oee_availability') "
        "* max(value) filter (where kpi = 'oee_performance') "
        "* max(value) filter (where kpi = 'oee_quality') from marts.kpi_monthly "
        "where period_type in ('month', 'history') group by period "
        "having max(value) filter (where kpi = 'oee') > 0"
    )
    assert len(months) >= 12
    for period, oee, product in months:
        assert product == pytest.approx(oee, rel=1e-9), period
    machines = built_instance.query(
        "select machine_id, date_trunc('month', shift_date) as month, "
        "sum(availability_weighted) / sum(planned_production_minutes) "
        "* (sum(net_run_minutes) / sum(availability_weighted)) * (sum(oee_weighted) / sum(net_run_minutes)), "
        "sum(oee_weighted) / sum(planned_production_minutes) from marts.kpi_machine_daily "
        "group by all having sum(net_run_minutes) > 0"
    )
    assert len(machines) > 50
    for machine, month, product, oee in machines:
        assert product == pytest.approx(oee, rel=1e-9), (machine, month)


def test_idle_shifts_count_in_the_shift_time_so_utilisation_is_not_overstated(built_instance):
    """Every past shift of the calendar, idle ones (no released work) included, is a machine shift:
    utilisation = Σ planned production ÷ Σ shift time over all of them, not over the busy ones only."""
    scheduled_shifts, scheduled_minutes = one(
        built_instance,
        "select count(*), sum(date_diff('second', shift_start_utc, shift_end_utc)) / 60.0 "
        "from staging.stg_erp__shift_calendar "
        "where shift_start_utc < (select max(ended_at_utc) from staging.stg_mes__machine_events)",
    )
    shifts, idle, idle_without_ppt = one(
        built_instance,
        "select count(*), count(*) filter (where is_idle_shift), "
        "count(*) filter (where is_idle_shift and planned_production_minutes = 0 and oee is null) "
        "from marts.fct_machine_shifts",
    )
    minutes, ppt, idle_days = one(
        built_instance,
        "select sum(shift_minutes), sum(planned_production_minutes), sum(idle_shifts) "
        "from marts.kpi_machine_daily",
    )
    assert shifts == scheduled_shifts and minutes == pytest.approx(scheduled_minutes, rel=1e-12)
    assert idle == idle_without_ppt == idle_days > 0
    busy_minutes = one(
        built_instance, "select sum(shift_minutes) from marts.fct_machine_shifts where not is_idle_shift"
    )[0]
    assert ppt / minutes < ppt / busy_minutes  # what leaving the idle shifts out overstated
