"""The catalogue of landed tables: which files of which source system feed which ``raw`` table.

The file formats are specified in ``docs/data_sources.md``. Raw tables keep every column of the
file as text under its original header, so nothing changes meaning on the way in; staging models in
dbt rename and type them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FileFormat = Literal["csv", "jsonl"]


@dataclass(frozen=True)
class SourceTable:
    source: str  # the source system, also the landing folder name
    table: str  # the entity; the raw table is raw.<source>__<table>
    pattern: str  # glob inside the source folder
    description: str
    file_format: FileFormat = "csv"
    delimiter: str = ","
    quote: str = '"'
    encoding: str = "utf-8"

    @property
    def raw_table(self) -> str:
        return f"{self.source}__{self.table}"


SOURCE_TABLES: tuple[SourceTable, ...] = (
    SourceTable("shopify", "orders", "orders_export_*.csv", "Shopify orders export, one row per line item."),
    SourceTable(
        "amazon",
        "all_orders",
        "All-Orders-Report_*.txt",
        "Amazon Seller Central All Orders Report (tab-separated, UTC).",
        delimiter="\t",
        quote="",
    ),
    SourceTable(
        "tmall",
        "orders",
        "ExportOrderList*.csv",
        "Tmall/Taobao seller order export (GBK, Chinese headers, Beijing time).",
        encoding="gb18030",
    ),
    SourceTable(
        "social",
        "events",
        "events_*.jsonl",
        "WeChat/Douyin/Xiaohongshu conversation events: inquiry, quote, negotiation, order.",
        file_format="jsonl",
    ),
    SourceTable("stores", "pos_receipts", "pos_receipts_*.csv", "Store POS receipt lines; returns negative."),
    SourceTable(
        "stores", "store_orders", "store_orders_*.csv", "Orders taken by store sales reps for delivery."
    ),
    SourceTable("erp", "products", "products.csv", "ERP product master: cost, price, lead times, route."),
    SourceTable("erp", "customers", "customers.csv", "ERP customers with tier."),
    SourceTable("erp", "sku_aliases", "sku_aliases.csv", "Channel SKU → internal reference."),
    SourceTable("erp", "sales_forecast", "sales_forecast.csv", "Sales team's monthly forecast."),
    SourceTable("erp", "production_orders", "production_orders.csv", "Manufacturing orders with deadlines."),
    SourceTable("erp", "routings", "routings.csv", "Operations per product: work center, setup, run time."),
    SourceTable("erp", "work_centers", "work_centers.csv", "Work centers with their owner."),
    SourceTable("erp", "machines", "machines.csv", "Machines with ideal cycle time."),
    SourceTable("erp", "shift_calendar", "shift_calendar.csv", "Shifts per machine and day."),
    SourceTable("erp", "bom", "bom.csv", "Bills of material."),
    SourceTable("erp", "exchange_rates", "exchange_rates.csv", "CNY per unit of currency, monthly."),
    SourceTable("wms", "stock_snapshots", "stock_snapshots_*.csv", "End-of-day stock per SKU and warehouse."),
    SourceTable("wms", "movements", "movements_*.csv", "Stock movements."),
    SourceTable("wms", "shipments", "shipments_*.csv", "Shipped lines with carrier, tracking, delivery."),
    SourceTable("mes", "machine_events", "machine_events_*.csv", "Machine state intervals."),
    SourceTable("mes", "production_counts", "production_counts_*.csv", "Total and good counts per shift."),
    SourceTable("cs", "tickets", "tickets_*.csv", "Customer-service tickets."),
)


def source_systems() -> list[str]:
    """Source systems in catalogue order, each once."""
    return list(dict.fromkeys(t.source for t in SOURCE_TABLES))


def tables_of(source: str) -> list[SourceTable]:
    return [t for t in SOURCE_TABLES if t.source == source]
