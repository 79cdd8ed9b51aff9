"""Customer service: the helpdesk's ticket export, times in UTC (``docs/data_sources.md``)."""

from __future__ import annotations

from landing.sources.declaration import (
    BOTH,
    CHANNELS,
    QUALITY,
    Column,
    SourceSystem,
    SourceTable,
    Timestamp,
)
from landing.sources.time_formats import ISO_UTC_Z

TIME = Timestamp(ISO_UTC_Z)

TICKETS = SourceTable(
    "cs",
    "tickets",
    "tickets_*.csv",
    "Customer-service tickets.",
    expected_every_hours=24,
    key=("ticket_id",),
    columns=(
        Column("ticket_id", required=BOTH, filled=BOTH),
        Column("channel", required=BOTH, values=CHANNELS),
        Column("order_ref", required=QUALITY),
        Column("customer_contact"),
        Column("subject"),
        Column("category"),
        Column("created_at", TIME, required=BOTH, filled=BOTH),
        Column("first_response_at", TIME, required=QUALITY),
        Column("resolved_at", TIME, required=QUALITY),
        Column("agent"),
        Column("status", required=QUALITY),
    ),
)

SYSTEM = SourceSystem("cs", "Customer-service helpdesk ticket exports (UTC).", (TICKETS,))
