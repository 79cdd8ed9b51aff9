"""KPI overview for managers: seven KPIs against their targets, with filters and drill-down.

KPIs (definitions from shared/reference/domain.md): on-time delivery (OTD), OTIF, fill rate, order cycle
time, OEE with availability, performance and quality, inventory turnover days (DIO) against the industry
benchmark band, and customer-service first response time. Each card shows the value for the selected
range and filters, its target, a status colour and a trend by week (ranges up to 92 days) or by month.
The default range is the last complete calendar month of the data (as ``marts.kpi_monthly``, whose OTD,
OEE and inventory days it then equals). Counter sales are outside OTD, OTIF, fill rate and cycle time;
made-to-order orders are outside the fill rate, and an order not shipped yet counts as not filled.
How each figure is summed: ``dashboards/queries/overview.py``; the cards and the drill-down:
``dashboards/sections/overview_cards.py`` and ``overview_drills.py``.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from dashboards.components import page_header
from dashboards.i18n import current_language, t
from dashboards.queries import overview as q
from dashboards.sections.kpi_how import overview_how
from dashboards.sections.overview_cards import KPIS, Band, Headline, Targets, card, kpi_labels
from dashboards.sections.overview_drills import Drill, drill_down
from kpis.periods import monthly_periods

WEEKLY_UP_TO_DAYS = 92
PERIODS = ("last_month", "last_90_days", "history", "custom")


def bucket_for(start: date, end: date) -> str:
    """Trend granularity: weeks for ranges up to WEEKLY_UP_TO_DAYS, months beyond."""
    return "week" if (end - start).days + 1 <= WEEKLY_UP_TO_DAYS else "month"


page_header(t("KPI overview"))

missing = q.missing_marts()
if missing:
    st.info(
        t(
            "The KPI tables {tables} are not in this warehouse yet: run `omniops run` (or `make demo`) and "
            "reload this page.",
            tables=", ".join(missing),
        )
    )
    st.stop()

bounds = q.date_bounds()
if pd.isna(bounds["first_day"]):
    st.info(t("The warehouse has no orders and no stock yet: nothing to show."))
    st.stop()
FIRST_DAY = pd.Timestamp(bounds["first_day"]).date()
LAST_DAY = pd.Timestamp(bounds["last_day"]).date()
complete_months = [
    p for p in monthly_periods(FIRST_DAY, LAST_DAY) if p.period_type == "month" and p.is_complete
]
LAST_MONTH = complete_months[-1] if complete_months else None
targets = Targets(q.kpi_targets())
band = Band.from_benchmark(q.inventory_benchmark())

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
channel_label = q.channel_names()
categories = q.categories()
work_center_label = q.work_center_names()
warehouses = q.warehouses()

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

filters = q.Filters(
    start,
    end,
    tuple(chosen_channels),
    tuple(chosen_categories),
    tuple(chosen_work_centers),
    tuple(chosen_warehouses),
)
BUCKET = bucket_for(start, end)  # "week" or "month", never user text

# ---- cards --------------------------------------------------------------------------------------------

headline = Headline(filters, BUCKET, targets, band)
kpis = headline.kpis()
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
            card(kpis[key], BUCKET)
overview_how()

# ---- drill-down ---------------------------------------------------------------------------------------

st.subheader(t("Drill-down"))
drill = st.selectbox(t("KPI"), list(KPIS), format_func=kpi_labels().get, key="overview_drill")
drill_down(Drill(filters, channel_label, targets, band, headline.stock_days), drill)
