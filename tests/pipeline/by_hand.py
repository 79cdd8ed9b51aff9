"""The truth, computed by hand from the raw landing files with pandas, independently of the pipeline.

Nothing here imports the pipeline: it reads the files as a person with a spreadsheet would, following
the definitions in the domain reference, so the end-to-end test can compare the warehouse against it.
Only configuration an analyst maintains (the dbt seeds) is shared.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd

SEEDS = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"
COMPANY_TZ = "Asia/Shanghai"
SOLD = {"confirmed", "shipped", "delivered"}


def _read_csvs(folder: Path, pattern: str, **kwargs) -> pd.DataFrame:
    frames = []
    for path in sorted(folder.glob(pattern)):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], **kwargs)
        frame["_file"] = path.name
        frame["_row"] = range(len(frame))
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _social_events(landing: Path) -> pd.DataFrame:
    records = []
    for path in sorted((landing / "social").glob("events_*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            records += [json.loads(line) for line in handle if line.strip()]
    return pd.DataFrame(records)


def raw_lines(landing: Path) -> pd.DataFrame:
    """Every channel order line once (the newest copy of a re-exported line), with its channel status.

    Columns: channel, order_id, channel_sku, qty, channel_status, line_cancelled (the channel's line-level
    field says the line was refunded or cancelled before it shipped: docs/data_sources.md).
    """
    parts = []
    shopify = _read_csvs(landing / "shopify", "orders_export_*.csv")
    in_file = shopify.groupby(["_file", "Name"])
    shopify["status"] = (
        in_file["Financial Status"].transform("first")
        + "/"
        + in_file["Fulfillment Status"].transform("first")
    )
    # An order exported twice has the same rows in both files: keep the newest file's copy.
    shopify = shopify[shopify["_file"] == shopify.groupby("Name")["_file"].transform("max")]
    parts.append(
        pd.DataFrame(
            {
                "channel": "shopify",
                "order_id": shopify["Name"],
                "channel_sku": shopify["Lineitem sku"],
                "qty": shopify["Lineitem quantity"].astype(int),
                "channel_status": shopify["status"],
                "line_cancelled": shopify["status"].str.startswith(("partially_refunded/", "refunded/"))
                & (shopify["Lineitem fulfillment status"] == "pending"),
            }
        )
    )

    amazon = _read_csvs(landing / "amazon", "All-Orders-Report_*.txt", sep="\t", quoting=csv.QUOTE_NONE)
    amazon = amazon.sort_values(["last-updated-date", "_file"]).drop_duplicates(
        ["amazon-order-id", "sku"], keep="last"
    )
    parts.append(
        pd.DataFrame(
            {
                "channel": "amazon",
                "order_id": amazon["amazon-order-id"],
                "channel_sku": amazon["sku"],
                "qty": amazon["quantity"].astype(int),
                "channel_status": amazon["order-status"],
                "line_cancelled": amazon["item-status"] == "Cancelled",
            }
        )
    )

    tmall = _read_csvs(landing / "tmall", "ExportOrderList*.csv", encoding="gb18030").drop_duplicates(
        "子订单编号", keep="last"
    )
    refunded = (tmall["退款状态"] == "退款成功").map({True: "/退款成功", False: ""})
    parts.append(
        pd.DataFrame(
            {
                "channel": "tmall",
                "order_id": tmall["订单编号"],
                "channel_sku": tmall["商家编码"],
                "qty": tmall["购买数量"].astype(int),
                "channel_status": tmall["订单状态"] + refunded,
                "line_cancelled": (tmall["订单状态"] == "交易关闭") & tmall["物流单号"].isna(),
            }
        )
    )

    social = _social_events(landing).sort_values(["event_time", "event_id"])
    latest_status = social.groupby("thread_id")["event_type"].last()
    latest_items = social[social["items"].notna()].groupby("thread_id")["items"].last()
    parts.append(
        pd.DataFrame(
            [
                {
                    "channel": "social",
                    "order_id": thread,
                    "channel_sku": item["sku"],
                    "qty": int(item["qty"]),
                    "channel_status": latest_status[thread],
                }
                for thread, items in latest_items.items()
                for item in items
            ]
        )
    )

    pos = _read_csvs(landing / "stores", "pos_receipts_*.csv")
    pos["qty"] = pos["qty"].astype(int)
    is_return = pos.groupby("receipt_no")["qty"].transform("min") < 0
    parts.append(
        pd.DataFrame(
            {
                "channel": "stores",
                "order_id": pos["receipt_no"],
                "channel_sku": pos["barcode"],
                "qty": pos["qty"],
                "channel_status": is_return.map({True: "return", False: "sale"}),
            }
        )
    )

    store_orders = _read_csvs(landing / "stores", "store_orders_*.csv").drop_duplicates(
        ["order_no", "line_no"], keep="last"
    )
    parts.append(
        pd.DataFrame(
            {
                "channel": "stores",
                "order_id": store_orders["order_no"],
                "channel_sku": store_orders["sku"],
                "qty": store_orders["qty"].astype(int),
                "channel_status": store_orders["status"],
            }
        )
    )
    lines = pd.concat(parts, ignore_index=True)
    lines["line_cancelled"] = lines["line_cancelled"].eq(True)  # social and stores give no such field
    return lines


def raw_row_counts(landing: Path) -> dict[str, int]:
    """Rows in the files of the channels whose export windows overlap."""
    return {
        "shopify": len(_read_csvs(landing / "shopify", "orders_export_*.csv")),
        "amazon": len(
            _read_csvs(landing / "amazon", "All-Orders-Report_*.txt", sep="\t", quoting=csv.QUOTE_NONE)
        ),
    }


def _status_map() -> dict[tuple[str, str], str]:
    seed = pd.read_csv(SEEDS / "channel_status_map.csv", dtype=str)
    return {(r.channel, r.channel_status): r.unified_status for r in seed.itertuples()}


def _service_days() -> dict[str, int]:
    seed = pd.read_csv(SEEDS / "channel_service_levels.csv")
    return dict(zip(seed["channel"], seed["service_level_days"], strict=True))


def _local_date(utc_series: pd.Series) -> pd.Series:
    return utc_series.dt.tz_convert(COMPANY_TZ).dt.tz_localize(None).dt.normalize()


def on_time_delivery(landing: Path) -> tuple[int, int]:
    """(orders delivered on or before the promised date, orders delivered) over the whole history."""
    days = _service_days()
    shopify = _read_csvs(landing / "shopify", "orders_export_*.csv")
    shopify = shopify[shopify["Created at"].notna()].drop_duplicates("Name", keep="last")
    created = pd.to_datetime(shopify["Created at"], format="%Y-%m-%d %H:%M:%S %z", utc=True)
    promised = {
        ("shopify", n): d
        for n, d in zip(
            shopify["Name"], _local_date(created) + pd.Timedelta(days=days["shopify"]), strict=True
        )
    }
    cancelled = {("shopify", n) for n in shopify.loc[shopify["Cancelled at"].notna(), "Name"]}

    amazon = _read_csvs(landing / "amazon", "All-Orders-Report_*.txt", sep="\t", quoting=csv.QUOTE_NONE)
    amazon = amazon.sort_values("last-updated-date").drop_duplicates("amazon-order-id", keep="last")
    purchased = _local_date(pd.to_datetime(amazon["purchase-date"], utc=True))
    promised |= {
        ("amazon", o): d + pd.Timedelta(days=days["amazon"])
        for o, d in zip(amazon["amazon-order-id"], purchased, strict=True)
    }
    cancelled |= {("amazon", o) for o in amazon.loc[amazon["order-status"] == "Cancelled", "amazon-order-id"]}

    tmall = _read_csvs(landing / "tmall", "ExportOrderList*.csv", encoding="gb18030").drop_duplicates(
        "订单编号"
    )
    tmall_dates = pd.to_datetime(tmall["订单创建时间"]).dt.normalize()
    promised |= {
        ("tmall", o): d + pd.Timedelta(days=days["tmall"])
        for o, d in zip(tmall["订单编号"], tmall_dates, strict=True)
    }
    closed_unrefunded = (tmall["订单状态"] == "交易关闭") & (tmall["退款状态"] != "退款成功")
    cancelled |= {("tmall", o) for o in tmall.loc[closed_unrefunded, "订单编号"]}

    # Social: the WMS ships by order number; the promise is the one agreed in the thread.
    social = _social_events(landing)
    ordered = social[social["order_no"].notna()]
    promised |= {
        ("social", o): pd.Timestamp(d) for o, d in ordered.groupby("order_no")["promised_date"].max().items()
    }
    lost = set(social.loc[social["event_type"] == "lost", "thread_id"])
    cancelled |= {("social", o) for o in ordered.loc[ordered["thread_id"].isin(lost), "order_no"]}

    store_orders = _read_csvs(landing / "stores", "store_orders_*.csv")
    promised |= {
        ("stores", o): pd.Timestamp(d)
        for o, d in store_orders.groupby("order_no")["promised_date"].max().items()
    }
    cancelled |= {("stores", o) for o in store_orders.loc[store_orders["status"] == "cancelled", "order_no"]}

    # An order is delivered when every line of every one of its shipments (a backorder too) arrived.
    shipments = _read_csvs(landing / "wms", "shipments_*.csv")
    shipments["delivered_at"] = pd.to_datetime(shipments["delivered_at"])
    by_order = shipments.groupby(["channel", "channel_order_id"])
    fully_delivered = by_order["delivered_at"].apply(lambda s: s.notna().all())
    delivered_date = by_order["delivered_at"].max().dt.normalize()
    on_time = delivered = 0
    for key, is_delivered in fully_delivered.items():
        if not is_delivered or key in cancelled:
            continue
        delivered += 1
        on_time += int(delivered_date[key] <= promised[key])
    return on_time, delivered


def oee(landing: Path) -> float:
    """OEE over the history: Σ(A×P×Q × planned production time) ÷ Σ planned production time."""
    shifts = _read_csvs(landing / "erp", "shift_calendar.csv")
    events = _read_csvs(landing / "mes", "machine_events_*.csv")
    counts = _read_csvs(landing / "mes", "production_counts_*.csv")
    machines = _read_csvs(landing / "erp", "machines.csv").set_index("Machine")
    for column in ("Start", "End"):
        shifts[column] = pd.to_datetime(shifts[column])
    events["started_at"] = pd.to_datetime(events["started_at"])
    events["ended_at"] = pd.to_datetime(events["ended_at"])
    # The calendar also holds the planned shifts after the snapshot; OEE covers the shifts the MES reached.
    shifts = shifts[shifts["Start"] < events["ended_at"].max()]
    counts[["total_count", "good_count"]] = counts[["total_count", "good_count"]].astype(int)
    totals = counts.groupby(["machine_id", "shift_date", "shift"])[["total_count", "good_count"]].sum()
    events_by_machine = dict(tuple(events.groupby("machine_id")))

    weighted = weights = 0.0
    for shift in shifts.itertuples():
        machine_events = events_by_machine[shift.Machine]
        inside = machine_events[
            (machine_events["started_at"] < shift.End) & (machine_events["ended_at"] > shift.Start)
        ]
        minutes = (
            (
                (
                    inside["ended_at"].clip(upper=shift.End) - inside["started_at"].clip(lower=shift.Start)
                ).dt.total_seconds()
                / 60
            )
            .groupby(inside["state"])
            .sum()
        )
        shift_minutes = (shift.End - shift.Start).total_seconds() / 60
        planned = shift_minutes - minutes.get("planned_stop", 0.0)
        if planned <= 0:
            continue
        run = planned - minutes.get("breakdown", 0.0) - minutes.get("setup", 0.0)
        total, good = (
            totals.loc[(shift.Machine, shift.Date, shift.Shift)]
            if (shift.Machine, shift.Date, shift.Shift) in totals.index
            else (0, 0)
        )
        ideal_s = float(machines.loc[shift.Machine, "Ideal Cycle Time (s)"])
        performance = min(ideal_s * total / 60 / run, 1.0) if run > 0 else 0.0
        quality = good / total if total else 1.0
        weighted += (run / planned) * performance * quality * planned
        weights += planned
    return weighted / weights


def inventory_days(landing: Path) -> tuple[float, float, int]:
    """(average daily inventory value at cost, COGS, days) over the history; DIO = avg ÷ COGS × days."""
    products = _read_csvs(landing / "erp", "products.csv")
    cost = dict(zip(products["Internal Reference"], products["Cost"].astype(float), strict=True))
    snapshots = _read_csvs(landing / "wms", "stock_snapshots_*.csv")
    snapshots["value"] = snapshots["on_hand_qty"].astype(float) * snapshots["sku"].map(cost)
    per_day = snapshots.groupby("snapshot_date")["value"].sum()

    aliases = _read_csvs(landing / "erp", "sku_aliases.csv")
    alias = {
        (channel.lower(), channel_sku): sku
        for channel, channel_sku, sku in zip(
            aliases["Channel"], aliases["Channel SKU"], aliases["Internal Reference"], strict=True
        )
    }
    lines = raw_lines(landing)
    status = _status_map()
    unified = [status[key] for key in zip(lines["channel"], lines["channel_status"], strict=True)]
    sold = pd.Series(unified, index=lines.index).isin(SOLD) & ~lines["line_cancelled"] | (lines["qty"] < 0)
    skus = [alias.get(key, key[1]) for key in zip(lines["channel"], lines["channel_sku"], strict=True)]
    line_cost = lines["qty"] * pd.Series(skus, index=lines.index).map(cost)
    return float(per_day.mean()), float(line_cost[sold].sum()), len(per_day)
