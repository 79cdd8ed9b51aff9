"""Amazon: the Seller Central "All Orders Report", tab-separated, times in UTC (``docs/data_sources.md``)."""

from __future__ import annotations

from landing.sources.declaration import (
    AMOUNT,
    BOTH,
    CHANNEL_STATUSES,
    LANDING,
    QUALITY,
    QUANTITY,
    Column,
    Number,
    SourceSystem,
    SourceTable,
    Timestamp,
)
from landing.sources.time_formats import ISO_OFFSET

TIME = Timestamp(ISO_OFFSET)

ALL_ORDERS = SourceTable(
    "amazon",
    "all_orders",
    "All-Orders-Report_*.txt",
    "Amazon Seller Central All Orders Report (tab-separated, UTC).",
    expected_every_hours=24,
    delimiter="\t",
    quote="",
    key=("amazon-order-id", "sku"),
    order_id="amazon-order-id",
    columns=(
        Column("amazon-order-id", required=BOTH, filled=BOTH),
        Column("merchant-order-id"),
        Column("purchase-date", TIME, required=BOTH, filled=BOTH),
        Column("last-updated-date", TIME, required=BOTH),
        Column("order-status", required=BOTH, filled=QUALITY, values=CHANNEL_STATUSES),
        Column("fulfillment-channel"),
        Column("sales-channel"),
        Column("order-channel"),
        Column("url"),
        Column("ship-service-level"),
        Column("product-name"),
        Column("sku", required=BOTH, filled=BOTH),
        Column("asin"),
        Column("item-status"),
        Column("quantity", QUANTITY, required=BOTH, filled=LANDING),
        Column("currency", required=QUALITY, values={"USD"}),
        # Empty on Pending orders (as Amazon does): empty passes, text does not.
        Column("item-price", AMOUNT, required=QUALITY),
        Column("item-tax", AMOUNT, required=QUALITY),
        Column("shipping-price", AMOUNT),
        Column("shipping-tax"),
        Column("gift-wrap-price"),
        Column("gift-wrap-tax"),
        Column("item-promotion-discount", Number(), checked=LANDING),
        Column("ship-promotion-discount"),
        Column("ship-city"),
        Column("ship-state"),
        Column("ship-postal-code"),
        Column("ship-country"),
        Column("promotion-ids"),
        Column("is-business-order"),
        Column("purchase-order-number"),
        Column("price-designation"),
    ),
)

SYSTEM = SourceSystem(
    "amazon",
    'Amazon Seller Central "All Orders Report" flat files (tab-separated), landed unchanged.',
    (ALL_ORDERS,),
)
