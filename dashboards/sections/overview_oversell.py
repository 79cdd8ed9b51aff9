"""The oversell card of the overview: the rate against its target, per channel, and the orders.

An oversell is an order line a channel accepted when the SKU's ATP across all channels was already 0 or
less (a channel selling from a stale stock feed); the rule is in inventory/oversell.py. The card follows
the date range and the channel filter; category and warehouse filters do not apply (named under it).
"""

from __future__ import annotations

import streamlit as st

from dashboards.formatting import STATUS_COLOURS, fmt_percent
from dashboards.i18n import t
from dashboards.queries import oversell as q
from dashboards.queries.overview import Filters
from dashboards.sections.overview_cards import Targets, ratio, status_labels
from kpis.formulas import target_status


def oversell_section(filters: Filters, targets: Targets) -> None:
    if not q.available():
        return
    st.subheader(t("Oversells"))
    channels = q.by_channel(filters)
    rate = ratio(channels["oversold_lines"].sum(), channels["accepted_lines"].sum())
    target, direction, target_text = targets.text("oversell_rate", fmt_percent)
    status = target_status(rate, direction, target)
    left, right = st.columns([1, 2])
    with left, st.container(border=True):
        st.metric(t("Oversell rate"), fmt_percent(rate, 2))
        colour = STATUS_COLOURS.get(status, STATUS_COLOURS["info"])
        label = status_labels()[status]
        st.markdown(
            f"<span style='color:{colour};font-weight:600'>● {label}</span> · {target_text}",
            unsafe_allow_html=True,
        )
        st.caption(
            t(
                "{oversold} of {accepted} order lines accepted with no stock left to promise "
                "({units} units).",
                oversold=int(channels["oversold_lines"].sum()),
                accepted=int(channels["accepted_lines"].sum()),
                units=int(channels["oversold_units"].sum()),
            )
        )
        if filters.categories or filters.warehouses:
            st.caption(t("Not filtered by: {filters}", filters=", ".join([t("category"), t("warehouse")])))
    with right:
        shown = channels.assign(
            rate=channels["oversold_lines"] / channels["accepted_lines"].where(channels["accepted_lines"] > 0)
        )
        st.dataframe(
            shown,
            hide_index=True,
            width="stretch",
            column_config={
                "channel": st.column_config.TextColumn(t("Channel")),
                "accepted_lines": st.column_config.NumberColumn(t("Accepted lines"), format="%d"),
                "oversold_lines": st.column_config.NumberColumn(t("Oversold lines"), format="%d"),
                "oversold_units": st.column_config.NumberColumn(t("Oversold units"), format="%d"),
                "rate": st.column_config.NumberColumn(t("Oversell rate"), format="percent"),
            },
        )
    sync_gap_table()
    with_oversells = channels.loc[channels["oversold_lines"] > 0, "channel"].tolist()
    if not with_oversells:
        return
    channel = st.selectbox(t("Oversold orders of"), with_oversells, key="overview_oversell_channel")
    st.dataframe(
        q.oversold_lines(filters, channel),
        hide_index=True,
        width="stretch",
        column_config={
            "day": st.column_config.DateColumn(t("Day")),
            "order_id": st.column_config.TextColumn(t("Order")),
            "sku": st.column_config.TextColumn("SKU"),
            "qty": st.column_config.NumberColumn(t("Units"), format="%d"),
            "available_before": st.column_config.NumberColumn(t("ATP when accepted"), format="%d"),
            "outcome": st.column_config.TextColumn(t("Outcome")),
            "accepted_at": st.column_config.DatetimeColumn(t("Accepted at (UTC)")),
        },
        key="overview_oversell_lines",
    )


def sync_gap_table() -> None:
    """Where the WMS's reserved units and the open orders of every channel disagree (newest snapshot)."""
    gap = q.sync_gap()
    title = t(
        "WMS reserved vs open orders: {n} positions differ by {units} units",
        n=len(gap),
        units=int(gap["gap"].abs().sum()) if len(gap) else 0,
    )
    with st.expander(title):
        st.caption(
            t("Gap = units the WMS reserves − units the open orders still need (newest snapshot; all dates).")
        )
        st.dataframe(
            gap,
            hide_index=True,
            width="stretch",
            column_config={
                "sku": st.column_config.TextColumn("SKU"),
                "warehouse_id": st.column_config.TextColumn(t("Warehouse")),
                "wms_reserved": st.column_config.NumberColumn(t("WMS reserved"), format="%d"),
                "open_order_demand": st.column_config.NumberColumn(t("Open order demand"), format="%d"),
                "gap": st.column_config.NumberColumn(t("Gap"), format="%d"),
            },
            key="overview_sync_gap",
        )
