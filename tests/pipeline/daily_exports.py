"""Turn the demo's newest day into daily export files, as the channels deliver them every night.

The demo writes monthly files; a daily run needs the last day apart. Every record of the newest day or
later (by its order, event or shipment time as written, in the source's own zone) moves from the newest
monthly file of each order source, and of the WMS shipments, into a file named for that day, e.g.
``shopify/orders_export_2026-11-22.csv``. Whole orders move together: all lines of an order carry the
same creation time.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

UTF8_BOM = "\ufeff"


@dataclass(frozen=True)
class DailySplit:
    source: str
    monthly_glob: str  # the newest file matching it is split
    day_column: str
    day_file: str  # format with day (YYYY-MM-DD) and compact (YYYYMMDD)
    delimiter: str = ","


SPLITS = (
    DailySplit("shopify", "orders_export_*.csv", "Created at", "orders_export_{day}.csv"),
    DailySplit(
        "amazon", "All-Orders-Report_*.txt", "purchase-date", "All-Orders-Report_{day}_{day}.txt", "\t"
    ),
    DailySplit("tmall", "ExportOrderList*.csv", "订单创建时间", "ExportOrderList{compact}.csv"),
    DailySplit("social", "events_*.jsonl", "event_time", "events_{day}.jsonl"),
    DailySplit("stores", "pos_receipts_*.csv", "sold_at", "pos_receipts_{day}.csv"),
    DailySplit("stores", "store_orders_*.csv", "created_at", "store_orders_{day}.csv"),
    DailySplit("wms", "shipments_*.csv", "shipped_at", "shipments_{day}.csv"),
)


def _decode(data: bytes) -> tuple[str, str]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030"), "gb18030"
    return (text[1:], "utf-8-sig") if text.startswith(UTF8_BOM) else (text, "utf-8")


def _newest(landing: Path, split: DailySplit) -> Path:
    return sorted((landing / split.source).glob(split.monthly_glob))[-1]


def _records(path: Path, split: DailySplit) -> tuple[str, list[str], list]:
    """(encoding, header, records, day of each record) of a file; JSONL records stay text lines."""
    text, encoding = _decode(path.read_bytes())
    if path.suffix == ".jsonl":
        return encoding, [], [line for line in text.splitlines() if line.strip()]
    if split.delimiter == "\t":  # Amazon: no quoting at all
        rows = [line.split("\t") for line in text.splitlines() if line.strip()]
    else:
        rows = [row for row in csv.reader(io.StringIO(text, newline="")) if row]
    return encoding, rows[0], rows[1:]


def _day_of(record, header: list[str], split: DailySplit) -> str:
    if isinstance(record, str):
        return str(json.loads(record)[split.day_column])[:10]
    return record[header.index(split.day_column)][:10]


def _write(path: Path, encoding: str, header: list[str], records, split: DailySplit) -> None:
    if not header:
        text = "".join(line + "\n" for line in records)
    elif split.delimiter == "\t":
        text = "".join("\t".join(row) + "\n" for row in [header, *records])
    else:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows([header, *records])
        text = out.getvalue()
    path.write_bytes(text.encode(encoding))


def newest_day(landing: Path) -> str:
    """The newest order day of the demo: the last Shopify creation date."""
    split = SPLITS[0]
    _, header, records = _records(_newest(landing, split), split)
    return max(_day_of(record, header, split) for record in records)


def split_newest_day(landing: Path) -> tuple[str, list[Path]]:
    """Move the newest day's records into daily files; returns the day and the files written."""
    day = newest_day(landing)
    written: list[Path] = []
    for split in SPLITS:
        monthly = _newest(landing, split)
        encoding, header, records = _records(monthly, split)
        # on or after: a shipment or a Tmall order dated the next day in its own zone stays with the day
        of_day = [r for r in records if _day_of(r, header, split) >= day]
        if not of_day:
            continue
        _write(monthly, encoding, header, [r for r in records if _day_of(r, header, split) < day], split)
        target = monthly.with_name(split.day_file.format(day=day, compact=day.replace("-", "")))
        _write(target, encoding, header, of_day, split)
        written.append(target)
    return day, written
