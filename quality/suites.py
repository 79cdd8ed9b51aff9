"""The rules of every raw table, per source system (the formats are in ``docs/data_sources.md``).

Keys are unique *within a file*: Shopify and Amazon exports overlap on purpose, so the same line
appears in two files and staging de-duplicates it. Channel statuses must be in the dbt seed
``channel_status_map.csv`` (an unmapped status would fail ``dbt build`` later anyway; here it warns
with the offending values before dbt runs).
"""

from __future__ import annotations

import csv
from functools import cache

import pandas as pd

from core.settings import DBT_PROJECT_DIR
from quality.rules import (
    ANY_ISO,
    ISO_OFFSET,
    ISO_UTC_Z,
    MONTH,
    SHANGHAI_DATE,
    SHANGHAI_TIME,
    SHOPIFY_TIME,
    Number,
    TableRules,
    Timestamp,
)

STATUS_SEED = DBT_PROJECT_DIR / "seeds" / "channel_status_map.csv"
CHANNELS = frozenset({"shopify", "amazon", "tmall", "social", "stores"})


@cache
def channel_statuses(channel: str) -> frozenset[str]:
    """The statuses of a channel that the mapping seed knows."""
    with STATUS_SEED.open(encoding="utf-8", newline="") as handle:
        return frozenset(row["channel_status"] for row in csv.DictReader(handle) if row["channel"] == channel)


def _shopify_status(frame: pd.DataFrame) -> pd.Series:
    """`Financial Status/Fulfillment Status`, as the seed spells it; only first rows of an order have it."""
    financial = frame["Financial Status"]
    return (financial + "/" + frame["Fulfillment Status"].fillna("")).where(financial.notna())


def _tmall_status(frame: pd.DataFrame) -> pd.Series:
    """`订单状态`, with `/退款成功` appended after a refund, as staging builds the channel status."""
    refunded = frame["退款状态"].eq("退款成功").fillna(False).astype(bool)
    return frame["订单状态"].where(~refunded, frame["订单状态"] + "/退款成功")


def _rules() -> list[TableRules]:
    quantity = Number(1, 10_000)
    amount = Number(0, 1_000_000)
    return [
        TableRules(
            "shopify",
            "orders",
            required=(
                "Name",
                "Financial Status",
                "Fulfillment Status",
                "Currency",
                "Total",
                "Created at",
                "Lineitem quantity",
                "Lineitem price",
                "Lineitem sku",
                "Cancelled at",
                "Id",
            ),
            keys=("Name", "Lineitem sku"),
            not_null=("Created at",),
            numbers={
                "Lineitem quantity": quantity,
                "Lineitem price": amount,
                "Subtotal": amount,
                "Total": amount,
                "Refunded Amount": amount,
            },
            timestamps={
                c: Timestamp(SHOPIFY_TIME) for c in ("Created at", "Paid at", "Fulfilled at", "Cancelled at")
            },
            known_values={
                "Financial Status/Fulfillment Status": channel_statuses("shopify"),
                "Currency": frozenset({"USD"}),
            },
            derived={"Financial Status/Fulfillment Status": _shopify_status},
        ),
        TableRules(
            "amazon",
            "all_orders",
            required=(
                "amazon-order-id",
                "purchase-date",
                "last-updated-date",
                "order-status",
                "sku",
                "quantity",
                "currency",
                "item-price",
                "item-tax",
            ),
            keys=("amazon-order-id", "sku"),
            not_null=("purchase-date", "order-status"),
            numbers={
                "quantity": quantity,
                "item-price": amount,
                "item-tax": amount,
                "shipping-price": amount,
            },
            timestamps={c: Timestamp(ISO_OFFSET) for c in ("purchase-date", "last-updated-date")},
            known_values={"order-status": channel_statuses("amazon"), "currency": frozenset({"USD"})},
        ),
        TableRules(
            "tmall",
            "orders",
            required=(
                "订单编号",
                "子订单编号",
                "订单状态",
                "订单创建时间",
                "订单付款时间",
                "发货时间",
                "确认收货时间",
                "商家编码",
                "单价",
                "购买数量",
                "实付金额",
                "退款状态",
            ),
            keys=("子订单编号",),
            not_null=("订单编号", "订单创建时间", "订单状态"),
            numbers={"单价": amount, "购买数量": quantity, "实付金额": amount},
            timestamps={
                c: Timestamp(SHANGHAI_TIME)
                for c in ("订单创建时间", "订单付款时间", "发货时间", "确认收货时间")
            },
            known_values={
                "订单状态/退款状态": channel_statuses("tmall"),
                "退款状态": frozenset({"没有申请退款", "退款成功"}),
            },
            derived={"订单状态/退款状态": _tmall_status},
        ),
        TableRules(
            "social",
            "events",
            required=("event_id", "thread_id", "platform", "event_type", "event_time", "items", "order_no"),
            keys=("event_id",),
            not_null=("thread_id", "event_time"),
            timestamps={"event_time": Timestamp(ANY_ISO), "promised_date": Timestamp(SHANGHAI_DATE, True)},
            known_values={
                "event_type": channel_statuses("social"),
                "platform": frozenset({"wechat", "douyin", "xiaohongshu"}),
            },
        ),
        TableRules(
            "stores",
            "pos_receipts",
            required=(
                "receipt_no",
                "store_code",
                "sold_at",
                "barcode",
                "qty",
                "unit_price",
                "line_total",
                "original_receipt_no",
            ),
            keys=("receipt_no", "barcode"),
            not_null=("store_code", "sold_at"),
            # Returns are negative lines.
            numbers={
                "qty": Number(-10_000, 10_000),
                "unit_price": amount,
                "line_total": Number(-1_000_000, 1_000_000),
            },
            timestamps={"sold_at": Timestamp(SHANGHAI_TIME)},
        ),
        TableRules(
            "stores",
            "store_orders",
            required=(
                "order_no",
                "line_no",
                "store_code",
                "created_at",
                "promised_date",
                "sku",
                "qty",
                "unit_price",
                "status",
            ),
            keys=("order_no", "line_no"),
            not_null=("created_at", "status"),
            numbers={"qty": quantity, "unit_price": amount},
            timestamps={
                "created_at": Timestamp(SHANGHAI_TIME),
                "stock_checked_at": Timestamp(SHANGHAI_TIME),
                "invoiced_at": Timestamp(SHANGHAI_TIME),
                "promised_date": Timestamp(SHANGHAI_DATE, True),
            },
            known_values={"status": channel_statuses("stores")},
        ),
        *_erp_rules(quantity, amount),
        TableRules(
            "wms",
            "stock_snapshots",
            required=(
                "snapshot_date",
                "warehouse_code",
                "sku",
                "on_hand_qty",
                "reserved_qty",
                "in_transit_qty",
            ),
            keys=("snapshot_date", "warehouse_code", "sku"),
            numbers={c: Number(0, 1_000_000) for c in ("on_hand_qty", "reserved_qty", "in_transit_qty")},
            timestamps={"snapshot_date": Timestamp(SHANGHAI_DATE)},
            known_values={"warehouse_code": frozenset({"WH-SH", "WH-GZ", "WH-ST"})},
        ),
        TableRules(
            "wms",
            "movements",
            required=("movement_id", "moved_at", "warehouse_code", "sku", "movement_type", "qty"),
            keys=("movement_id",),
            not_null=("moved_at", "sku"),
            numbers={"qty": Number(-1_000_000, 1_000_000)},  # issues are negative
            timestamps={"moved_at": Timestamp(SHANGHAI_TIME)},
            known_values={
                "movement_type": frozenset(
                    {
                        "receipt",
                        "production_receipt",
                        "shipment",
                        "pos_sale",
                        "return",
                        "transfer_in",
                        "transfer_out",
                        "adjustment",
                    }
                ),
                "warehouse_code": frozenset({"WH-SH", "WH-GZ", "WH-ST"}),
            },
        ),
        TableRules(
            "wms",
            "shipments",
            required=(
                "shipment_id",
                "channel",
                "channel_order_id",
                "shipped_at",
                "delivered_at",
                "sku",
                "qty",
            ),
            keys=("shipment_id", "sku"),
            not_null=("channel", "channel_order_id"),
            numbers={"qty": quantity},
            timestamps={"shipped_at": Timestamp(SHANGHAI_TIME), "delivered_at": Timestamp(SHANGHAI_TIME)},
            known_values={"channel": CHANNELS},
        ),
        TableRules(
            "mes",
            "machine_events",
            required=("event_id", "machine_id", "state", "started_at", "ended_at"),
            keys=("event_id",),
            not_null=("machine_id", "started_at", "ended_at"),
            timestamps={"started_at": Timestamp(SHANGHAI_TIME), "ended_at": Timestamp(SHANGHAI_TIME)},
            known_values={"state": frozenset({"running", "planned_stop", "breakdown", "setup", "idle"})},
        ),
        TableRules(
            "mes",
            "production_counts",
            required=(
                "machine_id",
                "shift_date",
                "shift",
                "production_order",
                "operation_seq",
                "total_count",
                "good_count",
            ),
            keys=("machine_id", "shift_date", "shift", "production_order", "operation_seq"),
            numbers={"total_count": Number(0, 100_000), "good_count": Number(0, 100_000)},
            timestamps={"shift_date": Timestamp(SHANGHAI_DATE)},
            known_values={"shift": frozenset({"A", "B"})},
        ),
        TableRules(
            "mes",
            "dispatch_plan",
            required=(
                "shift_date",
                "shift",
                "machine_id",
                "production_order",
                "operation_seq",
                "planned_qty",
            ),
            keys=("shift_date", "shift", "machine_id", "production_order", "operation_seq"),
            not_null=("planned_qty",),
            numbers={"operation_seq": Number(0, 10_000), "planned_qty": Number(0, 100_000)},
            timestamps={"shift_date": Timestamp(SHANGHAI_DATE, True)},  # issued the day before
            known_values={"shift": frozenset({"A", "B"})},
        ),
        TableRules(
            "mes",
            "material_consumption",
            required=(
                "shift_date",
                "shift",
                "machine_id",
                "production_order",
                "operation_seq",
                "component",
                "quantity",
                "unit_of_measure",
            ),
            keys=("shift_date", "shift", "machine_id", "production_order", "operation_seq", "component"),
            not_null=("quantity",),
            numbers={"operation_seq": Number(0, 10_000), "quantity": Number(0, 10_000_000)},
            timestamps={"shift_date": Timestamp(SHANGHAI_DATE)},
            known_values={"shift": frozenset({"A", "B"}), "unit_of_measure": frozenset({"m", "Units"})},
        ),
        TableRules(
            "cs",
            "tickets",
            required=(
                "ticket_id",
                "channel",
                "order_ref",
                "created_at",
                "first_response_at",
                "resolved_at",
                "status",
            ),
            keys=("ticket_id",),
            not_null=("created_at",),
            timestamps={c: Timestamp(ISO_UTC_Z) for c in ("created_at", "first_response_at", "resolved_at")},
            known_values={"channel": CHANNELS},
        ),
    ]


def _erp_rules(quantity: Number, amount: Number) -> list[TableRules]:
    days = Number(0, 3650)
    return [
        TableRules(
            "erp",
            "products",
            required=(
                "Internal Reference",
                "Name",
                "Barcode",
                "Sales Price",
                "Cost",
                "Currency",
                "Customer Lead Time",
                "Manufacturing Lead Time",
                "Route",
            ),
            keys=("Internal Reference",),
            not_null=("Cost",),
            numbers={
                "Sales Price": amount,
                "Cost": amount,
                "Customer Lead Time": days,
                "Manufacturing Lead Time": days,
                "Vendor Lead Time": days,
            },
            known_values={"Route": frozenset({"Manufacture", "Buy"})},
        ),
        TableRules(
            "erp",
            "customers",
            required=("Reference", "Name", "Customer Tier", "Channel"),
            keys=("Reference",),
            timestamps={"Created on": Timestamp(SHANGHAI_DATE)},
            known_values={"Customer Tier": frozenset({"A", "B", "C"})},
        ),
        TableRules(
            "erp",
            "sku_aliases",
            required=("Channel", "Channel SKU", "Internal Reference"),
            keys=("Channel", "Channel SKU"),
            not_null=("Internal Reference",),
            known_values={"Channel": CHANNELS},
        ),
        TableRules(
            "erp",
            "sales_forecast",
            required=("Month", "Internal Reference", "Channel", "Forecast Quantity", "Version"),
            keys=("Month", "Internal Reference", "Channel", "Version"),
            numbers={"Forecast Quantity": Number(0, 1_000_000)},
            timestamps={"Month": Timestamp(MONTH, True), "Version": Timestamp(MONTH, True)},
            known_values={"Channel": CHANNELS},
        ),
        TableRules(
            "erp",
            "production_orders",
            required=(
                "Reference",
                "Product",
                "Quantity To Produce",
                "Quantity Produced",
                "Scheduled Date",
                "Deadline",
                "State",
                "Source",
            ),
            keys=("Reference",),
            not_null=("Product",),
            numbers={"Quantity To Produce": quantity, "Quantity Produced": Number(0, 10_000)},
            timestamps={
                "Scheduled Date": Timestamp(SHANGHAI_TIME, True),
                "Deadline": Timestamp(SHANGHAI_TIME, True),
            },
            known_values={"State": frozenset({"draft", "confirmed", "progress", "done", "cancel"})},
        ),
        TableRules(
            "erp",
            "routings",
            required=(
                "Product",
                "Sequence",
                "Operation",
                "Work Center",
                "Setup Time (min)",
                "Time per Unit (min)",
            ),
            keys=("Product", "Sequence"),
            numbers={"Setup Time (min)": Number(0, 10_000), "Time per Unit (min)": Number(0, 10_000)},
        ),
        TableRules(
            "erp",
            "work_centers",
            required=("Code", "Work Center", "OEE Target"),
            keys=("Code",),
            numbers={"Time Efficiency": Number(0, 2), "OEE Target": Number(0, 1)},
        ),
        TableRules(
            "erp",
            "machines",
            required=("Machine", "Work Center", "Ideal Cycle Time (s)"),
            keys=("Machine",),
            not_null=("Ideal Cycle Time (s)",),
            numbers={"Ideal Cycle Time (s)": Number(0, 100_000)},
            timestamps={"Commissioned on": Timestamp(SHANGHAI_DATE)},
        ),
        TableRules(
            "erp",
            "shift_calendar",
            required=("Date", "Machine", "Shift", "Start", "End", "Planned Break (min)"),
            keys=("Date", "Machine", "Shift"),
            not_null=("Start", "End"),
            numbers={"Planned Break (min)": Number(0, 480)},
            timestamps={
                "Date": Timestamp(SHANGHAI_DATE, True),
                "Start": Timestamp(SHANGHAI_TIME, True),
                "End": Timestamp(SHANGHAI_TIME, True),
            },
            known_values={"Shift": frozenset({"A", "B"})},
        ),
        TableRules(
            "erp",
            "machine_downtime",
            required=("Machine", "Start", "End", "Reason"),
            keys=("Machine", "Start"),
            not_null=("End",),
            timestamps={
                "Start": Timestamp(SHANGHAI_TIME, True),
                "End": Timestamp(SHANGHAI_TIME, True),
            },
        ),
        TableRules(
            "erp",
            "bom",
            required=("Product", "Component", "Quantity", "Unit of Measure"),
            keys=("Product", "Component"),
            numbers={"Quantity": Number(0, 100_000)},
        ),
        TableRules(
            "erp",
            "exchange_rates",
            required=("Date", "Currency", "Rate"),
            keys=("Date", "Currency"),
            not_null=("Rate",),
            numbers={"Rate": Number(0, 1_000)},
            timestamps={"Date": Timestamp(SHANGHAI_DATE, True)},
        ),
    ]


TABLE_RULES: tuple[TableRules, ...] = tuple(_rules())


def rules_of(source: str) -> list[TableRules]:
    """The rules of every raw table of one source system: that system's suite."""
    return [rules for rules in TABLE_RULES if rules.source == source]
