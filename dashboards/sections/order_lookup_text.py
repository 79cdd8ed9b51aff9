"""The order lookup's words: times and amounts as text, event names and particulars, and contacts shown
in full only to roles that see them (``access.py``); every other role sees them masked."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboards.components import to_company_time
from dashboards.i18n import t
from dashboards.masking import mask_contact, mask_email, mask_phone

TIME_FORMAT = "%Y-%m-%d %H:%M"


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


def amounts(frame: pd.DataFrame, column: str) -> list[str]:
    """A money column with the row's currency."""
    return [fmt_amount(a, c) for a, c in zip(frame[column], frame["currency"], strict=True)]


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


@dataclass(frozen=True)
class Viewer:
    """Contacts as the signed-in role may see them: in full, or masked."""

    sees_contacts: bool

    def phone(self, phone: str | None) -> str | None:
        return phone if self.sees_contacts else mask_phone(phone)

    def email(self, email: str | None) -> str | None:
        return email if self.sees_contacts else mask_email(email)

    def contact_text(self, text: str | None) -> str | None:
        """Free text that may hold a phone or an e-mail (a ticket's contact or subject, the typed search)."""
        return text if self.sees_contacts else mask_contact(text)
