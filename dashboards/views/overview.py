"""KPI overview for managers: seven KPIs against their targets, with filters and drill-down.

KPIs (definitions from shared/reference/domain.md): on-time delivery (OTD), OTIF, fill rate, order cycle
time, OEE with availability, performance and quality, inventory turnover days (DIO) against the industry
benchmark band, and customer-service first response time. Each card shows the value for the selected
range and filters, its target, a status colour and a trend by week (ranges up to 92 days) or by month.
Targets and the benchmark are read from the editable seeds ``kpi_targets`` and ``industry_benchmarks``.

Every headline figure and trend is Σ numerator ÷ Σ denominator over the pre-aggregated daily marts in
``dbt_project/models/marts/kpis`` (their YAML documents each rule); only a drill-down into one channel or
one order reads order-level tables, always filtered. Choices made here:

* Default range: the last complete calendar month of the data (as ``marts.kpi_monthly``, whose OTD, OEE and
  inventory days it then equals), with "last 90 days", "whole history" and a custom range to choose.
* Dates: OTD, OTIF and cycle time by delivery date; fill rate by order date; OEE by shift date; inventory
  days by snapshot date (stock) and order date (COGS); first response by ticket date. All company zone.
* Filters a KPI cannot follow are named under its card whenever one of them is set, never dropped
  silently: OEE follows only the work center (the company has one plant); inventory days ignore the
  channel and work center; first response follows only the channel; the order KPIs ignore the work center.
* Attribution: order KPIs (OTD, OTIF, cycle time) count each order once, under its primary category (the
  largest amount among its lines) and the warehouse that shipped most of it; unit KPIs (fill rate and the
  COGS of inventory days) count each line under its own category and the warehouse its units left from.
  So every filtered figure is a part of the unfiltered one and the parts add up.
* Counter sales (handed over at the till) are outside OTD, OTIF, fill rate and cycle time, as in
  kpi_monthly; made-to-order orders are outside the fill rate (not served from stock), and an order not
  shipped yet counts as not filled, so the fill rate of the newest days is provisional. Cycle time and
  first response are means (Σ ÷ count, so they add up over filters), first response over answered tickets.
* Late orders carry a reason from ``marts.kpi_late_orders`` (late production, late shipment or carrier).
* The six big losses come from the MES: the MES records only total and good units, so defects and
  start-up rejects are shown as one loss, and short adjustments and material waits (MES ``idle``) count
  as minor stops & idling, as OEE keeps them in run time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboards.components import page_header, to_company_time
from dashboards.formatting import STATUS_COLOURS, fmt_days, fmt_minutes, fmt_money, fmt_percent
from dashboards.i18n import current_language, t
from dashboards.warehouse import query, table_exists
from kpis.formulas import Ratio, target_status
from kpis.periods import monthly_periods

KPI_MARTS = (
    "kpi_delivery_daily",
    "kpi_fill_daily",
    "kpi_machine_daily",
    "kpi_inventory_daily",
    "kpi_cs_daily",
)
WEEKLY_UP_TO_DAYS = 92
LATE_ORDERS_SHOWN = 1000
PERIODS = ("last_month", "last_90_days", "history", "custom")
KPIS = (
    "otd_rate",
    "otif_rate",
    "fill_rate",
    "order_cycle_time",
    "oee",
    "inventory_days",
    "cs_first_response",
)
LOSSES = (
    "breakdown_minutes",
    "setup_minutes",
    "minor_stop_minutes",
    "reduced_speed_minutes",
    "quality_loss_minutes",
)


# ---- small pure helpers -------------------------------------------------------------------------------


def bucket_for(start: date, end: date) -> str:
    """Trend granularity: weeks for ranges up to WEEKLY_UP_TO_DAYS, months beyond."""
    return "week" if (end - start).days + 1 <= WEEKLY_UP_TO_DAYS else "month"


def in_clause(column: str, values: tuple[str, ...]) -> tuple[str, tuple]:
    """``column in (?, ?, …)`` for a chosen filter, or nothing when the filter is empty (= all).

    Only placeholders are added to the SQL; the values travel as parameters.
    """
    if not values:
        return "", ()
    return f" and {column} in ({', '.join('?' * len(values))})", tuple(values)


def ratio(numerator: float, denominator: float) -> float | None:
    """Σ numerator ÷ Σ denominator; None (shown as –) when there is nothing to divide by."""
    return Ratio(float(numerator), float(denominator)).value


@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    channels: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    work_centers: tuple[str, ...] = ()
    warehouses: tuple[str, ...] = ()

    def where(self, date_column: str, **dimensions: str) -> tuple[str, tuple]:
        """SQL condition and parameters: the date range plus the filters this mart can follow.

        ``dimensions`` maps a filter name (channels, categories, work_centers, warehouses) to the mart's
        column for it.
        """
        sql, params = f"{date_column} between ? and ?", (self.start, self.end)
        for name, column in dimensions.items():
            clause, values = in_clause(column, getattr(self, name))
            sql, params = sql + clause, params + values
        return sql, params


@dataclass
class Kpi:
    """What one card shows: the value, its status against the target, the trend and what it ignores."""

    key: str
    label: str
    value: float | None
    shown: str
    status: str
    target_text: str
    detail: str
    ignores: list[str]
    trend: pd.DataFrame
    scale: float = 1.0
    axis: str = ""
    target_lines: tuple[float | None, float | None] = (None, None)
    band: bool = False


# ---- the page -----------------------------------------------------------------------------------------

page_header(t("KPI overview"))

missing = [name for name in KPI_MARTS if not table_exists("marts", name)]
if missing:
    st.info(
        t(
            "The KPI tables {tables} are not in this warehouse yet: run `omniops run` (or `make demo`) and "
            "reload this page.",
            tables=", ".join(missing),
        )
    )
    st.stop()

bounds = query(
    "select min(d) as first_day, max(d) as last_day from ("
    "select min(order_date) as d from marts.fct_orders "
    "union all select max(order_date) from marts.fct_orders "
    "union all select min(snapshot_date) from marts.fct_inventory_daily "
    "union all select max(snapshot_date) from marts.fct_inventory_daily)"
).iloc[0]
if pd.isna(bounds["first_day"]):
    st.info(t("The warehouse has no orders and no stock yet: nothing to show."))
    st.stop()
FIRST_DAY = pd.Timestamp(bounds["first_day"]).date()
LAST_DAY = pd.Timestamp(bounds["last_day"]).date()
complete_months = [
    p for p in monthly_periods(FIRST_DAY, LAST_DAY) if p.period_type == "month" and p.is_complete
]
LAST_MONTH = complete_months[-1] if complete_months else None

targets = query("select kpi, target, direction, unit from seeds.kpi_targets").set_index("kpi")
benchmark = query(
    "select b.value, b.band_low_factor, b.band_high_factor, b.source from seeds.industry_benchmarks b "
    "join seeds.company_profile p on p.setting = 'industry' and p.value = b.industry "
    "where b.metric = 'inventory_days'"
)


def target_of(kpi: str) -> tuple[float | None, str]:
    """The KPI's target and direction from seeds.kpi_targets (editable, never in code)."""
    if kpi not in targets.index:
        return None, "min"
    row = targets.loc[kpi]
    value = None if pd.isna(row["target"]) else float(row["target"])
    return value, str(row["direction"])


FILTER_LABELS = {
    "channels": t("channel"),
    "categories": t("category"),
    "work_centers": t("work center"),
    "warehouses": t("warehouse"),
}
KPI_LABELS = {
    "otd_rate": t("On-time delivery"),
    "otif_rate": t("OTIF"),
    "fill_rate": t("Fill rate"),
    "order_cycle_time": t("Order cycle time"),
    "oee": t("OEE"),
    "inventory_days": t("Inventory days"),
    "cs_first_response": t("First response time"),
}
STATUS_LABELS = {"on_target": t("On target"), "off_target": t("Off target"), "info": t("No target")}
REASON_LABELS = {
    "late_production": t("Late production"),
    "late_shipment": t("Late shipment"),
    "carrier": t("Carrier"),
}
LOSS_LABELS = {
    "breakdown_minutes": t("Breakdowns"),
    "setup_minutes": t("Setups & adjustments"),
    "minor_stop_minutes": t("Minor stops & idling"),
    "reduced_speed_minutes": t("Reduced speed"),
    "quality_loss_minutes": t("Defects & start-up rejects (not separable)"),
}

# ---- filters ------------------------------------------------------------------------------------------

# A choice shown through a translated label keeps the old language's label on screen after the language
# switch (the browser holds the label it displayed); setting the kept value again makes it redraw.
TRANSLATED_CHOICES = ("overview_period", "overview_drill", "overview_inventory_level")
if st.session_state.get("overview_language") != current_language():
    for choice in TRANSLATED_CHOICES:
        if choice in st.session_state:
            st.session_state[choice] = st.session_state[choice]
    st.session_state["overview_language"] = current_language()

period_labels = {
    "last_month": t("Last complete month ({month})", month=LAST_MONTH.label) if LAST_MONTH else "",
    "last_90_days": t("Last 90 days"),
    "history": t("Whole history ({start} – {end})", start=FIRST_DAY, end=LAST_DAY),
    "custom": t("Custom range"),
}
period_options = [p for p in PERIODS if p != "last_month" or LAST_MONTH]
channel_names = query("select channel, channel_name from marts.dim_channels order by channel")
channel_label = dict(zip(channel_names["channel"], channel_names["channel_name"], strict=True))
categories = query(
    "select product_category from marts.kpi_inventory_daily union "
    "select product_category from marts.kpi_delivery_daily union "
    "select product_category from marts.kpi_fill_daily order by 1"
)["product_category"].tolist()
work_centers = query(
    "select distinct work_center, work_center_name from marts.kpi_machine_daily order by work_center"
)
work_center_label = dict(zip(work_centers["work_center"], work_centers["work_center_name"], strict=True))
warehouses = query(
    "select distinct warehouse_code from marts.kpi_inventory_daily where warehouse_code is not null "
    "union select distinct warehouse_code from marts.kpi_delivery_daily where warehouse_code is not null "
    "order by 1"
)["warehouse_code"].tolist()

with st.container(border=True):
    top = st.columns([2, 2, 3])
    period = top[0].selectbox(
        t("Period"), period_options, format_func=period_labels.get, key="overview_period"
    )
    if period == "last_month" and LAST_MONTH:
        start, end = LAST_MONTH.start, LAST_MONTH.end
    elif period == "last_90_days":
        start, end = max(FIRST_DAY, LAST_DAY - timedelta(days=89)), LAST_DAY
    elif period == "history":
        start, end = FIRST_DAY, LAST_DAY
    else:
        default = (LAST_MONTH.start, LAST_MONTH.end) if LAST_MONTH else (FIRST_DAY, LAST_DAY)
        picked = top[1].date_input(
            t("From – to"), value=default, min_value=FIRST_DAY, max_value=LAST_DAY, key="overview_dates"
        )
        picked = tuple(picked) if isinstance(picked, list | tuple) else (picked,)
        start, end = (picked[0], picked[-1]) if picked else default
    if period != "custom":
        top[1].markdown(f"**{start:%Y-%m-%d} – {end:%Y-%m-%d}**")
    top[2].caption(
        t(
            "Dates in company time. Empty filters mean all. Plant: one plant; its work centers filter OEE. "
            "Targets from seeds/kpi_targets.csv, the benchmark from seeds/industry_benchmarks.csv."
        )
    )
    row = st.columns(4)
    chosen_channels = row[0].multiselect(
        t("Channel"),
        list(channel_label),
        format_func=lambda c: f"{c} · {channel_label[c]}",
        key="overview_channels",
        placeholder=t("All"),
    )
    chosen_categories = row[1].multiselect(
        t("Product category"), categories, key="overview_categories", placeholder=t("All")
    )
    chosen_work_centers = row[2].multiselect(
        t("Plant / work center"),
        list(work_center_label),
        format_func=lambda w: f"{w} · {work_center_label[w]}",
        key="overview_work_centers",
        placeholder=t("All"),
    )
    chosen_warehouses = row[3].multiselect(
        t("Warehouse"), warehouses, key="overview_warehouses", placeholder=t("All")
    )

filters = Filters(
    start,
    end,
    tuple(chosen_channels),
    tuple(chosen_categories),
    tuple(chosen_work_centers),
    tuple(chosen_warehouses),
)
BUCKET = bucket_for(start, end)  # "week" or "month", never user text


def ignored(*names: str) -> list[str]:
    """The filters a KPI cannot follow, among those the user set (shown under its card)."""
    return [FILTER_LABELS[name] for name in names if getattr(filters, name)]


# ---- headline figures: one query per mart, by trend bucket --------------------------------------------

ORDER_DIMENSIONS = {"channels": "channel", "categories": "product_category", "warehouses": "warehouse_code"}

sql, params = filters.where("delivered_date", **ORDER_DIMENSIONS)
delivery = query(
    f"select date_trunc('{BUCKET}', delivered_date) as bucket, sum(delivered_orders) as delivered, "
    "sum(on_time_orders) as on_time, sum(otif_orders) as otif, sum(in_full_orders) as in_full, "
    "sum(cycle_time_hours) as cycle_time_hours "
    f"from marts.kpi_delivery_daily where {sql} group by 1 order by 1",
    params,
)
sql, params = filters.where("order_date", **ORDER_DIMENSIONS)
fill = query(
    f"select date_trunc('{BUCKET}', order_date) as bucket, sum(units_ordered) as ordered, "
    f"sum(units_filled) as filled from marts.kpi_fill_daily where {sql} group by 1 order by 1",
    params,
)
sql, params = filters.where("shift_date", work_centers="work_center")
machines = query(
    f"select date_trunc('{BUCKET}', shift_date) as bucket, sum(planned_production_minutes) as ppt, "
    "sum(oee_weighted) as oee, sum(availability_weighted) as availability, "
    "sum(performance_weighted) as performance, sum(quality_weighted) as quality "
    f"from marts.kpi_machine_daily where {sql} group by 1 order by 1",
    params,
)
sql, params = filters.where("kpi_date", categories="product_category", warehouses="warehouse_code")
inventory = query(
    f"select date_trunc('{BUCKET}', kpi_date) as bucket, sum(inventory_value) as inventory_value, "
    "sum(cogs) as cogs, count(distinct kpi_date) filter (where is_snapshot_day) as days "
    f"from marts.kpi_inventory_daily where {sql} group by 1 order by 1",
    params,
)
sql, params = filters.where("created_date", channels="channel")
tickets = query(
    f"select date_trunc('{BUCKET}', created_date) as bucket, sum(tickets) as tickets, "
    "sum(answered_tickets) as answered, sum(first_response_minutes) as minutes "
    f"from marts.kpi_cs_daily where {sql} group by 1 order by 1",
    params,
)


def trend(frame: pd.DataFrame, numerator: str, denominator: str, factor: float = 1.0) -> pd.DataFrame:
    """Per bucket: factor × Σ numerator ÷ Σ denominator (buckets without a denominator are left out)."""
    rows = frame[frame[denominator] > 0]
    label = "%m-%d" if BUCKET == "week" else "%Y-%m"
    return pd.DataFrame(
        {
            "bucket": pd.to_datetime(rows["bucket"]).dt.strftime(label),
            "value": factor * rows[numerator].astype(float) / rows[denominator],
        }
    )


def total(frame: pd.DataFrame, column: str) -> float:
    return float(frame[column].sum()) if len(frame) else 0.0


def min_max_text(kpi: str, fmt) -> tuple[float | None, str, str]:
    target, direction = target_of(kpi)
    if target is None:
        return None, direction, t("No target set")
    sign = "≥" if direction == "min" else "≤"
    return target, direction, t("Target {sign} {target}", sign=sign, target=fmt(target))


def rate_kpi(key: str, num: float, den: float, frame: pd.DataFrame, ncol: str, dcol: str, **kw) -> Kpi:
    value = ratio(num, den)
    target, direction, text = min_max_text(key, lambda v: fmt_percent(v, 0))
    return Kpi(
        key,
        KPI_LABELS[key],
        value,
        fmt_percent(value),
        target_status(value, direction, target),
        text,
        scale=100.0,
        axis="%",
        trend=trend(frame, ncol, dcol),
        target_lines=(target, None),
        **kw,
    )


delivered = total(delivery, "delivered")
kpis: dict[str, Kpi] = {}
kpis["otd_rate"] = rate_kpi(
    "otd_rate",
    total(delivery, "on_time"),
    delivered,
    delivery,
    "on_time",
    "delivered",
    detail=t(
        "{on_time:,.0f} of {delivered:,.0f} delivered orders on time",
        on_time=total(delivery, "on_time"),
        delivered=delivered,
    ),
    ignores=ignored("work_centers"),
)
kpis["otif_rate"] = rate_kpi(
    "otif_rate",
    total(delivery, "otif"),
    delivered,
    delivery,
    "otif",
    "delivered",
    detail=t(
        "{otif:,.0f} of {delivered:,.0f} delivered orders on time and in full ({in_full:,.0f} in full)",
        otif=total(delivery, "otif"),
        delivered=delivered,
        in_full=total(delivery, "in_full"),
    ),
    ignores=ignored("work_centers"),
)
kpis["fill_rate"] = rate_kpi(
    "fill_rate",
    total(fill, "filled"),
    total(fill, "ordered"),
    fill,
    "filled",
    "ordered",
    detail=t(
        "{filled:,.0f} of {ordered:,.0f} units shipped complete on the first shipment (by order date)",
        filled=total(fill, "filled"),
        ordered=total(fill, "ordered"),
    ),
    ignores=ignored("work_centers"),
)
cycle_days = ratio(total(delivery, "cycle_time_hours"), 24 * delivered)
target, direction, text = min_max_text("order_cycle_time", lambda v: fmt_days(v, 1))
kpis["order_cycle_time"] = Kpi(
    "order_cycle_time",
    KPI_LABELS["order_cycle_time"],
    cycle_days,
    fmt_days(cycle_days, 1),
    target_status(cycle_days, direction, target),
    text,
    t("Mean of delivered − ordered over {n:,.0f} delivered orders", n=delivered),
    ignored("work_centers"),
    trend(delivery, "cycle_time_hours", "delivered", 1 / 24),
    axis=t("days"),
    target_lines=(target, None),
)
ppt = total(machines, "ppt")
oee_value = ratio(total(machines, "oee"), ppt)
parts = {part: ratio(total(machines, part), ppt) for part in ("availability", "performance", "quality")}
kpis["oee"] = rate_kpi(
    "oee",
    total(machines, "oee"),
    ppt,
    machines,
    "oee",
    "ppt",
    detail=t(
        "Availability {a} × performance {p} × quality {q}",
        a=fmt_percent(parts["availability"]),
        p=fmt_percent(parts["performance"]),
        q=fmt_percent(parts["quality"]),
    ),
    ignores=ignored("channels", "categories", "warehouses"),
)
days = total(inventory, "days")
cogs = total(inventory, "cogs")
stock_sum = total(inventory, "inventory_value")
dio = ratio(stock_sum, cogs) if cogs > 0 else None
band_low = band_high = None
if len(benchmark):
    bench = benchmark.iloc[0]
    band_low = float(bench["band_low_factor"]) * float(bench["value"])
    band_high = float(bench["band_high_factor"]) * float(bench["value"])
    band_text = t(
        "Band {low:.0f}–{high:.0f} days (benchmark {value:.0f} days ± 20 %)",
        low=band_low,
        high=band_high,
        value=float(bench["value"]),
    )
else:
    band_text = t("No industry benchmark for the company's industry")
kpis["inventory_days"] = Kpi(
    "inventory_days",
    KPI_LABELS["inventory_days"],
    dio,
    fmt_days(dio),
    target_status(dio, "band", low=band_low, high=band_high),
    band_text,
    t(
        "Average stock {stock} at cost; COGS {cogs} over {days:.0f} days",
        stock=fmt_money(stock_sum / days if days else None),
        cogs=fmt_money(cogs),
        days=days,
    ),
    ignored("channels", "work_centers"),
    trend(inventory[inventory["cogs"] > 0], "inventory_value", "cogs"),
    axis=t("days"),
    target_lines=(band_low, band_high),
    band=True,
)
answered = total(tickets, "answered")
response = ratio(total(tickets, "minutes"), answered)
target, direction, text = min_max_text("cs_first_response", fmt_minutes)
kpis["cs_first_response"] = Kpi(
    "cs_first_response",
    KPI_LABELS["cs_first_response"],
    response,
    fmt_minutes(response),
    target_status(response, direction, target),
    text,
    t(
        "Mean over {answered:,.0f} answered tickets; {open:,.0f} not answered yet",
        answered=answered,
        open=total(tickets, "tickets") - answered,
    ),
    ignored("categories", "work_centers", "warehouses"),
    trend(tickets, "minutes", "answered"),
    axis=t("min"),
    target_lines=(target, None),
)

# ---- cards --------------------------------------------------------------------------------------------


def trend_figure(kpi: Kpi) -> go.Figure:
    """The KPI by bucket with its target line (or the benchmark band for inventory days)."""
    figure = go.Figure()
    figure.add_scatter(
        x=kpi.trend["bucket"],
        y=kpi.trend["value"] * kpi.scale,
        mode="lines+markers",
        name=kpi.label,
        line_color="#0969da",
    )
    low, high = kpi.target_lines
    if kpi.band and low is not None and high is not None:
        figure.add_hrect(y0=low, y1=high, fillcolor=STATUS_COLOURS["on_target"], opacity=0.12, line_width=0)
    elif low is not None:
        figure.add_hline(y=low * kpi.scale, line_dash="dash", line_color=STATUS_COLOURS["off_target"])
    figure.update_layout(
        height=170,
        margin=dict(l=5, r=5, t=5, b=5),
        showlegend=False,
        yaxis_title=kpi.axis,
        xaxis=dict(type="category", title=t("week from") if BUCKET == "week" else None),
    )
    return figure


def card(kpi: Kpi) -> None:
    with st.container(border=True):
        st.metric(kpi.label, kpi.shown)
        colour = STATUS_COLOURS.get(kpi.status, STATUS_COLOURS["info"])
        st.markdown(
            f"<span style='color:{colour};font-weight:600'>● {STATUS_LABELS[kpi.status]}</span> · "
            f"{kpi.target_text}",
            unsafe_allow_html=True,
        )
        if kpi.value is None:
            st.caption(t("No data for these filters in this range."))
        else:
            st.caption(kpi.detail)
        if kpi.ignores:
            st.caption(t("Not filtered by: {filters}", filters=", ".join(kpi.ignores)))
        if len(kpi.trend):
            # Hover stays; the toolbar (seven of them, each a row of buttons) is what slowed the page.
            st.plotly_chart(
                trend_figure(kpi),
                width="stretch",
                key=f"overview_trend_{kpi.key}",
                config={"displayModeBar": False},
            )


if all(kpi.value is None for kpi in kpis.values()):
    st.info(
        t(
            "Nothing matches these filters from {start} to {end}: no delivered orders, no orders to fill, "
            "no machine shifts, no stock and no tickets. Widen the range or clear a filter.",
            start=start,
            end=end,
        )
    )

st.caption(
    t(
        "Trends by {bucket}; the first and last {bucket} of the range may be partial.",
        bucket=t("week") if BUCKET == "week" else t("month"),
    )
)
for keys in (KPIS[:4], KPIS[4:]):
    for column, key in zip(st.columns(4), keys, strict=False):
        with column:
            card(kpis[key])

# ---- drill-down ---------------------------------------------------------------------------------------


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


def status_colours(values: pd.Series, direction: str, target=None, low=None, high=None) -> list[str]:
    """One status colour per value (green on target, red off, grey without a value or target)."""
    return [
        STATUS_COLOURS[target_status(None if pd.isna(v) else float(v), direction, target, low, high)]
        for v in values
    ]


def bar_by(frame: pd.DataFrame, x: str, y: str, scale: float, axis: str, kpi: str) -> go.Figure:
    """Bars coloured by status against the KPI's target, with the target as a dashed line."""
    target, direction = target_of(kpi)
    figure = go.Figure()
    figure.add_bar(x=frame[x], y=frame[y] * scale, marker_color=status_colours(frame[y], direction, target))
    if target is not None:
        figure.add_hline(y=target * scale, line_dash="dash", line_color=STATUS_COLOURS["off_target"])
    figure.update_layout(height=260, margin=dict(l=5, r=5, t=5, b=5), yaxis_title=axis)
    return figure


def pct(label: str):
    return st.column_config.NumberColumn(label, format="percent")


def drill_otd() -> None:
    sql, params = filters.where("delivered_date", **ORDER_DIMENSIONS)
    by_channel = query(
        "select channel, sum(delivered_orders) as delivered, sum(on_time_orders) as on_time, "
        "sum(late_orders) as late, sum(late_production_orders) as late_production, "
        "sum(late_shipment_orders) as late_shipment, sum(carrier_late_orders) as carrier "
        f"from marts.kpi_delivery_daily where {sql} group by channel order by channel",
        params,
    )
    if by_channel.empty:
        st.info(t("No delivered orders for these filters in this range."))
        return
    by_channel["otd"] = by_channel["on_time"] / by_channel["delivered"]
    st.markdown(t("**On-time delivery by channel.** Click a row or choose the channel below."))
    st.dataframe(
        by_channel[
            ["channel", "delivered", "on_time", "otd", "late", "late_production", "late_shipment", "carrier"]
        ],
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="overview_otd_table",
        column_config={
            "channel": t("Channel"),
            "delivered": t("Delivered"),
            "on_time": t("On time"),
            "otd": pct(t("On-time delivery")),
            "late": t("Late"),
            "late_production": t("Late production"),
            "late_shipment": t("Late shipment"),
            "carrier": t("Carrier"),
        },
    )
    reasons = by_channel.melt(id_vars="channel", value_vars=list(REASON_LABELS), var_name="reason")
    figure = go.Figure()
    for reason, label in REASON_LABELS.items():
        part = reasons[reasons["reason"] == reason]
        figure.add_bar(x=part["channel"], y=part["value"], name=label)
    figure.update_layout(
        barmode="stack", height=260, margin=dict(l=5, r=5, t=5, b=5), yaxis_title=t("late orders")
    )
    st.plotly_chart(figure, width="stretch", key="overview_late_reasons")
    st.caption(
        t(
            "Reason rule: the order had to leave by promised date − the carrier's median transit days. "
            "Left in time → carrier; left later after waiting for a production order that finished late → "
            "late production; otherwise → late shipment (marts.kpi_late_orders)."
        )
    )

    channels = by_channel["channel"].tolist()
    follow_table("overview_otd_channel", "overview_otd_table", channels)
    channel = st.selectbox(
        t("Channel"),
        channels,
        format_func=lambda c: f"{c} · {channel_label.get(c, c)}",
        key="overview_otd_channel",
    )
    sql, params = filters.where("delivered_date", categories="product_category", warehouses="warehouse_code")
    late = query(
        "select order_key, channel_order_id, order_date, promised_date, ship_by_date, shipped_date, "
        "delivered_date, days_late, carrier, standard_transit_days, warehouse_code, product_category, "
        "late_reason, late_production_order_id "
        f"from marts.kpi_late_orders where channel = ? and {sql} "
        f"order by delivered_date desc, channel_order_id limit {LATE_ORDERS_SHOWN + 1}",
        (channel, *params),
    )
    if late.empty:
        st.success(t("No late orders in {channel} for these filters in this range.", channel=channel))
        return
    if len(late) > LATE_ORDERS_SHOWN:
        st.caption(t("Showing the {n} most recent late orders.", n=LATE_ORDERS_SHOWN))
        late = late.head(LATE_ORDERS_SHOWN)
    late["reason"] = late["late_reason"].map(REASON_LABELS)
    st.markdown(t("**Late orders of {channel}.** Click a row or choose the order below.", channel=channel))
    st.dataframe(
        late[
            [
                "channel_order_id",
                "reason",
                "order_date",
                "promised_date",
                "ship_by_date",
                "shipped_date",
                "delivered_date",
                "days_late",
                "carrier",
                "standard_transit_days",
                "warehouse_code",
                "product_category",
                "late_production_order_id",
            ]
        ],
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="overview_late_table",
        column_config={
            "channel_order_id": t("Order"),
            "reason": t("Reason"),
            "order_date": st.column_config.DateColumn(t("Ordered"), format="YYYY-MM-DD"),
            "promised_date": st.column_config.DateColumn(t("Promised"), format="YYYY-MM-DD"),
            "ship_by_date": st.column_config.DateColumn(t("Had to leave by"), format="YYYY-MM-DD"),
            "shipped_date": st.column_config.DateColumn(t("Left"), format="YYYY-MM-DD"),
            "delivered_date": st.column_config.DateColumn(t("Delivered"), format="YYYY-MM-DD"),
            "days_late": t("Days late"),
            "carrier": t("Carrier"),
            "standard_transit_days": t("Carrier's usual transit (days)"),
            "warehouse_code": t("Warehouse"),
            "product_category": t("Main category"),
            "late_production_order_id": t("Late production order"),
        },
    )
    orders = late["channel_order_id"].tolist()
    follow_table("overview_late_order", "overview_late_table", orders)
    chosen = st.selectbox(t("Order"), orders, key="overview_late_order")
    order_key = late.loc[late["channel_order_id"] == chosen, "order_key"].iloc[0]
    lines = query(
        "select l.line_number, l.sku, p.product_name, p.product_category, l.quantity, l.line_status, "
        "l.unit_price, l.currency, l.line_amount_reporting, s.shipped_quantity, s.delivered_quantity, "
        "s.warehouse_code, s.shipped_at_utc, s.delivered_at_utc "
        "from marts.fct_order_lines l left join marts.dim_products p on p.sku = l.sku "
        "left join (select sku, sum(quantity) as shipped_quantity, "
        "sum(case when delivered_at_utc is not null then quantity else 0 end) as delivered_quantity, "
        "min(warehouse_code) as warehouse_code, min(shipped_at_utc) as shipped_at_utc, "
        "max(delivered_at_utc) as delivered_at_utc "
        "from marts.fct_shipments where order_key = ? group by sku) s "
        "on s.sku = l.sku where l.order_key = ? order by l.line_number",
        (order_key, order_key),
    )
    for column in ("shipped_at_utc", "delivered_at_utc"):
        lines[column] = to_company_time(lines[column])
    st.markdown(t("**Lines of order {order}.**", order=chosen))
    st.dataframe(
        lines,
        hide_index=True,
        width="stretch",
        key="overview_order_lines",
        column_config={
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
            "shipped_at_utc": st.column_config.DatetimeColumn(t("Shipped at"), format="YYYY-MM-DD HH:mm"),
            "delivered_at_utc": st.column_config.DatetimeColumn(t("Delivered at"), format="YYYY-MM-DD HH:mm"),
        },
    )


def drill_oee() -> None:
    sql, params = filters.where("shift_date", work_centers="work_center")
    by_machine = query(
        "select machine_id, max(machine_name) as machine_name, work_center, "
        "max(work_center_name) as work_center_name, sum(planned_production_minutes) as ppt, "
        "sum(oee_weighted) / sum(planned_production_minutes) as oee, "
        "sum(availability_weighted) / sum(planned_production_minutes) as availability, "
        "sum(performance_weighted) / sum(planned_production_minutes) as performance, "
        "sum(quality_weighted) / sum(planned_production_minutes) as quality, sum(lost_minutes) as lost, "
        "sum(breakdown_minutes) as breakdown_minutes, sum(setup_minutes) as setup_minutes, "
        "sum(minor_stop_minutes) as minor_stop_minutes, sum(reduced_speed_minutes) as reduced_speed_minutes, "
        "sum(quality_loss_minutes) as quality_loss_minutes, sum(shifts_over_ideal_speed) as over_ideal "
        f"from marts.kpi_machine_daily where {sql} and planned_production_minutes > 0 "
        "group by machine_id, work_center order by work_center, machine_id",
        params,
    )
    if by_machine.empty:
        st.info(t("No machine shifts for these filters in this range."))
        return
    by_machine["ppt_hours"] = by_machine["ppt"] / 60
    by_machine["lost_hours"] = by_machine["lost"] / 60
    st.markdown(t("**OEE by machine, within its work center.** Click a row or choose the machine below."))
    st.dataframe(
        by_machine[
            [
                "work_center",
                "machine_id",
                "machine_name",
                "ppt_hours",
                "oee",
                "availability",
                "performance",
                "quality",
                "lost_hours",
            ]
        ],
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="overview_machine_table",
        column_config={
            "work_center": t("Work center"),
            "machine_id": t("Machine"),
            "machine_name": t("Name"),
            "ppt_hours": st.column_config.NumberColumn(t("Planned production (h)"), format="%.1f"),
            "oee": pct(t("OEE")),
            "availability": pct(t("Availability")),
            "performance": pct(t("Performance")),
            "quality": pct(t("Quality")),
            "lost_hours": st.column_config.NumberColumn(t("Lost time (h)"), format="%.1f"),
        },
    )
    st.plotly_chart(
        bar_by(by_machine, "machine_id", "oee", 100, "%", "oee"),
        width="stretch",
        key="overview_oee_bars",
    )
    machines_list = by_machine["machine_id"].tolist()
    names = dict(zip(by_machine["machine_id"], by_machine["machine_name"], strict=True))
    follow_table("overview_machine", "overview_machine_table", machines_list)
    machine = st.selectbox(
        t("Machine"), machines_list, format_func=lambda m: f"{m} · {names[m]}", key="overview_machine"
    )
    row = by_machine.set_index("machine_id").loc[machine]
    losses = pd.DataFrame(
        {"loss": [LOSS_LABELS[name] for name in LOSSES], "minutes": [float(row[name]) for name in LOSSES]}
    )
    factor_colours = [
        "#cf222e",
        "#cf222e",
        "#bf8700",
        "#bf8700",
        "#8250df",
    ]  # availability, performance, quality
    figure = go.Figure(
        go.Bar(x=losses["minutes"], y=losses["loss"], orientation="h", marker_color=factor_colours)
    )
    figure.update_layout(
        height=280,
        margin=dict(l=5, r=5, t=5, b=5),
        xaxis_title=t("minutes"),
        yaxis=dict(autorange="reversed"),
    )
    st.markdown(
        t("**The six big losses of {machine}, in minutes.**", machine=f"{machine} · {names[machine]}")
    )
    st.plotly_chart(figure, width="stretch", key="overview_losses")
    st.dataframe(
        losses,
        hide_index=True,
        width="stretch",
        key="overview_losses_table",
        column_config={
            "loss": t("Loss"),
            "minutes": st.column_config.NumberColumn(t("Minutes"), format="%.0f"),
        },
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


def drill_inventory() -> None:
    sql, params = filters.where("kpi_date", categories="product_category", warehouses="warehouse_code")
    parts = query(
        "select product_category, warehouse_code, sum(inventory_value) as inventory_value, sum(cogs) as cogs "
        f"from marts.kpi_inventory_daily where {sql} group by 1, 2",
        params,
    )
    if parts.empty or days == 0:
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
    unshipped = float(parts.loc[parts["warehouse_code"].isna(), "cogs"].sum())
    if level != "product_category":
        parts = parts[parts["warehouse_code"].notna()]
    keys = ["product_category", "warehouse_code"] if level == "both" else [level]
    table = parts.groupby(keys, as_index=False)[["inventory_value", "cogs"]].sum()
    table["average_stock"] = table["inventory_value"] / days
    table["inventory_days"] = [
        ratio(value, cost) if cost > 0 else None
        for value, cost in zip(table["inventory_value"], table["cogs"], strict=True)
    ]
    table["status"] = [
        STATUS_LABELS[target_status(None if pd.isna(v) else float(v), "band", low=band_low, high=band_high)]
        for v in table["inventory_days"]
    ]
    table = table.sort_values("inventory_days", ascending=False, na_position="last")
    st.markdown(t("**Inventory days against the target.** {band}", band=kpis["inventory_days"].target_text))
    label = table[keys].astype(str).agg(" · ".join, axis=1)
    colours = status_colours(table["inventory_days"], "band", low=band_low, high=band_high)
    figure = go.Figure(go.Bar(x=table["inventory_days"], y=label, orientation="h", marker_color=colours))
    if band_low is not None and band_high is not None:
        figure.add_vrect(
            x0=band_low,
            x1=band_high,
            fillcolor=STATUS_COLOURS["on_target"],
            opacity=0.12,
            line_width=0,
            layer="below",
        )
    figure.update_layout(
        height=max(220, 22 * len(table)),
        margin=dict(l=5, r=5, t=5, b=5),
        xaxis_title=t("days"),
        yaxis=dict(autorange="reversed"),
    )
    st.plotly_chart(figure, width="stretch", key="overview_inventory_bars")
    st.dataframe(
        table[[*keys, "average_stock", "cogs", "inventory_days", "status"]],
        hide_index=True,
        width="stretch",
        key="overview_inventory_table",
        column_config={
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


def drill_by_channel(kpi: str) -> None:
    """The other KPIs by channel: a table and a bar chart against the target."""
    if kpi in ("otif_rate", "order_cycle_time"):
        sql, params = filters.where("delivered_date", **ORDER_DIMENSIONS)
        frame = query(
            "select d.channel, sum(delivered_orders) as delivered, sum(on_time_orders) as on_time, "
            "sum(in_full_orders) as in_full, sum(otif_orders) as otif, "
            "sum(cycle_time_hours) / sum(delivered_orders) / 24 as cycle_days, "
            "max(c.service_level_days) as service_level_days "
            "from marts.kpi_delivery_daily d left join marts.dim_channels c on c.channel = d.channel "
            f"where {sql} group by d.channel order by d.channel",
            params,
        )
        frame["otif_rate"] = frame["otif"] / frame["delivered"]
        if kpi == "otif_rate":
            columns = ["channel", "delivered", "on_time", "in_full", "otif", "otif_rate"]
            value, scale, axis = "otif_rate", 100, "%"
        else:
            columns = ["channel", "delivered", "cycle_days", "service_level_days"]
            value, scale, axis = "cycle_days", 1, t("days")
    elif kpi == "fill_rate":
        sql, params = filters.where("order_date", **ORDER_DIMENSIONS)
        frame = query(
            "select channel, sum(units_ordered) as ordered, sum(units_filled) as filled "
            f"from marts.kpi_fill_daily where {sql} group by channel order by channel",
            params,
        )
        frame["fill_rate"] = frame["filled"] / frame["ordered"]
        columns, value, scale, axis = ["channel", "ordered", "filled", "fill_rate"], "fill_rate", 100, "%"
    else:
        sql, params = filters.where("created_date", channels="channel")
        frame = query(
            "select channel, sum(tickets) as tickets, sum(answered_tickets) as answered, "
            "sum(first_response_minutes) / nullif(sum(answered_tickets), 0) as response_minutes "
            f"from marts.kpi_cs_daily where {sql} group by channel order by channel",
            params,
        )
        columns, value, scale, axis = (
            ["channel", "tickets", "answered", "response_minutes"],
            "response_minutes",
            1,
            t("min"),
        )
    if frame.empty:
        st.info(t("No data for these filters in this range."))
        return
    st.markdown(t("**{kpi} by channel.**", kpi=KPI_LABELS[kpi]))
    st.plotly_chart(
        bar_by(frame, "channel", value, scale, axis, kpi),
        width="stretch",
        key=f"overview_{kpi}_bars",
    )
    st.dataframe(
        frame[columns],
        hide_index=True,
        width="stretch",
        key=f"overview_{kpi}_table",
        column_config={
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


st.subheader(t("Drill-down"))
drill = st.selectbox(t("KPI"), list(KPIS), format_func=KPI_LABELS.get, key="overview_drill")
if drill == "otd_rate":
    drill_otd()
elif drill == "oee":
    drill_oee()
elif drill == "inventory_days":
    drill_inventory()
else:
    drill_by_channel(drill)
