"""The overview's drill-down: one KPI opened by channel, machine, category or warehouse, down to an order.

Late orders carry a reason from ``marts.kpi_late_orders`` (late production, late shipment or carrier).
Order KPIs count each order once, under its primary category (the largest amount among its lines) and the
warehouse that shipped most of it; unit KPIs (fill rate and the COGS of inventory days) count each line
under its own category and the warehouse its units left from, so the parts add up to the whole. The six
big losses come from the MES: it records only total and good units, so defects and start-up rejects are
one loss, and short adjustments and material waits (MES ``idle``) count as minor stops & idling, as OEE
keeps them in run time.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboards import export
from dashboards.charts import overview as charts
from dashboards.components import table_height, to_company_time
from dashboards.formatting import fmt_money, fmt_percent
from dashboards.i18n import t
from dashboards.queries import overview as q
from dashboards.queries.inventory_days import inventory_days
from dashboards.sections.overview_cards import Band, Targets, kpi_labels, status_labels
from kpis.formulas import target_status

LATE_ORDERS_SHOWN = 1000
LOSSES = (
    "breakdown_minutes",
    "setup_minutes",
    "minor_stop_minutes",
    "reduced_speed_minutes",
    "quality_loss_minutes",
)
DATE = "YYYY-MM-DD"


@dataclass(frozen=True)
class Drill:
    """What every drill-down needs from the page: the filters, the names and the targets."""

    filters: q.Filters
    channel_names: dict[str, str]
    targets: Targets
    band: Band
    stock_days: float


def reason_labels() -> dict[str, str]:
    return {
        "late_production": t("Late production"),
        "late_shipment": t("Late shipment"),
        "carrier": t("Carrier"),
    }


def loss_labels() -> dict[str, str]:
    return {
        "breakdown_minutes": t("Breakdowns"),
        "setup_minutes": t("Setups & adjustments"),
        "minor_stop_minutes": t("Minor stops & idling"),
        "reduced_speed_minutes": t("Reduced speed"),
        "quality_loss_minutes": t("Defects & start-up rejects (not separable)"),
    }


def pct(label: str):
    return st.column_config.NumberColumn(label, format="percent")


def follow_table(select_key: str, table_key: str, options: list) -> None:
    """Make a click on a row of ``table_key`` choose that row in the selectbox ``select_key``.

    The table rows and ``options`` are in the same order. A click is applied once, so choosing in the
    selectbox afterwards wins; a choice no longer among the options falls back to the first.
    """
    event = st.session_state.get(table_key)
    rows = list(event["selection"]["rows"]) if event else []
    applied_key = f"{table_key}_applied"
    if rows and rows != st.session_state.get(applied_key) and rows[0] < len(options):
        st.session_state[select_key] = options[rows[0]]
    st.session_state[applied_key] = rows
    if st.session_state.get(select_key) not in options:
        st.session_state.pop(select_key, None)


def clickable_table(frame: pd.DataFrame, key: str, column_config: dict) -> None:
    export.table(
        frame,
        height=table_height(len(frame)),
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key=key,
        column_config=column_config,
    )


def plain_table(frame: pd.DataFrame, key: str, column_config: dict) -> None:
    export.table(
        frame,
        hide_index=True,
        width="stretch",
        height=table_height(len(frame)),
        key=key,
        column_config=column_config,
    )


# ---- on-time delivery: by channel → late orders of a channel → lines of a late order -----------------


def drill_otd(drill: Drill) -> None:
    by_channel = q.otd_by_channel(drill.filters)
    if by_channel.empty:
        st.info(t("No delivered orders for these filters in this range."))
        return
    by_channel["otd"] = by_channel["on_time"] / by_channel["delivered"]
    st.markdown(t("**On-time delivery by channel.** Click a row or choose the channel below."))
    columns = [
        "channel",
        "delivered",
        "on_time",
        "otd",
        "late",
        "late_production",
        "late_shipment",
        "carrier",
    ]
    reasons = reason_labels()
    clickable_table(
        by_channel[columns],
        "overview_otd_table",
        {
            "channel": t("Channel"),
            "delivered": t("Delivered"),
            "on_time": t("On time"),
            "otd": pct(t("On-time delivery")),
            "late": t("Late"),
            **reasons,
        },
    )
    st.plotly_chart(charts.late_reasons(by_channel, reasons), width="stretch", key="overview_late_reasons")
    st.caption(
        t(
            "Reason rule: the order had to leave by promised date − the carrier's median transit days. "
            "Left in time → carrier; left later after waiting for a production order that finished late → "
            "late production; otherwise → late shipment."
        )
    )
    channels = by_channel["channel"].tolist()
    follow_table("overview_otd_channel", "overview_otd_table", channels)
    channel = st.selectbox(
        t("Channel"),
        channels,
        format_func=lambda c: f"{c} · {drill.channel_names.get(c, c)}",
        key="overview_otd_channel",
    )
    late_orders_of(drill, channel)


def late_orders_of(drill: Drill, channel: str) -> None:
    late = q.late_orders(drill.filters, channel, LATE_ORDERS_SHOWN + 1)
    if late.empty:
        st.success(t("No late orders in {channel} for these filters in this range.", channel=channel))
        return
    if len(late) > LATE_ORDERS_SHOWN:
        st.caption(t("Showing the {n} most recent late orders.", n=LATE_ORDERS_SHOWN))
        late = late.head(LATE_ORDERS_SHOWN)
    late["reason"] = late["late_reason"].map(reason_labels())
    st.markdown(t("**Late orders of {channel}.** Click a row or choose the order below.", channel=channel))
    config = {
        "channel_order_id": t("Order"),
        "reason": t("Reason"),
        "order_date": st.column_config.DateColumn(t("Ordered"), format=DATE),
        "promised_date": st.column_config.DateColumn(t("Promised"), format=DATE),
        "ship_by_date": st.column_config.DateColumn(t("Had to leave by"), format=DATE),
        "shipped_date": st.column_config.DateColumn(t("Left"), format=DATE),
        "delivered_date": st.column_config.DateColumn(t("Delivered"), format=DATE),
        "days_late": t("Days late"),
        "carrier": t("Carrier"),
        "standard_transit_days": t("Carrier's usual transit (days)"),
        "warehouse_code": t("Warehouse"),
        "product_category": t("Main category"),
        "late_production_order_id": t("Late production order"),
    }
    clickable_table(late[list(config)], "overview_late_table", config)
    orders = late["channel_order_id"].tolist()
    follow_table("overview_late_order", "overview_late_table", orders)
    chosen = st.selectbox(t("Order"), orders, key="overview_late_order")
    order_key = late.loc[late["channel_order_id"] == chosen, "order_key"].iloc[0]
    lines_of(order_key, chosen)


def lines_of(order_key: str, order: str) -> None:
    lines = q.order_lines(order_key)
    for column in ("shipped_at_utc", "delivered_at_utc"):
        lines[column] = to_company_time(lines[column])
    st.markdown(t("**Lines of order {order}.**", order=order))
    when = "YYYY-MM-DD HH:mm"
    plain_table(
        lines,
        "overview_order_lines",
        {
            "line_number": t("Line"),
            "sku": t("SKU"),
            "product_name": t("Product"),
            "product_category": t("Category"),
            "quantity": t("Ordered"),
            "line_status": t("Line status"),
            "unit_price": t("Unit price"),
            "currency": t("Currency"),
            "line_amount_reporting": st.column_config.NumberColumn(t("Amount (CNY)"), format="%.2f"),
            "shipped_quantity": t("Shipped"),
            "delivered_quantity": t("Delivered"),
            "warehouse_code": t("Warehouse"),
            "shipped_at_utc": st.column_config.DatetimeColumn(t("Shipped at"), format=when),
            "delivered_at_utc": st.column_config.DatetimeColumn(t("Delivered at"), format=when),
        },
    )


# ---- OEE: by machine → the six big losses of a machine ----------------------------------------------


def drill_oee(drill: Drill) -> None:
    by_machine = q.oee_by_machine(drill.filters)
    if by_machine.empty:
        st.info(t("No machine shifts for these filters in this range."))
        return
    by_machine["ppt_hours"] = by_machine["ppt"] / 60
    by_machine["lost_hours"] = by_machine["lost"] / 60
    st.markdown(t("**OEE by machine, within its work center.** Click a row or choose the machine below."))
    config = {
        "work_center": t("Work center"),
        "machine_id": t("Machine"),
        "machine_name": t("Name"),
        "ppt_hours": st.column_config.NumberColumn(t("Planned production (h)"), format="%.1f"),
        "oee": pct(t("OEE")),
        "availability": pct(t("Availability")),
        "performance": pct(t("Performance")),
        "quality": pct(t("Quality")),
        "utilisation": pct(t("Utilisation")),
        "lost_hours": st.column_config.NumberColumn(t("Lost time (h)"), format="%.1f"),
    }
    clickable_table(by_machine[list(config)], "overview_machine_table", config)
    target, direction = drill.targets.of("oee")
    st.plotly_chart(
        charts.bars_against_target(by_machine, "machine_id", "oee", 100, "%", target, direction),
        width="stretch",
        key="overview_oee_bars",
    )
    machines = by_machine["machine_id"].tolist()
    names = dict(zip(by_machine["machine_id"], by_machine["machine_name"], strict=True))
    follow_table("overview_machine", "overview_machine_table", machines)
    machine = st.selectbox(
        t("Machine"), machines, format_func=lambda m: f"{m} · {names[m]}", key="overview_machine"
    )
    losses_of(by_machine.set_index("machine_id").loc[machine], f"{machine} · {names[machine]}")


def losses_of(row: pd.Series, machine: str) -> None:
    labels = loss_labels()
    losses = pd.DataFrame(
        {"loss": [labels[name] for name in LOSSES], "minutes": [float(row[name]) for name in LOSSES]}
    )
    st.markdown(t("**The six big losses of {machine}, in minutes.**", machine=machine))
    st.plotly_chart(charts.six_big_losses(losses), width="stretch", key="overview_losses")
    plain_table(
        losses,
        "overview_losses_table",
        {"loss": t("Loss"), "minutes": st.column_config.NumberColumn(t("Minutes"), format="%.0f")},
    )
    st.caption(
        t(
            "Together {lost:,.0f} min = planned production time {ppt:,.0f} min × (1 − OEE {oee}). "
            "Availability: breakdowns, setups & adjustments; performance: minor stops & idling, "
            "reduced speed; quality: defects & start-up rejects.",
            lost=float(row["lost"]),
            ppt=float(row["ppt"]),
            oee=fmt_percent(float(row["oee"])),
        )
    )
    st.caption(
        t(
            "The MES records only total and good units per shift, so start-up rejects cannot be told apart "
            "from defects and rework: they are one loss here. Short adjustments and material waits are "
            "recorded as idle and count as minor stops & idling, as OEE keeps them in run time."
        )
    )
    if row["over_ideal"] > 0:
        st.warning(
            t(
                "{n:.0f} shifts ran faster than the ideal cycle time allows (performance capped at 100 %): "
                "check the machine's ideal cycle time.",
                n=float(row["over_ideal"]),
            )
        )


# ---- inventory days: by category, warehouse or both ----------------------------------------------------


def drill_inventory(drill: Drill) -> None:
    f, band = drill.filters, drill.band
    if drill.stock_days == 0:
        st.info(t("No stock for these filters in this range."))
        return
    level = st.radio(
        t("Inventory days by"),
        ["product_category", "warehouse_code", "both"],
        format_func={
            "product_category": t("category"),
            "warehouse_code": t("warehouse"),
            "both": t("category × warehouse"),
        }.get,
        horizontal=True,
        key="overview_inventory_level",
    )
    keys = ["product_category", "warehouse_code"] if level == "both" else [level]
    # the same query as the card and the forecast page's turnover chart (queries/inventory_days.py)
    table = inventory_days(f.start, f.end, tuple(keys), f.categories, f.warehouses, (band.low, band.high))
    unshipped = 0.0
    if "warehouse_code" in table:
        unshipped = float(table.loc[table["warehouse_code"].isna(), "cogs"].sum())
    if level != "product_category":
        table = table[table["warehouse_code"].notna()].copy()
    statuses = status_labels()
    table["status"] = [
        statuses[target_status(None if pd.isna(v) else float(v), "band", low=band.low, high=band.high)]
        for v in table["inventory_days"]
    ]
    table = table.sort_values("inventory_days", ascending=False, na_position="last")
    st.markdown(t("**Inventory days against the target.** {band}", band=band.text))
    label = table[keys].astype(str).agg(" · ".join, axis=1)
    figure = charts.inventory_days_bars(table["inventory_days"], label, band.low, band.high)
    st.plotly_chart(figure, width="stretch", key="overview_inventory_bars")
    plain_table(
        table[[*keys, "average_stock", "cogs", "inventory_days", "status"]],
        "overview_inventory_table",
        {
            "product_category": t("Category"),
            "warehouse_code": t("Warehouse"),
            "average_stock": st.column_config.NumberColumn(t("Average stock (CNY)"), format="%.0f"),
            "cogs": st.column_config.NumberColumn(t("COGS (CNY)"), format="%.0f"),
            "inventory_days": st.column_config.NumberColumn(t("Inventory days"), format="%.0f"),
            "status": t("Status"),
        },
    )
    if level != "product_category" and unshipped:
        st.caption(
            t(
                "COGS of lines sold but not shipped yet ({cogs}) belongs to no warehouse and is left out "
                "of the rows by warehouse.",
                cogs=fmt_money(unshipped),
            )
        )


# ---- OTIF, fill rate, cycle time, first response: by channel -------------------------------------------


def by_channel(drill: Drill, kpi: str) -> tuple[pd.DataFrame, list[str], str, float, str]:
    """The KPI's table by channel: frame, columns shown, the value column, its scale and axis title."""
    if kpi in ("otif_rate", "order_cycle_time"):
        frame = q.delivery_by_channel(drill.filters)
        frame["otif_rate"] = frame["otif"] / frame["delivered"]
        if kpi == "otif_rate":
            return (
                frame,
                ["channel", "delivered", "on_time", "in_full", "otif", "otif_rate"],
                "otif_rate",
                100,
                "%",
            )
        return frame, ["channel", "delivered", "cycle_days", "service_level_days"], "cycle_days", 1, t("days")
    if kpi == "fill_rate":
        frame = q.fill_by_channel(drill.filters)
        frame["fill_rate"] = frame["filled"] / frame["ordered"]
        return frame, ["channel", "ordered", "filled", "fill_rate"], "fill_rate", 100, "%"
    frame = q.tickets_by_channel(drill.filters)
    return frame, ["channel", "tickets", "answered", "response_minutes"], "response_minutes", 1, t("min")


def drill_by_channel(drill: Drill, kpi: str) -> None:
    """The other KPIs by channel: a table and a bar chart against the target."""
    frame, columns, value, scale, axis = by_channel(drill, kpi)
    if frame.empty:
        st.info(t("No data for these filters in this range."))
        return
    st.markdown(t("**{kpi} by channel.**", kpi=kpi_labels()[kpi]))
    target, direction = drill.targets.of(kpi)
    st.plotly_chart(
        charts.bars_against_target(frame, "channel", value, scale, axis, target, direction),
        width="stretch",
        key=f"overview_{kpi}_bars",
    )
    plain_table(
        frame[columns],
        f"overview_{kpi}_table",
        {
            "channel": t("Channel"),
            "delivered": t("Delivered"),
            "on_time": t("On time"),
            "in_full": t("In full"),
            "otif": t("On time and in full"),
            "otif_rate": pct(t("OTIF")),
            "cycle_days": st.column_config.NumberColumn(t("Mean cycle time (days)"), format="%.1f"),
            "service_level_days": t("Service level (days)"),
            "ordered": t("Units ordered"),
            "filled": t("Units filled"),
            "fill_rate": pct(t("Fill rate")),
            "tickets": t("Tickets"),
            "answered": t("Answered"),
            "response_minutes": st.column_config.NumberColumn(t("Mean first response (min)"), format="%.0f"),
        },
    )


def drill_down(drill: Drill, kpi: str) -> None:
    if kpi == "otd_rate":
        drill_otd(drill)
    elif kpi == "oee":
        drill_oee(drill)
    elif kpi == "inventory_days":
        drill_inventory(drill)
    else:
        drill_by_channel(drill, kpi)
