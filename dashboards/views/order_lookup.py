"""Customer-service order lookup: "where is my order?" answered in seconds, whatever the channel.

An agent types part of a channel order number, a phone number (any format: only its digits are
compared) or an e-mail (any case); the page lists the matching orders of every channel and opens one:
its timeline (placed → paid → shipped with carrier and tracking number → delivered, returns,
cancellation, tickets) in the company's time zone, its lines and shipments, the customer's other
orders across channels, and the stock available now for a replacement.

Reads only the published marts, always through ``warehouse.query`` with ``?`` parameters (the typed
text is a parameter value, never part of the SQL; matching uses ``contains()``, so ``%`` and ``_`` are
plain characters). A search scans one table, ``marts.fct_order_lookup_keys``, which carries the display
columns of each order, so a keystroke never joins over all orders.

Phone numbers and e-mails are shown in full only to roles that see contacts (``access.py``); every
other role may search by them (the match runs on the full value in the warehouse) but sees them masked.
"""

from __future__ import annotations

import re
import zlib

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboards.auth import current_user
from dashboards.components import company_zone, page_header, to_company_time
from dashboards.formatting import escape_markdown, fmt_minutes
from dashboards.i18n import t
from dashboards.masking import mask_contact, mask_email, mask_phone
from dashboards.warehouse import query, table_exists

MAX_RESULTS = 50
MIN_QUERY_LENGTH = 3
MIN_PHONE_DIGITS = 4
MAX_OTHER_ORDERS = 100
# A text typed with phone characters only (digits, spaces, + ( ) . - /) is also searched as a phone.
PHONE_LIKE = re.compile(r"\+?[\d\s().\-/]+")
LOOKUP_MARTS = ("fct_order_lookup_keys", "fct_order_events", "fct_cs_tickets")
TIME_FORMAT = "%Y-%m-%d %H:%M"
LANE_COLOURS = {"order": "#0969da", "shipment": "#1a7f37", "ticket": "#bf8700"}
# One scan with contains() of a parameter as its only filter, which DuckDB evaluates in the scan: about
# half the time of one scan with the phone and non-phone conditions OR-ed (benchmarks/scale.py). A
# phone-like text also scans for its digits; which key type matched what is sorted out after the scan.
SEARCH_SQL = """
with params as (select cast(? as varchar) as term, cast(? as varchar) as digits),
hits as (
    select k.*
    from marts.fct_order_lookup_keys as k, params as p
    where ({scan})
        and ((k.key_type <> 'phone' and contains(k.search_value, p.term))
            or (k.key_type = 'phone' and contains(k.search_value, p.digits)))
),
matched as (
    select
        k.order_key, k.channel, k.channel_order_id, k.sub_channel, k.customer_name, k.order_status,
        k.ordered_at_utc, k.order_amount, k.currency,
        list_sort(list(distinct k.key_type)) as matched_on,
        coalesce(bool_or(case
            when k.key_type = 'phone'
                then k.search_value = p.digits
                    or (length(p.digits) >= 7 and ends_with(k.search_value, p.digits))
            else ltrim(k.search_value, '#') = ltrim(p.term, '#')
        end), false) as is_exact
    from hits as k, params as p
    group by all
)
select *, count(*) over () as matches
from matched
order by is_exact desc, ordered_at_utc desc, order_key
limit ?
"""


def search_query(term: str, digits: str | None, limit: int) -> tuple[str, tuple]:
    """The search's SQL and its parameters for a typed text's ``search_terms``."""
    if digits is None or digits == term:
        return SEARCH_SQL.format(scan="contains(k.search_value, ?)"), (term, digits, term, limit)
    scan = "contains(k.search_value, ?) or contains(k.search_value, ?)"
    return SEARCH_SQL.format(scan=scan), (term, digits, term, digits, limit)


# --- helpers ----------------------------------------------------------------------------------------
def search_terms(text: str) -> tuple[str, str | None]:
    """What a typed text is compared with: (lower case without spaces, phone digits or None).

    Only a text written like a phone is also searched as one, so ``' or 1=1 --`` does not become a
    search for every phone containing ``11``. A full number (7+ digits) loses its leading zeros: the
    ``00`` international prefix and a national trunk ``0`` are not in the stored E.164 digits.
    """
    term = re.sub(r"\s+", "", text).lower()
    digits = None
    if PHONE_LIKE.fullmatch(text.strip()):
        found = re.sub(r"\D", "", text)
        if len(found) >= 7:
            found = found.lstrip("0")
        if len(found) >= MIN_PHONE_DIGITS:
            digits = found
    return term, digits


def fmt_time(value: object) -> str:
    return "–" if value is None or pd.isna(value) else pd.Timestamp(value).strftime(TIME_FORMAT)


def fmt_date(value: object) -> str:
    return "–" if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def company_times(values: pd.Series) -> pd.Series:
    """UTC timestamps as text in the company's zone ('–' where there is none)."""
    return to_company_time(values).map(fmt_time)


def fmt_amount(amount: object, currency: object) -> str:
    if amount is None or pd.isna(amount):
        return "–"
    return f"{float(amount):,.2f} {currency or ''}".strip()


def event_labels() -> dict[str, str]:
    return {
        "inquiry": t("Inquiry"),
        "quote": t("Quote"),
        "counter_offer": t("Counter offer"),
        "placed": t("Placed"),
        "confirmed": t("Confirmed"),
        "paid": t("Paid"),
        "shipped": t("Shipped"),
        "delivered": t("Delivered"),
        "returned": t("Returned"),
        "cancelled": t("Cancelled"),
        "ticket_created": t("Ticket created"),
        "ticket_first_response": t("First response"),
        "ticket_resolved": t("Ticket resolved"),
    }


def key_type_labels() -> dict[str, str]:
    return {"order_number": t("order number"), "phone": t("phone"), "email": t("e-mail")}


def order_labels(orders: pd.DataFrame) -> dict[str, str]:
    """order_key → 'shopify #1042 · 2026-03-01 10:15 · delivered' for a selectbox."""
    ordered = company_times(orders["ordered_at_utc"])
    return {
        key: f"{channel} {number} · {at} · {status}"
        for key, channel, number, at, status in zip(
            orders["order_key"],
            orders["channel"],
            orders["channel_order_id"],
            ordered,
            orders["order_status"],
            strict=True,
        )
    }


def event_detail(event: pd.Series) -> str:
    """The event's particulars in words: carrier and tracking number, ticket, invoice, shop."""
    kind = event["event_type"]
    if kind in ("shipped", "delivered") and pd.notna(event["shipment_id"]):
        return t(
            "{carrier}, tracking number {tracking} (shipment {shipment} from {warehouse}, quantity {units})",
            carrier=event["carrier"],
            tracking=event["tracking_no"],
            shipment=event["shipment_id"],
            warehouse=event["warehouse_code"],
            units=f"{int(event['units']):,}" if pd.notna(event["units"]) else "–",
        )
    if kind == "delivered":
        return t("Handed over at the counter ({store})", store=event["reference"])
    if kind == "returned":
        if pd.isna(event["event_at_utc"]):
            return t("The channel reports the order returned; the warehouse has not received it yet.")
        return t(
            "Back in {warehouse}, quantity {units}",
            units=f"{int(event['units']):,}" if pd.notna(event["units"]) else "–",
            warehouse=event["warehouse_code"],
        )
    if kind == "cancelled" and pd.isna(event["event_at_utc"]):
        return t("The channel reports the order cancelled without giving a time.")
    if kind.startswith("ticket_"):
        return t("Ticket {ticket} ({category})", ticket=event["ticket_id"], category=event["reference"])
    if kind == "paid" and pd.notna(event["reference"]):
        return t("Invoice {invoice}", invoice=event["reference"])
    if kind == "placed" and pd.notna(event["reference"]):
        return t("Via {sub_channel}", sub_channel=event["reference"])
    return ""


def timeline_chart(events: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    """One lane for the order, one per shipment and one per ticket; each event a labelled marker."""
    timed = events.dropna(subset=["event_at_utc"]).copy()
    timed["at"] = to_company_time(timed["event_at_utc"])
    timed["lane_kind"] = "order"
    timed.loc[timed["shipment_id"].notna(), "lane_kind"] = "shipment"
    timed.loc[timed["ticket_id"].notna(), "lane_kind"] = "ticket"
    timed["lane"] = t("Order")
    timed.loc[timed["lane_kind"] == "shipment", "lane"] = (
        t("Shipment") + " " + timed["shipment_id"].astype(str)
    )
    timed.loc[timed["lane_kind"] == "ticket", "lane"] = t("Ticket") + " " + timed["ticket_id"].astype(str)
    timed["label"] = [labels.get(kind, kind) for kind in timed["event_type"]]
    # events of a lane in the same minute (placed, confirmed and paid at checkout) share one marker
    timed["minute"] = timed["at"].dt.floor("min")
    points = (
        timed.groupby(["lane", "minute"], sort=False)
        .agg(
            lane_kind=("lane_kind", "first"),
            label=("label", " · ".join),
            detail=("detail", lambda details: "<br>".join(d for d in details if d)),
        )
        .reset_index()
    )
    figure = go.Figure()
    for lane, rows in points.groupby("lane", sort=False):
        colour = LANE_COLOURS[rows["lane_kind"].iloc[0]]
        figure.add_trace(
            go.Scatter(
                x=rows["minute"],
                y=[lane] * len(rows),
                mode="lines+markers+text",
                text=rows["label"],
                textposition="top center",
                cliponaxis=False,
                hovertext=rows["detail"],
                hovertemplate="%{text}<br>%{x|" + TIME_FORMAT + "}<br>%{hovertext}<extra></extra>",
                marker={"size": 11, "color": colour},
                line={"color": colour, "width": 2},
                name=lane,
            )
        )
    figure.update_layout(
        height=150 + 50 * points["lane"].nunique(),
        margin={"l": 10, "r": 40, "t": 40, "b": 10},
        showlegend=False,
        xaxis_title=t("Time ({zone})", zone=company_zone().key),
        yaxis={"autorange": "reversed"},
    )
    return figure


def open_other_order() -> None:
    """Button callback: put the chosen order's number in the search box and open it (before the rerun)."""
    chosen = st.session_state.get("lookup_other_order")
    numbers = st.session_state.get("lookup_other_numbers", {})
    if chosen in numbers:
        st.session_state["lookup_query"] = numbers[chosen]
        st.session_state["lookup_order"] = chosen


# --- page -------------------------------------------------------------------------------------------
page_header(t("Order lookup"))
user = current_user()
sees_contacts = bool(user and user.sees_contacts)


def show_phone(phone: str | None) -> str | None:
    return phone if sees_contacts else mask_phone(phone)


def show_email(email: str | None) -> str | None:
    return email if sees_contacts else mask_email(email)


def show_contact_text(text: str | None) -> str | None:
    """Free text that may hold a phone or an e-mail (a ticket's contact or subject, the typed search)."""
    return text if sees_contacts else mask_contact(text)


missing = [name for name in LOOKUP_MARTS if not table_exists("marts", name)]
if missing:
    st.info(
        t(
            "This warehouse has no {tables} yet, which the order lookup reads. "
            "Run `omniops run` (or `make demo`) and reload this page.",
            tables=", ".join(f"`marts.{name}`" for name in missing),
        )
    )
    st.stop()

typed = st.text_input(
    t("Order number, phone or e-mail"),
    key="lookup_query",
    placeholder=t("e.g. #1042, 113-1234567-1234567, 138-1234-5678, ann.lee@example.com"),
    persist_state="session",
)
text = (typed or "").strip()
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
term, digits = search_terms(text)
if len(term) < MIN_QUERY_LENGTH:
    st.info(t("Type at least {n} characters to search.", n=MIN_QUERY_LENGTH))
    st.stop()

results = query(*search_query(term, digits, MAX_RESULTS))
shown_text = escape_markdown(show_contact_text(text))
searched = (
    t(
        "order numbers and e-mails containing “{typed}”, phones containing the digits {digits}",
        typed=shown_text,
        digits=show_phone(digits),
    )
    if digits
    else t(
        "order numbers and e-mails containing “{typed}” (a phone is searched when the text has at least "
        "{n} digits and only phone characters: digits, spaces, + ( ) . - /)",
        typed=shown_text,
        n=MIN_PHONE_DIGITS,
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
        t("Amount"): [
            fmt_amount(a, c) for a, c in zip(results["order_amount"], results["currency"], strict=True)
        ],
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
order = query("select * from marts.fct_orders where order_key = ?", (order_key,)).iloc[0]
st.subheader(t("Order {number} · {channel}", number=order["channel_order_id"], channel=order["channel"]))
columns = st.columns(4)
columns[0].metric(t("Status"), order["order_status"])
columns[1].metric(t("Placed"), fmt_date(to_company_time(order["ordered_at_utc"])))
columns[2].metric(t("Amount"), fmt_amount(order["order_amount"], order["currency"]))
if pd.notna(order["delivered_at_utc"]):
    columns[3].metric(t("Delivered"), fmt_date(to_company_time(order["delivered_at_utc"])))
elif pd.notna(order["promised_date"]):
    columns[3].metric(t("Promised by"), f"{pd.Timestamp(order['promised_date']):%Y-%m-%d}")
else:
    columns[3].metric(t("Promised by"), "–")

contacts = query(
    "select key_type, key_value, key_sources, customer_name from marts.fct_order_lookup_keys "
    "where order_key = ? and key_type in ('phone', 'email') order by key_type, key_value",
    (order_key,),
)
found_name = results.loc[results["order_key"] == order_key, "customer_name"]
name = found_name.iloc[0] if not found_name.empty and pd.notna(found_name.iloc[0]) else None
phones = [show_phone(value) for value in contacts.loc[contacts["key_type"] == "phone", "key_value"]]
emails = [show_email(value) for value in contacts.loc[contacts["key_type"] == "email", "key_value"]]
st.markdown(
    t(
        "**Customer:** {name} · **Phone:** {phones} · **E-mail:** {emails}",
        name=escape_markdown(name or "–"),
        phones=escape_markdown(", ".join(phones) or "–"),
        emails=escape_markdown(", ".join(emails) or "–"),
    )
)
if not sees_contacts:
    st.caption(t("Phone numbers and e-mails are masked for your role."))

# --- timeline ----------------------------------------------------------------------------------------
st.markdown(f"#### {t('Timeline')}")
events = query(
    "select event_type, stage_rank, event_at_utc, event_source, shipment_id, carrier, tracking_no, "
    "warehouse_code, units, ticket_id, reference from marts.fct_order_events where order_key = ? "
    "order by event_at_utc nulls last, stage_rank, shipment_id, ticket_id",
    (order_key,),
)
names = event_labels()
events["detail"] = [event_detail(event) for _, event in events.iterrows()]
st.caption(t("Times in the company's zone ({zone}).", zone=company_zone().key))
if events["event_at_utc"].notna().any():
    st.plotly_chart(timeline_chart(events, names), key="lookup_timeline")
st.dataframe(
    pd.DataFrame(
        {
            t("Time"): company_times(events["event_at_utc"]),
            t("Event"): [names.get(kind, kind) for kind in events["event_type"]],
            t("Details"): events["detail"],
        }
    ),
    hide_index=True,
)

# --- lines and shipments -------------------------------------------------------------------------------
st.markdown(f"#### {t('Order lines')}")
lines = query(
    "select l.line_number, l.sku, coalesce(l.item_name, p.product_name) as item_name, l.quantity, "
    "l.unit_price, l.line_amount, l.currency, l.line_status "
    "from marts.fct_order_lines as l left join marts.dim_products as p on p.sku = l.sku "
    "where l.order_key = ? order by l.line_number, l.channel_line_id",
    (order_key,),
)
st.dataframe(
    pd.DataFrame(
        {
            t("Line"): lines["line_number"],
            t("SKU"): lines["sku"].fillna("–"),
            t("Item"): lines["item_name"].fillna("–"),
            t("Quantity"): lines["quantity"],
            t("Unit price"): [
                fmt_amount(a, c) for a, c in zip(lines["unit_price"], lines["currency"], strict=True)
            ],
            t("Amount"): [
                fmt_amount(a, c) for a, c in zip(lines["line_amount"], lines["currency"], strict=True)
            ],
            t("Status"): lines["line_status"],
        }
    ),
    hide_index=True,
)

st.markdown(f"#### {t('Shipments')}")
shipments = query(
    "select shipment_id, any_value(warehouse_code) as warehouse_code, any_value(carrier) as carrier, "
    "any_value(tracking_no) as tracking_no, min(shipped_at_utc) as shipped_at_utc, "
    "case when count(*) = count(delivered_at_utc) then max(delivered_at_utc) end as delivered_at_utc, "
    "string_agg(sku || ' × ' || quantity, ', ' order by sku) as contents, sum(quantity) as units "
    "from marts.fct_shipments where order_key = ? group by shipment_id order by shipped_at_utc, shipment_id",
    (order_key,),
)
if shipments.empty:
    if order["fulfilment_type"] == "counter":
        st.info(t("A counter sale: handed over in the store, nothing was shipped."))
    else:
        st.info(
            t(
                "No shipment for this order yet (status: {status}): the warehouse has shipped nothing.",
                status=order["order_status"],
            )
        )
else:
    st.dataframe(
        pd.DataFrame(
            {
                t("Shipment"): shipments["shipment_id"],
                t("Warehouse"): shipments["warehouse_code"],
                t("Carrier"): shipments["carrier"],
                t("Tracking number"): shipments["tracking_no"],
                t("Shipped"): company_times(shipments["shipped_at_utc"]),
                t("Delivered"): company_times(shipments["delivered_at_utc"]),
                t("Contents"): shipments["contents"],
            }
        ),
        hide_index=True,
    )

# --- tickets -----------------------------------------------------------------------------------------
st.markdown(f"#### {t('Customer-service tickets')}")
tickets = query(
    "select ticket_id, created_at_utc, category, subject, customer_contact, first_response_minutes, "
    "resolved_at_utc, status, agent from marts.fct_cs_tickets where order_key = ? order by created_at_utc",
    (order_key,),
)
if tickets.empty:
    st.info(t("No customer-service ticket about this order."))
else:
    st.dataframe(
        pd.DataFrame(
            {
                t("Ticket"): tickets["ticket_id"],
                t("Created"): company_times(tickets["created_at_utc"]),
                t("Category"): tickets["category"],
                t("Subject"): tickets["subject"].map(show_contact_text),
                t("Contact"): tickets["customer_contact"].map(show_contact_text),
                t("First response"): tickets["first_response_minutes"].map(
                    lambda v: fmt_minutes(v, hours_from=120)
                ),
                t("Resolved"): company_times(tickets["resolved_at_utc"]),
                t("Status"): tickets["status"],
                t("Agent"): tickets["agent"],
            }
        ),
        hide_index=True,
    )

# --- the customer's other orders ----------------------------------------------------------------------
st.markdown(f"#### {t('Other orders of this customer')}")
if pd.isna(order["customer_key"]):
    st.info(
        t(
            "This order is not linked to a customer: the channel gives no phone, e-mail or buyer handle "
            "for it (Amazon, anonymous counter sales), so the customer's other orders cannot be found."
        )
    )
else:
    customer = query(
        "select customer_name, customer_tier, company, orders, channels, match_rules, match_confidence "
        "from marts.dim_customers where customer_key = ?",
        (order["customer_key"],),
    )
    others = query(
        "select order_key, channel, channel_order_id, order_status, ordered_at_utc, order_amount, currency, "
        "count(*) over () as total from marts.fct_orders where customer_key = ? and order_key <> ? "
        "order by ordered_at_utc desc, order_key limit ?",
        (order["customer_key"], order_key, MAX_OTHER_ORDERS),
    )
    if not customer.empty:
        found = customer.iloc[0]
        st.caption(
            t(
                "{name} · tier {tier} · orders: {orders} · channels: {channels} · records linked by {rules} "
                "(confidence {confidence})",
                name=found["customer_name"] or "–",
                tier=found["customer_tier"],
                orders=int(found["orders"]),
                channels=int(found["channels"]),
                rules=found["match_rules"],
                confidence=f"{float(found['match_confidence']):.0%}",
            )
        )
    if others.empty:
        st.info(t("No other order of this customer in any channel."))
    else:
        total = int(others["total"].iloc[0])
        if total > MAX_OTHER_ORDERS:
            st.caption(t("The {shown} newest of {total} other orders.", shown=MAX_OTHER_ORDERS, total=total))
        st.dataframe(
            pd.DataFrame(
                {
                    t("Ordered"): company_times(others["ordered_at_utc"]),
                    t("Channel"): others["channel"],
                    t("Order number"): others["channel_order_id"],
                    t("Status"): others["order_status"],
                    t("Amount"): [
                        fmt_amount(a, c)
                        for a, c in zip(others["order_amount"], others["currency"], strict=True)
                    ],
                }
            ),
            hide_index=True,
        )
        st.session_state["lookup_other_numbers"] = dict(
            zip(others["order_key"], others["channel_order_id"], strict=True)
        )
        other_labels = order_labels(others)
        pick, go_button = st.columns([4, 1], vertical_alignment="bottom")
        pick.selectbox(
            t("Another order of this customer"),
            list(other_labels),
            format_func=other_labels.get,
            key="lookup_other_order",
            filter_mode="contains",
        )
        go_button.button(t("Open this order"), key="lookup_open_other", on_click=open_other_order)

# --- replacement stock ----------------------------------------------------------------------------------
st.markdown(f"#### {t('Stock available now for a replacement')}")
stock = query(
    "with latest as (select max(snapshot_date) as snapshot_date from marts.fct_inventory_daily), "
    "skus as (select distinct sku from marts.fct_order_lines where order_key = ? and sku is not null) "
    "select skus.sku, i.warehouse_code, i.available_qty, latest.snapshot_date "
    "from skus cross join latest left join marts.fct_inventory_daily as i "
    "on i.sku = skus.sku and i.snapshot_date = latest.snapshot_date order by skus.sku, i.warehouse_code",
    (order_key,),
)
if stock.empty:
    st.info(t("The order's lines have no master SKU, so their stock cannot be looked up."))
else:
    snapshot = stock["snapshot_date"].dropna()
    st.caption(
        t(
            "Available = on hand − reserved, per warehouse, in units, at the end of {date} (the latest WMS "
            "stock snapshot, `marts.fct_inventory_daily`). A blank: the SKU has no stock record there.",
            date=f"{pd.Timestamp(snapshot.iloc[0]):%Y-%m-%d}" if not snapshot.empty else "–",
        )
    )
    warehouses = sorted(stock["warehouse_code"].dropna().unique())
    available = stock.dropna(subset=["warehouse_code"]).set_index(["sku", "warehouse_code"])["available_qty"]
    table = pd.DataFrame({t("SKU"): stock["sku"].unique()})
    for warehouse in warehouses:
        table[warehouse] = [available.get((sku, warehouse)) for sku in table[t("SKU")]]
    table[t("All warehouses")] = table[warehouses].sum(axis=1, min_count=1) if warehouses else None
    st.dataframe(table, hide_index=True)
