"""Stock feeds: each channel's file against its documented header, and never over-allocating."""

from datetime import date

import pandas as pd

from inventory.allocation import Rule, allocate_all
from inventory.feeds import FORMATS, feed_rows, read_feed, write_feeds

# The headers as docs/data_sources.md ("Stock feeds") documents them, one per channel.
DOCUMENTED = {
    "shopify": "Handle,Title,Option1 Name,Option1 Value,Option2 Name,Option2 Value,Option3 Name,"
    "Option3 Value,SKU,HS Code,COO,Location,Available",
    "amazon": "sku\tprice\tminimum-seller-allowed-price\tmaximum-seller-allowed-price\tquantity\t"
    "handling-time\tfulfillment-channel",
    "tmall": "商家编码,宝贝标题,可售库存",
    "social": "sku,product_name,available_qty",
    "stores": "sku,product_name,available_qty",
}
CHANNELS = sorted(DOCUMENTED)
RULES = [
    Rule("shopify", "", 0.3, 1, 1, 1),
    Rule("amazon", "", 0.3, 0, 2, 0),
    Rule("tmall", "", 0.2, 2, 1, 0),
    Rule("social", "", 0.1, 0, 3, 0),
    Rule("stores", "", 0.1, 1, 2, 0),
]
POOLS = pd.DataFrame({"sku": ["A", "B", "C"], "product_category": ["x", "x", "y"], "pool": [40, 3, 0]})
# Amazon lists A under two ASIN-backed SKUs; the others use their own or the internal one.
ALIASES = pd.DataFrame(
    {
        "channel": ["amazon", "amazon", "tmall"],
        "channel_sku": ["AMZ-A2", "AMZ-A1", "TM-A"],
        "sku": ["A", "A", "A"],
    }
)
PRODUCTS = pd.DataFrame({"sku": ["A", "B", "C"], "product_name": ["Anorak", "Beanie", "Cap"]})


def _written(tmp_path):
    allocation = allocate_all(POOLS, RULES, CHANNELS)
    paths = write_feeds(feed_rows(allocation, ALIASES, PRODUCTS), tmp_path / "outbox", date(2026, 11, 23))
    return allocation, paths


def test_every_feed_has_its_channels_documented_header(tmp_path):
    _, paths = _written(tmp_path)
    assert set(paths) == set(DOCUMENTED) == set(FORMATS)
    for channel, path in paths.items():
        assert path.parent == tmp_path / "outbox" / channel
        first = path.read_text(encoding=FORMATS[channel].encoding).splitlines()[0]
        assert first == DOCUMENTED[channel], channel
    assert paths["amazon"].name == "price_quantity_2026-11-23.txt"
    assert not list((tmp_path / "outbox").rglob("*.part"))


def test_feeds_offer_no_more_than_allocated_and_together_no_more_than_atp(tmp_path):
    allocation, paths = _written(tmp_path)
    quantity = {"shopify": "Available", "amazon": "quantity", "tmall": "可售库存"}
    offered = {}
    for channel, path in paths.items():
        feed = read_feed(path, channel)
        column = quantity.get(channel, "available_qty")
        offered[channel] = feed[column].astype(int).sum()
    allocated = allocation.groupby("channel")["allocation"].sum()
    for channel in CHANNELS:
        assert offered[channel] <= allocated[channel], channel
    assert sum(offered.values()) <= POOLS["pool"].sum()
    # A (pool 40): reserves shopify 1, tmall 2, stores 1 → Q = 36; shopify 1 + 10 = 11 − buffer 1 = 10,
    # amazon 10, tmall 2 + 7 = 9, social 3, stores 1 + 3 = 4. B (pool 3): reserves shopify 1 (− buffer 1
    # = 0), tmall 2, nothing left for stores. C: nothing.
    assert offered == {"shopify": 10 + 0, "amazon": 10, "tmall": 9 + 2, "social": 3, "stores": 4}


def test_a_product_listed_twice_is_offered_once(tmp_path):
    _, paths = _written(tmp_path)
    amazon = read_feed(paths["amazon"], "amazon").set_index("sku")["quantity"].astype(int)
    assert amazon["AMZ-A1"] == 10 and amazon["AMZ-A2"] == 0
    tmall = read_feed(paths["tmall"], "tmall").set_index("商家编码")
    assert tmall.loc["TM-A", "宝贝标题"] == "Anorak"
    assert set(tmall.index) == {"TM-A", "B", "C"}
