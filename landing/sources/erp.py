"""The ERP: Odoo-style CSV extracts, each a full snapshot replaced on every delivery, Shanghai time
(``docs/data_sources.md``). Plans (deadlines, shifts, forecasts) legitimately lie in the future."""

from __future__ import annotations

from landing.sources.declaration import (
    AMOUNT,
    BOTH,
    CHANNELS,
    QUALITY,
    QUANTITY,
    Column,
    Number,
    SourceSystem,
    SourceTable,
    Timestamp,
    WholeNumber,
)
from landing.sources.time_formats import MONTH, SHANGHAI_DATE, SHANGHAI_TIME

DAYS = WholeNumber(0, 3650)
PLANNED_TIME = Timestamp(SHANGHAI_TIME, may_be_future=True)

PRODUCTS = SourceTable(
    "erp",
    "products",
    "products.csv",
    "ERP product master: cost, price, lead times, route.",
    key=("Internal Reference",),
    columns=(
        Column("Internal Reference", required=BOTH, filled=BOTH),
        Column("Name", required=QUALITY),
        Column("Product Category"),
        Column("Product Type"),
        Column("Barcode", required=QUALITY),
        Column("Sales Price", AMOUNT, required=QUALITY),
        Column("Cost", AMOUNT, required=BOTH, filled=QUALITY),
        Column("Currency", required=QUALITY),
        Column("Customer Lead Time", DAYS, required=QUALITY, checked=QUALITY),
        Column("Manufacturing Lead Time", DAYS, required=QUALITY, checked=QUALITY),
        Column("Vendor Lead Time", DAYS, checked=QUALITY),
        Column("Route", required=QUALITY, values={"Manufacture", "Buy"}),
        Column("Active"),
    ),
)

CUSTOMERS = SourceTable(
    "erp",
    "customers",
    "customers.csv",
    "ERP customers with tier.",
    key=("Reference",),
    columns=(
        Column("Reference", required=BOTH, filled=BOTH),
        Column("Name", required=QUALITY),
        Column("Email"),
        Column("Phone"),
        Column("Company"),
        Column("Customer Tier", required=QUALITY, values={"A", "B", "C"}),
        Column("Channel", required=QUALITY),
        Column("City"),
        Column("Country"),
        Column("Created on", Timestamp(SHANGHAI_DATE), checked=QUALITY),
    ),
)

SKU_ALIASES = SourceTable(
    "erp",
    "sku_aliases",
    "sku_aliases.csv",
    "Channel SKU → internal reference.",
    key=("Channel", "Channel SKU"),
    columns=(
        Column("Channel", required=BOTH, filled=BOTH, values=CHANNELS),
        Column("Channel SKU", required=BOTH, filled=BOTH),
        Column("Internal Reference", required=BOTH, filled=BOTH),
    ),
)

SALES_FORECAST = SourceTable(
    "erp",
    "sales_forecast",
    "sales_forecast.csv",
    "Sales team's monthly forecast.",
    key=("Month", "Internal Reference", "Channel", "Version"),
    columns=(
        Column("Month", Timestamp(MONTH, may_be_future=True), required=BOTH, filled=BOTH),
        Column("Internal Reference", required=BOTH, filled=BOTH),
        Column("Channel", required=QUALITY, filled=QUALITY, values=CHANNELS),
        Column("Forecast Quantity", WholeNumber(0, 1_000_000), required=BOTH),
        Column("Sales Team"),
        Column("Version", Timestamp(MONTH, True), required=QUALITY, filled=QUALITY, checked=QUALITY),
    ),
)

PRODUCTION_ORDERS = SourceTable(
    "erp",
    "production_orders",
    "production_orders.csv",
    "Manufacturing orders with deadlines.",
    key=("Reference",),
    columns=(
        Column("Reference", required=BOTH, filled=BOTH),
        Column("Product", required=BOTH, filled=BOTH),
        Column("Quantity To Produce", QUANTITY, required=BOTH),
        Column("Quantity Produced", WholeNumber(0, 10_000), required=QUALITY),
        Column("Scheduled Date", PLANNED_TIME, required=QUALITY),
        Column("Deadline", PLANNED_TIME, required=QUALITY),
        Column("State", required=QUALITY, values={"draft", "confirmed", "progress", "done", "cancel"}),
        Column("Source", required=QUALITY),
        Column("Customer Tier"),
        Column("Margin"),
    ),
)

ROUTINGS = SourceTable(
    "erp",
    "routings",
    "routings.csv",
    "Operations per product: work center, setup, run time, eligible machines.",
    key=("Product", "Sequence"),
    columns=(
        Column("Product", required=BOTH, filled=BOTH),
        Column("Sequence", required=BOTH, filled=BOTH),
        Column("Operation", required=QUALITY),
        Column("Work Center", required=BOTH),
        Column("Setup Time (min)", Number(0, 10_000), required=QUALITY),
        Column("Time per Unit (min)", Number(0, 10_000), required=QUALITY),
        # Optional: machine ids separated by `;`, empty = any machine of the work center.
        Column("Eligible Machines"),
    ),
)

WORK_CENTERS = SourceTable(
    "erp",
    "work_centers",
    "work_centers.csv",
    "Work centers with their owner.",
    key=("Code",),
    columns=(
        Column("Code", required=BOTH, filled=BOTH),
        Column("Work Center", required=QUALITY),
        Column("Owner"),
        Column("Time Efficiency", Number(0, 2), checked=QUALITY),
        Column("OEE Target", Number(0, 1), required=QUALITY, checked=QUALITY),
    ),
)

MACHINES = SourceTable(
    "erp",
    "machines",
    "machines.csv",
    "Machines with ideal cycle time.",
    key=("Machine",),
    columns=(
        Column("Machine", required=BOTH, filled=BOTH),
        Column("Name"),
        Column("Work Center", required=BOTH),
        Column("Ideal Cycle Time (s)", Number(0, 100_000), required=QUALITY, filled=QUALITY),
        Column("Commissioned on", Timestamp(SHANGHAI_DATE), checked=QUALITY),
    ),
)

SHIFT_CALENDAR = SourceTable(
    "erp",
    "shift_calendar",
    "shift_calendar.csv",
    "Shifts per machine and day.",
    key=("Date", "Machine", "Shift"),
    columns=(
        Column(
            "Date",
            Timestamp(SHANGHAI_DATE, may_be_future=True),
            required=BOTH,
            filled=BOTH,
            checked=QUALITY,
        ),
        Column("Machine", required=BOTH, filled=BOTH),
        Column("Shift", required=BOTH, filled=BOTH, values={"A", "B"}),
        Column("Start", PLANNED_TIME, required=BOTH, filled=BOTH),
        Column("End", PLANNED_TIME, required=BOTH, filled=BOTH),
        Column("Planned Break (min)", WholeNumber(0, 480), required=QUALITY, checked=QUALITY),
    ),
)

MACHINE_DOWNTIME = SourceTable(
    "erp",
    "machine_downtime",
    "machine_downtime.csv",
    "Planned downtime per machine (maintenance, calibration), past and planned.",
    key=("Machine", "Start"),
    columns=(
        Column("Machine", required=BOTH, filled=BOTH),
        Column("Start", PLANNED_TIME, required=BOTH, filled=BOTH),
        Column("End", PLANNED_TIME, required=BOTH, filled=BOTH),
        Column("Reason", required=QUALITY),
    ),
)

BOM = SourceTable(
    "erp",
    "bom",
    "bom.csv",
    "Bills of material.",
    key=("Product", "Component"),
    columns=(
        Column("Product", required=BOTH, filled=BOTH),
        Column("Component", required=BOTH, filled=BOTH),
        Column("Quantity", Number(0, 100_000), required=BOTH),
        Column("Unit of Measure", required=QUALITY),
    ),
)

EXCHANGE_RATES = SourceTable(
    "erp",
    "exchange_rates",
    "exchange_rates.csv",
    "CNY per unit of currency, monthly.",
    key=("Date", "Currency"),
    columns=(
        Column("Date", Timestamp(SHANGHAI_DATE, may_be_future=True), required=BOTH, filled=BOTH),
        Column("Currency", required=BOTH, filled=BOTH),
        Column("Rate", Number(0, 1_000), required=BOTH, filled=BOTH),
    ),
)

SYSTEM = SourceSystem(
    "erp",
    "ERP extracts (Odoo-style CSV exports, full snapshots replaced on every delivery).",
    (
        PRODUCTS,
        CUSTOMERS,
        SKU_ALIASES,
        SALES_FORECAST,
        PRODUCTION_ORDERS,
        ROUTINGS,
        WORK_CENTERS,
        MACHINES,
        SHIFT_CALENDAR,
        MACHINE_DOWNTIME,
        BOM,
        EXCHANGE_RATES,
    ),
)
