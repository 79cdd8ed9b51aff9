"""The order lookup's view of one order: its header and contacts, timeline, lines, shipments, tickets,
the customer's other orders across channels and the stock available now for a replacement."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards.charts.order_lookup import timeline
from dashboards.components import company_zone, to_company_time
from dashboards.formatting import escape_markdown, fmt_minutes, ticket_category
from dashboards.i18n import t
from dashboards.queries import order_lookup as q
from dashboards.sections.order_lookup_text import (
    Viewer,
    amounts,
    company_times,
    event_detail,
    event_labels,
    fmt_amount,
    fmt_date,
    order_labels,
)

MAX_OTHER_ORDERS = 100


def order_header(order: pd.Series, results: pd.DataFrame, viewer: Viewer) -> None:
    """Number, status, dates, amount, and the customer's name and contacts."""
    order_key = order["order_key"]
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

    contacts = q.contacts(order_key)
    found_name = results.loc[results["order_key"] == order_key, "customer_name"]
    name = found_name.iloc[0] if not found_name.empty and pd.notna(found_name.iloc[0]) else None
    phones = [viewer.phone(value) for value in contacts.loc[contacts["key_type"] == "phone", "key_value"]]
    emails = [viewer.email(value) for value in contacts.loc[contacts["key_type"] == "email", "key_value"]]
    st.markdown(
        t(
            "**Customer:** {name} · **Phone:** {phones} · **E-mail:** {emails}",
            name=escape_markdown(name or "–"),
            phones=escape_markdown(", ".join(phones) or "–"),
            emails=escape_markdown(", ".join(emails) or "–"),
        )
    )
    if not viewer.sees_contacts:
        st.caption(t("Phone numbers and e-mails are masked for your role."))


def timeline_section(order_key: str) -> None:
    st.markdown(f"#### {t('Timeline')}")
    events = q.events(order_key)
    names = event_labels()
    events["detail"] = [event_detail(event) for _, event in events.iterrows()]
    zone = company_zone()
    st.caption(t("Times in the company's zone ({zone}).", zone=zone.key))
    if events["event_at_utc"].notna().any():
        st.plotly_chart(timeline(events, names, zone), key="lookup_timeline")
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


def lines_section(order_key: str) -> None:
    st.markdown(f"#### {t('Order lines')}")
    lines = q.lines(order_key)
    st.dataframe(
        pd.DataFrame(
            {
                t("Line"): lines["line_number"],
                t("SKU"): lines["sku"].fillna("–"),
                t("Item"): lines["item_name"].fillna("–"),
                t("Quantity"): lines["quantity"],
                t("Unit price"): amounts(lines, "unit_price"),
                t("Amount"): amounts(lines, "line_amount"),
                t("Status"): lines["line_status"],
            }
        ),
        hide_index=True,
    )


def expected_ship_section(order: pd.Series) -> None:
    """When an open order will ship: per open line from stock (ATP) or its production order's planned
    completion, with the T-3 level of that production order (docs/inventory.md, "Expected ship date")."""
    if order["order_status"] not in ("pending", "confirmed"):
        return
    lines = q.expected_ship(order["order_key"])
    if lines.empty:
        return
    st.markdown(f"#### {t('Expected ship date')}")
    dates = lines["expected_ship_date"]
    if dates.isna().any():
        st.warning(
            t(
                "Not within the planning horizon: stock and receipts do not cover {n} line(s) yet "
                "(a shortage); ask planning for a make-to-order date.",
                n=int(dates.isna().sum()),
            )
        )
    else:
        st.metric(t("Expected to ship"), f"{max(dates):%Y-%m-%d}")
    sources = {"stock": t("from stock"), "production": t("production order")}
    st.dataframe(
        pd.DataFrame(
            {
                t("Line"): lines["line_number"],
                t("SKU"): lines["sku"],
                t("Open quantity"): lines["open_quantity"],
                t("Expected ship date"): [
                    "–" if pd.isna(d) else f"{pd.Timestamp(d):%Y-%m-%d}" for d in dates
                ],
                t("From"): [sources.get(s, s) for s in lines["source"]],
                t("Warehouse"): lines["warehouse"].fillna("–"),
                t("Production order"): lines["production_order_id"].fillna("–"),
                t("T-3 level"): lines["t3_level"].fillna("–"),
            }
        ),
        hide_index=True,
    )
    st.caption(
        t(
            "A line made to order ships on its production order's planned completion in the current plan; "
            "any other ships from stock on the first day from which ATP stays covered."
        )
    )


def shipments_section(order: pd.Series) -> None:
    st.markdown(f"#### {t('Shipments')}")
    shipments = q.shipments(order["order_key"])
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
        return
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


def tickets_section(order_key: str, viewer: Viewer) -> None:
    st.markdown(f"#### {t('Customer-service tickets')}")
    tickets = q.tickets(order_key)
    if tickets.empty:
        st.info(t("No customer-service ticket about this order."))
        return
    st.dataframe(
        pd.DataFrame(
            {
                t("Ticket"): tickets["ticket_id"],
                t("Created"): company_times(tickets["created_at_utc"]),
                t("Category"): tickets["category"].map(ticket_category),
                t("Subject"): tickets["subject"].map(viewer.contact_text),
                t("Contact"): tickets["customer_contact"].map(viewer.contact_text),
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


def open_other_order() -> None:
    """Button callback: put the chosen order's number in the search box and open it (before the rerun)."""
    chosen = st.session_state.get("lookup_other_order")
    numbers = st.session_state.get("lookup_other_numbers", {})
    if chosen in numbers:
        st.session_state["lookup_query"] = numbers[chosen]
        st.session_state["lookup_order"] = chosen


def other_orders_section(order: pd.Series) -> None:
    st.markdown(f"#### {t('Other orders of this customer')}")
    if pd.isna(order["customer_key"]):
        st.info(
            t(
                "This order is not linked to a customer: the channel gives no phone, e-mail or buyer handle "
                "for it (Amazon, anonymous counter sales), so the customer's other orders cannot be found."
            )
        )
        return
    customer = q.customer(order["customer_key"])
    others = q.other_orders(order["customer_key"], order["order_key"], MAX_OTHER_ORDERS)
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
        return
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
                t("Amount"): amounts(others, "order_amount"),
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


def replacement_stock_section(order_key: str) -> None:
    st.markdown(f"#### {t('Stock available now for a replacement')}")
    stock = q.replacement_stock(order_key)
    if stock.empty:
        st.info(t("The order's lines have no master SKU, so their stock cannot be looked up."))
        return
    snapshot = stock["snapshot_date"].dropna()
    st.caption(
        t(
            "Available = on hand − reserved, per warehouse, in units, at the end of {date} (the latest WMS "
            "stock snapshot). A blank: the SKU has no stock record there.",
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
