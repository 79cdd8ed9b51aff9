"""Which company day an export file delivers, read from its name, to label runs in Dagster.

Daily exports carry their day (``shopify/orders_export_2026-11-22.csv``); an Amazon report its window
(``All-Orders-Report_2026-10-29_2026-11-22.txt``: the last date counts). Monthly history files
(``orders_export_2026-11.csv``, ``ExportOrderList202611.csv``) name no day. Landing never selects files
by this: it lands every new or changed file (checksums make that idempotent), so a late or re-sent
file of any day is picked up by the next run.
"""

import re
from collections.abc import Iterable

DAY_TAG = "omniops/day"
_DATE = re.compile(r"(?<!\d)(20\d\d)-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])(?!\d)")


def file_day(name: str) -> str | None:
    """The last ISO date in a file name, or None when it names no day."""
    days = [f"{y}-{m}-{d}" for y, m, d in _DATE.findall(name)]
    return days[-1] if days else None


def newest_day(names: Iterable[str]) -> str | None:
    """The newest day any of the files delivers (what a run landing them closes), or None."""
    return max((day for day in map(file_day, names) if day), default=None)
