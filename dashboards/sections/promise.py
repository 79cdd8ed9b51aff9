"""Promise page: the answer (date, source, reason) and the ATP it was read from."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards.i18n import t
from dashboards.queries import promise as q


def source_labels() -> dict[str, str]:
    return {
        "stock": t("from stock"),
        "production": t("from production (make to order)"),
        "none": t("cannot promise"),
    }


def answer_section(answer) -> None:
    cards = st.columns(3)
    shown = "–" if answer.ship_date is None else f"{answer.ship_date:%Y-%m-%d}"
    cards[0].metric(t("Earliest ship date"), shown)
    cards[1].metric(t("Source"), source_labels()[answer.source])
    cards[2].metric(t("Warehouse"), answer.warehouse or "–")
    if answer.source == "none":
        st.warning(answer.reason)
    else:
        st.info(answer.reason)
    if answer.source == "production":
        st.caption(
            t(
                "{stock} from stock, {make} made to order; planned completion {done} UTC. The job is fitted "
                "into the current plan's free capacity after the frozen shift: no planned order moves.",
                stock=answer.from_stock,
                make=answer.to_make,
                done=f"{pd.Timestamp(answer.planned_completion):%Y-%m-%d %H:%M}",
            )
        )


def atp_section(sku: str, warehouse: str | None) -> None:
    atp = q.atp(sku, warehouse)
    if atp.empty:
        st.info(t("No stock snapshot holds this SKU."))
        return
    st.markdown(t("**ATP by day** (on hand − open orders of every channel + receipts due by that day)"))
    table = atp.pivot_table(index="date", columns="warehouse_id", values="atp", aggfunc="sum")
    st.dataframe(table, width="stretch")
    st.caption(
        t("A negative ATP is a shortage: open orders need more than stock and receipts hold by that day.")
    )
