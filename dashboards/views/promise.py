"""Promise date for customer service and planners: the earliest day a quantity of a SKU can ship, from
stock (ATP shared by every channel) or, when stock does not cover it, from a make-to-order job fitted into
the current production plan (``planning.promise``; the rule: docs/inventory.md)."""

from __future__ import annotations

import streamlit as st

from dashboards.components import page_header
from dashboards.i18n import t
from dashboards.queries import promise as q
from dashboards.sections.promise import answer_section, atp_section

page_header(t("Promise date"))
if not q.ready():
    st.info(t("No products or stock in this warehouse yet: run `omniops run` and reload this page."))
    st.stop()

skus = q.skus()
channels = q.channels()
inputs = st.columns([3, 1, 2, 2])
sku = inputs[0].selectbox(
    "SKU", list(skus), format_func=lambda s: f"{s} · {skus[s]}", key="promise_sku", filter_mode="contains"
)
quantity = inputs[1].number_input(t("Quantity"), min_value=1, value=1, step=1, key="promise_qty")
channel = inputs[2].selectbox(
    t("Channel"), [None, *channels], format_func=lambda c: t("any") if c is None else channels[c],
    key="promise_channel",
)  # fmt: skip
warehouse = inputs[3].selectbox(
    t("Warehouse"), [None, *q.warehouses()], format_func=lambda w: t("any") if w is None else w,
    key="promise_warehouse",
)  # fmt: skip

answer_section(q.answer(sku, int(quantity), channel, warehouse))
atp_section(sku, warehouse)
