"""How each source writes its times: one format serves landing (DuckDB parses it) and GX (a regex on the
text, then pandas parses it to compare values in UTC)."""

from __future__ import annotations

from dataclasses import dataclass

COMPANY_ZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class TimeFormat:
    """``strptime``: the DuckDB formats landing accepts; ``regex``: the shape GX expects of the text;
    ``parse``: the pandas format GX parses it with (``ISO8601``: any ISO form); ``zone``: the zone of
    naive values (``None`` when the text carries its offset)."""

    strptime: tuple[str, ...]
    regex: str
    parse: str
    zone: str | None = None


SHOPIFY_TIME = TimeFormat(
    ("%Y-%m-%d %H:%M:%S %z",), r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{4}$", "%Y-%m-%d %H:%M:%S %z"
)
# ISO-8601 as channels write it: an offset (`+00:00`, `+0000`, `+08`) or `Z` for UTC, whole or
# fractional seconds. A format ending in a literal `Z` is read as UTC.
ISO_OFFSET = TimeFormat(
    ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S.%fZ"),
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}(:?\d{2})?|Z)$",
    "ISO8601",
)
# Social events are JSON lines kept as written (`2026-03-01T12:00:00+08:00`), which landing checks; GX's
# looser pattern also accepts `2026-03-01 04:00:00+00`, how DuckDB writes a timestamp back to JSON text.
ANY_ISO = TimeFormat(
    ISO_OFFSET.strptime,
    r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}(:?\d{2})?|Z)$",
    "ISO8601",
)
ISO_UTC_Z = TimeFormat(
    ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S.%fZ"),
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$",
    "ISO8601",
)
SHANGHAI_TIME = TimeFormat(
    ("%Y-%m-%d %H:%M:%S",), r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", "%Y-%m-%d %H:%M:%S", COMPANY_ZONE
)
SHANGHAI_DATE = TimeFormat(("%Y-%m-%d",), r"^\d{4}-\d{2}-\d{2}$", "%Y-%m-%d", COMPANY_ZONE)
MONTH = TimeFormat(("%Y-%m",), r"^\d{4}-\d{2}$", "%Y-%m", COMPANY_ZONE)
