"""Line statuses, gross / discount / net amounts and COGS recomputed from the raw demo exports with pandas.

An independent reading of the channel files (docs/data_sources.md, "Statuses and amounts"), compared with
the published marts: lines refunded or cancelled before they shipped are `cancelled` and not sold, order
amounts net of discounts, `N/A` prices recovered from the order's Subtotal.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.settings import DBT_PROJECT_DIR

CHANNELS = ("shopify", "amazon", "tmall")


def _read(paths: list[Path], **options) -> pd.DataFrame:
    frames = [
        pd.read_csv(path, dtype=str, keep_default_na=False, **options).assign(file=path.name)
        for path in paths
    ]
    return pd.concat(frames, ignore_index=True)


def _money(text: pd.Series) -> pd.Series:
    return pd.to_numeric(text, errors="coerce")


def _newest_copy(lines: pd.DataFrame, order: str, updated: pd.Series) -> pd.DataFrame:
    """The lines of each order from one file: the newest update time, then the later file name."""
    copies = lines.assign(updated=updated).groupby([order, "file"], as_index=False)["updated"].max()
    best = copies.sort_values([order, "updated", "file"]).groupby(order).tail(1)[[order, "file"]]
    return lines.merge(best, on=[order, "file"])


def _shopify(landing: Path) -> pd.DataFrame:
    raw = _read(sorted((landing / "shopify").glob("orders_export_*.csv")))
    first = raw["Financial Status"] != ""
    for column in ("Financial Status", "Fulfillment Status", "Subtotal", "Discount Amount", "Fulfilled at"):
        raw[column] = raw[column].where(first).groupby([raw["file"], raw["Name"]]).transform("first")
    raw = _newest_copy(raw, "Name", raw["Fulfilled at"].fillna(""))
    qty, price = _money(raw["Lineitem quantity"]), _money(raw["Lineitem price"])
    gross = qty * price
    # the one unpriced line of an order gets what closes Subtotal + Discount Amount = Σ gross
    order_gross = _money(raw["Subtotal"]) + _money(raw["Discount Amount"])
    rest = order_gross - gross.groupby(raw["Name"]).transform("sum")
    unpriced = price.isna().groupby(raw["Name"]).transform("sum")
    recovered = (rest / qty).round(2)
    ok = price.isna() & (unpriced == 1) & ((recovered * qty - rest).abs() < 0.005) & (rest > 0)
    price = price.where(~ok, recovered)
    refunded = raw["Financial Status"].isin(["partially_refunded", "refunded"])
    return pd.DataFrame(
        {
            "channel": "shopify",
            "channel_order_id": raw["Name"],
            "sku_text": raw["Lineitem sku"],
            "quantity": qty,
            "gross": qty * price,
            "order_discount": _money(raw["Discount Amount"]),
            "order_net": _money(raw["Subtotal"]),
            "channel_status": raw["Financial Status"] + "/" + raw["Fulfillment Status"],
            "cancelled": refunded & (raw["Lineitem fulfillment status"] == "pending"),
        }
    )


def _amazon(landing: Path) -> pd.DataFrame:
    raw = _read(sorted((landing / "amazon").glob("All-Orders-Report_*.txt")), sep="\t", quoting=3)
    raw = _newest_copy(raw, "amazon-order-id", raw["last-updated-date"])
    gross = _money(raw["item-price"])
    discount = _money(raw["item-promotion-discount"]).fillna(0).abs()
    return pd.DataFrame(
        {
            "channel": "amazon",
            "channel_order_id": raw["amazon-order-id"],
            "sku_text": raw["sku"],
            "quantity": _money(raw["quantity"]),
            "gross": gross,
            "discount": discount,
            "channel_status": raw["order-status"],
            "cancelled": raw["item-status"] == "Cancelled",
        }
    )


def _tmall(landing: Path) -> pd.DataFrame:
    raw = _read(sorted((landing / "tmall").glob("ExportOrderList*.csv")), encoding="gb18030")
    raw = _newest_copy(
        raw, "订单编号", raw[["订单创建时间", "订单付款时间", "发货时间", "确认收货时间"]].max(axis=1)
    )
    qty = _money(raw["购买数量"])
    gross = qty * _money(raw["单价"])
    refund = np.where(raw["退款状态"] == "退款成功", "/退款成功", "")
    return pd.DataFrame(
        {
            "channel": "tmall",
            "channel_order_id": raw["订单编号"],
            "sku_text": raw["商家编码"],
            "quantity": qty,
            "gross": gross,
            "discount": gross - _money(raw["实付金额"]),
            "channel_status": raw["订单状态"] + refund,
            "cancelled": (raw["订单状态"] == "交易关闭") & (raw["物流单号"] == ""),
        }
    )


@pytest.fixture(scope="module")
def expected(built_instance) -> pd.DataFrame:
    """Every Shopify, Amazon and Tmall line as the exports mean it: status, amounts, standard cost."""
    landing = built_instance.landing
    lines = pd.concat([_shopify(landing), _amazon(landing), _tmall(landing)], ignore_index=True)
    seed = pd.read_csv(DBT_PROJECT_DIR / "seeds" / "channel_status_map.csv", dtype=str)
    lines = lines.merge(seed[["channel", "channel_status", "unified_status"]], how="left")
    lines["line_status"] = np.where(lines["cancelled"], "cancelled", lines["unified_status"])
    aliases = pd.read_csv(landing / "erp" / "sku_aliases.csv", dtype=str)
    aliases = aliases.rename(columns={"Channel": "channel", "Channel SKU": "sku_text"})
    products = pd.read_csv(landing / "erp" / "products.csv", dtype=str)
    cost = dict(zip(products["Internal Reference"], _money(products["Cost"]), strict=True))
    lines = lines.merge(aliases[["channel", "sku_text", "Internal Reference"]], how="left")
    sku = lines["Internal Reference"].fillna(lines["sku_text"])
    lines["cost"] = lines["quantity"] * sku.map(cost)
    return lines


def _orders(built_instance) -> pd.DataFrame:
    return built_instance.df(
        "select channel, channel_order_id, order_gross_amount, order_discount_amount, order_amount, "
        "sold_cost_reporting, has_data_issue from marts.fct_orders "
        "where channel in ('shopify', 'amazon', 'tmall')"
    )


def test_refunded_or_cancelled_lines_that_never_shipped_are_cancelled_not_shipped_or_returned(
    built_instance, expected
):
    published = built_instance.df(
        "select channel, channel_order_id, line_status, order_status from marts.fct_order_lines "
        "where channel in ('shopify', 'amazon', 'tmall')"
    )
    statuses = lambda frame: frame.groupby(["channel", "channel_order_id"])["line_status"].apply(  # noqa: E731
        lambda s: tuple(sorted(s))
    )
    assert statuses(published).to_dict() == statuses(expected).to_dict()
    # the trouble itself: a cancelled line inside an order that went ahead, in every channel
    went_ahead = published[published["order_status"].isin(["shipped", "delivered", "returned"])]
    for channel in CHANNELS:
        cut = went_ahead[(went_ahead["channel"] == channel) & (went_ahead["line_status"] == "cancelled")]
        assert len(cut) > 0, channel


def test_order_gross_discount_and_net_match_the_exports(built_instance, expected):
    orders = _orders(built_instance).set_index(["channel", "channel_order_id"])
    by_order = expected.groupby(["channel", "channel_order_id"]).agg(
        gross=("gross", lambda s: s.sum() if s.notna().all() else np.nan),  # NaN: a line has no price
        discount=("discount", "sum"),
        order_discount=("order_discount", "first"),
        order_net=("order_net", "first"),
    )
    shopify = by_order.index.get_level_values("channel") == "shopify"
    # Shopify states the order's discount and its net (Subtotal); the others give them per line
    by_order["discount"] = np.where(shopify, by_order["order_discount"], by_order["discount"])
    by_order["net"] = np.where(shopify, by_order["order_net"], by_order["gross"] - by_order["discount"])
    priced = by_order[by_order["gross"].notna()]
    published = orders.loc[priced.index]
    for mart, recomputed in (
        ("order_gross_amount", "gross"),
        ("order_discount_amount", "discount"),
        ("order_amount", "net"),
    ):
        assert np.allclose(published[mart].astype(float), priced[recomputed], atol=0.005), mart
    assert (priced["discount"] > 0).sum() > 0
    unpriced_shopify = by_order.index[shopify & by_order["gross"].isna().to_numpy()]
    assert orders.loc[unpriced_shopify, "has_data_issue"].all()


def test_na_prices_are_recovered_from_the_order_subtotal_when_unambiguous(built_instance):
    manifest_na = built_instance.manifest["malformed"]["shopify_price_na"]
    recovered, flagged = built_instance.query(
        "select count(*) filter (where unit_price_source = 'order_subtotal'), "
        "count(*) filter (where unit_price_source is null) from staging.stg_shopify__orders"
    )[0]
    assert manifest_na > 0
    assert recovered > 0
    assert recovered + flagged == manifest_na


def test_cogs_counts_only_the_lines_sold(built_instance, expected):
    orders = _orders(built_instance).set_index(["channel", "channel_order_id"]).sort_index()
    sold = expected[expected["line_status"] != "cancelled"]
    cost = sold.groupby(["channel", "channel_order_id"])["cost"].sum(min_count=1)
    cost = cost.reindex(orders.index)
    assert np.allclose(orders["sold_cost_reporting"].astype(float), cost, equal_nan=True, atol=0.005)
