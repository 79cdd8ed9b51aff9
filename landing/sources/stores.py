"""Own stores: POS receipt lines and the orders sales reps take for delivery, Shanghai time
(``docs/data_sources.md``)."""

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
    WholeNumber,
)
from landing.sources.time_formats import SHANGHAI_DATE, SHANGHAI_TIME

TIME = Timestamp(SHANGHAI_TIME)

POS_RECEIPTS = SourceTable(
    "stores",
    "pos_receipts",
    "pos_receipts_*.csv",
    "Store POS receipt lines; returns negative.",
    expected_every_hours=24,
    key=("receipt_no", "barcode"),
    order_id="receipt_no",
    columns=(
        Column("receipt_no", required=BOTH, filled=BOTH),
        Column("store_code", required=BOTH, filled=BOTH),
        Column("register_no"),
        Column("cashier"),
        Column("sold_at", TIME, required=BOTH, filled=BOTH),
        Column("barcode", required=BOTH, filled=BOTH),
        Column("item_name"),
        # Returns are negative lines: the one order quantity allowed below zero.
        Column("qty", WholeNumber(-10_000, 10_000, minimum=None), required=BOTH, filled=LANDING),
        Column("unit_price", AMOUNT, required=QUALITY),
        Column("discount_amount", Number(), checked=LANDING),
        Column("line_total", Number(-1_000_000, 1_000_000), required=QUALITY),
        Column("payment_method"),
        Column("member_phone"),
        Column("original_receipt_no", required=QUALITY),
    ),
)

STORE_ORDERS = SourceTable(
    "stores",
    "store_orders",
    "store_orders_*.csv",
    "Orders taken by store sales reps for delivery.",
    expected_every_hours=24,
    key=("order_no", "line_no"),
    order_id="order_no",
    columns=(
        Column("order_no", required=BOTH, filled=BOTH),
        Column("line_no", WholeNumber(minimum=1), required=BOTH, filled=BOTH, checked=LANDING),
        Column("store_code", required=QUALITY),
        Column("sales_rep"),
        Column("customer_name"),
        Column("customer_phone"),
        Column("customer_email"),
        Column("company"),
        Column("created_at", TIME, required=BOTH, filled=BOTH),
        Column("promised_date", Timestamp(SHANGHAI_DATE, may_be_future=True), required=QUALITY),
        Column("sku", required=BOTH, filled=LANDING),
        Column("qty", QUANTITY, required=BOTH, filled=LANDING),
        Column("unit_price", AMOUNT, required=QUALITY),
        Column("stock_checked_at", TIME),
        Column("invoice_no"),
        Column("invoiced_at", TIME),
        Column("status", required=BOTH, filled=QUALITY, values=CHANNEL_STATUSES),
    ),
)

SYSTEM = SourceSystem(
    "stores",
    "Own stores' POS receipt lines and the orders sales reps take for delivery.",
    (POS_RECEIPTS, STORE_ORDERS),
)
