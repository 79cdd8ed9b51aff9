"""The MES: machine states, counts, the dispatch plan and material consumption, Shanghai time
(``docs/data_sources.md``)."""

from __future__ import annotations

from landing.sources.declaration import (
    BOTH,
    QUALITY,
    Column,
    Number,
    SourceSystem,
    SourceTable,
    Timestamp,
    WholeNumber,
)
from landing.sources.time_formats import SHANGHAI_DATE, SHANGHAI_TIME

TIME = Timestamp(SHANGHAI_TIME)
SHIFT_DATE = Timestamp(SHANGHAI_DATE)
SHIFTS = frozenset({"A", "B"})
COUNT = WholeNumber(0, 100_000)
OPERATION_SEQ = WholeNumber(0, 10_000)

MACHINE_EVENTS = SourceTable(
    "mes",
    "machine_events",
    "machine_events_*.csv",
    "Machine state intervals.",
    expected_every_hours=24,
    key=("event_id",),
    columns=(
        Column("event_id", required=BOTH, filled=BOTH),
        Column("machine_id", required=BOTH, filled=BOTH),
        Column("state", required=BOTH, values={"running", "planned_stop", "breakdown", "setup", "idle"}),
        Column("started_at", TIME, required=BOTH, filled=BOTH),
        Column("ended_at", TIME, required=BOTH, filled=BOTH),
        Column("reason_code"),
    ),
)

PRODUCTION_COUNTS = SourceTable(
    "mes",
    "production_counts",
    "production_counts_*.csv",
    "Total and good counts per shift.",
    expected_every_hours=24,
    key=("machine_id", "shift_date", "shift", "production_order", "operation_seq"),
    columns=(
        Column("machine_id", required=BOTH, filled=BOTH),
        Column("shift_date", SHIFT_DATE, required=BOTH, filled=BOTH),
        Column("shift", required=BOTH, filled=BOTH, values=SHIFTS),
        Column("production_order", required=QUALITY, filled=QUALITY),
        Column("operation_seq", required=QUALITY, filled=QUALITY),
        Column("total_count", COUNT, required=BOTH),
        Column("good_count", COUNT, required=BOTH),
    ),
)

DISPATCH_PLAN = SourceTable(
    "mes",
    "dispatch_plan",
    "dispatch_plan_*.csv",
    "Planned quantity per shift, machine and production order operation, issued the day before.",
    key=("shift_date", "shift", "machine_id", "production_order", "operation_seq"),
    columns=(
        # Issued the day before: a fresh extract may hold tomorrow's shifts.
        Column("shift_date", Timestamp(SHANGHAI_DATE, may_be_future=True), required=BOTH, filled=BOTH),
        Column("shift", required=BOTH, filled=BOTH, values=SHIFTS),
        Column("machine_id", required=BOTH, filled=BOTH),
        Column("production_order", required=BOTH, filled=BOTH),
        Column("operation_seq", OPERATION_SEQ, required=BOTH, filled=BOTH),
        Column("planned_qty", COUNT, required=BOTH, filled=BOTH),
    ),
)

MATERIAL_CONSUMPTION = SourceTable(
    "mes",
    "material_consumption",
    "material_consumption_*.csv",
    "Components issued (backflushed) per shift, machine and production order operation.",
    key=("shift_date", "shift", "machine_id", "production_order", "operation_seq", "component"),
    columns=(
        Column("shift_date", SHIFT_DATE, required=BOTH, filled=BOTH),
        Column("shift", required=BOTH, filled=BOTH, values=SHIFTS),
        Column("machine_id", required=BOTH, filled=BOTH),
        Column("production_order", required=BOTH, filled=BOTH),
        Column("operation_seq", OPERATION_SEQ, required=BOTH, filled=BOTH),
        Column("component", required=BOTH, filled=BOTH),
        Column("quantity", Number(0, 10_000_000), required=BOTH, filled=QUALITY),
        Column("unit_of_measure", required=QUALITY, values={"m", "Units"}),
    ),
)

SYSTEM = SourceSystem(
    "mes",
    "Machine (MES) extracts (local time Asia/Shanghai).",
    (MACHINE_EVENTS, PRODUCTION_COUNTS, DISPATCH_PLAN, MATERIAL_CONSUMPTION),
)
