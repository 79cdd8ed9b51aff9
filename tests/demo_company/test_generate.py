"""The demo-company generator, checked against the files it writes (docs/data_sources.md).

One small company is generated per module (plus a second copy for determinism and a third with another
seed); every assertion recomputes its expectation from the raw files, as a pipeline would read them.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from demo_company.generate import generate_demo_company

SCALE = 0.05
SEED = 42
AMAZON_HEADER = [
    "amazon-order-id",
    "merchant-order-id",
    "purchase-date",
    "last-updated-date",
    "order-status",
    "fulfillment-channel",
    "sales-channel",
    "order-channel",
    "url",
    "ship-service-level",
    "product-name",
    "sku",
    "asin",
    "item-status",
    "quantity",
    "currency",
    "item-price",
    "item-tax",
    "shipping-price",
    "shipping-tax",
    "gift-wrap-price",
    "gift-wrap-tax",
    "item-promotion-discount",
    "ship-promotion-discount",
    "ship-city",
    "ship-state",
    "ship-postal-code",
    "ship-country",
    "promotion-ids",
    "is-business-order",
    "purchase-order-number",
    "price-designation",
]
SHOPIFY_REPEATED = {"Name", "Email", "Created at"}
SERVICE_DAYS = {"shopify": 7, "amazon": 5, "tmall": 4}


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, list[str]]:
    root = tmp_path_factory.mktemp("landing")
    messages: list[str] = []
    manifest = generate_demo_company(root, scale=SCALE, seed=SEED, progress=messages.append)
    return root, manifest, messages


@pytest.fixture(scope="module")
def landing(company) -> Path:
    return company[0]


@pytest.fixture(scope="module")
def manifest(company) -> dict:
    return company[1]


def read(landing: Path, pattern: str, **kwargs) -> pd.DataFrame:
    frames = []
    for path in sorted(landing.glob(pattern)):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, **kwargs)
        frame["_file"] = path.name
        frames.append(frame)
    assert frames, f"no file matches {pattern}"
    return pd.concat(frames, ignore_index=True)


def amazon_rows(landing: Path) -> pd.DataFrame:
    return read(landing, "amazon/All-Orders-Report_*.txt", sep="\t", quoting=csv.QUOTE_NONE)


def social_events(landing: Path) -> list[dict]:
    return [
        json.loads(line)
        for path in sorted(landing.glob("social/events_*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]


def files_bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes_other_seed_other_data(landing, tmp_path_factory):
    again = tmp_path_factory.mktemp("again")
    generate_demo_company(again, scale=SCALE, seed=SEED)
    first, second = files_bytes(landing), files_bytes(again)
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []

    other = tmp_path_factory.mktemp("other_seed")
    generate_demo_company(other, scale=SCALE, seed=SEED + 1)
    third = files_bytes(other)
    changed = [k for k in first if k in third and first[k] != third[k]]
    assert "shopify/orders_export_2026-03.csv" in changed and "mes/machine_events_2026-03.csv" in changed


def test_manifest_lists_every_file_with_its_row_count(landing, manifest, company):
    assert manifest == json.loads((landing / "_manifest.json").read_text(encoding="utf-8"))
    assert (manifest["history_start"], manifest["history_end"]) == ("2025-11-23", "2026-11-22")
    on_disk = {str(p.relative_to(landing)) for p in landing.rglob("*") if p.is_file()} - {"_manifest.json"}
    listed = {f"{source}/{name}" for source, names in manifest["files"].items() for name in names}
    assert listed == on_disk == set(manifest["rows"])
    for key, rows in manifest["rows"].items():
        encoding = "gbk" if key.startswith("tmall/") else "utf-8"
        lines = (landing / key).read_text(encoding=encoding).splitlines()
        assert rows == len(lines) - (0 if key.endswith(".jsonl") else 1), key
    assert any(m.startswith("shopify: ") for m in company[2])


def test_tmall_is_gbk_not_utf8(landing):
    for path in sorted(landing.glob("tmall/ExportOrderList*.csv")):
        raw = path.read_bytes()
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        header = raw.decode("gbk").splitlines()[0].split(",")
        assert header[:2] == ["订单编号", "子订单编号"] and len(header) == 19
    tmall = read(landing, "tmall/ExportOrderList*.csv", encoding="gbk")
    assert tmall["订单编号"].str.fullmatch(r"\d{19}").all()
    assert tmall["子订单编号"].is_unique


def test_amazon_is_tab_separated_with_the_exact_header(landing):
    for path in sorted(landing.glob("amazon/All-Orders-Report_*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[0].split("\t") == AMAZON_HEADER, path.name
        assert all(len(line.split("\t")) == len(AMAZON_HEADER) for line in lines[1:]), path.name
        assert '"' not in "".join(lines)
    rows = amazon_rows(landing)
    pending = rows["order-status"] == "Pending"
    assert (rows.loc[pending, "item-price"] == "").all()
    assert pd.to_numeric(rows.loc[~pending, "item-price"]).notna().all()
    assert pd.to_datetime(rows["purchase-date"], format="%Y-%m-%dT%H:%M:%S%z").notna().all()


def test_shopify_order_fields_only_on_the_first_row(landing):
    shop = read(landing, "shopify/orders_export_*.csv")
    order_level = [
        c for c in shop.columns if c not in SHOPIFY_REPEATED and not c.startswith("Lineitem") and c != "_file"
    ]
    first = ~shop.duplicated(["_file", "Name"])
    later = shop.loc[~first]
    assert len(later) > 0
    assert (later[order_level] == "").all().all()
    assert (shop.loc[first, "Financial Status"] != "").all() and (shop.loc[first, "Currency"] == "USD").all()
    assert (shop["Name"] != "").all() and (shop["Created at"] != "").all()
    created = pd.to_datetime(shop["Created at"], format="%Y-%m-%d %H:%M:%S %z", utc=True)
    assert created.notna().all()
    prices = shop["Lineitem price"]
    assert pd.to_numeric(prices[prices != "N/A"]).notna().all()


def test_manifest_counts_equal_the_files(landing, manifest):
    shop = read(landing, "shopify/orders_export_*.csv")
    amazon = amazon_rows(landing)
    tmall = read(landing, "tmall/ExportOrderList*.csv", encoding="gbk")
    pos = read(landing, "stores/pos_receipts_*.csv")
    store_orders = read(landing, "stores/store_orders_*.csv")
    events = social_events(landing)
    aliases = pd.read_csv(landing / "erp" / "sku_aliases.csv", dtype=str)
    masters = set(pd.read_csv(landing / "erp" / "products.csv", dtype=str)["Internal Reference"])

    shop_lines = shop.drop_duplicates(["Name", "Lineitem sku", "Lineitem name"])
    amazon_lines = amazon.drop_duplicates(["amazon-order-id", "sku"])
    assert manifest["orders"] == {
        "shopify": shop["Name"].nunique(),
        "amazon": amazon["amazon-order-id"].nunique(),
        "tmall": tmall["订单编号"].nunique(),
        "social": len({e["thread_id"] for e in events}),
        "stores_pos": pos["receipt_no"].nunique(),  # sales and return receipts
        "stores_orders": store_orders["order_no"].nunique(),
    }
    latest_items: dict[str, list] = {}
    for e in sorted(events, key=lambda e: (e["event_time"], e["event_id"])):
        if e["items"]:
            latest_items[e["thread_id"]] = e["items"]
    assert manifest["order_lines"] == {
        "shopify": len(shop_lines),
        "amazon": len(amazon_lines),
        "tmall": len(tmall),
        "social": sum(len(v) for v in latest_items.values()),
        "stores_pos": len(pos),
        "stores_orders": len(store_orders),
    }
    assert manifest["duplicate_lines"] == {
        "shopify": len(shop) - len(shop_lines),
        "amazon": len(amazon) - len(amazon_lines),
    }
    assert min(manifest["duplicate_lines"].values()) > 0
    assert manifest["alias_lines"] == {
        "shopify": int((~shop_lines["Lineitem sku"].isin(masters)).sum()),
        "amazon": len(amazon_lines),
        "tmall": len(tmall),
        "stores": len(pos),
    }
    assert manifest["return_lines"] == int((pos["qty"].astype(int) < 0).sum()) > 0
    assert manifest["malformed"] == {
        "shopify_price_na": int((shop["Lineitem price"] == "N/A").sum()),
        "amazon_price_empty": int((amazon["item-price"] == "").sum()),
        "tmall_phone_empty": int((tmall["联系手机"] == "").sum()),
    }
    # Every channel SKU resolves through the alias table, and every barcode is a valid EAN-13.
    known = set(zip(aliases["Channel"], aliases["Channel SKU"], strict=True))
    assert all(("amazon", s) in known for s in amazon["sku"])
    assert all(("tmall", s) in known for s in tmall["商家编码"])
    assert all(("stores", s) in known for s in pos["barcode"])
    assert all(s in masters or ("shopify", s) in known for s in shop["Lineitem sku"])
    for code in aliases.loc[aliases["Channel"] == "stores", "Channel SKU"]:
        digits = [int(c) for c in code]
        assert len(digits) == 13 and (sum(digits[0:12:2]) + 3 * sum(digits[1:12:2]) + digits[12]) % 10 == 0
    returns = pos.loc[pos["qty"].astype(int) < 0]
    assert returns["original_receipt_no"].isin(set(pos["receipt_no"])).all()


def test_every_shipment_belongs_to_a_shipped_channel_order(landing):
    shipments = read(landing, "wms/shipments_*.csv")
    shop = read(landing, "shopify/orders_export_*.csv")
    amazon = amazon_rows(landing).sort_values(["last-updated-date", "_file"])
    tmall = read(landing, "tmall/ExportOrderList*.csv", encoding="gbk")
    store_orders = read(landing, "stores/store_orders_*.csv")
    social_orders = {e["order_no"] for e in social_events(landing) if e["order_no"]}
    head = shop[shop["Financial Status"] != ""].drop_duplicates("Name", keep="last")
    amazon_last = amazon.drop_duplicates("amazon-order-id", keep="last")
    tmall_orders = tmall.drop_duplicates("订单编号")
    said_shipped = {
        "shopify": set(head.loc[head["Fulfillment Status"].isin(["fulfilled", "partial"]), "Name"]),
        "amazon": set(
            amazon_last.loc[amazon_last["order-status"].str.startswith("Shipped"), "amazon-order-id"]
        ),
        "tmall": set(tmall_orders.loc[tmall_orders["发货时间"] != "", "订单编号"]),
        "stores": set(store_orders.loc[store_orders["status"].isin(["shipped", "completed"]), "order_no"]),
    }
    by_channel = shipments.groupby("channel")["channel_order_id"].agg(set).to_dict()
    for channel, orders in said_shipped.items():
        assert by_channel[channel] == orders, channel
    assert by_channel["social"] <= social_orders
    shipped = pd.to_datetime(shipments["shipped_at"])
    delivered = pd.to_datetime(shipments["delivered_at"].replace("", None))
    assert (delivered.isna() | (delivered > shipped)).all()
    assert delivered.notna().mean() > 0.9
    # Line quantities and master SKUs agree with the channel (checked on Tmall: one row per line) once the
    # buyer confirmed receipt of every sub-order; orders shipped in two parts are in test_backorders.py.
    aliases = pd.read_csv(landing / "erp" / "sku_aliases.csv", dtype=str)
    master = dict(zip(aliases["Channel SKU"], aliases["Internal Reference"], strict=True))
    complete = tmall.groupby("订单编号")["订单状态"].transform(lambda s: (s == "交易成功").all())
    tm = (
        tmall[complete]
        .assign(sku=tmall["商家编码"].map(master), qty=tmall["购买数量"].astype(int))
        .groupby(["订单编号", "sku"])["qty"]
        .sum()
    )
    sh = (
        shipments[shipments["channel"] == "tmall"]
        .assign(qty=shipments["qty"].astype(int))
        .groupby(["channel_order_id", "sku"])["qty"]
        .sum()
    )
    sh.index.names = tm.index.names
    assert len(tm) > 0 and tm.equals(sh.reindex(tm.index))


def test_on_time_delivery_is_realistic(landing):
    shipments = read(landing, "wms/shipments_*.csv")
    delivered = shipments[shipments["delivered_at"] != ""].drop_duplicates(["channel", "channel_order_id"])
    shop = read(landing, "shopify/orders_export_*.csv").drop_duplicates("Name")
    amazon = amazon_rows(landing).drop_duplicates("amazon-order-id")
    tmall = read(landing, "tmall/ExportOrderList*.csv", encoding="gbk").drop_duplicates("订单编号")
    store_orders = read(landing, "stores/store_orders_*.csv").drop_duplicates("order_no")

    def shanghai_day(values: pd.Series) -> pd.Series:
        return (
            pd.to_datetime(values, utc=True, format="mixed")
            .dt.tz_convert("Asia/Shanghai")
            .dt.tz_localize(None)
        )

    promised: dict[tuple[str, str], pd.Timestamp] = {}
    for channel, ids, created in (
        ("shopify", shop["Name"], shanghai_day(shop["Created at"])),
        ("amazon", amazon["amazon-order-id"], shanghai_day(amazon["purchase-date"])),
        ("tmall", tmall["订单编号"], pd.to_datetime(tmall["订单创建时间"])),
    ):
        due = created.dt.normalize() + pd.Timedelta(days=SERVICE_DAYS[channel])
        promised |= dict(zip(((channel, i) for i in ids), due, strict=True))
    promised |= {
        ("stores", o): pd.Timestamp(d)
        for o, d in zip(store_orders["order_no"], store_orders["promised_date"], strict=True)
    }
    promised |= {
        ("social", e["order_no"]): pd.Timestamp(e["promised_date"])
        for e in social_events(landing)
        if e["order_no"]
    }
    due = pd.Series(
        [promised[k] for k in zip(delivered["channel"], delivered["channel_order_id"], strict=True)],
        index=delivered.index,
    )
    on_time = pd.to_datetime(delivered["delivered_at"]).dt.normalize() <= due
    assert 0.85 <= on_time.mean() <= 0.99
    assert not on_time.all()


def test_machine_events_tile_every_shift_exactly(landing, manifest):
    calendar = pd.read_csv(landing / "erp" / "shift_calendar.csv", dtype=str)
    # The calendar also holds the planned shifts after the snapshot; the MES covers the history.
    calendar = calendar[calendar["Date"] <= manifest["history_end"]]
    events = read(landing, "mes/machine_events_*.csv")
    events["start"] = pd.to_datetime(events["started_at"])
    events["end"] = pd.to_datetime(events["ended_at"])
    assert (events["end"] > events["start"]).all()
    assert set(events["state"]) <= {"running", "planned_stop", "breakdown", "setup", "idle"}
    events = events.sort_values(["machine_id", "start"])
    shifts = calendar.assign(start=pd.to_datetime(calendar["Start"]), end=pd.to_datetime(calendar["End"]))
    shifts = shifts.sort_values(["Machine", "start"])
    for machine, ev in events.groupby("machine_id"):
        sh = shifts[shifts["Machine"] == machine]
        # Shift boundaries the events must hit: each shift's start and end, nothing in between uncovered.
        bounds = np.searchsorted(sh["start"].to_numpy(), ev["start"].to_numpy(), side="right") - 1
        assert (bounds >= 0).all()
        inside = (ev["start"].to_numpy() >= sh["start"].to_numpy()[bounds]) & (
            ev["end"].to_numpy() <= sh["end"].to_numpy()[bounds]
        )
        assert inside.all(), machine
        covered = (ev["end"] - ev["start"]).groupby(bounds).sum()
        assert len(covered) == len(sh) and (covered == pd.Timedelta(hours=8)).all(), machine
        same_shift = bounds[1:] == bounds[:-1]
        assert (ev["start"].to_numpy()[1:][same_shift] == ev["end"].to_numpy()[:-1][same_shift]).all(), (
            machine
        )
    breaks = events[(events["state"] == "planned_stop") & (events["reason_code"] == "BREAK")]
    assert len(breaks) == len(calendar)


def test_oee_per_machine_and_production_order_references(landing):
    events = read(landing, "mes/machine_events_*.csv")
    counts = read(landing, "mes/production_counts_*.csv")
    machines = pd.read_csv(landing / "erp" / "machines.csv").set_index("Machine")
    orders = pd.read_csv(landing / "erp" / "production_orders.csv", dtype=str, keep_default_na=False)
    routings = pd.read_csv(landing / "erp" / "routings.csv", dtype=str)
    assert len(machines) == 19 and machines["Work Center"].nunique() == 11

    seconds = (pd.to_datetime(events["ended_at"]) - pd.to_datetime(events["started_at"])).dt.total_seconds()
    by_state = seconds.groupby([events["machine_id"], events["state"]]).sum().unstack(fill_value=0.0)
    planned = by_state.sum(axis=1) - by_state["planned_stop"]
    run = planned - by_state["breakdown"] - by_state["setup"]
    total = counts["total_count"].astype(int).groupby(counts["machine_id"]).sum()
    good = counts["good_count"].astype(int).groupby(counts["machine_id"]).sum()
    ict = machines["Ideal Cycle Time (s)"]
    availability = run / planned
    performance = total * ict.reindex(total.index) / run
    quality = good / total
    oee = availability * performance * quality
    assert len(oee) == 19
    assert oee.between(0.6, 0.9).all(), oee.round(3).to_dict()
    assert performance.max() <= 1.0 and quality.between(0.95, 1.0).all()

    merged = counts.merge(orders, left_on="production_order", right_on="Reference", how="left")
    assert merged["Reference"].notna().all()
    steps = set(zip(routings["Product"], routings["Sequence"], strict=True))
    assert all(k in steps for k in zip(merged["Product"], merged["operation_seq"], strict=True))
    assert {"done", "confirmed"} <= set(orders["State"])
    assert orders["Margin"].astype(float).between(0, 1).all()


def test_stock_snapshots_are_the_running_sum_of_movements(landing):
    snaps = read(landing, "wms/stock_snapshots_*.csv")
    moves = read(landing, "wms/movements_*.csv")
    products = pd.read_csv(landing / "erp" / "products.csv")
    assert len(snaps) == 365 * 3 * len(products)
    on_hand = snaps.assign(q=snaps["on_hand_qty"].astype(int)).pivot_table(
        index="snapshot_date", columns=["warehouse_code", "sku"], values="q", aggfunc="sum"
    )
    assert (on_hand >= 0).all().all()
    flows = moves.assign(q=moves["qty"].astype(int), day=moves["moved_at"].str[:10]).pivot_table(
        index="day", columns=["warehouse_code", "sku"], values="q", aggfunc="sum"
    )
    flows = flows.reindex(index=on_hand.index, columns=on_hand.columns).fillna(0)
    assert (on_hand.diff().iloc[1:] - flows.iloc[1:]).abs().to_numpy().max() == 0
    issues = moves["movement_type"].isin(["shipment", "pos_sale", "transfer_out"])
    assert (moves.loc[issues, "qty"].astype(int) < 0).all()
    shipments = read(landing, "wms/shipments_*.csv")
    assert set(moves.loc[moves["movement_type"] == "shipment", "reference"]) == set(shipments["shipment_id"])


def test_tickets_reference_real_orders(landing, manifest):
    tickets = read(landing, "cs/tickets_*.csv")
    shop = set(read(landing, "shopify/orders_export_*.csv")["Name"])
    amazon = set(amazon_rows(landing)["amazon-order-id"])
    tmall = set(read(landing, "tmall/ExportOrderList*.csv", encoding="gbk")["订单编号"])
    social = {e["order_no"] for e in social_events(landing) if e["order_no"]}
    stores = set(read(landing, "stores/store_orders_*.csv")["order_no"])
    known = {"shopify": shop, "amazon": amazon, "tmall": tmall, "social": social, "stores": stores}
    assert all(ref in known[ch] for ch, ref in zip(tickets["channel"], tickets["order_ref"], strict=True))
    orders = sum(manifest["orders"].values())
    assert 0.01 < len(tickets) / orders < 0.08
    answered = tickets[tickets["first_response_at"] != ""]
    wait = pd.to_datetime(answered["first_response_at"]) - pd.to_datetime(answered["created_at"])
    assert (wait > pd.Timedelta(0)).all() and (wait <= pd.Timedelta(hours=30)).all()
