"""The "How is this computed?" expanders under the KPI cards: the definitions that move a headline number
(docs/kpi_definitions.md), in the page's language, so nobody has to guess them."""

from __future__ import annotations

import streamlit as st

from dashboards.i18n import t


def overview_how() -> None:
    """Promised-date zone, which orders count, how idle time counts, and OEE = A × P × Q."""
    with st.expander(t("How is this computed?"), key="overview_how"):
        st.markdown(
            t(
                "**Promised date and time zone.** Every date is company time (Asia/Shanghai). The promised "
                "date is the channel's own when it gives one, else the company-time order date + the "
                "channel's service level, else the due date of the production order made for it. An order "
                "is on time when its company-time delivery date is on or before it."
            )
        )
        st.markdown(
            t(
                "**Which orders count.** On-time delivery, OTIF and cycle time: orders shipped by carrier "
                "and delivered, not cancelled; counter sales are left out. Fill rate: orders confirmed or "
                "further that are served from stock (not made to order); an order not shipped yet counts "
                "as unfilled. A line refunded or cancelled before it shipped is not sold, but still counts "
                "as ordered. An order whose exported copy is incomplete (its lines do not add up to its "
                "own subtotal) is left out until its complete copy lands."
            )
        )
        st.markdown(
            t(
                "**Idle time.** Shift time without released work is a planned stop: it is outside planned "
                "production time and does not lower OEE. Utilisation = planned production time ÷ shift "
                "time, and TEEP = OEE × utilisation, count every shift, idle shifts included, so idle "
                "capacity shows there."
            )
        )
        st.markdown(
            t(
                "**OEE = availability × performance × quality**, each a ratio of minutes summed over the "
                "machines and shifts shown: availability = run time ÷ planned production time; performance "
                "= net run time (ideal cycle time × units made, at most the run time) ÷ run time; quality "
                "= fully productive time (the good units' share) ÷ net run time. The three shown multiply "
                "exactly to the OEE shown."
            )
        )


def production_how(time_zone: str) -> None:
    """Which orders the plan's figures count, in which zone, and how idle time and OEE relate to them."""
    with st.expander(t("How is this computed?"), key="pr_how"):
        st.markdown(
            t(
                "**Which orders count.** The open production orders (ERP state confirmed or in progress). "
                "An order is late when its planned completion is after its due date, both in plant time "
                "({tz}); weighted tardiness = Σ priority weight × minutes late.",
                tz=time_zone,
            )
        )
        st.markdown(
            t(
                "**Idle time.** The bottleneck's load = open work ÷ machine time available up to the last "
                "due date (shifts minus planned downtime), so time the machines would stand idle lowers the "
                "load. OEE on the KPI overview leaves shifts without released work out of planned "
                "production time; utilisation and TEEP beside it count them."
            )
        )
        st.markdown(
            t(
                "**OEE = availability × performance × quality** (KPI overview): run time ÷ planned "
                "production time × net run time ÷ run time × fully productive time ÷ net run time, summed "
                "over machines and shifts, so the parts shown multiply exactly to the OEE shown."
            )
        )
