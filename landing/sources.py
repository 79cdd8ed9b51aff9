"""The catalogue of landed tables: which files of which source system feed which ``raw`` table, and
which rows of them are fit to land.

The file formats are specified in ``docs/data_sources.md``. Raw tables keep every column of the
file as text under its original header, so nothing changes meaning on the way in; staging models in
dbt rename and type them.

Validation here is deliberately narrow: it keeps out rows that no later step could use (a missing key,
a quantity that is not a number, a date that does not parse or lies in the future). Status words and
SKUs are NOT checked here: an unknown status must reach dbt, which fails naming it, and unknown SKUs are
listed by dbt; quarantining them here would hide them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FileFormat = Literal["csv", "jsonl"]


@dataclass(frozen=True)
class WholeNumber:
    """A quantity or count column: a whole number within [minimum, maximum] (None = unbounded)."""

    column: str
    minimum: int | None = 0
    maximum: int | None = None


@dataclass(frozen=True)
class Timestamp:
    """A time or date column that must parse in one of ``formats`` (DuckDB ``strptime``).

    ``not_future``: a value later than now + 1 day is rejected (events cannot have happened yet;
    promised dates, deadlines and forecasts legitimately lie ahead and leave it off)."""

    column: str
    formats: tuple[str, ...]
    not_future: bool = True


SHOPIFY_TIME = ("%Y-%m-%d %H:%M:%S %z",)
ISO_OFFSET = ("%Y-%m-%dT%H:%M:%S%z",)
ISO_UTC_Z = ("%Y-%m-%dT%H:%M:%SZ",)
LOCAL_TIME = ("%Y-%m-%d %H:%M:%S",)
DATE = ("%Y-%m-%d",)
MONTH = ("%Y-%m",)


@dataclass(frozen=True)
class SourceTable:
    source: str  # the source system, also the landing folder name
    table: str  # the entity; the raw table is raw.<source>__<table>
    pattern: str  # glob inside the source folder
    description: str
    file_format: FileFormat = "csv"
    delimiter: str = ","
    quote: str = '"'
    encoding: str = "utf-8"  # what the source declares; landing detects UTF-8 / GB18030 itself
    # A file whose header lacks one of these is rejected whole (for JSON lines: not checked per file).
    required: tuple[str, ...] = ()
    # Key columns: a row with an empty value here is quarantined.
    not_null: tuple[str, ...] = ()
    whole_numbers: tuple[WholeNumber, ...] = ()
    # Amount columns: a non-empty value must be a number. Leave out a column whose known bad values
    # staging already handles (Shopify `Lineitem price` = `N/A`).
    amounts: tuple[str, ...] = ()
    timestamps: tuple[Timestamp, ...] = ()
    # The channel order id, for counting orders a file re-exports (None for non-order tables).
    order_id: str | None = None

    @property
    def raw_table(self) -> str:
        return f"{self.source}__{self.table}"


SOURCE_TABLES: tuple[SourceTable, ...] = (
    SourceTable(
        "shopify",
        "orders",
        "orders_export_*.csv",
        "Shopify orders export, one row per line item.",
        required=("Name", "Created at", "Financial Status", "Lineitem quantity", "Lineitem sku"),
        # Later rows of an order carry only Name, Email, Created at and Lineitem *: only these are keys.
        not_null=("Name", "Lineitem quantity", "Lineitem sku"),
        whole_numbers=(WholeNumber("Lineitem quantity"),),
        amounts=("Subtotal", "Shipping", "Taxes", "Total", "Refunded Amount"),
        timestamps=(
            Timestamp("Created at", SHOPIFY_TIME),
            Timestamp("Paid at", SHOPIFY_TIME),
            Timestamp("Fulfilled at", SHOPIFY_TIME),
            Timestamp("Cancelled at", SHOPIFY_TIME),
        ),
        order_id="Name",
    ),
    SourceTable(
        "amazon",
        "all_orders",
        "All-Orders-Report_*.txt",
        "Amazon Seller Central All Orders Report (tab-separated, UTC).",
        delimiter="\t",
        quote="",
        required=("amazon-order-id", "purchase-date", "last-updated-date", "order-status", "sku", "quantity"),
        not_null=("amazon-order-id", "purchase-date", "sku", "quantity"),
        whole_numbers=(WholeNumber("quantity"),),
        # item-price is empty on Pending orders (as Amazon does): empty passes, text does not.
        amounts=("item-price", "item-tax", "shipping-price", "item-promotion-discount"),
        timestamps=(Timestamp("purchase-date", ISO_OFFSET), Timestamp("last-updated-date", ISO_OFFSET)),
        order_id="amazon-order-id",
    ),
    SourceTable(
        "tmall",
        "orders",
        "ExportOrderList*.csv",
        "Tmall/Taobao seller order export (GBK, Chinese headers, Beijing time).",
        encoding="gb18030",
        required=("订单编号", "子订单编号", "订单状态", "订单创建时间", "商家编码", "购买数量"),
        not_null=("订单编号", "子订单编号", "订单创建时间", "购买数量"),
        whole_numbers=(WholeNumber("购买数量"),),
        amounts=("单价", "实付金额"),
        timestamps=(
            Timestamp("订单创建时间", LOCAL_TIME),
            Timestamp("订单付款时间", LOCAL_TIME),
            Timestamp("发货时间", LOCAL_TIME),
            Timestamp("确认收货时间", LOCAL_TIME),
        ),
        order_id="订单编号",
    ),
    SourceTable(
        "social",
        "events",
        "events_*.jsonl",
        "WeChat/Douyin/Xiaohongshu conversation events: inquiry, quote, negotiation, order.",
        file_format="jsonl",
        not_null=("event_id", "thread_id", "event_type", "event_time"),
        timestamps=(Timestamp("event_time", ISO_OFFSET),),
    ),
    SourceTable(
        "stores",
        "pos_receipts",
        "pos_receipts_*.csv",
        "Store POS receipt lines; returns negative.",
        required=("receipt_no", "store_code", "sold_at", "barcode", "qty"),
        not_null=("receipt_no", "store_code", "sold_at", "barcode", "qty"),
        # Returns are negative lines: the one quantity allowed below zero.
        whole_numbers=(WholeNumber("qty", minimum=None),),
        amounts=("unit_price", "discount_amount", "line_total"),
        timestamps=(Timestamp("sold_at", LOCAL_TIME),),
        order_id="receipt_no",
    ),
    SourceTable(
        "stores",
        "store_orders",
        "store_orders_*.csv",
        "Orders taken by store sales reps for delivery.",
        required=("order_no", "line_no", "created_at", "sku", "qty", "status"),
        not_null=("order_no", "line_no", "created_at", "sku", "qty"),
        whole_numbers=(WholeNumber("line_no", minimum=1), WholeNumber("qty")),
        amounts=("unit_price",),
        timestamps=(
            Timestamp("created_at", LOCAL_TIME),
            Timestamp("promised_date", DATE, not_future=False),
            Timestamp("stock_checked_at", LOCAL_TIME),
            Timestamp("invoiced_at", LOCAL_TIME),
        ),
        order_id="order_no",
    ),
    SourceTable(
        "erp",
        "products",
        "products.csv",
        "ERP product master: cost, price, lead times, route.",
        required=("Internal Reference", "Cost"),
        not_null=("Internal Reference",),
        amounts=("Sales Price", "Cost"),
    ),
    SourceTable(
        "erp",
        "customers",
        "customers.csv",
        "ERP customers with tier.",
        required=("Reference",),
        not_null=("Reference",),
    ),
    SourceTable(
        "erp",
        "sku_aliases",
        "sku_aliases.csv",
        "Channel SKU → internal reference.",
        required=("Channel", "Channel SKU", "Internal Reference"),
        not_null=("Channel", "Channel SKU", "Internal Reference"),
    ),
    SourceTable(
        "erp",
        "sales_forecast",
        "sales_forecast.csv",
        "Sales team's monthly forecast.",
        required=("Month", "Internal Reference", "Forecast Quantity"),
        not_null=("Month", "Internal Reference"),
        whole_numbers=(WholeNumber("Forecast Quantity"),),
        timestamps=(Timestamp("Month", MONTH, not_future=False),),
    ),
    SourceTable(
        "erp",
        "production_orders",
        "production_orders.csv",
        "Manufacturing orders with deadlines.",
        required=("Reference", "Product", "Quantity To Produce"),
        not_null=("Reference", "Product"),
        whole_numbers=(WholeNumber("Quantity To Produce"), WholeNumber("Quantity Produced")),
        timestamps=(
            Timestamp("Scheduled Date", LOCAL_TIME, not_future=False),
            Timestamp("Deadline", LOCAL_TIME, not_future=False),
        ),
    ),
    SourceTable(
        "erp",
        "routings",
        "routings.csv",
        # `Eligible Machines` (optional): machine ids separated by `;`, empty = any machine of the center.
        "Operations per product: work center, setup, run time, eligible machines.",
        required=("Product", "Sequence", "Work Center"),
        not_null=("Product", "Sequence"),
        amounts=("Setup Time (min)", "Time per Unit (min)"),
    ),
    SourceTable(
        "erp",
        "work_centers",
        "work_centers.csv",
        "Work centers with their owner.",
        required=("Code",),
        not_null=("Code",),
    ),
    SourceTable(
        "erp",
        "machines",
        "machines.csv",
        "Machines with ideal cycle time.",
        required=("Machine", "Work Center"),
        not_null=("Machine",),
        amounts=("Ideal Cycle Time (s)",),
    ),
    SourceTable(
        "erp",
        "shift_calendar",
        "shift_calendar.csv",
        "Shifts per machine and day.",
        required=("Date", "Machine", "Shift", "Start", "End"),
        not_null=("Date", "Machine", "Shift", "Start", "End"),
        timestamps=(
            Timestamp("Start", LOCAL_TIME, not_future=False),
            Timestamp("End", LOCAL_TIME, not_future=False),
        ),
    ),
    SourceTable(
        "erp",
        "machine_downtime",
        "machine_downtime.csv",
        "Planned downtime per machine (maintenance, calibration), past and planned.",
        required=("Machine", "Start", "End"),
        not_null=("Machine", "Start", "End"),
        timestamps=(
            Timestamp("Start", LOCAL_TIME, not_future=False),
            Timestamp("End", LOCAL_TIME, not_future=False),
        ),
    ),
    SourceTable(
        "erp",
        "bom",
        "bom.csv",
        "Bills of material.",
        required=("Product", "Component", "Quantity"),
        not_null=("Product", "Component"),
        amounts=("Quantity",),
    ),
    SourceTable(
        "erp",
        "exchange_rates",
        "exchange_rates.csv",
        "CNY per unit of currency, monthly.",
        required=("Date", "Currency", "Rate"),
        not_null=("Date", "Currency", "Rate"),
        amounts=("Rate",),
        timestamps=(Timestamp("Date", DATE, not_future=False),),
    ),
    SourceTable(
        "wms",
        "stock_snapshots",
        "stock_snapshots_*.csv",
        "End-of-day stock per SKU and warehouse.",
        required=("snapshot_date", "warehouse_code", "sku", "on_hand_qty"),
        not_null=("snapshot_date", "warehouse_code", "sku"),
        timestamps=(Timestamp("snapshot_date", DATE),),
    ),
    SourceTable(
        "wms",
        "movements",
        "movements_*.csv",
        "Stock movements.",
        required=("movement_id", "moved_at", "sku", "qty"),
        not_null=("movement_id", "moved_at", "sku", "qty"),
        # Issues are negative by the WMS's own convention: a signed movement, not an order quantity.
        whole_numbers=(WholeNumber("qty", minimum=None),),
        timestamps=(Timestamp("moved_at", LOCAL_TIME),),
    ),
    SourceTable(
        "wms",
        "shipments",
        "shipments_*.csv",
        "Shipped lines with carrier, tracking, delivery.",
        required=("shipment_id", "channel", "channel_order_id", "sku", "qty"),
        not_null=("shipment_id", "channel", "channel_order_id", "sku", "qty"),
        whole_numbers=(WholeNumber("qty"),),
        timestamps=(Timestamp("shipped_at", LOCAL_TIME), Timestamp("delivered_at", LOCAL_TIME)),
    ),
    SourceTable(
        "mes",
        "machine_events",
        "machine_events_*.csv",
        "Machine state intervals.",
        required=("event_id", "machine_id", "state", "started_at", "ended_at"),
        not_null=("event_id", "machine_id", "started_at", "ended_at"),
        timestamps=(Timestamp("started_at", LOCAL_TIME), Timestamp("ended_at", LOCAL_TIME)),
    ),
    SourceTable(
        "mes",
        "production_counts",
        "production_counts_*.csv",
        "Total and good counts per shift.",
        required=("machine_id", "shift_date", "shift", "total_count", "good_count"),
        not_null=("machine_id", "shift_date", "shift"),
        whole_numbers=(WholeNumber("total_count"), WholeNumber("good_count")),
        timestamps=(Timestamp("shift_date", DATE),),
    ),
    SourceTable(
        "mes",
        "dispatch_plan",
        "dispatch_plan_*.csv",
        "Planned quantity per shift, machine and production order operation, issued the day before.",
        required=("shift_date", "shift", "machine_id", "production_order", "operation_seq", "planned_qty"),
        not_null=("shift_date", "shift", "machine_id", "production_order", "operation_seq", "planned_qty"),
        whole_numbers=(WholeNumber("operation_seq"), WholeNumber("planned_qty")),
        # Issued the day before: a fresh extract may hold tomorrow's shifts.
        timestamps=(Timestamp("shift_date", DATE, not_future=False),),
    ),
    SourceTable(
        "mes",
        "material_consumption",
        "material_consumption_*.csv",
        "Components issued (backflushed) per shift, machine and production order operation.",
        required=(
            "shift_date",
            "shift",
            "machine_id",
            "production_order",
            "operation_seq",
            "component",
            "quantity",
        ),
        not_null=("shift_date", "shift", "machine_id", "production_order", "operation_seq", "component"),
        whole_numbers=(WholeNumber("operation_seq"),),
        amounts=("quantity",),
        timestamps=(Timestamp("shift_date", DATE),),
    ),
    SourceTable(
        "cs",
        "tickets",
        "tickets_*.csv",
        "Customer-service tickets.",
        required=("ticket_id", "channel", "created_at"),
        not_null=("ticket_id", "created_at"),
        timestamps=(
            Timestamp("created_at", ISO_UTC_Z),
            Timestamp("first_response_at", ISO_UTC_Z),
            Timestamp("resolved_at", ISO_UTC_Z),
        ),
    ),
)


def source_systems() -> list[str]:
    """Source systems in catalogue order, each once."""
    return list(dict.fromkeys(t.source for t in SOURCE_TABLES))


def tables_of(source: str) -> list[SourceTable]:
    return [t for t in SOURCE_TABLES if t.source == source]
