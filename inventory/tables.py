"""The inventory marts' contract (schema ``marts``): column order and SQL types.

``fct_atp_daily`` and ``fct_atp_sync_gap`` are also read by the promise (CTP) and the order lookup.
docs/inventory.md describes each table.
"""

SCHEMA = "marts"

ATP_DAILY = {
    "sku": "varchar", "warehouse_id": "varchar", "date": "date", "on_hand": "double",
    "open_demand": "double", "scheduled_receipts": "double", "atp": "double",
}  # fmt: skip
ATP_SYNC_GAP = {
    "sku": "varchar", "warehouse_id": "varchar", "wms_reserved": "double", "open_order_demand": "double",
    "gap": "double",
}  # fmt: skip
CHANNEL_ALLOCATION = {
    "as_of": "date", "sku": "varchar", "product_category": "varchar", "channel": "varchar",
    "pool": "integer", "allocation": "integer", "feed_qty": "integer",
}  # fmt: skip
OVERSELL_LINES = {
    "order_line_key": "varchar", "channel": "varchar", "channel_order_id": "varchar", "sku": "varchar",
    "accepted_at": "timestamp", "day": "date", "qty": "double", "available_before": "double",
    "outcome": "varchar",
}  # fmt: skip
KPI_OVERSELL_DAILY = {
    "day": "date", "channel": "varchar", "accepted_lines": "integer", "oversold_lines": "integer",
    "oversold_units": "double",
}  # fmt: skip
