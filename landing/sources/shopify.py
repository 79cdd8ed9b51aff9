"""Shopify, the web shop: the "Export orders" CSV, one row per line item (``docs/data_sources.md``)."""

from __future__ import annotations

import pandas as pd

from landing.sources.declaration import (
    AMOUNT,
    BOTH,
    CHANNEL_STATUSES,
    LANDING,
    QUALITY,
    QUANTITY,
    Column,
    Derived,
    Number,
    SourceSystem,
    SourceTable,
    Timestamp,
)
from landing.sources.time_formats import SHOPIFY_TIME

TIME = Timestamp(SHOPIFY_TIME)


def status_pair(frame: pd.DataFrame) -> pd.Series:
    """`Financial Status/Fulfillment Status`, as the seed spells it; only first rows of an order have it."""
    financial = frame["Financial Status"]
    return (financial + "/" + frame["Fulfillment Status"].fillna("")).where(financial.notna())


STATUS_PAIR_SQL = "{Financial Status} || '/' || coalesce({Fulfillment Status}, '')"


ORDERS = SourceTable(
    "shopify",
    "orders",
    "orders_export_*.csv",
    "Shopify orders export, one row per line item.",
    expected_every_hours=24,
    key=("Name", "Lineitem sku"),
    order_id="Name",
    # Later rows of an order carry only Name, Email, Created at and Lineitem *: only these can be keys.
    # `Created at` is listed second: landing checks the required columns and the times in this order.
    columns=(
        Column("Name", required=BOTH, filled=BOTH),
        Column("Created at", TIME, required=BOTH, filled=QUALITY),
        Column("Email"),
        Column("Financial Status", required=BOTH),
        Column("Paid at", TIME),
        Column("Fulfillment Status", required=QUALITY),
        Column("Fulfilled at", TIME),
        Column("Currency", required=QUALITY, values={"USD"}),
        Column("Subtotal", AMOUNT),
        Column("Shipping", Number(), checked=LANDING),
        Column("Taxes", Number(), checked=LANDING),
        Column("Total", AMOUNT, required=QUALITY),
        Column("Discount Code"),
        Column("Discount Amount"),
        Column("Shipping Method"),
        Column("Lineitem quantity", QUANTITY, required=BOTH, filled=LANDING),
        Column("Lineitem name"),
        # `N/A` on a few rows, which staging handles: not a reason to quarantine the line.
        Column("Lineitem price", AMOUNT, required=QUALITY, checked=QUALITY),
        Column("Lineitem sku", required=BOTH, filled=BOTH),
        Column("Lineitem fulfillment status"),
        Column("Billing Name"),
        Column("Shipping Name"),
        Column("Shipping City"),
        Column("Shipping Zip"),
        Column("Shipping Country"),
        Column("Shipping Phone"),
        Column("Cancelled at", TIME, required=QUALITY),
        Column("Refunded Amount", AMOUNT),
        Column("Id", required=QUALITY),
        Column("Tags"),
        Column("Source"),
    ),
    derived=(Derived("Financial Status/Fulfillment Status", status_pair, CHANNEL_STATUSES, STATUS_PAIR_SQL),),
)

SYSTEM = SourceSystem(
    "shopify",
    'Shopify "Export orders" CSV files, landed unchanged (all text, original headers).',
    (ORDERS,),
)
