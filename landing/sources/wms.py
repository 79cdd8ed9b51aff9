"""The warehouse-management system: stock snapshots, movements and shipments, Shanghai time
(``docs/data_sources.md``)."""

from __future__ import annotations

from landing.sources.declaration import (
    BOTH,
    CHANNELS,
    LANDING,
    QUALITY,
    QUANTITY,
    Column,
    SourceSystem,
    SourceTable,
    Timestamp,
    WholeNumber,
)
from landing.sources.time_formats import SHANGHAI_DATE, SHANGHAI_TIME

TIME = Timestamp(SHANGHAI_TIME)
STOCK = WholeNumber(0, 1_000_000)
WAREHOUSES = frozenset({"WH-SH", "WH-GZ", "WH-ST"})
MOVEMENT_TYPES = frozenset(
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
)

STOCK_SNAPSHOTS = SourceTable(
    "wms",
    "stock_snapshots",
    "stock_snapshots_*.csv",
    "End-of-day stock per SKU and warehouse.",
    expected_every_hours=24,
    key=("snapshot_date", "warehouse_code", "sku"),
    columns=(
        Column("snapshot_date", Timestamp(SHANGHAI_DATE), required=BOTH, filled=BOTH),
        Column("warehouse_code", required=BOTH, filled=BOTH, values=WAREHOUSES),
        Column("sku", required=BOTH, filled=BOTH),
        Column("on_hand_qty", STOCK, required=BOTH, checked=QUALITY),
        Column("reserved_qty", STOCK, required=QUALITY, checked=QUALITY),
        Column("in_transit_qty", STOCK, required=QUALITY, checked=QUALITY),
    ),
)

MOVEMENTS = SourceTable(
    "wms",
    "movements",
    "movements_*.csv",
    "Stock movements.",
    expected_every_hours=24,
    key=("movement_id",),
    columns=(
        Column("movement_id", required=BOTH, filled=BOTH),
        Column("moved_at", TIME, required=BOTH, filled=BOTH),
        Column("warehouse_code", required=QUALITY, values=WAREHOUSES),
        Column("sku", required=BOTH, filled=BOTH),
        Column("movement_type", required=QUALITY, values=MOVEMENT_TYPES),
        # Issues are negative by the WMS's own convention: a signed movement, not an order quantity.
        Column("qty", WholeNumber(-1_000_000, 1_000_000, minimum=None), required=BOTH, filled=LANDING),
        Column("reference"),
    ),
)

SHIPMENTS = SourceTable(
    "wms",
    "shipments",
    "shipments_*.csv",
    "Shipped lines with carrier, tracking, delivery.",
    expected_every_hours=24,
    key=("shipment_id", "sku"),
    columns=(
        Column("shipment_id", required=BOTH, filled=BOTH),
        Column("channel", required=BOTH, filled=BOTH, values=CHANNELS),
        Column("channel_order_id", required=BOTH, filled=BOTH),
        Column("warehouse_code"),
        Column("carrier"),
        Column("tracking_no"),
        Column("shipped_at", TIME, required=QUALITY),
        Column("delivered_at", TIME, required=QUALITY),
        Column("sku", required=BOTH, filled=BOTH),
        Column("qty", QUANTITY, required=BOTH, filled=LANDING),
    ),
)

SYSTEM = SourceSystem(
    "wms",
    "Warehouse-management extracts (local time Asia/Shanghai).",
    (STOCK_SNAPSHOTS, MOVEMENTS, SHIPMENTS),
)
