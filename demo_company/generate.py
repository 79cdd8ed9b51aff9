"""Entry point: generate the whole demo company (Lumen & Loom) into a landing folder.

Order of work: catalogue and customers → each sales channel simulates its year (including the orders that
ship in two parts, backorders.py) and writes its exports → the WMS ships what the channels shipped → the
stock policy plans production, the plant runs it (MES), stock is replayed with the plant's actual output →
ERP, WMS, MES and CS extracts → `_manifest.json`.
Output is byte-for-byte deterministic for a given (seed, scale, as_of); every source draws from its own
random stream, so a change in one source does not reshuffle the others.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from . import amazon, cs, erp, inventory, mes, shopify, social, stores, tmall, wms
from .backorders import Shortages
from .catalog import build_catalog
from .channel import Company
from .customers import build_people
from .output import Output
from .production import plan_and_run
from .window import Window, rng_for

DEFAULT_AS_OF = date(2026, 11, 23)
# The last history day is exported as the daily files a system sends every day (see `generate_demo_company`).
DEFAULT_DAILY_TAIL = 1
# Order lines per unit of `scale` (the default company has 31,435); `scale_for_lines` inverts it.
LINES_PER_SCALE = 31_435
SOURCES = ("shopify", "amazon", "tmall", "social", "stores", "erp", "wms", "mes", "cs")
# The file patterns of docs/data_sources.md; stale files matching them are removed before writing.
PATTERNS = {
    "shopify": ["orders_export_*.csv"],
    "amazon": ["All-Orders-Report_*.txt"],
    "tmall": ["ExportOrderList*.csv"],
    "social": ["events_*.jsonl"],
    "stores": ["pos_receipts_*.csv", "store_orders_*.csv"],
    "erp": [
        "products.csv",
        "customers.csv",
        "sku_aliases.csv",
        "sales_forecast.csv",
        "production_orders.csv",
        "routings.csv",
        "work_centers.csv",
        "machines.csv",
        "shift_calendar.csv",
        "machine_downtime.csv",
        "bom.csv",
        "exchange_rates.csv",
    ],
    "wms": ["stock_snapshots_*.csv", "movements_*.csv", "shipments_*.csv"],
    "mes": [
        "machine_events_*.csv",
        "production_counts_*.csv",
        "dispatch_plan_*.csv",
        "material_consumption_*.csv",
    ],
    "cs": ["tickets_*.csv"],
}


def generate_demo_company(
    out_dir: Path,
    *,
    scale: float = 1.0,
    seed: int = 42,
    as_of: date = DEFAULT_AS_OF,
    progress: Callable[[str], None] | None = None,
    daily_tail: int = DEFAULT_DAILY_TAIL,
) -> dict:
    """Writes every source's files under out_dir/<source>/ and out_dir/_manifest.json; returns the manifest.

    `scale` multiplies order volume linearly; `as_of` is the snapshot day (history = the 365 days before).
    The last `daily_tail` company days (Asia/Shanghai) of the order channels, WMS shipments and movements
    and CS tickets are written as one file per day, named after the day in each system's own naming
    (`shopify/orders_export_2026-11-22.csv`, `tmall/ExportOrderList20261122.csv`, …): holding those
    files back and dropping them in later is "tomorrow's exports arrive". 0 = monthly files only.
    """
    if scale <= 0:
        raise ValueError("scale must be positive")
    if daily_tail < 0:
        raise ValueError("daily_tail must be 0 or more")
    out_dir = Path(out_dir)
    _clear(out_dir)
    window = Window(as_of)
    tail = (window.end_day - (daily_tail - 1), window.end_day) if daily_tail else None
    out = Output(out_dir, progress, tail)
    catalog = build_catalog(seed)
    people = build_people(seed, scale, window)
    # The stock policy depends only on the catalogue; its tightly planned SKUs are the ones that run short.
    policy = inventory.build_policy(seed, catalog)
    short = Shortages.from_policy(seed, policy.tight)

    # Every channel draws from its own stream; `counts` (per channel, for the manifest) keeps this order.
    company = Company(window, catalog, people, scale, out, short)
    counts: dict[str, dict] = {}
    shop, counts["shopify"] = shopify.generate(rng_for(seed, "shopify"), company)
    amz, counts["amazon"] = amazon.generate(rng_for(seed, "amazon"), company)
    tm, counts["tmall"] = tmall.generate(rng_for(seed, "tmall"), company)
    soc, counts["social"] = social.generate(rng_for(seed, "social"), company)
    pos, counts["stores_pos"] = stores.generate_pos(rng_for(seed, "stores-pos"), company)
    so, counts["stores_orders"] = stores.generate_orders(rng_for(seed, "stores-orders"), company)
    channels = [shop, amz, tm, soc, so]

    shipments = wms.build_shipments(window, channels)
    flows = wms.build_flows(window, catalog, channels, shipments, pos)
    plant = plan_and_run(seed, window, catalog, policy, flows.outflow, flows.inflow, channels, scale)

    erp.write_master_data(out, catalog, people)
    erp.write_plant(out, window, catalog, plant)
    erp.write_forecast(out, seed, window, catalog, channels, pos)
    erp.write_exchange_rates(out, seed, window)
    wms.write_shipments(out, catalog, shipments)
    stock = wms.write_stock(out, seed, window, catalog, plant.stock, flows, plant.production)
    out.say(
        f"wms: {shipments['shipment_id'].nunique():,} shipments, {stock['movements']:,} movements, "
        f"{stock['snapshots']:,} stock snapshot rows"
    )
    mes.write(out, plant.mes, plant.mos["ref"].tolist(), plant.consumption)
    cs.generate(rng_for(seed, "cs"), window, channels, out)

    manifest = _manifest(seed, scale, as_of, window, daily_tail, out, counts)
    out.json("_manifest.json", manifest)
    total = sum(manifest["rows"].values())
    out.say(f"done: {sum(len(v) for v in manifest['files'].values())} files, {total:,} rows")
    return manifest


def _manifest(
    seed: int,
    scale: float,
    as_of: date,
    window: Window,
    daily_tail: int,
    out: Output,
    counts: dict[str, dict],
) -> dict:
    """What was generated: the inputs, the files and rows written, and the channels' counts of orders,
    lines and deliberate defects (the tests' and the README's figures)."""
    shop_n, amz_n, tm_n, pos_n = counts["shopify"], counts["amazon"], counts["tmall"], counts["stores_pos"]
    return {
        "seed": seed,
        "scale": scale,
        "as_of": as_of.isoformat(),
        "history_start": window.start.isoformat(),
        "history_end": window.end.isoformat(),
        "daily_tail_days": daily_tail,
        "daily_files": {s: sorted(out.daily.get(s, [])) for s in SOURCES if s in out.daily},
        "orders": {channel: n["orders"] for channel, n in counts.items()},
        "order_lines": {channel: n["lines"] for channel, n in counts.items()},
        "duplicate_lines": {"shopify": shop_n["duplicates"], "amazon": amz_n["duplicates"]},
        "alias_lines": {
            "shopify": shop_n["alias"],
            "amazon": amz_n["alias"],
            "tmall": tm_n["alias"],
            "stores": pos_n["alias"],
        },
        "return_lines": pos_n["returns"],
        "malformed": {
            "shopify_price_na": shop_n["price_na"],
            "amazon_price_empty": amz_n["price_empty"],
            "tmall_phone_empty": tm_n["phone_empty"],
        },
        "files": {s: sorted(out.files.get(s, [])) for s in SOURCES},
        "rows": {k: out.rows[k] for k in sorted(out.rows)},
    }


def scale_for_lines(lines: int) -> float:
    """The `scale` that gives about `lines` order lines (volume is linear in scale)."""
    if lines <= 0:
        raise ValueError("lines must be positive")
    return round(lines / LINES_PER_SCALE, 3)


def _clear(out_dir: Path) -> None:
    """Remove files a previous run left that match the landing patterns (e.g. months of another as_of)."""
    for source, patterns in PATTERNS.items():
        folder = out_dir / source
        if not folder.is_dir():
            continue
        for pattern in patterns:
            for path in sorted(folder.glob(pattern)):
                path.unlink()
