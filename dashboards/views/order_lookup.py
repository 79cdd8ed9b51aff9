"""Customer-service order lookup: "where is my order?" answered in seconds, whatever the channel.

An agent types part of a channel order number, a phone number (any format: only its digits are
compared) or an e-mail (any case); the page lists the matching orders of every channel and opens one:
its timeline (placed → paid → shipped with carrier and tracking number → delivered, returns,
cancellation, tickets) in the company's time zone, its lines and shipments, the customer's other
orders across channels, and the stock available now for a replacement.

Reads only the published marts (``dashboards/queries/order_lookup.py``: the typed text is always a
parameter value). Phone numbers and e-mails are shown in full only to roles that see contacts
(``access.py``); every other role may search by them (the match runs on the full value in the
warehouse) but sees them masked.
"""

from __future__ import annotations

import zlib

import pandas as pd
import streamlit as st

from dashboards.auth import current_user
from dashboards.components import page_header
from dashboards.formatting import escape_markdown
from dashboards.i18n import t
from dashboards.queries import order_lookup as q
from dashboards.sections import order_lookup_order as one
from dashboards.sections.order_lookup_text import (
    Viewer,
    amounts,
    company_times,
    key_type_labels,
    order_labels,
)

MAX_RESULTS = 50
MIN_QUERY_LENGTH = 3

page_header(t("Order lookup"))
user = current_user()
viewer = Viewer(bool(user and user.sees_contacts))

missing = q.missing_marts()
if missing:
    st.info(
        t(
            "This warehouse has no {tables} yet, which the order lookup reads. "
            "Run `omniops run` (or `make demo`) and reload this page.",
            tables=", ".join(f"`marts.{name}`" for name in missing),
        )
    )
    st.stop()

# --- search -----------------------------------------------------------------------------------------
typed = st.text_input(
    t("Order number, phone or e-mail") if viewer.sees_contacts else t("Order number or customer name"),
    key="lookup_query",
    placeholder=t("e.g. #1042, 113-1234567-1234567, 138-1234-5678, ann.lee@example.com")
    if viewer.sees_contacts
    else t("e.g. #1042, 113-1234567-1234567, Ann Lee"),
    persist_state="session",
)
text = (typed or "").strip()
if not text and not viewer.sees_contacts:
    st.info(
        t(
            "Type part of a channel order number or of the customer's name and press Enter. Phone numbers "
            "and e-mails are searched by customer-service agents only, who see them in full."
        )
    )
    st.stop()
if not text:
    st.info(
        t(
            "Type part of a channel order number (Shopify #1042, Amazon 113-1234567-1234567, a Tmall "
            "number, a social-commerce thread or order number, a store receipt or order), a phone number "
            "in any format (only the digits are compared) or an e-mail (any case), and press Enter. "
            "Every channel is searched at once."
        )
    )
    st.stop()
term, digits = q.search_terms(text)
if len(term) < MIN_QUERY_LENGTH:
    st.info(t("Type at least {n} characters to search.", n=MIN_QUERY_LENGTH))
    st.stop()

results = q.search(term, digits, MAX_RESULTS, contacts=viewer.sees_contacts)
shown_text = escape_markdown(viewer.contact_text(text))
searched = (
    t("order numbers and customer names containing “{typed}”", typed=shown_text)
    if not viewer.sees_contacts
    else t(
        "order numbers and e-mails containing “{typed}”, phones containing the digits {digits}",
        typed=shown_text,
        digits=viewer.phone(digits),
    )
    if digits
    else t(
        "order numbers and e-mails containing “{typed}” (a phone is searched when the text has at least "
        "{n} digits and only phone characters: digits, spaces, + ( ) . - /)",
        typed=shown_text,
        n=q.MIN_PHONE_DIGITS,
    )
)
if results.empty:
    st.warning(t("No order matches. Searched every channel for {searched}.", searched=searched))
    st.stop()

matches = int(results["matches"].iloc[0])
if matches > MAX_RESULTS:
    st.caption(
        t(
            "{matches} orders match; showing the {shown} best: exact matches first, then the newest. "
            "Type more of the number, phone or e-mail to narrow the search. Searched {searched}.",
            matches=f"{matches:,}",
            shown=MAX_RESULTS,
            searched=searched,
        )
    )
else:
    st.caption(
        t(
            "Matching orders: {matches}, exact matches first, then the newest. Searched {searched}.",
            matches=matches,
            searched=searched,
        )
    )

kinds = key_type_labels()
order_keys = results["order_key"].tolist()
table = pd.DataFrame(
    {
        t("Ordered"): company_times(results["ordered_at_utc"]),
        t("Channel"): results["channel"],
        t("Order number"): results["channel_order_id"],
        t("Customer"): results["customer_name"].fillna("–"),
        t("Status"): results["order_status"],
        t("Amount"): amounts(results, "order_amount"),
        t("Matched on"): [
            ", ".join(kinds.get(kind, kind) for kind in found) for found in results["matched_on"]
        ],
    }
)
# a new search gets a new table, so a row clicked in an earlier result list is not carried over
table_key = f"lookup_results_{zlib.crc32(text.encode())}"
clicked = st.dataframe(table, hide_index=True, on_select="rerun", selection_mode="single-row", key=table_key)
rows = clicked.selection.rows if clicked is not None and hasattr(clicked, "selection") else []
if rows and st.session_state.get("lookup_clicked") != (table_key, rows[0]):
    st.session_state["lookup_clicked"] = (table_key, rows[0])
    st.session_state["lookup_order"] = order_keys[rows[0]]
if st.session_state.get("lookup_order") not in order_keys:
    st.session_state["lookup_order"] = order_keys[0]
labels = order_labels(results)
order_key = st.selectbox(
    t("Order (or click a row above)"),
    order_keys,
    format_func=labels.get,
    key="lookup_order",
    filter_mode="contains",
)

# --- the order -------------------------------------------------------------------------------------
order = q.order(order_key)
one.order_header(order, results, viewer)
one.expected_ship_section(order)
one.timeline_section(order_key)
one.lines_section(order_key)
one.shipments_section(order)
one.tickets_section(order_key, viewer)
one.other_orders_section(order)
one.replacement_stock_section(order_key)
