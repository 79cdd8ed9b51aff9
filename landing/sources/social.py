"""Social commerce (WeChat, Douyin, Xiaohongshu): conversation events, JSON lines (``docs/data_sources.md``).

A JSON-lines file has no header, so landing checks no required columns: GX does, per top-level key."""

from __future__ import annotations

from landing.sources.declaration import (
    BOTH,
    CHANNEL_STATUSES,
    LANDING,
    QUALITY,
    Column,
    SourceSystem,
    SourceTable,
    Timestamp,
)
from landing.sources.time_formats import ANY_ISO, SHANGHAI_DATE

EVENTS = SourceTable(
    "social",
    "events",
    "events_*.jsonl",
    "WeChat/Douyin/Xiaohongshu conversation events: inquiry, quote, negotiation, order.",
    expected_every_hours=24,
    file_format="jsonl",
    key=("event_id",),
    columns=(
        Column("event_id", required=QUALITY, filled=BOTH),
        Column("thread_id", required=QUALITY, filled=BOTH),
        Column("platform", required=QUALITY, values={"wechat", "douyin", "xiaohongshu"}),
        Column("event_type", required=QUALITY, filled=LANDING, values=CHANNEL_STATUSES),
        Column("event_time", Timestamp(ANY_ISO), required=QUALITY, filled=BOTH),
        Column("customer"),
        Column("items", required=QUALITY),
        Column("order_no", required=QUALITY),
        Column("promised_date", Timestamp(SHANGHAI_DATE, may_be_future=True), checked=QUALITY),
        Column("currency"),
        Column("sales_rep"),
    ),
)

SYSTEM = SourceSystem(
    "social",
    "Social-commerce conversation events (JSON lines); each landed row keeps the whole record.",
    (EVENTS,),
)
