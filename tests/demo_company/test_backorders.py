"""Orders that leave the warehouse in two parts (a backorder) or end short, checked from the files.

The demo company ships most orders complete, but a few percent find a SKU short: the first shipment
carries what there was and a backorder follows 2-7 days later, or the rest is cancelled and refunded
(demo_company/backorders.py). Every expectation is recomputed here from the landing files,
as a pipeline would read them: the WMS shipments against the units each channel says were ordered, and
each channel's own shipping columns against the WMS. The test company (tests/conftest.py) is checked,
and the default company (scale 1), which also has orders still waiting for their backorder at the snapshot.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.conftest import TEST_SCALE, TEST_SEED

KEY = ["channel", "order_id"]
TEST_COMPANY = pytest.param((TEST_SCALE, TEST_SEED), id="test_company")
DEFAULT_COMPANY = pytest.param((1.0, 42), id="default")


def read(landing: Path, pattern: str, **kwargs) -> pd.DataFrame:
    frames = []
    for path in sorted(landing.glob(pattern)):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, **kwargs)
        frame["_file"] = path.name
        frames.append(frame)
    assert frames, f"no file matches {pattern}"
    return pd.concat(frames, ignore_index=True)


def shanghai(values: pd.Series) -> pd.Series:
    """Timestamps with a UTC offset, as naive Shanghai time (the WMS's zone)."""
    utc = pd.to_datetime(values, utc=True, format="mixed")
    return utc.dt.tz_convert("Asia/Shanghai").dt.tz_localize(None)


class Company:
    """The files of one generated company, read once."""

    def __init__(self, landing: Path) -> None:
        self.landing = landing
        aliases = read(landing, "erp/sku_aliases.csv")
        self.alias = {
            (c, s): m
            for c, s, m in zip(
                aliases["Channel"], aliases["Channel SKU"], aliases["Internal Reference"], strict=True
            )
        }
        shop = read(landing, "shopify/orders_export_*.csv")
        # Both copies of an order in overlapping exports are the same; keep the newest file's.
        self.shopify = shop[shop["_file"] == shop.groupby("Name")["_file"].transform("max")].copy()
        amazon = read(landing, "amazon/All-Orders-Report_*.txt", sep="\t", quoting=csv.QUOTE_NONE)
        amazon = amazon.sort_values(["last-updated-date", "_file"], kind="stable")
        self.amazon = amazon.drop_duplicates(["amazon-order-id", "sku"], keep="last").copy()
        self.tmall = read(landing, "tmall/ExportOrderList*.csv", encoding="gbk")
        self.store_orders = read(landing, "stores/store_orders_*.csv")
        self.events = [
            json.loads(line)
            for path in sorted(landing.glob("social/events_*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines()
        ]
        ship = read(landing, "wms/shipments_*.csv")
        ship["qty"] = ship["qty"].astype(int)
        ship["shipped"] = pd.to_datetime(ship["shipped_at"])
        ship["delivered"] = pd.to_datetime(ship["delivered_at"].replace("", None))
        self.shipments = ship.rename(columns={"channel_order_id": "order_id"})
        self.movements = read(landing, "wms/movements_*.csv")

    def master(self, channel: str, skus: pd.Series) -> list[str]:
        return [self.alias.get((channel, s), s) for s in skus]

    def ordered(self) -> pd.DataFrame:
        """Units ordered per channel order and master SKU, from each channel's export."""
        parts = [
            pd.DataFrame(
                {
                    "channel": "shopify",
                    "order_id": self.shopify["Name"],
                    "sku": self.master("shopify", self.shopify["Lineitem sku"]),
                    "ordered": self.shopify["Lineitem quantity"].astype(int),
                }
            ),
            pd.DataFrame(
                {
                    "channel": "amazon",
                    "order_id": self.amazon["amazon-order-id"],
                    "sku": self.master("amazon", self.amazon["sku"]),
                    "ordered": self.amazon["quantity"].astype(int),
                }
            ),
            pd.DataFrame(
                {
                    "channel": "tmall",
                    "order_id": self.tmall["订单编号"],
                    "sku": self.master("tmall", self.tmall["商家编码"]),
                    "ordered": self.tmall["购买数量"].astype(int),
                }
            ),
            pd.DataFrame(
                {
                    "channel": "stores",
                    "order_id": self.store_orders["order_no"],
                    "sku": self.store_orders["sku"],
                    "ordered": self.store_orders["qty"].astype(int),
                }
            ),
        ]
        # Social commerce: the agreed items are the thread's latest; the WMS names the order number.
        items: dict[str, list] = {}
        order_no: dict[str, str] = {}
        for e in sorted(self.events, key=lambda e: (e["event_time"], e["event_id"])):
            if e["items"]:
                items[e["thread_id"]] = e["items"]
            if e["order_no"]:
                order_no[e["thread_id"]] = e["order_no"]
        parts.append(
            pd.DataFrame(
                [
                    {"channel": "social", "order_id": order_no[t], "sku": i["sku"], "ordered": int(i["qty"])}
                    for t, its in items.items()
                    if t in order_no
                    for i in its
                ]
            )
        )
        return pd.concat(parts, ignore_index=True)

    def per_sku(self) -> pd.DataFrame:
        """Ordered and shipped (WMS) units per order line (channel order x master SKU) of shipped orders."""
        shipped = self.shipments.groupby([*KEY, "sku"], as_index=False)["qty"].sum()
        lines = self.ordered().merge(shipped, on=[*KEY, "sku"], how="outer", indicator=True)
        lines["qty"] = lines["qty"].fillna(0).astype(int)
        assert (lines["_merge"] != "right_only").all(), "the WMS shipped a SKU the order does not have"
        shipped_orders = self.shipments[KEY].drop_duplicates()
        return lines.drop(columns="_merge").merge(shipped_orders, on=KEY)

    def orders(self) -> pd.DataFrame:
        """Per shipped order: units ordered and shipped, shipments, first/last shipped, all delivered."""
        units = self.per_sku().groupby(KEY)[["ordered", "qty"]].sum()
        by = self.shipments.groupby(KEY)
        out = units.join(
            pd.DataFrame(
                {
                    "shipments": by["shipment_id"].nunique(),
                    "first_shipped": by["shipped"].min(),
                    "last_shipped": by["shipped"].max(),
                    "last_delivered": by["delivered"].max(),
                    "all_delivered": by["delivered"].apply(lambda s: s.notna().all()),
                }
            )
        )
        out["short"] = out["qty"] < out["ordered"]
        return out.reset_index()


@pytest.fixture(scope="module", params=[TEST_COMPANY, DEFAULT_COMPANY])
def company(request, demo_company_files) -> Company:
    scale, seed = request.param
    return Company(demo_company_files(scale, seed))


def test_a_few_percent_of_orders_leave_in_two_parts_and_the_fill_rate_shows_it(company):
    orders = company.orders()
    assert orders["shipments"].max() == 2
    split = orders["shipments"] == 2
    assert 0.015 <= split.mean() <= 0.06, split.mean()
    # Fill rate over the shipped orders: units of the lines the first shipment carried complete.
    ship = company.shipments
    first_id = ship.sort_values(["shipped", "shipment_id"]).groupby(KEY)["shipment_id"].first()
    first = ship[ship["shipment_id"].isin(set(first_id))].groupby([*KEY, "sku"])["qty"].sum()
    lines = company.per_sku()
    on_first = first.reindex(pd.MultiIndex.from_frame(lines[[*KEY, "sku"]])).fillna(0).to_numpy()
    fill = lines.loc[on_first >= lines["ordered"].to_numpy(), "ordered"].sum() / lines["ordered"].sum()
    assert 0.92 <= fill <= 0.985, fill
    # Some orders end short: one shipment, never the rest (a whole line or, for B2B, part of one).
    ended_short = orders["short"] & (orders["shipments"] == 1) & orders["all_delivered"]
    assert 0.002 <= ended_short.mean() <= 0.02, ended_short.mean()


def test_units_shipped_never_exceed_the_units_ordered(company):
    lines = company.per_sku()
    assert (lines["qty"] <= lines["ordered"]).all()
    assert (lines["qty"] < lines["ordered"]).any()
    # every shipped row is a positive quantity of an ordered SKU; a line is split over at most two rows
    assert (company.shipments["qty"] > 0).all()
    assert company.shipments.groupby([*KEY, "sku"]).size().max() <= 2


def test_the_backorder_is_its_own_parcel_two_to_seven_days_after_the_first(company):
    ship = company.shipments
    split = company.orders().query("shipments == 2")[KEY]
    parcels = (
        ship.merge(split, on=KEY)
        .groupby([*KEY, "shipment_id"], as_index=False)
        .agg(
            shipped=("shipped", "min"),
            delivered=("delivered", "max"),
            warehouse=("warehouse_code", "first"),
            tracking=("tracking_no", "first"),
            rows=("shipment_id", "size"),
            carriers=("carrier", "nunique"),
        )
        .sort_values([*KEY, "shipped"])
    )
    assert (parcels["carriers"] == 1).all()
    first = parcels.groupby(KEY).nth(0).set_index(KEY)
    back = parcels.groupby(KEY).nth(1).set_index(KEY)
    days = (back["shipped"].dt.normalize() - first["shipped"].dt.normalize()).dt.days
    assert days.between(2, 7).all(), days.describe()
    assert (back["tracking"] != first["tracking"]).all()
    assert ship.groupby("tracking_no")["shipment_id"].nunique().max() == 1  # one parcel, one number
    assert ((back["delivered"] > back["shipped"]) | back["delivered"].isna()).all()
    # mostly from the same warehouse, sometimes from the other DC where the stock was
    other_dc = back["warehouse"] != first["warehouse"]
    assert 0 < other_dc.sum() < len(other_dc)


def test_stock_movements_follow_each_shipment_and_returns_the_units_received(company):
    moves = company.movements.assign(qty=company.movements["qty"].astype(int))
    issued = moves[moves["movement_type"] == "shipment"]
    issued = issued.groupby(["reference", "warehouse_code", "sku"])["qty"].sum()
    shipped = company.shipments.groupby(["shipment_id", "warehouse_code", "sku"])["qty"].sum()
    shipped.index.names = issued.index.names
    assert issued.sort_index().equals(-shipped.sort_index())
    # a return names the order and brings back what the order received (never the units it never got)
    returns = moves[moves["movement_type"] == "return"].groupby(["reference", "sku"])["qty"].sum()
    received = company.shipments.groupby(["order_id", "sku"])["qty"].sum()
    received.index.names = returns.index.names
    returned_orders = returns.index.get_level_values(0).isin(company.shipments["order_id"])
    online = returns[returned_orders]
    assert len(online) > 0
    expected = received[received.index.get_level_values(0).isin(online.index.get_level_values(0))]
    assert online.sort_index().equals(expected.sort_index())


def test_shopify_fulfilment_agrees_with_the_wms(company):
    orders = company.orders().query("channel == 'shopify'").set_index("order_id")
    shop = company.shopify
    head = shop[shop["Financial Status"] != ""].set_index("Name").loc[orders.index]
    # partly shipped while the rest waits; an order that ends short is refunded the rest
    partial = head["Fulfillment Status"] == "partial"
    waiting = orders["short"] & (head["Financial Status"] == "paid")
    assert partial.equals(waiting)
    assert (head.loc[~orders["short"], "Fulfillment Status"] == "fulfilled").all()
    refunded_rest = head["Financial Status"] == "partially_refunded"
    assert orders.loc[refunded_rest[refunded_rest].index, "short"].all()
    assert set(head.loc[orders["short"], "Financial Status"]) <= {"paid", "partially_refunded", "refunded"}
    amounts = head.loc[refunded_rest, ["Refunded Amount", "Total"]].astype(float)
    assert ((amounts["Refunded Amount"] > 0) & (amounts["Refunded Amount"] < amounts["Total"])).all()
    # `Fulfilled at` is the latest shipment
    assert (shanghai(head["Fulfilled at"]) == orders["last_shipped"]).all()
    # each line's status follows the units the WMS shipped for it
    lines = company.per_sku().query("channel == 'shopify'").set_index(["order_id", "sku"])
    rows = shop[shop["Name"].isin(orders.index)]
    key = pd.MultiIndex.from_arrays([rows["Name"], company.master("shopify", rows["Lineitem sku"])])
    sent, want = lines["qty"].reindex(key).to_numpy(), lines["ordered"].reindex(key).to_numpy()
    expected = np.select([sent >= want, sent > 0], ["fulfilled", "partial"], "pending")
    assert rows["Lineitem fulfillment status"].tolist() == expected.tolist()


def test_amazon_statuses_agree_with_the_wms(company):
    orders = company.orders().query("channel == 'amazon'").set_index("order_id")
    rows = company.amazon[company.amazon["amazon-order-id"].isin(orders.index)]
    lines = company.per_sku().query("channel == 'amazon'").set_index(["order_id", "sku"])
    key = pd.MultiIndex.from_arrays([rows["amazon-order-id"], company.master("amazon", rows["sku"])])
    sent = lines["qty"].reindex(key).to_numpy()
    # an item is Shipped when (some of) it left; a waiting or cancelled item has no shipment
    assert ((rows["item-status"] == "Shipped").to_numpy() == (sent > 0)).all()
    assert set(rows.loc[sent == 0, "item-status"]) <= {"Unshipped", "Cancelled"}
    status = rows.groupby("amazon-order-id")["order-status"].first().loc[orders.index]
    cancelled = rows.groupby("amazon-order-id")["item-status"].agg(lambda s: (s == "Cancelled").any())
    waiting = orders["short"] & ~cancelled.loc[orders.index]
    assert (status == "PartiallyShipped").equals(waiting)
    delivered = status == "Shipped - Delivered to Buyer"
    assert orders.loc[delivered, "all_delivered"].all()


def test_tmall_shipping_columns_agree_with_the_wms(company):
    orders = company.orders().query("channel == 'tmall'").set_index("order_id")
    tm = company.tmall[company.tmall["订单编号"].isin(orders.index)]
    # 发货时间 is the first shipment
    sent_at = pd.to_datetime(tm["发货时间"]).to_numpy()
    assert (sent_at == orders.loc[tm["订单编号"], "first_shipped"].to_numpy()).all()
    # each sub-order names a parcel of its order that carried its SKU; empty when nothing of it left
    ship = company.shipments.query("channel == 'tmall'")
    carried = set(zip(ship["order_id"], ship["tracking_no"], ship["sku"], strict=True))
    skus = company.master("tmall", tm["商家编码"])
    named = tm["物流单号"] != ""
    assert all(
        (o, t, s) in carried
        for o, t, s, n in zip(tm["订单编号"], tm["物流单号"], skus, named, strict=True)
        if n
    )
    lines = company.per_sku().query("channel == 'tmall'").set_index(["order_id", "sku"])
    sent = lines["qty"].reindex(pd.MultiIndex.from_arrays([tm["订单编号"], skus])).to_numpy()
    assert (sent[~named.to_numpy()] == 0).all()
    # a sub-order refunded instead of shipped closes alone; the buyer confirms after the last parcel
    alone = (tm["订单状态"] == "交易关闭") & (tm["退款状态"] == "退款成功")
    alone &= tm.groupby("订单编号")["订单状态"].transform(lambda s: (s != "交易关闭").any())
    assert (sent[alone.to_numpy()] == 0).all()
    confirmed = tm[tm["确认收货时间"] != ""].drop_duplicates("订单编号")
    last = orders.loc[confirmed["订单编号"]]
    assert last["all_delivered"].all()
    assert (pd.to_datetime(confirmed["确认收货时间"]).to_numpy() > last["last_delivered"].to_numpy()).all()


def test_store_orders_complete_with_their_last_parcel(company):
    orders = company.orders().query("channel == 'stores'").set_index("order_id")
    status = company.store_orders.groupby("order_no")["status"].first().loc[orders.index]
    assert orders.loc[status == "completed", "all_delivered"].all()
    shipped = orders.loc[status == "shipped"]
    assert (~shipped["all_delivered"] | shipped["short"]).all()


@pytest.mark.parametrize("company", [DEFAULT_COMPANY], indirect=True)
def test_every_state_of_a_split_order_is_in_the_default_company(company):
    """The rules above hold on every order; this makes sure the default company exercises each of them."""
    orders = company.orders()
    split = orders[orders["shipments"] == 2]
    assert set(split["channel"]) == {"shopify", "amazon", "tmall", "social", "stores"}
    ended_short = orders[orders["short"] & orders["all_delivered"] & (orders["shipments"] == 1)]
    assert set(ended_short["channel"]) == {"shopify", "amazon", "tmall", "social", "stores"}
    head = company.shopify[company.shopify["Financial Status"] != ""]
    statuses = set(head["Financial Status"] + "/" + head["Fulfillment Status"])
    assert {"paid/partial", "partially_refunded/fulfilled"} <= statuses
    shipped = company.amazon[company.amazon["order-status"].str.startswith("Shipped")]
    assert (company.amazon["order-status"] == "PartiallyShipped").any()
    assert (shipped["item-status"] == "Cancelled").any()
    tm = company.tmall
    closed_alone = (tm["订单状态"] == "交易关闭") & (tm["退款状态"] == "退款成功")
    closed_alone &= tm.groupby("订单编号")["订单状态"].transform(lambda s: (s == "交易成功").any())
    assert closed_alone.any()
    assert (tm["物流单号"].groupby(tm["订单编号"]).nunique() == 2).any()
