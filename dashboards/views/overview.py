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
Below the drill-down: the oversell rate against its target, per channel, with the oversold orders and
the WMS sync gap (``dashboards/sections/overview_oversell.py``).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboards import url_state
from dashboards.components import page_header
from dashboards.i18n import current_language, t
from dashboards.queries import overview as q
from dashboards.sections.kpi_how import overview_how
from dashboards.sections.overview_cards import KPIS, Band, Headline, Targets, card, kpi_labels
from dashboards.sections.overview_drills import Drill, drill_down
from dashboards.sections.overview_oversell import oversell_section
from dashboards.sections.overview_periods import PRESETS, Range, preset_labels, preset_range, previous_range
from kpis.periods import monthly_periods

WEEKLY_UP_TO_DAYS = 92


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
last_month = Range(LAST_MONTH.start, LAST_MONTH.end) if LAST_MONTH else None
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

period_labels = preset_labels(last_month, LAST_MONTH.label if LAST_MONTH else "", FIRST_DAY, LAST_DAY)
period_options = [p for p in PRESETS if p != "last_month" or LAST_MONTH]
channel_label = q.channel_names()
categories = q.categories()
work_center_label = q.work_center_names()
warehouses = q.warehouses()
# The view in the address (?period=…&channel=…): a shared link opens with the same filters.
url_state.restore("overview_period", "period", options=period_options)
url_state.restore("overview_dates", "dates", "dates")
url_state.restore("overview_channels", "channel", "list", channel_label)
url_state.restore("overview_categories", "category", "list", categories)
url_state.restore("overview_work_centers", "work_center", "list", work_center_label)
url_state.restore("overview_warehouses", "warehouse", "list", warehouses)

st.session_state.setdefault("overview_period", "last_month" if LAST_MONTH else "history")

# In the sidebar: on a phone it folds away and the first KPI is the first thing under the title.
with st.sidebar.expander(t("Filters"), expanded=True):
    period = st.selectbox(t("Period"), period_options, format_func=period_labels.get, key="overview_period")
    chosen = preset_range(period, FIRST_DAY, LAST_DAY, last_month)
    if chosen is None:
        default = (last_month.start, last_month.end) if last_month else (FIRST_DAY, LAST_DAY)
        picked = st.date_input(
            t("From – to"), value=default, min_value=FIRST_DAY, max_value=LAST_DAY, key="overview_dates"
        )
        picked = tuple(picked) if isinstance(picked, list | tuple) else (picked,)
        chosen = Range(*((picked[0], picked[-1]) if picked else default))
    else:
        st.markdown(f"**{chosen.label()}**")
    start, end = chosen.start, chosen.end
    chosen_channels = st.multiselect(
        t("Channel"),
        list(channel_label),
        format_func=lambda c: f"{c} · {channel_label[c]}",
        key="overview_channels",
        placeholder=t("All"),
    )
    chosen_categories = st.multiselect(
        t("Product category"), categories, key="overview_categories", placeholder=t("All")
    )
    chosen_work_centers = st.multiselect(
        t("Plant / work center"),
        list(work_center_label),
        format_func=lambda w: f"{w} · {work_center_label[w]}",
        key="overview_work_centers",
        placeholder=t("All"),
    )
    chosen_warehouses = st.multiselect(
        t("Warehouse"), warehouses, key="overview_warehouses", placeholder=t("All")
    )
    st.caption(
        t(
            "Dates in company time. Empty filters mean all. Plant: one plant; its work centers filter OEE. "
            "Targets and the benchmark band are the company's settings (KPI targets, industry benchmarks)."
        )
    )
url_state.publish(
    {
        "period": period,
        "dates": [f"{start:%Y-%m-%d}", f"{end:%Y-%m-%d}"] if period == "custom" else None,
        "channel": chosen_channels,
        "category": chosen_categories,
        "work_center": chosen_work_centers,
        "warehouse": chosen_warehouses,
    }
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

previous = previous_range(period, chosen)
headline = Headline(filters, BUCKET, targets, band, previous)
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
            card(kpis[key], BUCKET, headline.latest_range, previous)
overview_how()

# ---- drill-down ---------------------------------------------------------------------------------------

st.subheader(t("Drill-down"))
drill = st.selectbox(t("KPI"), list(KPIS), format_func=kpi_labels().get, key="overview_drill")
drill_down(Drill(filters, channel_label, targets, band, headline.stock_days), drill)

# ---- oversells ---------------------------------------------------------------------------------------

oversell_section(filters, targets)
