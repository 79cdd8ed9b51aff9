"""One customer across channels: the same mobile number, however each channel formats it, is one customer."""

from __future__ import annotations

import re
from collections import defaultdict

from tests.pipeline import by_hand


def _cn_mobile(raw: str | float) -> str | None:
    """The 11-digit Chinese mobile in any of the formats the channels write, worked out by hand."""
    if not isinstance(raw, str):
        return None
    digits = re.sub(r"\D", "", raw)
    digits = digits.removeprefix("00")
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits if re.fullmatch(r"1[3-9]\d{9}", digits) else None


def test_one_mobile_number_is_one_customer_across_channels(built_instance):
    landing = built_instance.landing
    tmall = by_hand._read_csvs(landing / "tmall", "ExportOrderList*.csv", encoding="gb18030")
    shopify = by_hand._read_csvs(landing / "shopify", "orders_export_*.csv")
    stores = by_hand._read_csvs(landing / "stores", "store_orders_*.csv")
    phone_of = {}
    for channel, frame, order_col, phone_col in (
        ("tmall", tmall, "订单编号", "联系手机"),
        ("shopify", shopify, "Name", "Shipping Phone"),
        ("stores", stores, "order_no", "customer_phone"),
    ):
        for order, phone in zip(frame[order_col], frame[phone_col], strict=True):
            if _cn_mobile(phone):
                phone_of[(channel, order)] = _cn_mobile(phone)

    customer_of = {
        (channel, order): key
        for channel, order, key in built_instance.query(
            "select channel, channel_order_id, customer_key from marts.fct_orders"
        )
    }
    keys_by_phone: dict[str, set] = defaultdict(set)
    channels_by_phone: dict[str, set] = defaultdict(set)
    for (channel, order), phone in phone_of.items():
        keys_by_phone[phone].add(customer_of[(channel, order)])
        channels_by_phone[phone].add(channel)

    assert all(None not in keys for keys in keys_by_phone.values())
    split = {phone: keys for phone, keys in keys_by_phone.items() if len(keys) > 1}
    assert not split, f"{len(split)} mobile numbers split over several customers"
    cross_channel = [phone for phone, channels in channels_by_phone.items() if len(channels) > 1]
    assert cross_channel, "the demo company has people who buy in several channels"


def test_customers_keep_contacts_only_hashed_and_masked(built_instance):
    columns = {
        name
        for (name,) in built_instance.query(
            "select column_name from information_schema.columns "
            "where table_schema = 'marts' and table_name = 'dim_customers'"
        )
    }
    assert {"email_hash", "email_masked", "phone_hash", "phone_masked", "match_confidence"} <= columns
    assert not {"customer_email", "customer_phone"} & columns
    masked = built_instance.query(
        "select phone_masked from marts.dim_customers where phone_masked like '+86%' limit 1"
    )[0][0]
    assert re.fullmatch(r"\+86\d{3}\*{4}\d{4}", masked)
